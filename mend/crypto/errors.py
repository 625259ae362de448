"""Exceptions raised by mend.crypto.

Every failure is an exception (never a boolean the caller might forget to check). All of them
derive from CryptoError, which derives from ValueError so that callers validating untrusted
input can catch one type. Messages never contain key material or plaintext.
"""

from __future__ import annotations


class CryptoError(ValueError):
    """Base class for every error raised by mend.crypto."""


class InvalidElementError(CryptoError):
    """A group element is malformed, non-canonical or the identity."""


class InvalidScalarError(CryptoError):
    """A scalar is malformed, non-canonical (not below the group order) or zero where it must
    not be."""


class InvalidInputError(CryptoError):
    """An OPRF input cannot be used (too long, or it hashes to the identity)."""


class DeriveKeyPairError(CryptoError):
    """RFC 9497 DeriveKeyPair found no non-zero scalar in 256 tries (never seen in practice)."""


class VerifyError(CryptoError):
    """A VOPRF proof does not verify: the server did not use the published key."""


class DecryptionError(CryptoError):
    """A ciphertext did not open: wrong key, wrong associated data, or it was changed."""


class UnsupportedVersionError(CryptoError):
    """A ciphertext or record carries a version byte this code does not know."""


class ShareError(CryptoError):
    """Shares are malformed: too few, a zero or repeated x-coordinate, a bad scalar."""


class RecoveryError(CryptoError):
    """No subset of the shares reconstructs a secret that the caller's verifier accepts."""


class ParamsError(CryptoError):
    """Key-derivation parameters are malformed or weaker than the floor we accept."""


class ReceiptError(CryptoError):
    """A receipt is malformed, or its signature does not verify."""


class CertificateError(CryptoError):
    """A training certificate or a list of revoked certificates is malformed, or its
    signature does not verify."""


class EndorsementError(CryptoError):
    """A counselor key's endorsement is malformed, does not verify, or its chain is broken."""


class DialogueError(CryptoError):
    """A dialogue item or participant key is malformed, or its signature or key commitment
    does not verify: the reader's browser refuses to show it."""


class InvalidIdentifier(CryptoError):
    """A perpetrator identifier could not be canonicalised.

    `code` is stable and shared with the JS twin (the UI translates it); `str(error)` is an
    English sentence for developers saying what is wrong.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
