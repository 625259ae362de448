"""Invitation codes to join an organisation: made and stored as the escrow's are.

The code format and keyed hash are mend.lib.codes (100 random bits; only an HMAC is
stored). The hashing key is derived from SECRET_KEY under a label of its own, so training
needs no secret of its own and production already refuses to start without it. Rotating
SECRET_KEY makes outstanding codes unusable (issue new ones); it does not affect accounts.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from mend.lib import codes

CODE_HASH_LABEL = b"mend-training-v1/invitation-code"


def code_hash(code: str) -> str:
    key = hmac.new(settings.SECRET_KEY.encode(), CODE_HASH_LABEL, hashlib.sha256).digest()
    return codes.keyed_hash(key, codes.normalise(code))


new_code = codes.new_code
