"""The public key an offline check trusts: the one given on the command line, or else this
server's own, derived from its signing seed. Never a key written inside what is checked.

Shared by ``verify_receipt`` and ``verify_certificate``. Imports no app of Mend.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from mend.crypto.encoding import from_hex
from mend.crypto.errors import CryptoError
from mend.lib.env import KEY_BYTES, hex_key


def trusted_key(
    given: str, setting: str, public_key_for: Callable[[bytes], bytes]
) -> tuple[bytes, str]:
    """The Ed25519 public key to check against, and where it came from: ``given`` (hex), or
    the public half of the seed in ``setting``. CommandError when neither is usable."""
    seed = str(getattr(settings, setting, ""))
    try:
        if given:
            key = from_hex(given.strip().lower(), KEY_BYTES, "public key")
            return key, _("the key given with --public-key")
        if seed:
            key = public_key_for(hex_key(setting, seed))
            return key, _("this server's own key (%(setting)s)") % {"setting": setting}
    except (CryptoError, ImproperlyConfigured) as error:
        raise CommandError(str(error)) from error
    raise CommandError(
        _("No public key to check against: pass --public-key with the key Mend publishes.")
    )
