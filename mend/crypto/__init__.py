"""Mend's shared cryptography: pure Python, no Django, the only package that imports libsodium.

Modules (each has a JS twin in mend/static/js/crypto/ proven equal by shared vectors):
oprf (RFC 9497 OPRF/VOPRF), shamir (threshold sharing), envelope (XChaCha20-Poly1305
envelopes, key wrapping, sealed boxes), kdf (HKDF-SHA-512, Argon2id, vault keys), escrow
(escrow secrets from an OPRF output), receipts (Ed25519 receipts), canonical (perpetrator
identifiers), labels (every domain-separation label). See docs/crypto.md.
"""
