from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from mend.crypto import dialogue, envelope, labels
from mend.crypto.errors import DialogueError
from mend.crypto.tests.vectors import flip, h, project

VECTORS = project("dialogue.json")
PEOPLE = VECTORS["participants"]
ITEM = VECTORS["items"][0]


def ref_of(data: dict[str, Any]) -> dialogue.ItemRef:
    return dialogue.ItemRef(
        UUID(data["case_id"]),
        UUID(data["item_id"]),
        UUID(data["author_id"]),
        data["kind"],
        data["revision"],
    )


def item_of(data: dict[str, Any]) -> dialogue.SealedItem:
    return dialogue.SealedItem(
        h(data["body"]),
        h(data["signature"]),
        h(data["commitment"]),
        {UUID(k): h(v) for k, v in data["reader_keys"].items()},
    )


def keypair(name: str) -> envelope.BoxKeyPair:
    return envelope.BoxKeyPair(h(PEOPLE[name]["box_public_key"]), h(PEOPLE[name]["box_secret_key"]))


def person(name: str) -> UUID:
    return UUID(PEOPLE[name]["id"])


def signing_key(name: str) -> bytes:
    return h(PEOPLE[name]["signing_public_key"])


def test_it_pins_the_labels() -> None:
    assert VECTORS["item_domain"] == labels.DIALOGUE_ITEM_DOMAIN
    assert VECTORS["key_domain"] == labels.DIALOGUE_KEY_DOMAIN
    assert VECTORS["signing_seed_label"] == labels.DIALOGUE_SIGNING_SEED
    assert VECTORS["commitment_label"] == labels.DIALOGUE_KEY_COMMITMENT


@pytest.mark.parametrize("name", sorted(PEOPLE))
def test_it_derives_the_signing_key_from_the_box_secret_key(name: str) -> None:
    seed = dialogue.signing_seed(h(PEOPLE[name]["box_secret_key"]))
    assert seed.hex() == PEOPLE[name]["signing_seed"]
    assert dialogue.signing_public_key(seed).hex() == PEOPLE[name]["signing_public_key"]


def test_it_seals_the_item_byte_for_byte() -> None:
    ref = ref_of(ITEM["ref"])
    readers = {person("survivor"): keypair("survivor").public_key}
    readers[person("lead")] = keypair("lead").public_key
    item = dialogue.seal_item(
        ref,
        ITEM["plaintext"].encode(),
        h(PEOPLE["survivor"]["signing_seed"]),
        readers,
        content_key=h(ITEM["content_key"]),
        nonce=h(ITEM["nonce"]),
        ephemeral_seeds={UUID(k): h(v) for k, v in ITEM["ephemeral_seeds"].items()},
    )
    assert item == item_of(ITEM)
    assert dialogue.item_statement(ref, item.body, item.commitment).hex() == ITEM["statement"]


def test_the_facilitator_and_the_author_read_it_and_he_cannot_before_approval() -> None:
    ref, item = ref_of(ITEM["ref"]), item_of(ITEM)
    for name in ("survivor", "lead"):
        text = dialogue.open_item(ref, item, keypair(name), person(name), signing_key("survivor"))
        assert text.decode() == ITEM["plaintext"]
    with pytest.raises(DialogueError, match="not sealed to this reader"):
        dialogue.open_item(
            ref, item, keypair("responsible"), person("responsible"), signing_key("survivor")
        )


def test_approval_adds_exactly_the_recipients_sealed_key() -> None:
    ref, item = ref_of(ITEM["ref"]), item_of(ITEM)
    key = dialogue.open_content_key(ref, keypair("lead"), person("lead"), item)
    approval = ITEM["approval"]
    sealed = dialogue.wrap_for_reader(
        ref,
        key,
        person("responsible"),
        keypair("responsible").public_key,
        ephemeral_seed=h(approval["ephemeral_seed"]),
    )
    assert sealed.hex() == approval["sealed_key"]
    approved = dialogue.SealedItem(
        item.body, item.signature, item.commitment, {person("responsible"): sealed}
    )
    text = dialogue.open_item(
        ref, approved, keypair("responsible"), person("responsible"), signing_key("survivor")
    )
    assert text.decode() == ITEM["plaintext"]


@pytest.mark.parametrize("case", VECTORS["altered"], ids=lambda c: c["name"])
def test_the_reader_refuses_an_item_altered_on_the_server(case: dict[str, Any]) -> None:
    with pytest.raises(DialogueError):
        dialogue.open_item(
            ref_of(case["ref"]),
            item_of(case),
            keypair("lead"),
            person("lead"),
            signing_key("survivor"),
        )


