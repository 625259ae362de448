"""The recovery-word vectors (tests/vectors/recovery_words.json) against the BIP-39 reference.

tests/js/vault_words.test.mjs reads the same file, so the browser's encoding (lib/words.js,
crypto/bip39.js) and Trezor's reference implementation agree word for word.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from mnemonic import Mnemonic

from mend.crypto.tests.vectors import h, project

VECTORS: dict[str, Any] = project("recovery_words.json")
LANGUAGES = ("english", "spanish")


def plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@pytest.mark.parametrize("vector", VECTORS["bip39"], ids=lambda v: v["key"][:8])
@pytest.mark.parametrize("language", LANGUAGES)
def test_it_writes_each_key_as_the_reference_does(vector: dict[str, str], language: str) -> None:
    words = vector[language]
    assert len(words.split(" ")) == 24
    assert Mnemonic(language).to_mnemonic(h(vector["key"])) == words
    assert bytes(Mnemonic(language).to_entropy(words)) == h(vector["key"])


@pytest.mark.parametrize("vector", VECTORS["refused"], ids=lambda v: v["name"])
def test_every_refused_bip39_key_is_refused_by_the_reference(vector: dict[str, Any]) -> None:
    words = vector["text"].split()
    if len(words) == 24 and vector["code"] != "words_count":
        assert not any(Mnemonic(language).check(vector["text"]) for language in LANGUAGES)


def test_the_checksum_cases_change_only_a_known_word() -> None:
    """A refused checksum must come from the checksum, not from an unknown word."""
    checksum = [v for v in VECTORS["refused"] if v["code"] == "words_checksum"]
    assert len(checksum) == 4
    bip39 = [v for v in checksum if len(v["text"].split()) == 24]
    for vector in bip39:
        words = vector["text"].split()
        assert any(all(w in Mnemonic(lang).wordlist for w in words) for lang in LANGUAGES)


def test_the_twice_valid_phrase_is_valid_in_both_lists() -> None:
    """The case where the list the words are whole in must win over four-letter starts."""
    (twice,) = [v for v in VECTORS["typed"] if "english_reading" in v]
    assert Mnemonic("spanish").to_entropy(twice["text"]) == h(twice["key"])
    assert Mnemonic("english").check(twice["english_reading"])
    assert Mnemonic("english").to_entropy(twice["english_reading"]) != h(twice["key"])
    english_starts = [w[:4] for w in twice["english_reading"].split(" ")]
    assert english_starts == [plain(w)[:4] for w in twice["text"].split(" ")]


def test_the_old_words_are_33_and_the_last_one_checks_the_key() -> None:
    for vector in VECTORS["legacy"]:
        assert len(vector["words"].split(" ")) == 33
    assert VECTORS["legacy"][0]["words"] == " ".join(["acorn"] * 33)  # CRC-8 of zeros is 0
