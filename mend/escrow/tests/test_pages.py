"""The survivor pages under /find-others/: who sees what, verification forms, withdrawing."""

from __future__ import annotations

import re
import uuid

from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from mend.escrow import testing, verification
from mend.escrow.models import (
    CounselorKey,
    Entry,
    EscrowAccount,
    InstitutionDomain,
    Membership,
    Notice,
)
from mend.escrow.tests.base import EscrowTestCase
from mend.escrow.tests.test_page_runtime import json_script
from mend.test import login_with_otp

NAMES = ["email:someone@example.org"]


class SurvivorPagesTests(EscrowTestCase):
    def entry_of(self, user: object) -> str:
        browser = self.browser_for(user)  # type: ignore[arg-type]
        with self.captureOnCommitCallbacks(execute=True):
            response = browser.submit(NAMES, {"what": "x"})
        self.assertEqual(response.status_code, 201)
        return str(response.json()["id"])

    def test_an_unverified_survivor_sees_how_to_verify(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get("/find-others/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-qa="invitation-form"')
        self.assertContains(response, 'data-qa="what-happens"')
        self.assertNoStore(response)
        self.assertEqual(self.client.get("/find-others/new/").status_code, 302)

    def test_it_verifies_with_an_invitation_from_the_page(self) -> None:
        [code] = verification.do_issue_invitations(self.adam, 1, 30)
        self.client.force_login(self.alice)
        response = self.client.post("/find-others/verify/invitation/", {"code": code})
        self.assertRedirects(response, "/find-others/")
        self.assertTrue(EscrowAccount.objects.filter(user=self.alice).exists())
        response = self.client.post("/find-others/verify/invitation/", {"code": "WRONG"})
        self.assertEqual(response.status_code, 409)

    def test_a_wrong_invitation_is_refused_with_400(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post("/find-others/verify/invitation/", {"code": "WRONG"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "This code is not valid", status_code=400)
        self.assertFalse(EscrowAccount.objects.exists())

    def test_it_verifies_with_an_address_code_from_the_page(self) -> None:
        InstitutionDomain.objects.create(domain="uni.example.edu", name="Example University")
        self.client.force_login(self.alice)
        response = self.client.post(
            "/find-others/verify/address/", {"address": "a@uni.example.edu"}
        )
        self.assertRedirects(response, "/find-others/")
        self.assertContains(self.client.get("/find-others/"), 'data-qa="code-form"')
        code = re.search(r"\b(\d{6})\b", str(mail.outbox[0].body))
        assert code is not None
        response = self.client.post("/find-others/verify/code/", {"code": code[1]})
        self.assertRedirects(response, "/find-others/")
        self.assertTrue(EscrowAccount.objects.filter(user=self.alice).exists())

    def test_a_verified_survivor_sees_her_entries_and_their_state(self) -> None:
        entry_id = self.entry_of(self.alice)
        self.client.force_login(self.alice)
        response = self.client.get("/find-others/")
        self.assertContains(response, f'data-entry-id="{entry_id}"')
        self.assertContains(response, "Waiting")
        self.entry_of(self.bob)
        response = self.client.get("/find-others/")
        self.assertContains(response, "Matched")
        self.assertContains(response, 'data-qa="notice-match"')

    def test_before_any_counselor_has_a_key_she_is_told_before_she_writes(self) -> None:
        testing.verify(self.alice)
        self.client.force_login(self.alice)
        self.assertContains(self.client.get("/find-others/"), 'data-qa="new-entry"')
        CounselorKey.objects.all().delete()
        response = self.client.get("/find-others/")
        self.assertContains(response, 'data-qa="not-open"')
        self.assertNotContains(response, 'data-qa="new-entry"')
        response = self.client.get("/find-others/new/")
        self.assertContains(response, '"open_for_entries": false')
        admin = Client()
        login_with_otp(admin, self.adam)
        response = admin.get("/staff/admin/")
        self.assertContains(response, 'data-qa="escrow-not-open"')
        self.assertContains(response, "create_staff NAME --role counselor")

    def test_the_admin_home_is_quiet_once_a_counselor_can_receive_entries(self) -> None:
        admin = Client()
        login_with_otp(admin, self.adam)
        response = admin.get("/staff/admin/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'data-qa="escrow-not-open"')

    def test_the_entry_pages_allow_webassembly_and_nothing_unsafe(self) -> None:
        entry_id = self.entry_of(self.alice)
        self.client.force_login(self.alice)
        # Her home too: its script opens her entries' summaries with libsodium.
        for path in ("/find-others/", "/find-others/new/", f"/find-others/entries/{entry_id}/"):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 200)
            policy = response.headers["Content-Security-Policy"]
            self.assertIn("'wasm-unsafe-eval'", policy)
            self.assertNotIn("'unsafe-eval'", policy)
            self.assertNotIn("'unsafe-inline'", policy)
        self.client.logout()  # the public explanation runs no WebAssembly
        policy = self.client.get("/find-others/").headers["Content-Security-Policy"]
        self.assertNotIn("wasm-unsafe-eval", policy)

    def test_the_withdraw_page_asks_her_passphrase_and_withdraws_nothing_itself(self) -> None:
        # Its script sends the proof of her passphrase to the API (review 5b: a session alone
        # withdrew her entry from this page's form); a POST here withdraws nothing.
        entry_id = self.entry_of(self.alice)
        self.entry_of(self.bob)
        self.client.force_login(self.alice)
        page = self.client.get(f"/find-others/entries/{entry_id}/withdraw/")
        self.assertContains(page, "This entry is part of a match")
        self.assertContains(page, '<div data-qa="withdraw-zone" hidden>')  # shown by its script
        self.assertContains(page, 'data-qa="withdraw-passphrase"')
        self.assertContains(page, "js/escrow/withdraw.js")
        self.assertContains(page, "Withdrawing needs JavaScript")
        self.assertIn("'wasm-unsafe-eval'", page.headers["Content-Security-Policy"])
        config = json_script(page, "mend-config")
        self.assertEqual((config["entry_id"], config["username"]), (entry_id, "alice"))
        posted = self.client.post(f"/find-others/entries/{entry_id}/withdraw/")
        self.assertEqual(posted.status_code, 405)
        self.assertTrue(Entry.objects.filter(id=entry_id).exists())
        self.assertEqual(Membership.objects.get(survivor=self.alice).decision, "undecided")
        self.assertFalse(Notice.objects.filter(kind="member_left").exists())

    def test_her_home_says_her_entry_was_withdrawn_when_the_page_sends_her_back(self) -> None:
        testing.verify(self.alice)
        self.client.force_login(self.alice)
        response = self.client.get("/find-others/?withdrawn=1")
        self.assertContains(response, 'data-qa="withdrawn"')
        self.assertContains(response, "Your entry is withdrawn and deleted.")
        self.assertNotContains(self.client.get("/find-others/"), 'data-qa="withdrawn"')

    def test_her_thread_page_says_what_her_counselor_recorded_about_her(self) -> None:
        self.entry_of(self.alice)
        self.entry_of(self.bob)
        member = Membership.objects.get(survivor=self.alice)
        self.client.force_login(self.alice)
        url = f"/find-others/messages/{member.id}/"
        response = self.client.get(url)
        self.assertContains(response, "Your counselor has not recorded what you want yet.")
        self.assertContains(response, "This match is open.")
        carol = self.counselor_client()
        decided = testing.post_json(
            carol,
            f"{testing.COUNSELOR_API}/groups/{member.group_id}/decisions",
            {"member_id": str(member.id), "decision": "act_alone"},
        )
        self.assertEqual(decided.status_code, 204, decided.content)
        closed = carol.post(f"{testing.COUNSELOR_API}/groups/{member.group_id}/close")
        self.assertEqual(closed.status_code, 204)
        member.refresh_from_db()
        assert member.decided_at is not None
        day = date_format(timezone.localtime(member.decided_at), "DATE_FORMAT")
        response = self.client.get(url)
        self.assertContains(
            response, f"On {day}: Your counselor recorded that you want to act alone."
        )
        self.assertContains(response, "Your counselor has closed this match.")
        with translation.override("es"):
            day = date_format(timezone.localtime(member.decided_at), "DATE_FORMAT")
        response = self.client.get(f"/es/find-others/messages/{member.id}/")
        self.assertContains(
            response, f"El {day}: Tu persona consejera anotó que quieres actuar por tu cuenta."
        )
        self.assertContains(response, "Tu persona consejera ha cerrado esta coincidencia.")

    def test_messages_page_sends_and_shows(self) -> None:
        self.entry_of(self.alice)
        self.entry_of(self.bob)
        membership = Membership.objects.get(survivor=self.alice)
        self.client.force_login(self.alice)
        url = f"/find-others/messages/{membership.id}/"
        self.assertRedirects(self.client.post(url, {"text": "hello there"}), url)
        self.assertContains(self.client.get(url), "hello there")
        self.assertEqual(self.client.post(url, {"text": ""}).status_code, 400)

    def test_the_stranger_gets_404_on_her_entry_and_thread(self) -> None:
        entry_id = self.entry_of(self.alice)
        self.entry_of(self.bob)
        thread = Membership.objects.get(survivor=self.alice).id
        paths = [
            f"/find-others/entries/{entry_id}/",
            f"/find-others/entries/{entry_id}/withdraw/",
            f"/find-others/messages/{thread}/",
            f"/find-others/entries/{uuid.uuid4()}/",
        ]
        testing.verify(self.mallory)
        self.client.force_login(self.mallory)
        for path in paths:
            self.assertEqual(self.client.get(path).status_code, 404, path)
        self.assertEqual(self.client.post(paths[2], {"text": "x"}).status_code, 404)
        self.assertEqual(self.client.post(paths[1]).status_code, 405)  # no page form withdraws
        self.assertTrue(Entry.objects.filter(id=entry_id).exists())

    def test_staff_get_404_on_every_survivor_page(self) -> None:
        entry_id = self.entry_of(self.alice)
        paths = [
            "/find-others/",
            "/find-others/new/",
            f"/find-others/entries/{entry_id}/",
            "/es/find-others/",
        ]
        for user in (self.carol, self.erin, self.frank, self.adam):
            client = Client()
            login_with_otp(client, user)
            for path in paths:
                self.assertEqual(client.get(path).status_code, 404, (user.username, path))
            self.assertEqual(
                client.post("/find-others/verify/invitation/", {"code": "x"}).status_code, 404
            )

    def test_signed_out_visitors_read_what_it_is_before_any_account(self) -> None:
        for path in ("/find-others/", "/find-others/about/"):
            with self.subTest(path):
                response = Client().get(path)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'data-qa="what-happens"')
                self.assertContains(response, 'href="/account/login/?next=/find-others/"')
        response = Client().get("/es/find-others/")
        self.assertContains(response, "Cómo funciona")
        self.assertContains(response, 'href="/es/account/login/?next=/es/find-others/"')

    def test_signed_out_visitors_are_asked_to_log_in_to_act(self) -> None:
        response = Client().get("/find-others/new/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/account/login/"))