def test_a_sealed_key_for_another_content_key_is_refused_by_its_commitment() -> None:
    ref, item = ref_of(ITEM["ref"]), item_of(ITEM)
    other = dialogue.wrap_for_reader(
        ref, bytes(32), person("lead"), keypair("lead").public_key
    )  # a facilitator who tries to pass another key off as the author's
    swapped = dialogue.SealedItem(
        item.body, item.signature, item.commitment, {person("lead"): other}
    )
    with pytest.raises(DialogueError, match="not the one the author signed"):
        dialogue.open_item(ref, swapped, keypair("lead"), person("lead"), signing_key("survivor"))


def test_a_sealed_key_moved_to_another_reader_does_not_open() -> None:
    ref, item = ref_of(ITEM["ref"]), item_of(ITEM)
    moved = dialogue.SealedItem(
        item.body,
        item.signature,
        item.commitment,
        {person("responsible"): flip(item.reader_keys[person("lead")], 60)},
    )
    with pytest.raises(DialogueError, match="does not open"):
        dialogue.open_content_key(ref, keypair("responsible"), person("responsible"), moved)


def test_a_body_that_does_not_decrypt_under_the_signed_key_is_refused() -> None:
    ref, item = ref_of(ITEM["ref"]), item_of(ITEM)
    key = h(ITEM["content_key"])
    wrong = envelope.encrypt(
        key,
        b"x",
        dialogue.ItemRef(ref.case_id, ref.item_id, ref.author_id, "message", 2).body_context(),
    )
    signed = dialogue.SealedItem(
        wrong,
        dialogue._sign(
            h(PEOPLE["survivor"]["signing_seed"]),
            dialogue.item_statement(ref, wrong, item.commitment),
        ),
        item.commitment,
        item.reader_keys,
    )
    with pytest.raises(DialogueError, match="does not decrypt"):
        dialogue.open_item(ref, signed, keypair("lead"), person("lead"), signing_key("survivor"))


@pytest.mark.parametrize("case", VECTORS["key_statements"])
def test_the_lead_facilitator_vouches_for_a_participants_keys(case: dict[str, Any]) -> None:
    args = (
        UUID(case["case_id"]),
        UUID(case["participant_id"]),
        case["role"],
        h(case["box_public_key"]),
        h(case["signing_public_key"]),
    )
    assert dialogue.key_statement(*args).hex() == case["statement"]
    signature = dialogue.sign_key_statement(h(case["signer_seed"]), *args)
    assert signature.hex() == case["signature"]
    dialogue.verify_key_statement(signature, signing_key("lead"), *args)
    with pytest.raises(DialogueError, match="key statement does not verify"):
        dialogue.verify_key_statement(signature, signing_key("survivor"), *args)
    with pytest.raises(DialogueError, match="key statement does not verify"):
        dialogue.verify_key_statement(signature[:63], signing_key("lead"), *args)


def test_it_refuses_malformed_references_and_keys_by_name() -> None:
    case, item_id, author = (UUID(int=n) for n in (1, 2, 3))
    with pytest.raises(DialogueError, match="unknown item kind"):
        dialogue.ItemRef(case, item_id, author, "gift", 1)
    with pytest.raises(DialogueError, match="revision"):
        dialogue.ItemRef(case, item_id, author, "message", 0)
    with pytest.raises(DialogueError, match="unknown role"):
        dialogue.key_statement(case, item_id, "judge", bytes(32), bytes(32))
    with pytest.raises(DialogueError, match="the secret key must be 32 bytes"):
        dialogue.signing_seed(bytes(31))
    with pytest.raises(DialogueError, match="the content key must be 32 bytes"):
        dialogue.key_commitment(bytes(33))
    ref = dialogue.ItemRef(case, item_id, author, "message", 1)
    with pytest.raises(DialogueError, match="the key commitment must be 32 bytes"):
        dialogue.item_statement(ref, b"", bytes(31))
    with pytest.raises(DialogueError, match="the signing public key must be 32 bytes"):
        dialogue.verify_item(ref, dialogue.SealedItem(b"", bytes(64), bytes(32)), bytes(31))


def test_a_fresh_item_gets_a_fresh_key_and_opens() -> None:
    ref = dialogue.ItemRef(UUID(int=1), UUID(int=2), person("responsible"), "letter", 1)
    item = dialogue.seal_item(
        ref,
        b"I am sorry.",
        h(PEOPLE["responsible"]["signing_seed"]),
        {person("lead"): keypair("lead").public_key},
    )
    text = dialogue.open_item(
        ref, item, keypair("lead"), person("lead"), signing_key("responsible")
    )
    assert text == b"I am sorry."
