"""/api/v1/escrow/entries: submit, list, read, edit, withdraw; and who gets 404."""

from __future__ import annotations

import base64
import uuid
from typing import Any
from unittest import mock

from django.test import Client, override_settings

from mend.crypto import envelope
from mend.escrow import access, actions, testing
from mend.escrow.models import CounselorKey, Entry, EntryTag, SealedShare
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
        response = testing.post_json(
            alice.client, f"{testing.API}/entries/{entry['id']}", body, "put"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["version"], 2)
        self.assertEqual(alice.open_own(response.json())["what"], "changed")
        stale = testing.post_json(alice.client, f"{testing.API}/entries/{entry['id']}", body, "put")
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
            r = testing.post_json(alice.client, f"{testing.API}/entries/{entry['id']}", body, "put")
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
        response = testing.post_json(
            alice.client, f"{testing.API}/entries/{entry['id']}", body, "put"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(EntryTag.objects.filter(entry_id=entry["id"]).count(), 1)

    def test_it_withdraws_an_entry(self) -> None:
        alice, entry = self.submitted()
        response = alice.client.delete(f"{testing.API}/entries/{entry['id']}")
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
            self.assertEqual(client.delete(url).status_code, refused, name)
            body = {"version": 1, "ciphertext": entry["ciphertext"]}
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
