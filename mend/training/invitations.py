"""Invitation codes to join an organisation: made and stored as the escrow's are.

The code format and keyed hash are mend.lib.codes (100 random bits; only an HMAC is
stored, under a key derived from SECRET_KEY with training's own label).
"""

from __future__ import annotations

from mend.lib import codes

CODE_HASH_LABEL = b"mend-training-v1/invitation-code"


def code_hash(code: str) -> str:
    return codes.secret_keyed_hash(CODE_HASH_LABEL, code)


new_code = codes.new_code
