"""A learner changes the name printed on her certificates at /training/name/ (the page where
a counselor or facilitator chooses hers): her own membership's name and nothing else, her
organisation's dashboard and CSV show the new name, and a certificate already issued keeps
the name it was signed with. A refused post takes her to what to change (error summary).

Before: the page answered every learner 404, so a mistyped name, or one the certificate
signer refuses, could be changed only by an operator with a shell.

Personas (base.py, the fixture content): Springfield Police's administrator olivia and its
learners lena and liam; Shelbyville Hospital's administrator otto; the shared personas
(mend.test): alice (survivor), mallory (stranger), erin (editor), adam (admin).
"""

from __future__ import annotations

import csv
import io

import time_machine
from django.urls import reverse

from mend.accounts.models import Role, User
from mend.certificates.models import Certificate
from mend.test import NOW, sign_in
from mend.training import actions
from mend.training.models import Completion, Membership
from mend.training.tests.base import TrainingTestCase, fixture_content
from mend.training.tests.helpers import answer_form

CONTENT = fixture_content()
NAME_URL = reverse("training:name")
KEEPS_ISSUED = "A certificate already issued keeps the name it was issued with"


@time_machine.travel(NOW, tick=False)
class LearnerNameTests(TrainingTestCase):
    def pass_the_path(self, user: User) -> None:
        for module in CONTENT.ordered_modules():
            attempt = actions.do_start_check(user, module, NOW)
            actions.do_submit_check(attempt, module, answer_form(module, attempt), NOW, CONTENT)

    def names(self) -> dict[str, str]:
        return dict(Membership.objects.values_list("user__username", "name"))

    def test_it_lets_a_learner_change_her_name(self) -> None:
        self.client.force_login(self.lena)
        r = self.client.get(NAME_URL)
        self.assertContains(r, "The name to print on your certificate", status_code=200)
        self.assertContains(r, 'value="Lena Example"')
        self.assertContains(r, KEEPS_ISSUED)
        self.assertNotContains(r, "Your staff account has no name")
        self.assertIn("no-store", r.headers["Cache-Control"])
        r = self.client.post(NAME_URL, {"name": "  Lena   Márquez "})
        self.assertRedirects(r, reverse("training:home"))
        membership = Membership.objects.get(user=self.lena)
        self.assertEqual(membership.name, "Lena Márquez")
        self.assertEqual((membership.organisation, membership.is_admin), (self.springfield, False))
        self.assertEqual(membership.joined_at, NOW)
        r = self.client.get(reverse("training:home"))
        self.assertContains(r, "Signed in as Lena Márquez (Springfield Police)")

    def test_it_asks_her_in_spanish(self) -> None:
        self.client.force_login(self.lena)
        r = self.client.get("/es" + NAME_URL)
        self.assertContains(r, "El nombre que se imprimirá en tu certificado")
        self.assertContains(r, "Un certificado ya emitido conserva el nombre con el que se emitió")
        r = self.client.post("/es" + NAME_URL, {"name": ""})
        self.assertContains(r, "Revisa el nombre", status_code=400)
        self.assertEqual(Membership.objects.get(user=self.lena).name, "Lena Example")

    def test_her_organisations_dashboard_and_csv_show_the_new_name(self) -> None:
        self.client.force_login(self.lena)
        self.client.post(NAME_URL, {"name": "Lena Márquez"})
        self.client.force_login(self.olivia)
        r = self.client.get(reverse("training:dashboard", args=[self.springfield.id]))
        self.assertContains(r, "Lena Márquez")
        self.assertNotContains(r, "Lena Example")
        r = self.client.get(reverse("training:csv", args=[self.springfield.id]))
        rows = {row[1]: row for row in csv.reader(io.StringIO(r.content.decode()))}
        self.assertEqual(rows["lena"][0], "Lena Márquez")

    def test_it_is_linked_where_she_sees_her_name(self) -> None:
        self.client.force_login(self.lena)
        link = f'<a href="{NAME_URL}" data-qa="name-link">Change the name on your certificate</a>'
        for url in (
            reverse("training:home"),
            reverse("training:path", args=["first-responders"]),
            reverse("training:module", args=["listening"]),
        ):
            with self.subTest(url):
                self.assertContains(self.client.get(url), link, html=True)

    def test_an_issued_certificate_keeps_the_name_it_was_signed_with(self) -> None:
        self.pass_the_path(self.lena)
        issued = Certificate.objects.get(holder=self.lena)
        self.assertEqual(issued.name, "Lena Example")
        self.client.force_login(self.lena)
        r = self.client.post(NAME_URL, {"name": "Lena Márquez"})
        self.assertRedirects(r, reverse("training:home"))
        self.assertEqual(Membership.objects.get(user=self.lena).name, "Lena Márquez")
        certificate = Certificate.objects.get(holder=self.lena)  # still one: nothing reissued
        self.assertEqual(certificate.pk, issued.pk)
        self.assertEqual((certificate.name, certificate.compact), ("Lena Example", issued.compact))
        self.assertEqual(Completion.objects.filter(learner=self.lena).count(), 1)

    def test_it_changes_her_own_name_and_nobody_elses(self) -> None:
        before = self.names()
        # Her organisation's administrator: the page names no one else, whatever she posts.
        self.client.force_login(self.olivia)
        tampered = {
            "name": "Lena Changed",
            "user": str(self.lena.pk),
            "username": "lena",
            "organisation": str(self.shelbyville.id),
            "is_admin": "off",
        }
        r = self.client.post(f"{NAME_URL}?user={self.lena.pk}", tampered)
        self.assertRedirects(r, reverse("training:home"))
        # Another learner of the same organisation, asking to administer it.
        self.client.force_login(self.liam)
        r = self.client.post(NAME_URL, {**tampered, "name": "Liam Changed", "is_admin": "on"})
        self.assertRedirects(r, reverse("training:home"))
        self.assertEqual(
            self.names(),
            {**before, "olivia": "Lena Changed", "liam": "Liam Changed"},
        )
        self.assertEqual(self.names()["lena"], "Lena Example")
        olivia = Membership.objects.get(user=self.olivia)
        self.assertEqual((olivia.organisation, olivia.is_admin), (self.springfield, True))
        liam = Membership.objects.get(user=self.liam)
        self.assertEqual((liam.organisation, liam.is_admin), (self.springfield, False))
        self.assertEqual(Membership.objects.count(), len(before))

    def test_it_answers_404_to_everyone_without_a_training_account(self) -> None:
        # A learner account whose membership is gone (its organisation was removed): no
        # name of hers to change, and the page makes her none.
        orphan = User.objects.create_user(username="nora", password="x" * 20, role=Role.LEARNER)
        outsiders: dict[str, User | None] = {
            "a visitor": None,
            "a survivor": self.alice,
            "a stranger": self.mallory,
            "an editor": self.erin,
            "the operator's admin": self.adam,
            "a learner account without a membership": orphan,
        }
        before = self.names()
        for who, persona in outsiders.items():
            with self.subTest(who):
                sign_in(self.client, persona)
                self.assertEqual(self.client.get(NAME_URL).status_code, 404)
                self.assertEqual(self.client.post(NAME_URL, {"name": "X"}).status_code, 404)
        self.assertEqual(self.names(), before)
        self.client.force_login(self.lena)  # while a learner with her membership gets in
        self.assertEqual(self.client.get(NAME_URL).status_code, 200)

    def test_a_refused_post_shows_an_error_summary_that_takes_focus(self) -> None:
        self.client.force_login(self.lena)
        r = self.client.post(NAME_URL, {"name": "   "})
        self.assertEqual(r.status_code, 400)
        summary = (
            '<div class="error-summary" role="alert" aria-labelledby="error-summary-title"'
            ' tabindex="-1" autofocus data-qa="error-summary">'
            '<h2 id="error-summary-title">Please check the name</h2>'
            '<ul><li><a href="#id_name">Write the name to print on your certificate.</a></li>'
            "</ul></div>"
        )
        self.assertContains(r, summary, html=True, status_code=400)
        self.assertContains(r, "autofocus", count=1, status_code=400)  # one place takes focus
        self.assertContains(
            r, 'aria-invalid="true" aria-describedby="id_name_error" id="id_name"', status_code=400
        )
        self.assertContains(r, '<ul class="errorlist" id="id_name_error">', status_code=400)
        self.assertEqual(Membership.objects.get(user=self.lena).name, "Lena Example")

    def test_a_page_without_an_error_moves_no_focus(self) -> None:
        self.client.force_login(self.lena)
        r = self.client.get(NAME_URL)
        self.assertNotContains(r, 'data-qa="error-summary"')
        self.assertNotContains(r, "autofocus")
        self.assertNotContains(r, 'aria-invalid="true"')
