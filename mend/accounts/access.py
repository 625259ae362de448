"""The one door to a survivor's key ring (STYLE rule 5).

A key ring holds her vault key wrapped under her passphrase and her recovery key: it is
handed out only after she proved the passphrase (log in) or the recovery key
(``actions.find_keyring_by_recovery``). Staff never have one.
"""

from __future__ import annotations

from mend.accounts.models import KeyRing, User
from mend.accounts.roles import holds_browser_keys, is_survivor


def get_keyring_for_survivor(user: object) -> KeyRing | None:
    """Her key ring if `user` is a survivor (just authenticated); None for anyone else,
    so that the caller answers exactly as for a wrong passphrase."""
    if not is_survivor(user) or not isinstance(user, User):
        return None
    return KeyRing.objects.filter(user=user).first()


def get_keyring_for_key_holder(user: object) -> KeyRing | None:
    """The key ring of a survivor or a responsible person (just authenticated), for log-in;
    None for anyone else, so that the caller answers exactly as for a wrong passphrase."""
    if not holds_browser_keys(user) or not isinstance(user, User):
        return None
    return KeyRing.objects.filter(user=user).first()
