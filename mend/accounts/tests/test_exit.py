"""The quick exit's beacon, POST /account/exit/: it signs out, and only from our pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from mend.audit.models import AuditLog
from mend.test import BaseTestCase

URL = "/account/exit/"
OURS = "http://testserver"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class QuickExitSessionTests(BaseTestCase):
    def test_it_signs_her_out_when_the_beacon_comes_from_our_page(self) -> None:
        client = self.client_class(enforce_csrf_checks=True)
        client.force_login(self.alice)
        audit_rows = AuditLog.objects.count()
        r = client.post(URL, headers={"Sec-Fetch-Site": "same-origin", "Origin": OURS})
        self.assertEqual(r.status_code, 204)
        self.assertNotIn("_auth_user_id", client.session)
        again = client.get("/find-others/new/")
        login = "/account/login/?next=/find-others/new/"
        self.assertRedirects(again, login, target_status_code=200)
        self.assertEqual(AuditLog.objects.count(), audit_rows)  # the exit leaves no record

    def test_it_accepts_our_origin_from_a_browser_without_fetch_metadata(self) -> None:
        client = self.client_class(enforce_csrf_checks=True)
        client.force_login(self.alice)
        r = client.post(URL, headers={"Origin": OURS})
        self.assertEqual(r.status_code, 204)
        self.assertNotIn("_auth_user_id", client.session)

    def test_it_refuses_another_site_and_keeps_the_session(self) -> None:
        attacks = [
            {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
            {"Sec-Fetch-Site": "same-site", "Origin": "http://other.testserver"},
            {"Sec-Fetch-Site": "none"},
            {"Sec-Fetch-Site": "cross-site", "Origin": OURS},  # a forged Origin loses
            {"Origin": "https://evil.example"},
            {"Origin": "null"},
            {},
        ]
        client = self.client_class(enforce_csrf_checks=True)
        client.force_login(self.alice)
        for headers in attacks:
            r = client.post(URL, headers=headers)
            self.assertEqual(r.status_code, 403, headers)
            self.assertEqual(client.session["_auth_user_id"], str(self.alice.pk), headers)

    def test_it_needs_a_post(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.get(URL, headers={"Sec-Fetch-Site": "same-origin"})
        self.assertEqual(r.status_code, 405)
        self.assertIn("_auth_user_id", self.client.session)

    def test_it_signs_staff_out_too(self) -> None:
        self.client.force_login(self.carol)
        r = self.client.post(URL, headers={"Sec-Fetch-Site": "same-origin"})
        self.assertEqual(r.status_code, 204)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_answers_a_visitor_who_is_not_signed_in(self) -> None:
        r = self.client.post(URL, headers={"Sec-Fetch-Site": "same-origin"})
        self.assertEqual(r.status_code, 204)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_every_page_names_it_on_the_exit_link(self) -> None:
        for path, exit_url in (("/", URL), ("/safety/", URL), ("/es/", "/es" + URL)):
            r = self.client.get(path)
            self.assertContains(r, f'data-exit-session="{exit_url}"')


class SecondsLeftTests(BaseTestCase):
    def test_the_alive_answer_says_how_long_the_server_keeps_the_session(self) -> None:
        self.client.force_login(self.alice)
        with self.settings(VAULT_IDLE_SECONDS=600):
            with time_machine.travel(NOW, tick=False):
                first = self.client.get("/api/v1/accounts/alive").json()
            self.assertEqual(first, {"idle_seconds": 600, "seconds_left": 600})
            # Within the minute the stored clock is not rewritten: less time is left.
            with time_machine.travel(NOW + timedelta(seconds=50), tick=False):
                soon = self.client.get("/api/v1/accounts/alive").json()
            self.assertEqual(soon["seconds_left"], 550)
            with time_machine.travel(NOW + timedelta(seconds=70), tick=False):
                later = self.client.get("/api/v1/accounts/alive").json()
            self.assertEqual(later["seconds_left"], 600)

    def test_the_page_tells_the_script_when_to_warn(self) -> None:
        self.client.force_login(self.alice)
        with (
            self.settings(VAULT_IDLE_SECONDS=600, VAULT_IDLE_WARNING_SECONDS=90),
            time_machine.travel(NOW, tick=False),
        ):
            r = self.client.get("/record/")
        config = r.context["mend_config"]
        self.assertEqual(config["idle_warning_seconds"], 90)
        self.assertEqual(config["session_seconds_left"], 600)
        self.assertContains(r, 'data-qa="idle-warning"')
