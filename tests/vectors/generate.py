"""Generate the project's shared test vectors (tests/vectors/*.json).

These cover everything RFC 9497's official vectors do not: labels, HKDF, Argon2id and vault
keys, envelopes and sealed boxes, Shamir sharing and robust recovery, escrow derivations,
receipts and identifier canonicalisation. pytest and node --test both read them, so the
Python and JS twins must agree byte for byte.

Deterministic: every key, nonce, seed and blind comes from a fixed label, so running
    .venv/bin/python tests/vectors/generate.py
rewrites identical files (mend/crypto/tests/test_vectors_file.py checks this). The
canonicalisation table below is written by hand as the specification; generation stops if
the Python implementation disagrees with it.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import sys
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from mnemonic import Mnemonic

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from mend.crypto import (  # noqa: E402
    canonical,
    certificates,
    dialogue,
    endorsement,
    envelope,
    escrow,
    group,
    kdf,
    labels,
    oprf,
    receipts,
    shamir,
)
from mend.crypto.errors import CryptoError, InvalidIdentifier  # noqa: E402

Json = dict[str, Any]


def fixed(name: str, length: int = 32) -> bytes:
    """Deterministic 'random' bytes named by a label (SHAKE-256 of the label)."""
    return hashlib.shake_256(b"mend test vector: " + name.encode()).digest(length)


def fixed_scalar(name: str) -> bytes:
    return group.reduce(fixed(name, 64))


def context_json(ctx: envelope.Context) -> Json:
    return {
        "purpose": ctx.purpose,
        "object_id": ctx.object_id,
        "object_version": ctx.object_version,
    }


# --- labels ---------------------------------------------------------------------------------


def labels_vectors() -> Json:
    hkdf_names = [n for n in dir(labels) if getattr(labels, n) in labels.HKDF_LABELS]
    purpose_names = [n for n in dir(labels) if n.startswith("PURPOSE_")]
    return {
        "oprf_prefix": labels.ESCROW_OPRF_PREFIX,
        "oprf_key_info": labels.ESCROW_OPRF_KEY_INFO,
        "receipt_domain": labels.RECEIPT_DOMAIN,
        "hkdf": {n: getattr(labels, n) for n in sorted(hkdf_names)},
        "purposes": {n: getattr(labels, n) for n in sorted(purpose_names)},
    }


# --- HKDF -----------------------------------------------------------------------------------


def hkdf_vectors() -> Json:
    raw = []
    for i, (salt_len, info, length) in enumerate(
        [(0, b"", 32), (16, b"info", 64), (80, b"x", 200)]
    ):
        ikm, salt = fixed(f"hkdf ikm {i}", 22), fixed(f"hkdf salt {i}", salt_len)
        prk = kdf.hkdf_extract(salt, ikm)
        raw.append(
            {
                "ikm": ikm.hex(),
                "salt": salt.hex(),
                "info": info.hex(),
                "length": length,
                "prk": prk.hex(),
                "okm": kdf.hkdf_expand(prk, info, length).hex(),
            }
        )
    # Every registered label in order, the coefficient prefix as its first two members (by
    # name, not position, so adding a label adds its vectors and changes no other).
    names: list[str] = []
    for label in labels.HKDF_LABELS:
        if label == labels.ESCROW_COEFFICIENT_PREFIX:
            names += [labels.escrow_coefficient_label(1), labels.escrow_coefficient_label(2)]
        else:
            names.append(label)
    ikm = fixed("derive_key ikm", 64)
    derived = [{"label": n, "okm": kdf.derive_key(ikm, n).hex()} for n in names]
    scalars = [{"label": n, "scalar": kdf.derive_scalar(ikm, n).hex()} for n in names]
    return {
        "hkdf": raw,
        "derive_key_ikm": ikm.hex(),
        "derive_key": derived,
        "derive_scalar": scalars,
        "derive_key_refused": _refused_labels(),
    }


def _refused_labels() -> list[str]:
    """Labels that only start with (or nearly spell) a registered one: derive_key refuses
    each, since a label is matched exactly, never as a prefix."""
    prefix = labels.ESCROW_COEFFICIENT_PREFIX
    refused = [
        labels.VAULT_ENC_KEY + "2",
        labels.VAULT_AUTH_KEY + "/",
        labels.ESCROW_SECRET + "\n",
        prefix,
        prefix + "0",
        prefix + "01",
        prefix + "1x",
        prefix + "-1",
        prefix + "1 ",
        "mend-vault-v1/typo",
    ]
    for label in refused:
        try:
            kdf.derive_key(b"ikm", label)
        except CryptoError:
            continue
        raise SystemExit(f"derive_key accepted the unregistered label {label!r}")
    return refused


# --- ristretto255 element decoding ----------------------------------------------------------


def _with_top_bit(encoding: bytes) -> bytes:
    return encoding[:31] + bytes([encoding[31] | 0x80])


def group_vectors() -> Json:
    """Encodings that element() (Python and JS) must accept and refuse.

    Bit 255 set is refused by RFC 9496's decoding, but libsodium 1.0.18 (the Python side's)
    ignores that bit: these vectors pin the explicit check on both sides.
    """
    valid = [group.GENERATOR, group.mul_base(fixed_scalar("group valid element"))]
    invalid = [
        {"why": "the identity", "element": group.IDENTITY.hex()},
        {"why": "the identity with bit 255 set", "element": _with_top_bit(group.IDENTITY).hex()},
        {"why": "the generator with bit 255 set", "element": _with_top_bit(valid[0]).hex()},
        {"why": "a valid element with bit 255 set", "element": _with_top_bit(valid[1]).hex()},
        {"why": "all ones (above p)", "element": (b"\xff" * 32).hex()},
        {"why": "31 bytes", "element": valid[0][:31].hex()},
    ]
    for case in invalid:
        try:
            group.element(bytes.fromhex(case["element"]))
        except CryptoError:
            continue
        raise SystemExit(f"group.element accepted {case['why']}")
    return {"valid": [e.hex() for e in valid], "invalid": invalid}


# --- Argon2id and vault keys ---------------------------------------------------------------


def argon2_vectors() -> Json:
    cases = [
        ("correct horse battery staple", 1, 8192),
        ("café", 2, 65536),  # composed é
        ("cafe\u0301", 2, 65536),  # decomposed: NFC makes it the same passphrase
        ("𝄞 música 💜", 3, 1024 * 1024),
    ]
    out = []
    for i, (passphrase, ops, mem) in enumerate(cases):
        params = kdf.Argon2Params(ops, mem, fixed(f"argon2 salt {min(i, 1)}", 16))
        derived = kdf.argon2id(passphrase, params)
        out.append({"passphrase": passphrase, "params": params.to_dict(), "output": derived.hex()})
    production = kdf.Argon2Params(kdf.OPSLIMIT, kdf.MEMLIMIT, fixed("vault salt", 16))
    keys = kdf.derive_vault_keys("a long passphrase, survivors first", production)
    return {
        "argon2id": out,
        "vault_keys": [
            {
                "passphrase": "a long passphrase, survivors first",
                "params": production.to_dict(),
                "auth_key": keys.auth_key.hex(),
                "enc_key": keys.enc_key.hex(),
            }
        ],
        "weak_for_vault": [kdf.Argon2Params(2, kdf.MEMLIMIT, bytes(16)).to_dict()],
        "malformed_params": _malformed_params(),
    }


def _malformed_params() -> list[Json]:
    good = kdf.Argon2Params(3, kdf.MEMLIMIT, bytes(16)).to_dict()
    changes: list[Json] = [
        {"v": 2},
        {"alg": "argon2i13"},
        {"opslimit": 0},
        {"opslimit": "3"},
        {"memlimit": 4096},
        {"memlimit": 65537},
        {"salt": "00"},
        {"salt": "ZZ" * 16},
        {"extra": 1},
    ]
    out = [{**good, **change} for change in changes]
    out.append({k: v for k, v in good.items() if k != "salt"})
    for params in out:
        try:
            kdf.Argon2Params.from_dict(params)
        except CryptoError:
            continue
        raise AssertionError(f"accepted malformed params {params}")
    return out


# --- envelopes ------------------------------------------------------------------------------


def envelope_vectors() -> Json:
    contexts = [
        envelope.Context(labels.PURPOSE_RECORD, "5f0c6a1e-9d2b-4c55-8f7e-1a2b3c4d5e6f", 3),
        envelope.Context(labels.PURPOSE_VAULT_KEY, "user:42", 0),
        envelope.Context(labels.PURPOSE_ESCROW_ENTRY_KEY, "entrée-ü", 2**32 - 1),
    ]
    encrypted = []
    plaintexts = [b"", b"what happened", bytes(300)]
    for i, (ctx, plaintext) in enumerate(zip(contexts, plaintexts, strict=True)):
        key, nonce = fixed(f"envelope key {i}"), fixed(f"envelope nonce {i}", 24)
        sealed = envelope.encrypt(key, plaintext, ctx, nonce=nonce)
        encrypted.append(
            {
                "key": key.hex(),
                "nonce": nonce.hex(),
                "plaintext": plaintext.hex(),
                "context": context_json(ctx),
                "envelope": sealed.hex(),
            }
        )
    wrap_ctx = contexts[1]
    wrapping, inner, nonce = fixed("wrapping key"), fixed("wrapped key"), fixed("wrap nonce", 24)
    recipient = envelope.box_keypair(fixed("counselor box seed"))
    box_ctx = envelope.Context(labels.PURPOSE_ESCROW_SHARE, "entry-7", 1)
    message = b"share payload"
    return {
        "contexts": [{**context_json(c), "encoded": c.encode().hex()} for c in contexts],
        "bad_contexts": [
            {"purpose": "vault-recrod", "object_id": "x", "object_version": 1},
            {"purpose": labels.PURPOSE_RECORD, "object_id": "", "object_version": 1},
            {"purpose": labels.PURPOSE_RECORD, "object_id": "x" * 256, "object_version": 1},
            {"purpose": labels.PURPOSE_RECORD, "object_id": "x", "object_version": -1},
            {"purpose": labels.PURPOSE_RECORD, "object_id": "x", "object_version": 2**32},
        ],
        "encrypt": encrypted,
        "wrap_key": [
            {
                "wrapping_key": wrapping.hex(),
                "key": inner.hex(),
                "nonce": nonce.hex(),
                "context": context_json(wrap_ctx),
                "wrapped": envelope.wrap_key(wrapping, inner, wrap_ctx, nonce=nonce).hex(),
            }
        ],
        "sealed": [
            {
                "recipient_seed": fixed("counselor box seed").hex(),
                "recipient_public_key": recipient.public_key.hex(),
                "recipient_secret_key": recipient.secret_key.hex(),
                "ephemeral_seed": fixed("ephemeral seed").hex(),
                "message": message.hex(),
                "context": context_json(box_ctx),
                "sealed": envelope.seal(
                    recipient.public_key, message, box_ctx, ephemeral_seed=fixed("ephemeral seed")
                ).hex(),
            }
        ],
    }


# --- Shamir ---------------------------------------------------------------------------------


def _share_json(share: shamir.Share) -> Json:
    return {"x": share.x.hex(), "y": share.y.hex()}


def shamir_vectors() -> Json:
    small = [group.scalar_from_int(n) for n in (5, 3, 7)]  # f(x) = 5 + 3x + 7x^2: check by hand
    share_at = [
        {
            "secret": small[0].hex(),
            "coefficients": [c.hex() for c in small[1:]],
            "x": group.scalar_from_int(x).hex(),
            "y": shamir.share_at(small[0], small[1:], group.scalar_from_int(x)).hex(),
        }
        for x in (1, 2, 10)
    ]
    splits = []
    for t, n in ((2, 3), (3, 5), (5, 5)):
        secret = fixed_scalar(f"shamir secret {t}")
        coeffs = [fixed_scalar(f"shamir coefficient {t}/{i}") for i in range(1, t)]
        shares = shamir.split(secret, t, n, coefficients=coeffs)
        splits.append(
            {
                "secret": secret.hex(),
                "threshold": t,
                "coefficients": [c.hex() for c in coeffs],
                "shares": [_share_json(s) for s in shares],
            }
        )
    return {
        "share_at": share_at,
        "split": splits,
        "recover": [
            _recovery_case(2, 5, [1, 3]),
            _recovery_case(3, 6, [0]),
            _recovery_case(2, 2, []),
        ],
        "errors": _share_errors(),
    }


def _recovery_case(threshold: int, count: int, corrupt: list[int]) -> Json:
    """Shares from escrow-style x-coordinates, some corrupted; the verifier opens c."""
    output = fixed(f"recovery oprf output {threshold}/{count}", 64)
    secrets = escrow.derive_escrow_secrets(output, threshold)
    xs = [escrow.x_coordinate(fixed(f"escrow id {i}", 16)) for i in range(count)]
    shares = [shamir.Share(x, secrets.share_for(x)) for x in xs]
    for i in corrupt:
        shares[i] = shamir.Share(shares[i].x, fixed_scalar(f"corrupt {threshold}/{i}"))
    ctx = envelope.Context(labels.PURPOSE_ESCROW_ENTRY_KEY, f"entry-{threshold}-{count}", 1)
    entry_key = fixed(f"entry key {threshold}/{count}")
    wrap_key = escrow.entry_wrap_key(secrets.secret)
    wrapped = envelope.wrap_key(wrap_key, entry_key, ctx, nonce=fixed("recovery nonce", 24))

    def opens(secret: bytes) -> bool:
        try:
            envelope.unwrap_key(escrow.entry_wrap_key(secret), wrapped, ctx)
        except CryptoError:
            return False
        return True

    result = shamir.recover(shares, threshold, opens)
    assert result.secret == secrets.secret
    return {
        "threshold": threshold,
        "shares": [_share_json(s) for s in shares],
        "context": context_json(ctx),
        "wrapped_entry_key": wrapped.hex(),
        "entry_key": entry_key.hex(),
        "secret": secrets.secret.hex(),
        "rejected": [shares.index(s) for s in result.rejected],
    }


def _share_errors() -> list[Json]:
    one, two = group.scalar_from_int(1), group.scalar_from_int(2)
    order = group.ORDER.to_bytes(32, "little")
    cases = [
        ("duplicate x", [(one, one), (one, two)]),
        ("zero x", [(group.ZERO, one), (one, two)]),
        ("non-canonical x", [(order, one), (one, two)]),
        ("non-canonical y", [(one, order), (two, two)]),
        ("too few shares", [(one, two)]),
    ]
    return [
        {"why": why, "shares": [{"x": x.hex(), "y": y.hex()} for x, y in pairs]}
        for why, pairs in cases
    ]


# --- escrow ---------------------------------------------------------------------------------


def escrow_vectors() -> Json:
    secrets = []
    for t in (2, 3):
        output = fixed(f"escrow oprf output {t}", 64)
        s = escrow.derive_escrow_secrets(output, t)
        secrets.append(
            {
                "oprf_output": output.hex(),
                "threshold": t,
                "match_index": s.match_index.hex(),
                "secret": s.secret.hex(),
                "coefficients": [c.hex() for c in s.coefficients],
                "entry_wrap_key": escrow.entry_wrap_key(s.secret).hex(),
            }
        )
    ids = [fixed(f"escrow id {i}", n) for i, n in enumerate((16, 32))]
    share = shamir.Share(group.scalar_from_int(9), group.scalar_from_int(10))
    return {
        "secrets": secrets,
        "x_coordinates": [{"escrow_id": i.hex(), "x": escrow.x_coordinate(i).hex()} for i in ids],
        "payloads": [
            {
                "x": share.x.hex(),
                "y": share.y.hex(),
                "wrapped_entry_key": "c0ffee",
                "payload": escrow.encode_share_payload(share, bytes.fromhex("c0ffee")).hex(),
            }
        ],
        "end_to_end": _end_to_end(),
    }


def _end_to_end() -> Json:
    """One survivor's whole escrow submission, from typed text to the sealed share."""
    identifier = canonical.canonicalise("email", "  Perp.Name@Example.ORG ")
    data = canonical.oprf_input(identifier)
    server = oprf.derive_key_pair(
        fixed("server seed"), labels.ESCROW_OPRF_KEY_INFO.encode(), oprf.Mode.VOPRF
    )
    blinded = oprf.blind(data, oprf.Mode.VOPRF, blind=fixed_scalar("e2e blind"))
    evaluation = oprf.blind_evaluate_verifiable(
        server.secret_key,
        server.public_key,
        [blinded.blinded_element],
        proof_nonce=fixed_scalar("e2e r"),
    )
    [output] = oprf.finalize_verifiable([data], [blinded], evaluation, server.public_key)
    secrets = escrow.derive_escrow_secrets(output, 2)
    x = escrow.x_coordinate(fixed("e2e escrow id", 16))
    entry_ctx = envelope.Context(labels.PURPOSE_ESCROW_ENTRY_KEY, "entry-e2e", 1)
    entry_key = fixed("e2e entry key")
    wrapped = envelope.wrap_key(
        escrow.entry_wrap_key(secrets.secret), entry_key, entry_ctx, nonce=fixed("e2e nonce", 24)
    )
    payload = escrow.encode_share_payload(shamir.Share(x, secrets.share_for(x)), wrapped)
    counselor = envelope.box_keypair(fixed("e2e counselor"))
    share_ctx = envelope.Context(labels.PURPOSE_ESCROW_SHARE, "entry-e2e", 1)
    sealed = envelope.seal(
        counselor.public_key, payload, share_ctx, ephemeral_seed=fixed("e2e eph")
    )
    return {
        "kind": "email",
        "text": "  Perp.Name@Example.ORG ",
        "identifier": identifier,
        "oprf_input": data.hex(),
        "server_seed": fixed("server seed").hex(),
        "server_public_key": server.public_key.hex(),
        "blind": blinded.blind.hex(),
        "blinded_element": blinded.blinded_element.hex(),
        "proof_nonce": fixed_scalar("e2e r").hex(),
        "evaluated_element": evaluation.evaluated_elements[0].hex(),
        "proof": evaluation.proof.hex(),
        "oprf_output": output.hex(),
        "match_index": secrets.match_index.hex(),
        "escrow_id": fixed("e2e escrow id", 16).hex(),
        "x": x.hex(),
        "y": secrets.share_for(x).hex(),
        "entry_key": entry_key.hex(),
        "entry_context": context_json(entry_ctx),
        "entry_nonce": fixed("e2e nonce", 24).hex(),
        "wrapped_entry_key": wrapped.hex(),
        "payload": payload.hex(),
        "counselor_seed": fixed("e2e counselor").hex(),
        "share_context": context_json(share_ctx),
        "ephemeral_seed": fixed("e2e eph").hex(),
        "sealed": sealed.hex(),
    }


