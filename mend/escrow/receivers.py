"""What the escrow does when another app tells it something (STYLE: a signal, not an
import upward).

`withdraw_with_account` answers `account_deleting` (mend.accounts.signals), inside the
transaction that deletes the account: each of her entries in a match group is withdrawn
by `do_withdraw_entry`, as if she had withdrawn it herself, so the counselor is told in the
app and the audit log records `escrow.entry.withdrawn_after_match`. The notice says that a
survivor withdrew an entry, as a withdrawal's does: it does not tell the counselor that the
account was deleted. Her entries in no group, her memberships and her threads go by
cascade with the account.
"""

from __future__ import annotations

from mend.accounts.models import User
from mend.escrow.actions import do_withdraw_matched_entries


def withdraw_with_account(sender: object, account: User, **kwargs: object) -> None:
    """Connected to `account_deleting` in EscrowConfig."""
    do_withdraw_matched_entries(account)
