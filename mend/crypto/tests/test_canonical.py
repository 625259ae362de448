from __future__ import annotations

from typing import Any

import idna
import phonenumbers
import pytest

from mend.crypto import canonical
from mend.crypto.errors import InvalidIdentifier
from mend.crypto.tests.vectors import h, project

VECTORS = project("canonical.json")
OPTIONS = ("region", "platform")


def run(case: dict[str, Any]) -> str:
    options = {k: case[k] for k in OPTIONS if k in case}
    return canonical.canonicalise(case["kind"], case["input"], **options)


@pytest.mark.parametrize("case", VECTORS["valid"], ids=lambda c: c["input"])
def test_it_canonicalises_every_valid_vector(case: dict[str, Any]) -> None:
    assert run(case) == case["output"]


@pytest.mark.parametrize("case", VECTORS["invalid"], ids=lambda c: f"{c['code']}:{c['input'][:30]}")
def test_it_refuses_every_invalid_vector_saying_why(case: dict[str, Any]) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        run(case)
    assert caught.value.code == case["code"]
    assert len(str(caught.value)) > 10  # a sentence, not just a code


PHONES = [c for c in VECTORS["valid"] if c["kind"] == "phone"]
EMAILS = [c for c in VECTORS["valid"] if c["kind"] == "email"]


@pytest.mark.parametrize("case", PHONES, ids=lambda c: c["input"])
def test_it_agrees_with_libphonenumber_on_every_valid_phone(case: dict[str, Any]) -> None:
    number = phonenumbers.parse(case["input"], case.get("region", "US"))
    assert phonenumbers.is_valid_number(number)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    assert case["output"] == f"phone:{e164}"


@pytest.mark.parametrize("case", EMAILS, ids=lambda c: c["input"])
def test_it_agrees_with_uts46_idna_on_every_valid_domain(case: dict[str, Any]) -> None:
    domain = case["input"].strip(canonical.SPACES).split("@")[1].rstrip(".")
    expected = idna.encode(domain, uts46=True, transitional=False).decode()
    provider = canonical.EMAIL_PROVIDERS.get(expected)
    assert case["output"].split("@")[1] == (provider.domain if provider else expected)


@pytest.mark.parametrize("case", EMAILS, ids=lambda c: c["input"])
def test_it_gives_the_form_without_provider_rules(case: dict[str, Any]) -> None:
    typed = canonical.canonical_email(case["input"], provider_rules=False)
    assert typed == case["without_provider_rules"]


def test_the_vectors_carry_the_provider_table() -> None:
    table = {d: p._asdict() for d, p in canonical.EMAIL_PROVIDERS.items()}
    assert VECTORS["email_providers"] == table


@pytest.mark.parametrize("case", VECTORS["tag_identifiers"], ids=lambda c: c["identifier"])
def test_it_tags_both_forms_of_an_email_that_provider_rules_change(case: dict[str, Any]) -> None:
    assert canonical.tag_identifiers(case["identifier"]) == case["tags"]


def test_provider_rules_merge_one_mailbox_and_nothing_else() -> None:
    same = ["tom.smith@gmail.com", "TomSmith+x@googlemail.com", "t.omsmith@gmail.com"]
    assert {canonical.canonical_email(a) for a in same} == {"email:tomsmith@gmail.com"}
    apart = ["tom.smith@outlook.com", "tomsmith@outlook.com", "tom.smith@hotmail.com"]
    assert len({canonical.canonical_email(a) for a in apart}) == 3
    # Outside the table nothing is merged: an institution's dots and tags may be people.
    assert canonical.canonical_email("a.b+c@uni.example") == "email:a.b+c@uni.example"


def test_it_prefixes_the_oprf_input() -> None:
    [case] = VECTORS["oprf_input"]
    assert canonical.oprf_input(case["identifier"]) == h(case["bytes"])
    assert canonical.oprf_input("phone:+12024561111") == b"mend-escrow-v1|phone:+12024561111"
    for bad in VECTORS["oprf_input_invalid"]:
        with pytest.raises(InvalidIdentifier) as caught:
            canonical.oprf_input(bad["identifier"])
        assert caught.value.code == bad["code"]


def test_it_never_maps_two_platforms_to_one_identifier() -> None:
    outputs = {
        canonical.canonicalise("social", "samehandle", platform=p) for p in canonical.PLATFORMS
    }
    assert len(outputs) == len(canonical.PLATFORMS)


def test_a_provider_without_tags_only_drops_dots() -> None:
    rules = canonical.EmailProvider("mail.example", ignores_dots=True, tag_separator="")
    assert canonical.mailbox("a.b+c", "alias.example", rules) == ("ab+c", "mail.example")
    assert canonical.mailbox("a.b+c", "other.example", None) == ("a.b+c", "other.example")