# --- receipts -------------------------------------------------------------------------------


def receipt_vectors() -> Json:
    seed = fixed("receipt signing seed")
    cases = [
        (
            "5f0c6a1e-9d2b-4c55-8f7e-1a2b3c4d5e6f",
            1,
            b"ciphertext",
            datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
        ),
        ("entrée", 2**32 - 1, b"", datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC)),
    ]
    good = []
    for object_id, version, ciphertext, moment in cases:
        receipt = receipts.sign_receipt(seed, object_id, version, ciphertext, moment)
        message = receipts.receipt_message(object_id, version, receipt.ciphertext_sha256, moment)
        good.append(
            {
                "ciphertext": ciphertext.hex(),
                "message": message.hex(),
                "json": receipts.to_json(receipt),
            }
        )
    return {
        "signing_seed": seed.hex(),
        "public_key": receipts.public_key_for(seed).hex(),
        "receipts": good,
        "forged": _forged_receipts(json.loads(good[0]["json"])),
    }


def _forged_receipts(data: Json) -> list[Json]:
    """Receipts that must not verify (the signature no longer matches) or not even parse."""
    changes: list[tuple[str, Json]] = [
        ("other object", {"object_id": "someone-else"}),
        ("other version", {"version": 2}),
        ("other ciphertext", {"ciphertext_sha256": "00" * 32}),
        ("other time", {"received_at": "2025-03-01T09:30:00.000001Z"}),
        (
            "flipped signature bit",
            {"signature": "%02x" % (int(data["signature"][:2], 16) ^ 1) + data["signature"][2:]},
        ),
        ("time not canonical", {"received_at": "2025-03-01T09:30:00Z"}),
        ("impossible date", {"received_at": "2025-02-30T09:30:00.000000Z"}),
        ("upper-case hex", {"signature": data["signature"].upper()}),
        ("version as text", {"version": "1"}),
        ("unknown type", {"type": "mend-receipt-v2"}),
        ("extra field", {"comment": "hello"}),
    ]
    return [
        {"why": why, "json": json.dumps({**data, **change}, indent=2) + "\n"}
        for why, change in changes
    ]


