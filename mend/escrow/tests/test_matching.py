"""The escrow protocol end to end, with Python playing both browsers (ARCHITECTURE 9)."""

from __future__ import annotations

import json

from django.test import override_settings

from mend.audit.models import AuditLog
from mend.crypto.canonical import canonicalise
from mend.escrow import testing
from mend.escrow.models import Entry, EntryTag, MatchGroup, Membership, Notice, SealedShare
from mend.escrow.tests.base import EscrowTestCase

ALICE_NAMES = [
    canonicalise("email", "  J.Doe@Example.COM "),
    canonicalise("phone", "+1 (415) 555-0134"),
]
BOB_NAMES = [
    canonicalise("social", "https://www.instagram.com/JDoe_42/"),
    canonicalise("phone", "415.555.0134"),
]
CANARY_A = "canary-alice-7f3a9c"
CANARY_B = "canary-bob-51e2d0"


class MatchingTests(EscrowTestCase):
    def submit(self, browser: testing.SurvivorBrowser, names: list[str], canary: str) -> str:
        with self.captureOnCommitCallbacks(execute=True):
            response = browser.submit(names, {"what": canary, "contact": f"{canary}-contact"})
        self.assertEqual(response.status_code, 201, response.content)
        return str(response.json()["id"])

    def test_it_matches_differently_written_identifiers_and_the_counselor_reads_both(self) -> None:
        alice, bob = self.browser_for(self.alice), self.browser_for(self.bob)
        alice_entry = self.submit(alice, ALICE_NAMES, CANARY_A)
        self.assertEqual(MatchGroup.objects.count(), 0)
        bob_entry = self.submit(
            bob, [*BOB_NAMES, canonicalise("email", "j.doe@example.com")], CANARY_B
        )

        group = MatchGroup.objects.get()
        self.assertEqual(group.counselor, self.carol)
        self.assertEqual(
            set(
                Membership.objects.filter(group=group).values_list("survivor__username", flat=True)
            ),
            {"alice", "bob"},
        )
        self.assertEqual(Notice.objects.filter(group=group, kind="match").count(), 2)
        self.assertEqual(Notice.objects.filter(user=self.carol, kind="assigned").count(), 1)
        self.assertTrue(
            AuditLog.objects.filter(action="escrow.match.formed", object_id=str(group.id)).exists()
        )

        opened = testing.open_group(self.open_as_counselor(group), self.carol_keys)
        self.assertEqual(opened.rejected_shares, [])
        self.assertEqual(opened.entries[alice_entry]["what"], CANARY_A)
        self.assertEqual(opened.entries[bob_entry]["contact"], f"{CANARY_B}-contact")
        secrets = [CANARY_A, CANARY_B, "j.doe", "jdoe_42", "4155550134", "example.com"]
        self.assertEqual(testing.database_rows_containing(secrets), [])

    def test_it_does_not_match_someone_who_names_a_different_person(self) -> None:
        self.submit(self.browser_for(self.alice), ALICE_NAMES, CANARY_A)
        self.submit(
            self.browser_for(self.mallory), [canonicalise("email", "other@example.org")], "m"
        )
        self.assertEqual(MatchGroup.objects.count(), 0)
        self.assertEqual(EntryTag.objects.exclude(group=None).count(), 0)

    def test_it_never_matches_a_survivor_with_herself(self) -> None:
        alice = self.browser_for(self.alice)
        for _ in range(3):
            self.submit(alice, ALICE_NAMES, CANARY_A)
        self.assertEqual(Entry.objects.filter(owner=self.alice).count(), 3)
        self.assertEqual(MatchGroup.objects.count(), 0)

    @override_settings(ESCROW_THRESHOLD=3)
    def test_it_needs_three_survivors_when_t_is_three(self) -> None:
        self.submit(self.browser_for(self.alice), ALICE_NAMES, CANARY_A)
        self.submit(self.browser_for(self.bob), BOB_NAMES, CANARY_B)
        self.assertEqual(MatchGroup.objects.count(), 0)
        self.submit(self.browser_for(self.mallory), [canonicalise("phone", "+14155550134")], "m3")
        group = MatchGroup.objects.get()
        self.assertEqual(group.members.count(), 3)
        opened = testing.open_group(self.open_as_counselor(group), self.carol_keys)
        self.assertEqual(len(opened.entries), 3)
        self.assertEqual(opened.rejected_shares, [])

    def test_it_names_a_forged_share_and_still_opens_the_others(self) -> None:
        alice_entry = self.submit(self.browser_for(self.alice), ALICE_NAMES, CANARY_A)
        bob_entry = self.submit(self.browser_for(self.bob), BOB_NAMES, CANARY_B)
        # mallory knows the identifier and sends a share that is not on the polynomial
        mallory = self.browser_for(self.mallory)
        mallory.load_config()
        body = mallory.build(BOB_NAMES[1:], {"what": "forged"})
        forged_id = body["id"]
        with self.captureOnCommitCallbacks(execute=True):
            response = testing.post_json(mallory.client, f"{testing.API}/entries", body)
        self.assertEqual(response.status_code, 201)
        share = SealedShare.objects.get(tag__entry_id=forged_id)
        share.sealed = self._forge(bytes(share.sealed), forged_id)
        share.save(update_fields=["sealed"])

        group = MatchGroup.objects.get()
        opened = testing.open_group(self.open_as_counselor(group), self.carol_keys)
        self.assertEqual(opened.rejected_shares, [forged_id])
        self.assertEqual(opened.entries[alice_entry]["what"], CANARY_A)
        self.assertEqual(opened.entries[bob_entry]["what"], CANARY_B)

    def _forge(self, sealed: bytes, entry_id: str) -> bytes:
        """Re-seal mallory's share with y changed: what a dishonest browser could send."""
        from mend.crypto import envelope, escrow, group, shamir

        payload = envelope.open_sealed(self.carol_keys, sealed, testing.share_context(entry_id))
        share, c = escrow.decode_share_payload(payload)
        bad = shamir.Share(share.x, group.scalar_add(share.y, group.scalar_from_int(1)))
        return envelope.seal(
            self.carol_keys.public_key,
            escrow.encode_share_payload(bad, c),
            testing.share_context(entry_id),
        )

    def test_it_names_a_share_that_does_not_open(self) -> None:
        self.submit(self.browser_for(self.alice), ALICE_NAMES, CANARY_A)
        self.submit(self.browser_for(self.bob), BOB_NAMES, CANARY_B)
        mallory_entry = self.submit(self.browser_for(self.mallory), ALICE_NAMES[:1], "m")
        share = SealedShare.objects.get(tag__entry_id=mallory_entry)
        share.sealed = bytes(share.sealed)[:-1] + bytes([bytes(share.sealed)[-1] ^ 1])
        share.save(update_fields=["sealed"])
        opened = testing.open_group(
            self.open_as_counselor(MatchGroup.objects.get()), self.carol_keys
        )
        self.assertEqual(opened.rejected_shares, [mallory_entry])
        self.assertEqual(len(opened.entries), 2)

    def test_it_lets_a_third_survivor_join_an_existing_group(self) -> None:
        self.submit(self.browser_for(self.alice), ALICE_NAMES, CANARY_A)
        self.submit(self.browser_for(self.bob), BOB_NAMES, CANARY_B)
        self.submit(self.browser_for(self.mallory), ALICE_NAMES[:1], "m")
        group = MatchGroup.objects.get()
        self.assertEqual(group.members.count(), 3)
        self.assertTrue(AuditLog.objects.filter(action="escrow.match.joined").exists())

    def test_an_identifier_added_by_an_edit_joins_the_group_her_entry_is_in(self) -> None:
        alice = self.browser_for(self.alice)
        alice_entry = self.submit(alice, ALICE_NAMES, CANARY_A)
        self.submit(self.browser_for(self.bob), BOB_NAMES, CANARY_B)  # matches her phone
        other = canonicalise("email", "jd@example.net")
        self.submit(self.browser_for(self.mallory), [other], "m")  # waits: nobody else yet
        group = MatchGroup.objects.get()
        # alice adds the address mallory named: the same person, so mallory joins her group
        body = alice.build([*ALICE_NAMES, other], {"what": CANARY_A}, entry_id=alice_entry)
        edit = {"version": 1, "ciphertext": body["ciphertext"], "tags": body["tags"]}
        with self.captureOnCommitCallbacks(execute=True):
            response = alice.edit(alice_entry, edit)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(MatchGroup.objects.get(), group)
        self.assertEqual(
            set(group.members.values_list("survivor__username", flat=True)),
            {"alice", "bob", "mallory"},
        )
        self.assertEqual(EntryTag.objects.filter(entry_id=alice_entry).count(), 3)
        self.assertEqual(EntryTag.objects.filter(group=group).count(), 4)  # phones, the address

    def test_naming_the_same_identifier_twice_in_one_entry_still_matches_once(self) -> None:
        self.submit(self.browser_for(self.alice), ALICE_NAMES[:1], CANARY_A)
        bob = self.browser_for(self.bob)
        bob.load_config()
        twice = [ALICE_NAMES[0], ALICE_NAMES[0]]  # a browser that does not drop the repeat
        body = bob.build(twice, {"what": CANARY_B}, outputs=bob.evaluate(twice))
        with self.captureOnCommitCallbacks(execute=True):
            response = testing.post_json(bob.client, f"{testing.API}/entries", body)
        self.assertEqual(response.status_code, 201, response.content)
        group = MatchGroup.objects.get()
        self.assertEqual(group.members.count(), 2)
        self.assertEqual(EntryTag.objects.filter(group=group).count(), 3)

    def test_withdrawing_before_a_match_leaves_only_an_audit_count(self) -> None:
        alice = self.browser_for(self.alice)
        entry_id = self.submit(alice, ALICE_NAMES, CANARY_A)
        pi = bytes(EntryTag.objects.filter(entry_id=entry_id).first().match_index)  # type: ignore[union-attr]
        response = alice.withdraw(entry_id)
        self.assertEqual(response.status_code, 204)
        self.assertFalse(Entry.objects.exists())
        self.assertFalse(EntryTag.objects.exists())
        self.assertFalse(SealedShare.objects.exists())
        self.assertEqual(
            testing.database_rows_containing([entry_id, entry_id.replace("-", "")]), []
        )
        self.assertFalse(EntryTag.objects.filter(match_index=pi).exists())
        withdrawn = AuditLog.objects.get(action="escrow.entry.withdrawn")
        self.assertIsNone(withdrawn.actor_id)
        self.assertEqual((withdrawn.object_type, withdrawn.object_id), ("", ""))
        self.assertEqual(withdrawn.at.time().isoformat(), "00:00:00")
        # and bob naming the same person later finds no one
        self.submit(self.browser_for(self.bob), BOB_NAMES, CANARY_B)
        self.assertEqual(MatchGroup.objects.count(), 0)

    def test_withdrawing_after_a_match_tells_the_counselor_and_keeps_the_others(self) -> None:
        alice = self.browser_for(self.alice)
        entry_id = self.submit(alice, ALICE_NAMES, CANARY_A)
        self.submit(self.browser_for(self.bob), BOB_NAMES, CANARY_B)
        group = MatchGroup.objects.get()
        response = alice.withdraw(entry_id)
        self.assertEqual(response.status_code, 204)
        self.assertEqual(
            Membership.objects.get(group=group, survivor=self.alice).decision, "withdrew"
        )
        self.assertTrue(Notice.objects.filter(user=self.carol, kind="member_left").exists())
        data = self.open_as_counselor(group)
        self.assertEqual([e["id"] for e in data["entries"]], [str(Entry.objects.get().id)])
        self.assertNotIn(entry_id, json.dumps(data))


