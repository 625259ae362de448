"""What the accounts app tells the apps above it (STYLE: a signal, not an import upward).

`staff_account_changed` is sent inside the transaction of every change to a staff account
(created, role, passphrase, authenticator added or removed), with keyword arguments
`action` (e.g. "staff.role.changed"), `account` (the User changed) and `actor` (the User who
did it, or None for the operator at the command line). mend.audit records each one.

`account_deleting` is sent inside the transaction of an account's deletion, before any row
goes, with keyword argument `account`: an app whose rows vanish with the account finishes
what must not be left half-way first (mend.dialogue ends the cases of a responsible person
who deletes his account). A receiver that raises rolls the deletion back.
"""

from __future__ import annotations

from django.dispatch import Signal

staff_account_changed = Signal()
account_deleting = Signal()