# --- canonical identifiers ------------------------------------------------------------------

# (kind, input, options, expected output): the specification, written by hand.
VALID: list[tuple[str, str, Json, str]] = [
    ("email", "  Alice.Smith@Example.COM ", {}, "email:alice.smith@example.com"),
    ("email", "jo+tag@bücher.de", {}, "email:jo+tag@xn--bcher-kva.de"),
    ("email", "x@例え.テスト", {}, "email:x@xn--r8jz45g.xn--zckzah"),
    (
        "email",
        "Jo@\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25\uff0e\uff4f\uff52\uff47",
        {},
        "email:jo@example.org",
    ),
    ("email", "o'brien@mail.example.co.uk.", {}, "email:o'brien@mail.example.co.uk"),
    ("email", "user@xn--bcher-kva.de", {}, "email:user@xn--bcher-kva.de"),
    ("email", "a@münchen-straße.de", {}, "email:a@xn--mnchen-strae-v9a90b.de"),
    ("email", "\u200bhidden@example.org\u3000", {}, "email:hidden@example.org"),
    # Provider rules (mend.crypto.canonical.EMAIL_PROVIDERS): one mailbox, one string.
    ("email", "Tom.Smith@gmail.com", {}, "email:tomsmith@gmail.com"),
    ("email", "t.o.m.s.m.i.t.h+work@GoogleMail.com", {}, "email:tomsmith@gmail.com"),
    ("email", "tomsmith+a+b@gmail.com.", {}, "email:tomsmith@gmail.com"),
    ("email", "+only@gmail.com", {}, "email:+only@gmail.com"),  # no name before the tag
    ("email", "tom.smith+news@outlook.com", {}, "email:tom.smith@outlook.com"),
    ("email", "tom.smith+x@hotmail.com", {}, "email:tom.smith@hotmail.com"),
    ("email", "tom+x@live.com", {}, "email:tom@live.com"),
    ("email", "tom+x@msn.com", {}, "email:tom@msn.com"),
    ("email", "tom.smith+x@me.com", {}, "email:tom.smith@icloud.com"),
    ("email", "tom.smith@mac.com", {}, "email:tom.smith@icloud.com"),
    ("email", "tom.smith+x@proton.me", {}, "email:tom.smith@proton.me"),
    ("email", "tom+x@protonmail.com", {}, "email:tom@protonmail.com"),
    ("email", "tom+x@protonmail.ch", {}, "email:tom@protonmail.ch"),
    ("email", "tom+x@pm.me", {}, "email:tom@pm.me"),
    ("email", "tom+x@fastmail.com", {}, "email:tom@fastmail.com"),
    ("email", "tom+x@fastmail.fm", {}, "email:tom@fastmail.fm"),
    # Not providers that document these rules: kept as typed (a wrong merge is a false match).
    ("email", "tom.smith-x@yahoo.com", {}, "email:tom.smith-x@yahoo.com"),
    ("email", "tom.smith+x@uni.example.edu", {}, "email:tom.smith+x@uni.example.edu"),
    ("email", "tom.smith+x@mail.gmail.com", {}, "email:tom.smith+x@mail.gmail.com"),
    ("email", "tom.smith+x@gmail.co", {}, "email:tom.smith+x@gmail.co"),
    ("phone", "(202) 456-1111", {}, "phone:+12024561111"),
    ("phone", "1-202-456-1111", {}, "phone:+12024561111"),
    ("phone", "+1 202 456 1111", {"region": "GB"}, "phone:+12024561111"),
    ("phone", "011 44 20 7946 0018", {}, "phone:+442079460018"),
    ("phone", "+44 (0)20 7946 0018", {}, "phone:+442079460018"),
    ("phone", "+44 020 7946 0018", {}, "phone:+442079460018"),
    ("phone", "020 7946 0018", {"region": "GB"}, "phone:+442079460018"),
    ("phone", "07400 123456", {"region": "GB"}, "phone:+447400123456"),
    ("phone", "00 44 7400 123456", {"region": "GB"}, "phone:+447400123456"),
    ("phone", "612 34 56 78", {"region": "ES"}, "phone:+34612345678"),
    ("phone", "0034 612.345.678", {"region": "ES"}, "phone:+34612345678"),
    ("phone", "613-555-0199", {"region": "CA"}, "phone:+16135550199"),
    ("phone", "+49 30 901820", {}, "phone:+4930901820"),
    ("phone", "+33 1 42 68 53 00", {"region": "ES"}, "phone:+33142685300"),
    (
        "phone",
        "\uff0b\uff15\uff12 \uff15\uff15 \uff11\uff12\uff13\uff14 \uff15\uff16\uff17\uff18",
        {},
        "phone:+525512345678",
    ),
    ("social", "https://www.instagram.com/Some.User/?hl=en", {}, "social:instagram:some.user"),
    ("social", "@Some_User", {"platform": "instagram"}, "social:instagram:some_user"),
    (
        "social",
        "instagram.com/some.user/reels/",
        {"platform": "Instagram"},
        "social:instagram:some.user",
    ),
    ("social", "https://x.com/Jack/status/20", {}, "social:x:jack"),
    ("social", "http://mobile.twitter.com/jack", {}, "social:x:jack"),
    ("social", "@jack", {"platform": "twitter"}, "social:x:jack"),
    ("social", "https://www.facebook.com/John.Smith.12", {}, "social:facebook:johnsmith12"),
    ("social", "johnsmith12", {"platform": "facebook"}, "social:facebook:johnsmith12"),
    (
        "social",
        "https://m.facebook.com/profile.php?id=100012345678&ref=x",
        {},
        "social:facebook:100012345678",
    ),
    (
        "social",
        "https://www.facebook.com/people/Jo-Bloggs/100012345678/",
        {},
        "social:facebook:100012345678",
    ),
    ("social", "https://uk.linkedin.com/in/John-Doe-123/", {}, "social:linkedin:john-doe-123"),
    ("social", "john-doe-123", {"platform": "linkedin"}, "social:linkedin:john-doe-123"),
    ("social", "https://www.tiktok.com/@user.name/video/1", {}, "social:tiktok:user.name"),
    ("social", "snapchat.com/add/Snap_User", {}, "social:snapchat:snap_user"),
    ("social", "https://www.snapchat.com/@snap-user", {}, "social:snapchat:snap-user"),
    ("social", "https://www.youtube.com/@SomeHandle", {}, "social:youtube:somehandle"),
    (
        "social",
        "https://www.youtube.com/channel/UCuAXFkgsw1L7xaCfnd5JJOw",
        {},
        "social:youtube:channel:UCuAXFkgsw1L7xaCfnd5JJOw",
    ),
    ("social", "https://www.threads.net/@zuck", {}, "social:threads:zuck"),
    ("social", "threads.com/@zuck/post/1", {"platform": "threads"}, "social:threads:zuck"),
]

