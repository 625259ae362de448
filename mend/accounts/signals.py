"""What the accounts app tells the apps above it (STYLE: a signal, not an import upward).

`staff_account_changed` is sent inside the transaction of every change to a staff account
(created, role, passphrase, authenticator added or removed), with keyword arguments
`action` (e.g. "staff.role.changed"), `account` (the User changed) and `actor` (the User who
did it, or None for the operator at the command line). mend.audit records each one.

`account_deleting` is sent inside the transaction that deletes an account, before the
delete, with `account` (the User). What cascading keys cannot decide is done by the apps
that listen: a dialogue case whose party leaves is closed, and emptied when she leaves.
"""

from __future__ import annotations

from django.dispatch import Signal

staff_account_changed = Signal()
account_deleting = Signal()
