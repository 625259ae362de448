"""The organisation's dashboard, its invitation codes and its CSV: her learners only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from unittest import mock

import time_machine
from django.test import override_settings
from django.urls import reverse

from mend.accounts.models import User
from mend.test import NOW, sign_in
from mend.training import actions, certify
from mend.training.models import Attempt, Completion, Invitation, Membership
from mend.training.tests.base import TrainingTestCase, fixture_content, make_learner
from mend.training.tests.helpers import answer_form

CONTENT = fixture_content()


class DashboardCase(TrainingTestCase):
    """Helpers: a learner who passed every module, and the CSV as olivia downloads it."""

    def pass_all(self, user: User) -> None:
        for module in CONTENT.ordered_modules():
            attempt = actions.do_start_check(user, module, NOW)
            actions.do_submit_check(attempt, module, answer_form(module, attempt), NOW, CONTENT)

    def csv_rows(self) -> list[list[str]]:
        self.client.force_login(self.olivia)
        r = self.client.get(reverse("training:csv", args=[self.springfield.id]))
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.headers["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment", r.headers["Content-Disposition"])
        return list(csv.reader(io.StringIO(r.content.decode())))


@time_machine.travel(NOW, tick=False)
class DashboardTests(DashboardCase):
    def urls(self) -> list[tuple[str, str]]:
        org = self.springfield.id
        return [
            ("get", reverse("training:dashboard", args=[org])),
            ("get", reverse("training:csv", args=[org])),
            ("post", reverse("training:invite", args=[org])),
        ]

    def test_it_shows_her_learners_and_their_progress(self) -> None:
        self.pass_all(self.lena)
        self.client.force_login(self.olivia)
        r = self.client.get(reverse("training:dashboard", args=[self.springfield.id]))
        self.assertEqual(r.status_code, 200)
        names = [row.membership.name for row in r.context["rows"]]
        self.assertEqual(names, ["Lena Example", "Liam Example", "Olivia Example"])
        self.assertContains(r, "Completed")
        self.assertNotContains(r, "Otto Example")

    def test_it_answers_404_to_everyone_but_her_organisations_admins(self) -> None:
        outsiders = {
            "another organisation's administrator": self.otto,
            "her own learner": self.lena,
            "a survivor": self.alice,
            "a stranger": self.mallory,
            "a counselor": self.carol,
            "a facilitator": self.frank,
            "an editor": self.erin,
            "the operator's admin": self.adam,
        }
        for who, persona in outsiders.items():
            for method, url in self.urls():
                with self.subTest(who=who, url=url):
                    sign_in(self.client, persona)
                    r = getattr(self.client, method)(url, {"count": "3"})
                    self.assertEqual(r.status_code, 404)
        self.client.logout()
        for method, url in self.urls():
            with self.subTest(who="signed out", url=url):
                self.assertEqual(getattr(self.client, method)(url, {"count": "3"}).status_code, 404)
        self.assertEqual(Invitation.objects.count(), 0)

    def test_it_answers_404_for_an_organisation_that_does_not_exist(self) -> None:
        self.client.force_login(self.olivia)
        r = self.client.get("/training/organisation/00000000-0000-0000-0000-000000000000/")
        self.assertEqual(r.status_code, 404)

    def test_it_makes_invitation_codes_shown_once(self) -> None:
        self.client.force_login(self.olivia)
        r = self.client.post(reverse("training:invite", args=[self.springfield.id]), {"count": "3"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(len(r.context["codes"]), 3)
        stored = Invitation.objects.filter(organisation=self.springfield)
        self.assertEqual(stored.count(), 3)
        self.assertEqual({i.as_admin for i in stored}, {False})
        self.assertEqual({i.created_by for i in stored}, {self.olivia})
        for code in r.context["codes"]:
            self.assertFalse(Invitation.objects.filter(code_hash__contains=code).exists())

    def test_it_refuses_too_many_codes_at_once(self) -> None:
        self.client.force_login(self.olivia)
        url = reverse("training:invite", args=[self.springfield.id])
        self.assertEqual(self.client.post(url, {"count": "51"}).status_code, 400)
        self.assertEqual(self.client.post(url, {"count": "0"}).status_code, 400)
        self.assertEqual(Invitation.objects.count(), 0)

    @override_settings(TRAINING_MAX_WAITING_CODES=60)
    def test_it_keeps_few_enough_codes_waiting_and_says_how_many_more_fit(self) -> None:
        # Each code makes an account: 40 posts once made 2,000 (found by a review).
        self.client.force_login(self.olivia)
        url = reverse("training:invite", args=[self.springfield.id])
        self.assertEqual(self.client.post(url, {"count": "50"}).status_code, 200)
        r = self.client.post(url, {"count": "20"})
        self.assertContains(r, "ask for 10 codes at most now", status_code=409)
        self.assertContains(r, 'aria-invalid="true"', status_code=409)
        self.assertEqual(self.client.post(url, {"count": "10"}).status_code, 200)
        r = self.client.post("/es" + url, {"count": "1"})
        self.assertContains(r, "Tu organización tiene 60 códigos esperando", status_code=409)
        self.assertEqual(Invitation.objects.filter(organisation=self.springfield).count(), 60)
        # Used and expired codes make room again.
        Invitation.objects.filter(pk__in=Invitation.objects.values("pk")[:5]).update(used_at=NOW)
        self.assertEqual(self.client.post(url, {"count": "5"}).status_code, 200)
        Invitation.objects.filter(used_at=None).update(expires_at=NOW)
        self.assertEqual(self.client.post(url, {"count": "50"}).status_code, 200)

    def test_it_exports_her_learners_progress_as_csv(self) -> None:
        self.pass_all(self.lena)
        module = CONTENT.modules["listening"]
        attempt = actions.do_start_check(self.liam, module, NOW)
        actions.do_submit_check(attempt, module, answer_form(module, attempt), NOW, CONTENT)
        rows = self.csv_rows()
        self.assertEqual(rows[0][:4], ["name", "username", "administrator", "joined"])
        body = {row[1]: row for row in rows[1:]}
        self.assertEqual(set(body), {"lena", "liam", "olivia"})
        self.assertEqual(
            body["lena"],
            [
                "Lena Example",
                "lena",
                "no",
                "2026-11-24",
                "first-responders",
                "2",
                "2",
                "completed",
                "2026-11-24",
                "",
                "2028-11-24",
            ],
        )
        self.assertEqual(body["liam"][4:8], ["first-responders", "1", "2", "in_progress"])
        self.assertEqual(body["olivia"][2:], ["yes", "2026-11-24", "", "", "", "", "", "", ""])

    def test_it_marks_re_certification_due_in_the_csv(self) -> None:
        self.pass_all(self.lena)
        Completion.objects.filter(learner=self.lena).update(
            modules=[["listening", 1], ["referral", 0]]
        )
        status = {row[1]: row for row in self.csv_rows()[1:]}["lena"]
        self.assertEqual((status[7], status[9]), ("due", "changed"))

    def test_it_defuses_formulas_in_the_csv(self) -> None:
        evil = make_learner("eve", self.springfield)
        for start in ('=HYPERLINK("http://x.example","y")', "+1", "-1", "@SUM(A1)", "\tx"):
            Membership.objects.filter(user=evil).update(name=start)
            row = {r[1]: r for r in self.csv_rows()[1:]}["eve"]
            self.assertEqual(row[0], "'" + start)

    def test_it_counts_no_attempt_of_another_organisation(self) -> None:
        self.pass_all(self.otto)
        rows = self.csv_rows()
        self.assertNotIn("otto", [row[1] for row in rows])
        self.assertEqual(Attempt.objects.filter(learner=self.otto).count(), 2)


@time_machine.travel(NOW, tick=False)
class CertificateStateTests(DashboardCase):
    """What the dashboard says when mend.certificates reports a certificate's state."""

    def status_with(self, state: certify.CertificateState) -> list[str]:
        self.pass_all(self.lena)
        found = {self.lena.pk: {"first-responders": state}}
        with mock.patch("mend.training.certify.certificates_of", return_value=found):
            rows = {r[1]: r for r in self.csv_rows()[1:]}
        return rows["lena"][7:]

    def test_it_shows_a_current_certificate_and_its_expiry(self) -> None:
        state = certify.CertificateState("c1", NOW.replace(year=2028), revoked=False)
        self.assertEqual(self.status_with(state), ["completed", "2026-11-24", "", "2028-11-24"])

    def test_it_asks_for_re_certification_after_expiry(self) -> None:
        state = certify.CertificateState("c1", NOW - timedelta(days=1), revoked=False)
        self.assertEqual(self.status_with(state)[0::2], ["due", "expired"])

    def test_it_asks_for_re_certification_after_revocation(self) -> None:
        state = certify.CertificateState("c1", NOW + timedelta(days=700), revoked=True)
        self.assertEqual(self.status_with(state)[0::2], ["due", "revoked"])