# (kind, input, options, expected error code)
INVALID: list[tuple[str, str, Json, str]] = [
    ("name", "John Smith", {}, "kind"),
    ("email", "   ", {}, "empty"),
    ("email", "a" * 600 + "@example.org", {}, "too_long"),
    ("email", "jo smith@example.org", {}, "email_space"),
    ("email", "jo.example.org", {}, "email_at"),
    ("email", "jo@@example.org", {}, "email_at"),
    ("email", '"jo smith"@example.org', {}, "email_space"),
    ("email", "jö@example.org", {}, "email_local"),
    ("email", "\u212aate@example.org", {}, "email_local"),
    ("email", ".jo@example.org", {}, "email_dots"),
    ("email", "jo..smith@example.org", {}, "email_dots"),
    ("email", "a" * 65 + "@example.org", {}, "email_local_length"),
    ("email", "jo@localhost", {}, "email_domain_dot"),
    ("email", "jo@example..org", {}, "email_domain_label"),
    ("email", "jo@-example.org", {}, "email_domain_label"),
    ("email", "jo@exa_mple.org", {}, "email_domain_label"),
    ("email", "jo@💜.org", {}, "email_domain_label"),
    ("email", "jo@[192.168.0.1]", {}, "email_domain_label"),
    ("email", "jo@192.168.0.1", {}, "email_domain_tld"),
    ("email", "jo@" + "a" * 64 + ".org", {}, "email_domain_label"),
    ("email", "jo@" + ".".join(["abcdefghi"] * 26), {}, "email_domain_length"),
    ("phone", "1-800-FLOWERS", {}, "phone_characters"),
    ("phone", "202 456 1111 ext. 5", {}, "phone_characters"),
    ("phone", "202+456", {}, "phone_characters"),
    ("phone", "+", {}, "phone_characters"),
    ("phone", "456 1111", {}, "phone_national"),
    ("phone", "(202) 156-1111", {}, "phone_national"),
    ("phone", "7400 123456", {"region": "GB"}, "phone_trunk"),
    ("phone", "0", {"region": "GB"}, "phone_length"),
    ("phone", "512 345 678", {"region": "ES"}, "phone_national"),
    ("phone", "+44 20 7946", {}, "phone_national"),
    ("phone", "+0 123 456 789", {}, "phone_country_code"),
    ("phone", "+49 30 1234 5678 9012", {}, "phone_length"),
    ("phone", "202 456 1111", {"region": "FR"}, "phone_region"),
    ("social", "foo", {}, "social_platform_needed"),
    ("social", "foo", {"platform": "myspace"}, "social_platform"),
    ("social", "https://example.com/foo", {}, "social_site"),
    ("social", "https://instagram.com.evil.example/foo", {}, "social_site"),
    ("social", "https://www.instagram.com/p/Cabc123/", {}, "social_not_profile"),
    ("social", "www.instagram.com", {}, "social_not_profile"),
    ("social", "https://x.com/i/flow/login", {}, "social_not_profile"),
    ("social", "https://www.facebook.com/groups/12345", {}, "social_not_profile"),
    ("social", "https://www.facebook.com/profile.php", {}, "social_not_profile"),
    ("social", "https://www.linkedin.com/company/acme", {}, "social_not_profile"),
    ("social", "https://www.tiktok.com/music/x", {}, "social_not_profile"),
    ("social", "https://www.youtube.com/c/Foo", {}, "social_youtube_legacy"),
    ("social", "https://www.youtube.com/channel/UC123", {}, "social_handle"),
    ("social", "https://x.com/jack", {"platform": "instagram"}, "social_platform_mismatch"),
    ("social", "https://x.com/jack smith", {}, "social_url"),
    ("social", "@this_handle_is_far_too_long", {"platform": "x"}, "social_handle"),
    ("social", "some..user", {"platform": "instagram"}, "social_handle"),
    ("social", "user.", {"platform": "tiktok"}, "social_handle"),
    ("social", "joe", {"platform": "facebook"}, "social_handle"),
    ("social", "1snap", {"platform": "snapchat"}, "social_handle"),
    ("social", "jösé", {"platform": "instagram"}, "social_handle"),
    ("social", "\u212aate", {"platform": "x"}, "social_handle"),
]


