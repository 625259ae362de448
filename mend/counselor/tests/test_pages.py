"""The counselor workspace pages under /counselor/: sign-in, groups, decisions, threads."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import time_machine
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mend.audit.models import AuditLog
from mend.escrow import testing, trust
from mend.escrow.models import CounselorKey, GroupState, MatchGroup, Membership
from mend.escrow.tests.base import EscrowTestCase
from mend.test import NOW, login_with_otp

NAMES = ["email:someone@example.org"]


class CounselorPagesTests(EscrowTestCase):
    def matched(self) -> MatchGroup:
        for user in (self.alice, self.bob):
            with self.captureOnCommitCallbacks(execute=True):
                self.assertEqual(self.browser_for(user).submit(NAMES, {}).status_code, 201)
        return MatchGroup.objects.get()

    def code_for(self, user: object) -> str:
        device = TOTPDevice.objects.get_or_create(user=user, name="app", confirmed=True)[0]
        return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"

    def test_a_counselor_signs_in_with_her_passphrase_and_a_code(self) -> None:
        client = Client()
        form = {
            "username": "carol",
            "passphrase": "carol-passphrase",
            "otp_token": self.code_for(self.carol),
        }
        response = client.post("/counselor/login/", form)
        self.assertRedirects(response, "/counselor/", fetch_redirect_response=False)
        self.assertEqual(client.get("/counselor/").status_code, 200)

    def sign_in_with_next(self, next_path: str) -> str:
        """Where carol's sign-in sends her, the page having been opened with ``next``. Each
        sign-in a minute after the last: a one-time code is refused a second time."""
        self.signed_in_at = getattr(self, "signed_in_at", NOW) + timedelta(minutes=1)
        with time_machine.travel(self.signed_in_at, tick=False):
            form = {
                "username": "carol",
                "passphrase": "carol-passphrase",
                "otp_token": self.code_for(self.carol),
            }
            query = urlencode({"next": next_path})
            response = Client().post("/counselor/login/", form, QUERY_STRING=query)
        self.assertEqual(response.status_code, 302, next_path)
        return str(response.headers["Location"])

    def test_after_an_idle_time_out_the_sign_in_sends_her_back_to_the_page_she_was_on(
        self,
    ) -> None:
        self.assertEqual(self.sign_in_with_next("/dialogue/staff/"), "/dialogue/staff/")
        self.assertEqual(self.sign_in_with_next("/counselor/?a=1"), "/counselor/?a=1")

    def test_the_sign_in_never_sends_her_to_another_site(self) -> None:
        # What a browser reads as another site: "//", a scheme, a backslash, a tab, a newline.
        for evil in (
            "//evil.example/",
            "https://evil.example/",
            "/\\evil.example/",
            "/\tevil.example/",
            "/\t/evil.example/",
            "/\n/evil.example/",
            "javascript:alert(1)",
            "evil.example",
            "",
        ):
            self.assertEqual(self.sign_in_with_next(evil), "/counselor/", repr(evil))

    def test_the_sign_in_page_is_for_all_staff_in_english_and_spanish(self) -> None:
        # Facilitators and supervisors sign in here too: a "Counselor" title sent them away.
        english = Client().get("/counselor/login/")
        self.assertContains(english, "<title>Staff sign-in", status_code=200)
        self.assertContains(english, "<h1>Staff sign-in</h1>")
        spanish = Client().get("/es/counselor/login/")
        self.assertContains(spanish, "<h1>Acceso del personal</h1>", status_code=200)

    def test_sign_in_refuses_a_wrong_code_and_other_roles(self) -> None:
        client = Client()
        form = {"username": "carol", "passphrase": "carol-passphrase", "otp_token": "000000"}
        r = client.post("/counselor/login/", form)
        self.assertEqual(r.status_code, 400)
        # One message for every failure, and for every staff role that signs in here.
        self.assertContains(r, "These details do not match a staff account.", status_code=400)
        form = {
            "username": "erin",
            "passphrase": "erin-passphrase",
            "otp_token": self.code_for(self.erin),
        }
        self.assertEqual(client.post("/counselor/login/", form).status_code, 400)
        self.assertEqual(client.get("/counselor/").status_code, 302)

    # The limiter's windows are aligned to the clock: a real one could cross a window's
    # end between the 50 attempts and the last (it did, in CI at 20:15 UTC).
    @time_machine.travel(NOW, tick=False)
    def test_sign_in_is_limited_per_address_and_shares_counts_with_the_admin(self) -> None:
        client = Client(REMOTE_ADDR="2001:db8:5::1")
        for n in range(50):  # RATE_LIMIT_LOGIN_IP: 50 in 15 minutes, any usernames
            form = {"username": f"guess{n}", "passphrase": "x", "otp_token": "000000"}
            client.post("/counselor/login/" if n % 2 else "/staff/admin/login/", form)
        # Another address in the same /64, with carol's right passphrase and code.
        client = Client(REMOTE_ADDR="2001:db8:5::99")
        form = {
            "username": "carol",
            "passphrase": "carol-passphrase",
            "otp_token": self.code_for(self.carol),
        }
        response = client.post("/counselor/login/", form)
        self.assertContains(response, "Too many attempts", status_code=400)
        self.assertEqual(client.get("/counselor/").status_code, 302)

    def test_her_pages_sign_her_out_when_idle_and_offer_log_out(self) -> None:
        client = self.counselor_client()
        response = client.get("/counselor/")
        self.assertContains(response, 'data-qa="logout"')
        self.assertContains(response, 'data-qa="idle-warning"')
        self.assertContains(response, '"login": "/counselor/login/"')
        self.assertEqual(client.session.get_expiry_age(), settings.VAULT_IDLE_SECONDS)
        self.assertEqual(client.get("/api/v1/accounts/alive").status_code, 200)
        editor = Client()
        login_with_otp(editor, self.erin)
        self.assertEqual(editor.get("/api/v1/accounts/alive").status_code, 404)

    def test_the_workspace_lists_her_groups(self) -> None:
        group = self.matched()
        client = self.counselor_client()
        response = client.get("/counselor/")
        self.assertContains(response, f"/counselor/groups/{group.id}/")
        self.assertContains(response, 'data-qa="has-key"')
        # No survivor's links (records, passphrase): to her they would all be 404.
        self.assertNotContains(response, 'href="/record/"')
        response = client.get(f"/counselor/groups/{group.id}/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("'wasm-unsafe-eval'", response.headers["Content-Security-Policy"])

    def test_it_never_writes_her_own_fingerprint_only_the_form_to_see_it_in_her_browser(
        self,
    ) -> None:
        # A database writer could swap her public keys for his before she is vouched for:
        # a fingerprint the server writes would then be his, and she would read it aloud.
        dana = self.make_counselor("dana")
        testing.add_counselor_key(dana, endorsed_by=None)
        key = CounselorKey.objects.get(counselor=dana)
        for path in ("/counselor/", "/es/counselor/"):
            page = self.counselor_client(dana).get(path).content.decode()
            self.assertNotIn(trust.key_fingerprint(key), page)
            self.assertNotIn(trust.key_fingerprint(key).replace(" ", ""), page)
            self.assertIn('data-qa="key-waiting"', page)
            self.assertIn('data-qa="own-fingerprint"', page)
        self.assertContains(
            self.counselor_client(dana).get("/es/counselor/"), "Desbloquear mi clave"
        )
        # Her colleague's list is the server's, to compare with what she reads from her browser.
        carol_page = self.counselor_client().get("/counselor/").content.decode()
        self.assertIn(trust.key_fingerprint(key), carol_page)
        carol_key = CounselorKey.objects.get(counselor=self.carol)
        self.assertNotIn(trust.key_fingerprint(carol_key), carol_page)

    def test_she_records_a_decision_and_closes_the_group(self) -> None:
        group = self.matched()
        member = Membership.objects.get(group=group, survivor=self.alice)
        client = self.counselor_client()
        url = f"/counselor/groups/{group.id}/"
        response = client.post(
            f"{url}decision/", {"member": str(member.id), "decision": "more_time"}
        )
        self.assertRedirects(response, url)
        member.refresh_from_db()
        self.assertEqual(member.decision, "more_time")
        self.assertRedirects(client.post(f"{url}close/"), "/counselor/")
        group.refresh_from_db()
        self.assertEqual(group.state, GroupState.CLOSED)
        self.assertTrue(
            AuditLog.objects.filter(action="escrow.group.closed", actor=self.carol).exists()
        )

    def test_she_messages_a_survivor(self) -> None:
        group = self.matched()
        member = Membership.objects.get(group=group, survivor=self.bob)
        client = self.counselor_client()
        url = f"/counselor/groups/{group.id}/members/{member.id}/"
        self.assertRedirects(client.post(url, {"text": "Hello Bob"}), url)
        self.assertContains(client.get(url), "Hello Bob")

    def test_the_stranger_and_everyone_else_get_404(self) -> None:
        group = self.matched()
        member = Membership.objects.get(group=group, survivor=self.alice)
        base = f"/counselor/groups/{group.id}/"
        paths = [base, f"{base}members/{member.id}/"]
        dana = self.make_counselor("dana")
        clients = {"dana": self.counselor_client(dana)}
        for user in (self.mallory, self.alice, self.erin, self.frank, self.adam):
            clients[user.username] = Client()
            login_with_otp(clients[user.username], user)
        carol_without_code = Client()
        carol_without_code.force_login(self.carol)
        clients["carol without code"] = carol_without_code
        for name, client in clients.items():
            for path in paths:
                self.assertEqual(client.get(path).status_code, 404, (name, path))
            response = client.post(
                f"{base}decision/", {"member": str(member.id), "decision": "no_action"}
            )
            self.assertEqual(response.status_code, 404, name)
            self.assertEqual(client.post(f"{base}close/").status_code, 404, name)
        for name in ("mallory", "erin", "adam", "carol without code"):
            self.assertEqual(clients[name].get("/counselor/").status_code, 404, name)
        self.assertEqual(Client().get(base).status_code, 302)
        group.refresh_from_db()
        self.assertEqual(group.state, GroupState.OPEN)
        self.assertEqual(Membership.objects.get(id=member.id).decision, "undecided")
