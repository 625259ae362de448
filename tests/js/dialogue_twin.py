"""The Python twin of the dialogue crypto, driven by tests/js/dialogue_case.test.mjs.

Reads one JSON request on stdin and writes one JSON answer: "open" opens an item a browser
module sealed (mend.crypto.dialogue.open_item, as the server-side tests' personas read),
"seal" seals one as the Python personas do, so the node test can open it with case.js.
Bytes travel as base64 (item fields, as the API sends them) or hex (keys, as the vectors).
"""

from __future__ import annotations

import base64
import json
import sys
from typing import Any
from uuid import UUID

from mend.crypto import dialogue, envelope
from mend.crypto import endorsement as staff
from mend.crypto.errors import CryptoError


def ref_of(request: dict[str, Any]) -> dialogue.ItemRef:
    return dialogue.ItemRef(
        UUID(request["case_id"]),
        UUID(request["item_id"]),
        UUID(request["author_id"]),
        request["kind"],
        int(request["revision"]),
    )


def open_request(request: dict[str, Any]) -> dict[str, Any]:
    reader = UUID(request["reader_id"])
    item = dialogue.SealedItem(
        base64.b64decode(request["body"]),
        base64.b64decode(request["signature"]),
        base64.b64decode(request["commitment"]),
        {reader: base64.b64decode(request["sealed_key"])},
    )
    keypair = envelope.BoxKeyPair(
        bytes.fromhex(request["reader_public"]), bytes.fromhex(request["reader_secret"])
    )
    author_key = bytes.fromhex(request["author_signing_key"])
    try:
        plaintext = dialogue.open_item(ref_of(request), item, keypair, reader, author_key)
    except CryptoError as error:
        return {"ok": False, "error": str(error)}
    return {"ok": True, "plaintext": plaintext.decode("utf-8")}


def seal_request(request: dict[str, Any]) -> dict[str, Any]:
    """Seal as an author whose signing seed comes from her box secret key (the dialogue
    derivation, or the staff one for a facilitator whose case key is her staff key)."""
    secret = bytes.fromhex(request["author_secret"])
    derive = staff.signing_seed if request.get("staff") else dialogue.signing_seed
    readers = {UUID(k): bytes.fromhex(v) for k, v in request["readers"].items()}
    item = dialogue.seal_item(
        ref_of(request), request["plaintext"].encode("utf-8"), derive(secret), readers
    )

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return {
        "body": b64(item.body),
        "signature": b64(item.signature),
        "commitment": b64(item.commitment),
        "reader_keys": {str(k): b64(v) for k, v in item.reader_keys.items()},
    }


def main() -> None:
    request = json.load(sys.stdin)
    answer = open_request(request) if request["op"] == "open" else seal_request(request)
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