def _expect_refusal(kind: str, text: str, options: Json, code: str) -> None:
    try:
        got = canonical.canonicalise(kind, text, **options)
    except InvalidIdentifier as error:
        if error.code != code:
            raise AssertionError(
                f"{text!r}: expected {code}, got {error.code} ({error})"
            ) from error
        return
    raise AssertionError(f"{text!r}: expected {code}, got {got!r}")


# What an entry keeps (the form without provider rules) -> the identifiers it tags.
TAG_IDENTIFIERS: list[tuple[str, list[str]]] = [
    ("email:tom.smith@gmail.com", ["email:tomsmith@gmail.com", "email:tom.smith@gmail.com"]),
    ("email:tomsmith@gmail.com", ["email:tomsmith@gmail.com"]),
    ("email:tom+x@googlemail.com", ["email:tom@gmail.com", "email:tom+x@googlemail.com"]),
    ("email:tom.smith+x@uni.example.edu", ["email:tom.smith+x@uni.example.edu"]),
    ("phone:+12024561111", ["phone:+12024561111"]),
    ("social:x:jack", ["social:x:jack"]),
]


def tag_identifier_vectors() -> list[Json]:
    out = []
    for kept, expected in TAG_IDENTIFIERS:
        got = canonical.tag_identifiers(kept)
        assert got == expected, f"{kept!r}: expected {expected!r}, got {got!r}"
        out.append({"identifier": kept, "tags": expected})
    return out


def canonical_vectors() -> Json:
    valid = []
    for kind, text, options, expected in VALID:
        got = canonical.canonicalise(kind, text, **options)
        assert got == expected, f"{text!r}: expected {expected!r}, got {got!r}"
        case = {"kind": kind, "input": text, **options, "output": expected}
        if kind == "email":  # the form entries made before the provider rules were keyed on
            case["without_provider_rules"] = canonical.canonical_email(text, provider_rules=False)
        valid.append(case)
    invalid = []
    for kind, text, options, code in INVALID:
        _expect_refusal(kind, text, options, code)
        invalid.append({"kind": kind, "input": text, **options, "code": code})
    identifier = VALID[0][3]
    return {
        "email_providers": {d: p._asdict() for d, p in canonical.EMAIL_PROVIDERS.items()},
        "valid": valid,
        "invalid": invalid,
        "tag_identifiers": tag_identifier_vectors(),
        "oprf_input": [{"identifier": identifier, "bytes": canonical.oprf_input(identifier).hex()}],
        "oprf_input_invalid": [{"identifier": "John Smith", "code": "not_canonical"}],
    }


# --- counselor-key endorsements ---------------------------------------------------------


def _uuid(name: str) -> UUID:
    return UUID(bytes=fixed(name, 16), version=4)


def _counselor(name: str) -> tuple[UUID, UUID, bytes, bytes, bytes]:
    """key id, owner id, X25519 public key, signing seed and signing public key."""
    pair = envelope.box_keypair(fixed(f"endorsement {name} box seed"))
    seed = endorsement.signing_seed(pair.secret_key)
    public = pair.public_key
    return (
        _uuid(f"{name} key"),
        _uuid(f"{name} account"),
        public,
        seed,
        endorsement.signing_public_key(seed),
    )


def _record_json(record: endorsement.KeyRecord) -> Json:
    return {
        "key_id": str(record.key_id),
        "owner_id": str(record.owner_id),
        "public_key": record.public_key.hex(),
        "signing_public_key": record.signing_public_key.hex(),
        "endorsed_by": str(record.endorsed_by) if record.endorsed_by else None,
        "signature": record.signature.hex(),
    }


def _endorse(
    seed: bytes, who: tuple[UUID, UUID, bytes, bytes, bytes], by: UUID | None
) -> endorsement.KeyRecord:
    key_id, owner, public, _, signing = who
    signature = endorsement.sign_endorsement(seed, key_id, owner, public, signing)
    return endorsement.KeyRecord(key_id, owner, public, signing, by, signature)


