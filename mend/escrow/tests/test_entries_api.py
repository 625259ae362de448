"""/api/v1/escrow/entries: submit, list, read, edit, withdraw; and who gets 404."""

from __future__ import annotations

import base64
import uuid
from typing import Any
from unittest import mock

from django.test import Client, override_settings

from mend.crypto import envelope
from mend.escrow import access, actions, testing
from mend.escrow.models import CounselorKey, Entry, EntryTag, Membership, Notice, SealedShare
from mend.escrow.tests.base import EscrowTestCase
from mend.lib.wire import b64
from mend.test import login_with_otp

NAMES = ["email:someone@example.org", "phone:+14155550134"]


class EntriesTests(EscrowTestCase):
    def submitted(self) -> tuple[testing.SurvivorBrowser, dict[str, Any]]:
        alice = self.browser_for(self.alice)
        response = alice.submit(NAMES, {"what": "canary-entry", "contact": "by message"})
        self.assertEqual(response.status_code, 201, response.content)
        return alice, response.json()

    def test_it_stores_ciphertext_pi_and_sealed_shares_only(self) -> None:
        _, entry = self.submitted()
        self.assertEqual(entry["state"], "waiting")
        self.assertEqual(entry["identifiers"], 2)
        stored = Entry.objects.get(id=entry["id"])
        self.assertEqual(stored.owner, self.alice)
        self.assertEqual(stored.version, 1)
        self.assertEqual(EntryTag.objects.filter(entry=stored).count(), 2)
        self.assertEqual(SealedShare.objects.filter(tag__entry=stored).count(), 2)
        self.assertEqual(
            testing.database_rows_containing(["canary-entry", "someone@", "4155550134"]), []
        )

    def test_it_lists_and_opens_her_own_entries(self) -> None:
        alice, entry = self.submitted()
        listed = alice.client.get(f"{testing.API}/entries").json()
        self.assertEqual([e["id"] for e in listed], [entry["id"]])
        self.assertEqual(alice.open_own(listed[0])["what"], "canary-entry")

    def test_it_edits_the_entry_and_raises_the_version(self) -> None:
        alice, entry = self.submitted()
        key = envelope.unwrap_key(
            alice.vk,
            base64.b64decode(str(entry["owner_key"])),
            testing.owner_key_context(str(entry["id"])),
        )
        new = envelope.encrypt(
            key, b'{"what": "changed"}', testing.entry_context(str(entry["id"]), 2)
        )
        body = {"version": 1, "ciphertext": b64(new)}
        response = alice.edit(entry["id"], body)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["version"], 2)
        self.assertEqual(alice.open_own(response.json())["what"], "changed")
        stale = alice.edit(entry["id"], body)
        self.assertEqual(stale.status_code, 409)

    def test_an_edit_that_meets_a_withdrawal_from_another_tab_is_refused_with_409(
        self,
    ) -> None:
        # Loaded by the edit, then withdrawn by her other tab before the edit's lock: once a
        # 500 page (found by a review).
        alice, entry = self.submitted()
        real = access.get_entry_for_user

        def loaded_then_withdrawn(user: object, entry_id: uuid.UUID) -> Entry:
            loaded = real(user, entry_id)
            actions.do_withdraw_entry(real(user, entry_id))
            return loaded

        body = {"version": 1, "ciphertext": b64(bytes([envelope.VERSION]) + bytes(64))}
        with mock.patch("mend.escrow.api.get_entry_for_user", loaded_then_withdrawn):
            r = alice.edit(entry["id"], body)
        self.assertEqual(r.status_code, 409, r.content)
        self.assertEqual(
            r.json()["detail"], "this entry was withdrawn elsewhere; nothing was saved"
        )
        self.assertFalse(Entry.objects.filter(id=entry["id"]).exists())

    def test_it_replaces_waiting_identifiers_on_edit(self) -> None:
        alice, entry = self.submitted()
        new_body = alice.build(
            ["email:other@example.org"], {"what": "x"}, entry_id=str(entry["id"])
        )
        body = {"version": 1, "ciphertext": new_body["ciphertext"], "tags": new_body["tags"]}
        response = alice.edit(entry["id"], body)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(EntryTag.objects.filter(entry_id=entry["id"]).count(), 1)

    def test_it_withdraws_an_entry(self) -> None:
        alice, entry = self.submitted()
        response = alice.withdraw(entry["id"])
        self.assertEqual(response.status_code, 204)
        self.assertFalse(Entry.objects.exists())

    def test_it_refuses_shares_for_the_wrong_counselor_keys(self) -> None:
        alice = self.browser_for(self.alice)
        alice.load_config()
        testing.add_counselor_key(self.make_counselor("dana"))  # a key alice has not seen
        response = testing.post_json(alice.client, f"{testing.API}/entries", alice.build(NAMES, {}))
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "keys_changed")
        self.assertFalse(Entry.objects.exists())

    def test_it_refuses_entries_while_no_counselor_has_a_key(self) -> None:
        alice = self.browser_for(self.alice)
        alice.load_config()
        body = alice.build(NAMES, {})
        CounselorKey.objects.update(active=False)
        response = testing.post_json(alice.client, f"{testing.API}/entries", body)
        self.assertEqual(response.status_code, 503)

    def test_before_any_counselor_has_a_key_it_says_so_not_something_went_wrong(self) -> None:
        CounselorKey.objects.all().delete()
        alice = self.browser_for(self.alice)
        alice.load_config()
        body = alice.build(NAMES, {})
        self.assertTrue(all(tag["shares"] == [] for tag in body["tags"]))
        response = testing.post_json(alice.client, f"{testing.API}/entries", body)
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["code"], "not_open")
        self.assertFalse(Entry.objects.exists())

    def test_it_refuses_an_entry_id_that_exists(self) -> None:
        alice, entry = self.submitted()
        body = alice.build(NAMES, {}, entry_id=str(entry["id"]))
        self.assertEqual(
            testing.post_json(alice.client, f"{testing.API}/entries", body).status_code, 409
        )
        bob = self.browser_for(self.bob)
        bob.load_config()
        body = bob.build(NAMES, {}, entry_id=str(entry["id"]))
        self.assertEqual(
            testing.post_json(bob.client, f"{testing.API}/entries", body).status_code, 409
        )
        self.assertEqual(Entry.objects.get().owner, self.alice)

    def test_it_refuses_an_unverified_survivor(self) -> None:
        alice = self.browser_for(self.alice)
        alice.load_config()
        body = alice.build(NAMES, {})
        mallory = self.browser_for(self.mallory, verified=False)
        response = testing.post_json(
            mallory.client, f"{testing.API}/entries", {**body, "id": str(uuid.uuid4())}
        )
        self.assertEqual(response.status_code, 403)

    def test_it_refuses_a_ciphertext_that_is_not_an_envelope(self) -> None:
        alice = self.browser_for(self.alice)
        alice.load_config()
        body = {
            **alice.build(NAMES, {}),
            "ciphertext": b64(b"plain text, not encrypted at all!!!!!!!!!!"),
        }
        response = testing.post_json(alice.client, f"{testing.API}/entries", body)
        # Refused by the body's typed field (mend.lib.wire.Base64Of), naming it.
        self.assertEqual((response.status_code, response.json()["code"]), (422, "invalid"))
        self.assertIn("ciphertext", response.json()["detail"])
        self.assertFalse(Entry.objects.exists())

    def test_it_refuses_a_match_index_that_is_not_32_bytes(self) -> None:
        alice = self.browser_for(self.alice)
        alice.load_config()
        body = alice.build(NAMES, {})
        body["tags"][0]["match_index"] = b64(bytes(31))
        response = testing.post_json(alice.client, f"{testing.API}/entries", body)
        self.assertEqual(response.status_code, 422)
        self.assertIn("tags.0.match_index", response.json()["detail"])
        self.assertFalse(Entry.objects.exists())

    def test_it_refuses_a_field_it_does_not_know(self) -> None:
        alice = self.browser_for(self.alice)
        alice.load_config()
        body = {**alice.build(NAMES, {}), "perpetrator": "a name the server must never see"}
        response = testing.post_json(alice.client, f"{testing.API}/entries", body)
        self.assertEqual(response.status_code, 422)
        self.assertIn("perpetrator", response.json()["detail"])
        self.assertFalse(Entry.objects.exists())

    @override_settings(ESCROW_MAX_ENTRIES=1)
    def test_it_limits_the_number_of_entries(self) -> None:
        alice, _ = self.submitted()
        self.assertEqual(alice.submit(NAMES, {}).status_code, 409)

    def test_it_gives_404_to_everyone_but_the_owner(self) -> None:
        _, entry = self.submitted()
        url = f"{testing.API}/entries/{entry['id']}"
        mallory = self.browser_for(self.mallory)
        clients = {"mallory": mallory.client, "anonymous": Client()}
        for user in (self.carol, self.erin, self.frank, self.adam):
            clients[user.username] = Client()
            login_with_otp(clients[user.username], user)
        for name, client in clients.items():
            refused = 401 if name == "anonymous" else 404  # signed out: sign in again
            self.assertEqual(client.get(url).status_code, refused, name)
            # With the right proof for her own account: 404 comes before the passphrase.
            proof = {"auth_key": testing.AUTH_KEY.hex()}
            self.assertEqual(
                testing.post_json(client, url, proof, "delete").status_code, refused, name
            )
            body = {"version": 1, "ciphertext": entry["ciphertext"], **proof}
            put = testing.post_json(client, url, body, "put")
            self.assertEqual(put.status_code, refused, name)
        self.assertEqual(mallory.client.get(f"{testing.API}/entries").json(), [])
        self.assertEqual(Entry.objects.get().version, 1)

    def test_every_survivor_endpoint_gives_404_to_staff_and_401_to_the_signed_out(self) -> None:
        paths = ["config", "entries", "notices", "threads", f"threads/{uuid.uuid4()}/messages"]
        for user in (self.carol, self.erin, self.adam):
            client = Client()
            login_with_otp(client, user)
            for path in paths:
                self.assertEqual(client.get(f"{testing.API}/{path}").status_code, 404, (user, path))
        for path in paths:
            self.assertEqual(Client().get(f"{testing.API}/{path}").status_code, 401, path)


