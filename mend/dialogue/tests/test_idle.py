"""A facilitator's staff pages sign her out after VAULT_IDLE_SECONDS without activity, as
the counselor workspace does: her case page shows, in her browser, what the parties wrote.
A supervisor, who opens nothing, keeps the staff session's own length. Personas: frank
(lead facilitator of alice's case), sophie (supervisor)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.conf import settings

from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import DialogueTestCase
from mend.test import NOW


class FacilitatorIdleClockTests(DialogueTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.PREPARATION)
        self.case_url = f"/dialogue/staff/{self.case.id}/"

    def test_her_pages_restart_the_idle_clock_and_a_supervisors_do_not(self) -> None:
        frank = self.sign_in(self.frank)
        for url in ("/dialogue/staff/", self.case_url):
            frank.get(url)
            self.assertEqual(frank.session.get_expiry_age(), settings.VAULT_IDLE_SECONDS, url)
        sophie = self.sign_in(self.sophie)
        self.assertEqual(sophie.get("/dialogue/supervision/").status_code, 200)
        self.assertEqual(sophie.session.get_expiry_age(), settings.SESSION_COOKIE_AGE)

    def test_her_case_page_runs_the_idle_clock_with_its_warning(self) -> None:
        r = self.sign_in(self.frank).get(self.case_url)
        self.assertContains(r, "js/lib/idle-page.js")
        self.assertContains(r, 'data-qa="idle-warning"')
        self.assertEqual(r.context["mend_config"]["idle_seconds"], settings.VAULT_IDLE_SECONDS)

    def test_her_warning_says_her_unsent_words_are_not_kept_and_alices_that_hers_are(
        self,
    ) -> None:
        # Drafts are locked with a vault key (lib/draft.js): staff have none to lock them with.
        staff = self.sign_in(self.frank).get(self.case_url)
        self.assertContains(staff, "is not kept: save or send it before you step away")
        self.assertNotContains(staff, "stay locked in this browser tab")
        hers = self.sign_in(self.alice).get(f"/dialogue/mine/{self.case.id}/")
        self.assertContains(hers, "stay locked in this browser tab")
        self.assertNotContains(hers, "is not kept")
        spanish = self.sign_in(self.frank).get(f"/es{self.case_url}")
        self.assertContains(spanish, "no se conserva: guárdalo o envíalo")

    def test_the_idle_clocks_ping_answers_her_and_keeps_her_signed_in(self) -> None:
        frank = self.sign_in(self.frank)
        alive = frank.get("/api/v1/accounts/alive")
        self.assertEqual(alive.status_code, 200)
        self.assertEqual(alive.json()["idle_seconds"], settings.VAULT_IDLE_SECONDS)
        self.assertEqual(self.sign_in(self.sophie).get("/api/v1/accounts/alive").status_code, 404)

    def test_after_the_idle_time_her_case_page_sends_her_to_the_staff_sign_in(self) -> None:
        frank = self.sign_in(self.frank)
        with time_machine.travel(NOW, tick=False):
            self.assertEqual(frank.get(self.case_url).status_code, 200)
        later = NOW + timedelta(seconds=settings.VAULT_IDLE_SECONDS + 1)
        with time_machine.travel(later, tick=False):
            r = frank.get(self.case_url)
        self.assertRedirects(
            r, f"/counselor/login/?next={self.case_url}", fetch_redirect_response=False
        )