def endorsement_vectors() -> Json:
    operator_seed = fixed("endorsement operator seed")
    operator = endorsement.signing_public_key(operator_seed)
    carol, dana, eve = (_counselor(n) for n in ("carol", "dana", "eve"))
    first = _endorse(operator_seed, carol, None)
    second = _endorse(carol[3], dana, carol[0])
    forged = _endorse(fixed("endorsement not the operator"), eve, None)
    own = _endorse(dana[3], (_uuid("dana second key"), *dana[1:]), dana[0])
    dangling = _endorse(carol[3], eve, _uuid("a key nobody has"))
    chains: list[tuple[str, list[endorsement.KeyRecord], list[endorsement.KeyRecord]]] = [
        ("operator then colleague", [second, first], [first, second]),
        ("a signature by another key", [first, forged], [first]),
        ("her own key vouches", [first, second, own], [first, second]),
        ("an endorser not listed", [first, dangling], [first]),
        ("no operator link at all", [second], []),
    ]
    return {
        "domain": labels.ENDORSEMENT_DOMAIN,
        "signing_seed_label": labels.COUNSELOR_SIGNING_SEED,
        "operator_seed": operator_seed.hex(),
        "operator_public_key": operator.hex(),
        "signing_keys": [
            {
                "box_secret_key": envelope.box_keypair(
                    fixed(f"endorsement {n} box seed")
                ).secret_key.hex(),
                "signing_seed": c[3].hex(),
                "signing_public_key": c[4].hex(),
                "public_key": c[2].hex(),
                "fingerprint": endorsement.fingerprint(c[2], c[4]),
            }
            for n, c in (("carol", carol), ("dana", dana))
        ],
        "messages": [
            {
                "key_id": str(first.key_id),
                "owner_id": str(first.owner_id),
                "public_key": first.public_key.hex(),
                "signing_public_key": first.signing_public_key.hex(),
                "message": endorsement.endorsement_message(
                    first.key_id, first.owner_id, first.public_key, first.signing_public_key
                ).hex(),
                "signature": first.signature.hex(),
            }
        ],
        "chains": [
            {
                "name": name,
                "records": [_record_json(r) for r in records],
                "trusted": sorted(str(r.key_id) for r in trusted),
            }
            for name, records, trusted in chains
        ],
    }


# --- dialogue items (ADR 0014) ----------------------------------------------------------


def _participant(name: str) -> Json:
    pair = envelope.box_keypair(fixed(f"dialogue {name} box seed"))
    seed = dialogue.signing_seed(pair.secret_key)
    return {
        "id": str(_uuid(f"dialogue {name} participant")),
        "box_secret_key": pair.secret_key.hex(),
        "box_public_key": pair.public_key.hex(),
        "signing_seed": seed.hex(),
        "signing_public_key": dialogue.signing_public_key(seed).hex(),
    }


def _ref_json(ref: dialogue.ItemRef) -> Json:
    return {
        "case_id": str(ref.case_id),
        "item_id": str(ref.item_id),
        "author_id": str(ref.author_id),
        "kind": ref.kind,
        "revision": ref.revision,
    }


def _item_json(ref: dialogue.ItemRef, item: dialogue.SealedItem) -> Json:
    return {
        "ref": _ref_json(ref),
        "body": item.body.hex(),
        "signature": item.signature.hex(),
        "commitment": item.commitment.hex(),
        "reader_keys": {str(k): v.hex() for k, v in item.reader_keys.items()},
    }


def _altered_items(ref: dialogue.ItemRef, item: dialogue.SealedItem) -> list[Json]:
    """The same item changed the ways a server or a facilitator might; each must be refused."""
    flipped = bytearray(item.body)
    flipped[-1] ^= 1
    other_key = fixed("dialogue another content key")
    other_body = envelope.encrypt(
        other_key,
        b"Something she never wrote.",
        ref.body_context(),
        nonce=fixed("dialogue another nonce", 24),
    )
    cases: list[tuple[str, dialogue.ItemRef, dialogue.SealedItem]] = [
        ("a changed byte of the body", ref, dialogue.SealedItem(bytes(flipped), *_rest(item))),
        (
            "a body re-encrypted under another key",
            ref,
            dialogue.SealedItem(other_body, *_rest(item)),
        ),
        ("another kind", _ref_with(ref, kind="letter"), item),
        ("another revision", _ref_with(ref, revision=ref.revision + 1), item),
        ("another author", _ref_with(ref, author_id=_uuid("dialogue lead participant")), item),
        ("another case", _ref_with(ref, case_id=_uuid("dialogue another case")), item),
        (
            "a signature by someone else",
            ref,
            dialogue.SealedItem(
                item.body,
                dialogue._sign(
                    fixed("dialogue not the author"),
                    dialogue.item_statement(ref, item.body, item.commitment),
                ),
                item.commitment,
                item.reader_keys,
            ),
        ),
    ]
    return [{"name": name, **_item_json(r, i)} for name, r, i in cases]


def _rest(item: dialogue.SealedItem) -> tuple[bytes, bytes, dict[UUID, bytes]]:
    return item.signature, item.commitment, item.reader_keys


def _ref_with(ref: dialogue.ItemRef, **changes: Any) -> dialogue.ItemRef:
    return dataclasses.replace(ref, **changes)


def dialogue_vectors() -> Json:
    people = {n: _participant(n) for n in ("survivor", "responsible", "lead")}
    ids = {n: UUID(p["id"]) for n, p in people.items()}
    public = {n: bytes.fromhex(p["box_public_key"]) for n, p in people.items()}
    ref = dialogue.ItemRef(
        _uuid("dialogue case"), _uuid("dialogue first item"), ids["survivor"], "message", 1
    )
    key = fixed("dialogue content key")
    plaintext = b"I want you to know what that night did to me."
    item = dialogue.seal_item(
        ref,
        plaintext,
        bytes.fromhex(people["survivor"]["signing_seed"]),
        {ids["survivor"]: public["survivor"], ids["lead"]: public["lead"]},
        content_key=key,
        nonce=fixed("dialogue nonce", 24),
        ephemeral_seeds={i: fixed(f"dialogue ephemeral {n}") for n, i in ids.items()},
    )
    approval = dialogue.wrap_for_reader(
        ref,
        key,
        ids["responsible"],
        public["responsible"],
        ephemeral_seed=fixed("dialogue ephemeral approval"),
    )
    responsible = people["responsible"]
    statement_args = (
        ref.case_id,
        ids["responsible"],
        "responsible",
        bytes.fromhex(responsible["box_public_key"]),
        bytes.fromhex(responsible["signing_public_key"]),
    )
    return {
        "item_domain": labels.DIALOGUE_ITEM_DOMAIN,
        "key_domain": labels.DIALOGUE_KEY_DOMAIN,
        "signing_seed_label": labels.DIALOGUE_SIGNING_SEED,
        "commitment_label": labels.DIALOGUE_KEY_COMMITMENT,
        "participants": people,
        "items": [
            {
                **_item_json(ref, item),
                "plaintext": plaintext.decode(),
                "content_key": key.hex(),
                "nonce": fixed("dialogue nonce", 24).hex(),
                "ephemeral_seeds": {
                    str(i): fixed(f"dialogue ephemeral {n}").hex()
                    for n, i in ids.items()
                    if n != "responsible"
                },
                "statement": dialogue.item_statement(ref, item.body, item.commitment).hex(),
                "approval": {
                    "reader_id": str(ids["responsible"]),
                    "ephemeral_seed": fixed("dialogue ephemeral approval").hex(),
                    "sealed_key": approval.hex(),
                },
            }
        ],
        "altered": _altered_items(ref, item),
        "key_statements": [
            {
                "case_id": str(ref.case_id),
                "participant_id": str(ids["responsible"]),
                "role": "responsible",
                "box_public_key": responsible["box_public_key"],
                "signing_public_key": responsible["signing_public_key"],
                "statement": dialogue.key_statement(*statement_args).hex(),
                "signer_seed": people["lead"]["signing_seed"],
                "signature": dialogue.sign_key_statement(
                    bytes.fromhex(people["lead"]["signing_seed"]), *statement_args
                ).hex(),
            }
        ],
    }