class WithdrawAndEditNeedHerPassphraseTests(EscrowTestCase):
    """An open session alone (a device left signed in, a copied cookie) can neither withdraw
    her entry, which takes her out of a match and tells her counselor, nor overwrite what
    she wrote: both take her passphrase again, as deleting a record does (found by review 5b;
    mend.accounts.api.require_passphrase_again)."""

    def matched(self) -> tuple[testing.SurvivorBrowser, str]:
        alice = self.browser_for(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            entry = alice.submit(NAMES, {"what": "what he did"}).json()
            self.browser_for(self.bob).submit(NAMES, {"what": "the same man"})
        self.assertEqual(Membership.objects.filter(survivor=self.alice).count(), 1)
        return alice, str(entry["id"])

    def assert_untouched(self, entry_id: str, ciphertext: bytes) -> None:
        stored = Entry.objects.get(id=entry_id, owner=self.alice)
        self.assertEqual((stored.version, bytes(stored.ciphertext)), (1, ciphertext))
        self.assertEqual(EntryTag.objects.filter(entry=stored).exclude(group=None).count(), 2)
        member = Membership.objects.get(survivor=self.alice)
        self.assertEqual((member.decision, member.decided_at), ("undecided", None))
        self.assertFalse(Notice.objects.filter(user=self.carol, kind="member_left").exists())

    def test_without_her_passphrase_her_matched_entry_is_not_withdrawn(self) -> None:
        alice, entry_id = self.matched()
        ciphertext = bytes(Entry.objects.get(id=entry_id).ciphertext)
        url = f"{testing.API}/entries/{entry_id}"
        self.assertEqual(alice.client.delete(url).status_code, 422)  # the session alone
        wrong = alice.withdraw(entry_id, auth_key=bytes(32))
        self.assertEqual((wrong.status_code, wrong.json()["code"]), (401, "wrong_passphrase"))
        self.assert_untouched(entry_id, ciphertext)

        self.assertEqual(alice.withdraw(entry_id).status_code, 204)
        self.assertFalse(Entry.objects.filter(id=entry_id).exists())
        self.assertEqual(Membership.objects.get(survivor=self.alice).decision, "withdrew")
        self.assertTrue(Notice.objects.filter(user=self.carol, kind="member_left").exists())

    def test_a_session_without_her_passphrase_cannot_overwrite_what_she_wrote(self) -> None:
        alice, entry_id = self.matched()
        ciphertext = bytes(Entry.objects.get(id=entry_id).ciphertext)
        noise = {"version": 1, "ciphertext": b64(bytes([envelope.VERSION]) + bytes(200))}
        url = f"{testing.API}/entries/{entry_id}"
        self.assertEqual(testing.post_json(alice.client, url, noise, "put").status_code, 422)
        wrong = alice.edit(entry_id, noise, auth_key=bytes(32))
        self.assertEqual((wrong.status_code, wrong.json()["code"]), (401, "wrong_passphrase"))
        self.assert_untouched(entry_id, ciphertext)

        stored = alice.client.get(url).json()
        key = envelope.unwrap_key(
            alice.vk, base64.b64decode(stored["owner_key"]), testing.owner_key_context(entry_id)
        )
        changed = b'{"what": "what he did, and more"}'
        new = envelope.encrypt(key, changed, testing.entry_context(entry_id, 2))
        saved = alice.edit(entry_id, {"version": 1, "ciphertext": b64(new)})
        self.assertEqual(saved.status_code, 200, saved.content)
        self.assertEqual(Entry.objects.get(id=entry_id).version, 2)
        self.assertEqual(alice.open_own(saved.json())["what"], "what he did, and more")

    def test_guessing_her_passphrase_is_counted_as_signing_in_is(self) -> None:
        alice, entry_id = self.matched()
        ciphertext = bytes(Entry.objects.get(id=entry_id).ciphertext)
        noise = {"version": 1, "ciphertext": b64(bytes([envelope.VERSION]) + bytes(200))}
        with self.settings(RATE_LIMIT_LOGIN_USERNAME=(3, 900)):
            codes = [
                alice.withdraw(entry_id, auth_key=bytes(32)).status_code,
                alice.edit(entry_id, noise, auth_key=bytes(32)).status_code,
                alice.withdraw(entry_id, auth_key=bytes(32)).status_code,
                alice.withdraw(entry_id).status_code,  # right, but over the limit
                alice.edit(entry_id, noise).status_code,
            ]
        self.assertEqual(codes, [401, 401, 401, 429, 429])
        self.assert_untouched(entry_id, ciphertext)