class ProviderRuleTests(EscrowTestCase):
    """Email provider rules (docs/crypto.md): one mailbox matches, older entries still match."""

    def submit(
        self, browser: testing.SurvivorBrowser, kept: list[str], tagged: list[str] | None = None
    ) -> str:
        """An entry keeping `kept`; `tagged` plays a browser from before the provider rules,
        which tagged exactly the identifiers it kept."""
        browser.load_config()
        outputs = browser.evaluate(tagged) if tagged is not None else None
        body = browser.build(kept, {"what": "x"}, outputs=outputs)
        with self.captureOnCommitCallbacks(execute=True):
            response = testing.post_json(browser.client, f"{testing.API}/entries", body)
        self.assertEqual(response.status_code, 201, response.content)
        return str(response.json()["id"])

    def test_it_matches_two_spellings_of_one_gmail_mailbox(self) -> None:
        typed = canonicalise("email", "Tom.Smith+work@gmail.com", provider_rules=False)
        self.submit(self.browser_for(self.alice), [typed])
        self.assertEqual(MatchGroup.objects.count(), 0)
        self.submit(
            self.browser_for(self.bob),
            [canonicalise("email", "tomsmith@googlemail.com", provider_rules=False)],
        )
        group = MatchGroup.objects.get()
        self.assertEqual(
            set(group.members.values_list("survivor__username", flat=True)), {"alice", "bob"}
        )

    def test_it_tags_both_forms_when_provider_rules_change_an_address(self) -> None:
        typed = canonicalise("email", "tom.smith@gmail.com", provider_rules=False)
        entry_id = self.submit(self.browser_for(self.alice), [typed])
        self.assertEqual(EntryTag.objects.filter(entry_id=entry_id).count(), 2)
        plain = canonicalise("email", "jo@example.org", provider_rules=False)
        other = self.submit(self.browser_for(self.bob), [plain])
        self.assertEqual(EntryTag.objects.filter(entry_id=other).count(), 1)

    def test_an_entry_made_before_the_rules_matches_a_new_entry_written_the_same_way(
        self,
    ) -> None:
        typed = canonicalise("email", "tom.smith@gmail.com", provider_rules=False)
        old = self.submit(self.browser_for(self.alice), [typed], tagged=[typed])
        self.assertEqual(EntryTag.objects.filter(entry_id=old).count(), 1)
        self.submit(self.browser_for(self.bob), [typed])

        group = MatchGroup.objects.get()  # one group, though Bob's entry has two tags
        self.assertEqual(
            set(group.members.values_list("survivor__username", flat=True)), {"alice", "bob"}
        )
        opened = testing.open_group(self.open_as_counselor(group), self.carol_keys)
        self.assertEqual(opened.rejected_shares, [])
        self.assertEqual(len(opened.entries), 2)

    def test_one_survivor_naming_both_forms_never_matches_herself(self) -> None:
        alice = self.browser_for(self.alice)
        typed = canonicalise("email", "tom.smith@gmail.com", provider_rules=False)
        self.submit(alice, [typed], tagged=[typed])  # before the rules
        self.submit(alice, [typed])  # after: the same pi again, and the new form
        self.submit(alice, [canonicalise("email", "tomsmith@gmail.com", provider_rules=False)])
        self.assertEqual(EntryTag.objects.filter(owner=self.alice).count(), 4)
        self.assertEqual(MatchGroup.objects.count(), 0)

    def test_an_entry_made_before_the_rules_matches_other_spellings_once_saved_again(
        self,
    ) -> None:
        alice = self.browser_for(self.alice)
        typed = canonicalise("email", "tom.smith@gmail.com", provider_rules=False)
        old = self.submit(alice, [typed], tagged=[typed])
        self.submit(
            self.browser_for(self.bob),
            [canonicalise("email", "tomsmith@gmail.com", provider_rules=False)],
        )
        self.assertEqual(MatchGroup.objects.count(), 0)  # the old tag is the typed form only

        body = alice.build([typed], {"what": "x"}, entry_id=old)  # the edit page re-tags it
        self.assertEqual(alice.open_own({**body, "version": 1})["tagging"], testing.TAGGING)
        edit = {"version": 1, "ciphertext": body["ciphertext"], "tags": body["tags"]}
        with self.captureOnCommitCallbacks(execute=True):
            response = alice.edit(old, edit)
        self.assertEqual(response.status_code, 200, response.content)
        group = MatchGroup.objects.get()
        self.assertEqual(
            set(group.members.values_list("survivor__username", flat=True)), {"alice", "bob"}
        )
        self.assertEqual(EntryTag.objects.filter(entry_id=old).count(), 2)