# --- recovery words --------------------------------------------------------------------------
# New recovery keys are written as BIP-39 (Trezor's reference `mnemonic` package makes the
# words here); keys shown before BIP-39 as 33 words of Mend's own list (a copy of the list in
# mend/static/js/lib/words.js, and its CRC-8, kept here as the old format's specification).
# The 32 bytes are the recovery key itself: no PBKDF2 seed.

LEGACY_WORDS = tuple(
    """
    acorn actor adult agent album alley alpaca amber angle ankle apple april apron arena
    armor arrow aspen atlas attic autumn bacon badge bagel baker balmy bamboo banjo barley
    basil beach beard bench berry bingo birch bison blank blaze bloom board bonus boots
    bottle brave bread brick bridge brook brush bucket buddy bugle bunny butter cabin cactus
    cake camel candle canoe canvas carpet carrot castle cedar chair chalk cheese cherry
    chess chimney cider circle citrus clay cliff clock cloud clover coast cocoa coffee comet
    cookie copper coral corner cotton couch cousin crane crayon cream cricket crown crystal
    cuckoo cupcake curtain cushion daisy dance delta denim desert diary dinner doctor
    dolphin donkey dragon drawer dream drum eagle earth easel echo elbow elder ember empty
    engine envelope equal evening fabric falcon feather fence fern ferry fiddle field finch
    flag flame flute focus forest fossil fountain fox frost garden garlic gentle giant
    ginger glove goose grape gravel guitar hammock harbor harvest hazel helmet heron hiking
    honey horizon humble igloo indigo island ivory jacket jelly jigsaw jungle kayak kettle
    kitten ladder lagoon lamp lantern laptop lava lemon letter lilac linen lizard llama
    lobster locket lotus lunch magnet mango maple marble meadow melon mirror mitten monkey
    moose morning mosaic muffin museum napkin nectar needle nickel noodle notebook nutmeg
    oasis ocean olive onion orange orbit orchid otter owl oyster paddle panda paper parrot
    pasta peach pebble pencil pepper piano pickle pillow pine planet plum pocket poppy
    potato prairie pumpkin puzzle quartz quilt rabbit radio rainbow raisin raven ribbon
    river robin rocket saddle salmon
    """.split()  # noqa: SIM905 (one word list as text reads better than 256 lines)
)


def crc8(data: bytes) -> int:
    """CRC-8, polynomial x^8 + x^2 + x + 1 (0x07), initial value 0."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def legacy_words(key: bytes) -> list[str]:
    return [LEGACY_WORDS[b] for b in key + bytes([crc8(key)])]


def bip39_words(language: str, key: bytes) -> list[str]:
    return str(Mnemonic(language).to_mnemonic(key)).split(" ")


def plain(word: str) -> str:
    """A word as someone might type it: no accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def next_word(language: str, word: str) -> str:
    wordlist = Mnemonic(language).wordlist
    return str(wordlist[(wordlist.index(word) + 1) % len(wordlist)])


def typed_cases(key: bytes) -> list[Json]:
    """Ways of typing a key that must all give it back."""
    en, es, old = bip39_words("english", key), bip39_words("spanish", key), legacy_words(key)
    nfc = unicodedata.normalize("NFC", " ".join(es))
    cases = {
        "english, upper case, extra spaces": "  " + "   ".join(en).upper() + " \n",
        "english, first four letters, numbered": " ".join(
            f"{i}. {w[:4]}" for i, w in enumerate(en, 1)
        ),
        "spanish, composed accents (NFC)": nfc,
        "spanish, without accents": plain(nfc),
        "spanish, first four letters without accents, commas": ", ".join(plain(w)[:4] for w in es),
        "spanish, capitalised, one per line": "\n".join(w.capitalize() for w in nfc.split(" ")),
        "old 33 words, first four letters, upper case": " ".join(w[:4].upper() for w in old),
    }
    return [{"name": n, "text": t, "key": key.hex()} for n, t in cases.items()]


def english_reading(spanish: list[str]) -> list[str] | None:
    """Each Spanish word read as the English word its first four letters start (if all do)."""
    by_start = {w[:4]: w for w in Mnemonic("english").wordlist}
    words = [by_start.get(plain(w)[:4]) for w in spanish]
    return [w for w in words if w] if all(words) else None


# Found once by searching random phrases of the ~500 Spanish words whose first four letters
# also start an English word (about 1 phrase in 65,000 fits); checked below on every run.
TWICE_VALID = (
    "castor lavar cáncer escala verso nómina revés mirar collar lengua servir tren origen "
    "calma corazón cráneo miseria grave leopardo directo razón tripa rescate década"
)


def twice_valid_spanish() -> Json:
    """Spanish words, typed in full, that also read as a valid English phrase by their first
    four letters: the list the words are whole in must win."""
    words = unicodedata.normalize("NFKD", TWICE_VALID).split(" ")
    reading = english_reading(words)
    assert reading is not None
    assert Mnemonic("spanish").check(" ".join(words))
    assert Mnemonic("english").check(" ".join(reading))
    return {
        "name": "spanish in full, also a valid english phrase by four letters",
        "text": TWICE_VALID,
        "key": bytes(Mnemonic("spanish").to_entropy(words)).hex(),
        "english_reading": " ".join(reading),
    }


def refused_cases(key: bytes) -> list[Json]:
    """Typed keys that must be refused, with the error code and its detail."""
    en, es, old = bip39_words("english", key), bip39_words("spanish", key), legacy_words(key)
    english_starts = {w[:4] for w in Mnemonic("english").wordlist}
    foreign = next(  # a Spanish word, with an accent, that no English word starts like
        unicodedata.normalize("NFC", w)
        for w in Mnemonic("spanish").wordlist
        if w != plain(w) and plain(w)[:4] not in english_starts
    )
    wrong_old = [*old[:1], LEGACY_WORDS[(LEGACY_WORDS.index(old[1]) + 1) % 256], *old[2:]]
    cases = [
        ("23 words", en[:23], "words_count", {"count": 23}),
        ("25 words", en + en[:1], "words_count", {"count": 25}),
        ("nothing", [], "words_count", {"count": 0}),
        (
            "english, word 5 unknown",
            [*en[:4], "zzzz", *en[5:]],
            "words_unknown",
            {"word": "zzzz", "position": 5},
        ),
        (
            "spanish, word 10 unknown",
            [*es[:9], "qxyz", *es[10:]],
            "words_unknown",
            {"word": "qxyz", "position": 10},
        ),
        (
            "english with one spanish word",
            [*en[:23], foreign],
            "words_unknown",
            {"word": foreign, "position": 24},
        ),
        (
            "english, last word wrong",
            [*en[:-1], next_word("english", en[-1])],
            "words_checksum",
            {},
        ),
        ("spanish, first word wrong", [next_word("spanish", es[0]), *es[1:]], "words_checksum", {}),
        ("english, two words swapped", [en[1], en[0], *en[2:]], "words_checksum", {}),
        ("old, second word wrong", wrong_old, "words_checksum", {}),
        (
            "old, word 33 unknown",
            [*old[:32], "zzzz"],
            "words_unknown",
            {"word": "zzzz", "position": 33},
        ),
    ]
    return [{"name": n, "text": " ".join(w), "code": c, "detail": d} for n, w, c, d in cases]


def recovery_words_vectors() -> Json:
    keys = [bytes(32), b"\xff" * 32, b"\x7f" * 32, b"\x80" * 32]
    keys += [fixed(f"recovery words {i}") for i in range(1, 5)]
    bip39 = [
        {
            "key": key.hex(),
            "english": " ".join(bip39_words("english", key)),
            "spanish": " ".join(bip39_words("spanish", key)),
        }
        for key in keys
    ]
    legacy = [{"key": key.hex(), "words": " ".join(legacy_words(key))} for key in keys]
    return {
        "bip39": bip39,
        "legacy": legacy,
        "typed": [*typed_cases(keys[4]), twice_valid_spanish()],
        "refused": refused_cases(keys[5]),
    }


# --- certificates -------------------------------------------------------------------------


def _certificates() -> list[certificates.Certificate]:
    issued = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)
    return [
        certificates.Certificate(
            certificate_id=_uuid("certificate 1"),
            name="Carol Counselor",
            path_id="staff",
            path_title="Mend's counselors and facilitators",
            modules=(("realities", 1), ("receiving-disclosure", 2), ("trauma-basics", 1)),
            issued_at=issued,
            expires_at=datetime(2028, 11, 24, 17, 30, tzinfo=UTC),
        ),
        certificates.Certificate(
            certificate_id=_uuid("certificate 2"),
            name="María José Núñez-Ölçer 李",
            path_id="police",
            path_title="Policía y seguridad del campus",
            modules=(("m.01", 0), ("m_14", 4294967295)),
            issued_at=datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC),
            expires_at=datetime(2026, 2, 28, 23, 59, 59, tzinfo=UTC),
        ),
        certificates.Certificate(
            certificate_id=_uuid("certificate 3"),
            name="مهرناز علی\u200cپور",
            path_id="staff",
            path_title="Mend's counselors and facilitators",
            modules=(("realities", 1),),
            issued_at=issued,
            expires_at=datetime(2028, 11, 24, 17, 30, tzinfo=UTC),
        ),
    ]


#: Names and titles the one rule (certificates.text_problem) takes or refuses, and why.
CERTIFICATE_TEXTS = [
    "Carol Counselor",
    "María José Núñez-Ölçer 李",
    "مهرناز علی\u200cپور",
    "क्\u200dष",
    "",
    " Carol",
    "Carol ",
    "Carol\nCounselor",
    "Carol\u00a0Counselor",
    "Carol\u200bCounselor",
    "Carol\u2028Counselor",
    "Carol\u202eCounselor",
    "\u200cCarol",
    "Carol\u200d",
    "\u200c",
    "x" * 200,
    "x" * 201,
    "é" * 100,
    "é" * 101,
]


def _certificate_json(c: certificates.Certificate) -> Json:
    return {
        "certificate_id": str(c.certificate_id),
        "name": c.name,
        "path_id": c.path_id,
        "path_title": c.path_title,
        "modules": [list(m) for m in c.modules],
        "issued_at": certificates.format_time(c.issued_at),
        "expires_at": certificates.format_time(c.expires_at),
    }


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _forged_certificates(seed: bytes, good: certificates.Certificate) -> list[Json]:
    compact = certificates.sign_certificate(seed, good)
    raw = certificates._unb64(compact)
    body, signature = raw[:-64], raw[-64:]
    other = certificates.Certificate(**{**good.__dict__, "name": "Mallory Counselor"})
    later = certificates.Certificate(
        **{**good.__dict__, "expires_at": datetime(2099, 1, 1, tzinfo=UTC)}
    )
    other_key = certificates.sign_certificate(fixed("another signing seed"), good)
    last = "A" if compact[-1] != "A" else "B"
    return [
        {
            "why": "one character changed",
            "compact": compact[:40] + ("A" if compact[40] != "A" else "B") + compact[41:],
        },
        {
            "why": "other name, same signature",
            "compact": _b64url(certificates.payload(other) + signature),
        },
        {
            "why": "later expiry, same signature",
            "compact": _b64url(certificates.payload(later) + signature),
        },
        {"why": "signed by another key", "compact": other_key},
        {
            "why": "flipped signature bit",
            "compact": _b64url(body + bytes([signature[0] ^ 1]) + signature[1:]),
        },
        {"why": "last character changed", "compact": compact[:-1] + last},
        {"why": "padded", "compact": compact + "=" * (-len(compact) % 4 or 4)},
        {"why": "truncated", "compact": compact[:-8]},
        {
            "why": "standard alphabet",
            "compact": compact.replace("-", "+").replace("_", "/")
            if ("-" in compact or "_" in compact)
            else compact + "+",
        },
        {"why": "empty", "compact": ""},
        {"why": "spare bits set in the last character", "compact": "AB"},
    ]


def certificate_vectors() -> Json:
    seed = fixed("certificate signing seed")
    public = certificates.public_key_for(seed)
    good = [
        {
            **_certificate_json(c),
            "payload": certificates.payload(c).hex(),
            "compact": certificates.sign_certificate(seed, c),
        }
        for c in _certificates()
    ]
    revoked = [_uuid("certificate 2"), _uuid("revoked elsewhere")]
    published = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    listing = certificates.sign_revocations(seed, published, revoked)
    forged_list = json.loads(listing)
    forged_list["revoked"] = forged_list["revoked"][1:]
    return {
        "certificate_domain": labels.CERTIFICATE_DOMAIN,
        "revocations_domain": labels.REVOCATIONS_DOMAIN,
        "signing_seed": seed.hex(),
        "public_key": public.hex(),
        "certificates": good,
        "texts": [{"text": t, "problem": certificates.text_problem(t)} for t in CERTIFICATE_TEXTS],
        "forged": _forged_certificates(seed, _certificates()[0]),
        "revocations": {
            "json": listing,
            "message": certificates.revocations_message(published, revoked).hex(),
            "forged": json.dumps(forged_list, indent=1) + "\n",
        },
        "status": [
            {"certificate": 0, "now": "2027-06-01T00:00:00Z", "revoked": False, "status": "valid"},
            {"certificate": 0, "now": "2028-11-24T17:29:59Z", "revoked": False, "status": "valid"},
            {
                "certificate": 0,
                "now": "2028-11-24T17:30:00Z",
                "revoked": False,
                "status": "expired",
            },
            {"certificate": 1, "now": "2025-01-01T00:00:00Z", "revoked": True, "status": "revoked"},
            {"certificate": 1, "now": "2027-01-01T00:00:00Z", "revoked": True, "status": "revoked"},
        ],
    }


def build() -> dict[str, Json]:
    """Every vector file's content, by file name."""
    return {
        "labels.json": labels_vectors(),
        "hkdf.json": hkdf_vectors(),
        "group.json": group_vectors(),
        "argon2id.json": argon2_vectors(),
        "envelope.json": envelope_vectors(),
        "shamir.json": shamir_vectors(),
        "escrow.json": escrow_vectors(),
        "receipts.json": receipt_vectors(),
        "canonical.json": canonical_vectors(),
        "endorsement.json": endorsement_vectors(),
        "dialogue.json": dialogue_vectors(),
        "recovery_words.json": recovery_words_vectors(),
        "certificates.json": certificate_vectors(),
    }


def render(data: Json) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    for name, data in build().items():
        (HERE / name).write_text(render(data), encoding="utf-8")
        print(f"wrote tests/vectors/{name}")


if __name__ == "__main__":
    main()
