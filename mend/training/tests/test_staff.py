"""Mend's counselors and facilitators in Training: signed in with their staff account, they
name themselves for their certificate, take the checks of their role's path only, and are
certified as learners are; the staff rule (mend.certificates) then lets cases reach them.

The real curriculum (the staff paths are not among the fixtures). Personas: carol
(counselor), frank (facilitator), erin (editor), adam (admin), and sam, a dialogue
supervisor; Springfield Police's administrator olivia and its learner lena.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timedelta

import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mend.accounts.actions import do_set_staff_role
from mend.accounts.models import Role, User
from mend.certificates.access import RENEW_NOTICE, holds_current_staff
from mend.certificates.actions import do_revoke_certificate
from mend.certificates.models import Certificate
from mend.certificates.paths import COUNSELOR_PATH, FACILITATOR_PATH
from mend.escrow.access import counselor_standing, is_certified_counselor
from mend.test import NOW, BaseTestCase, login_with_otp, sign_in
from mend.training import actions, curriculum
from mend.training.models import Attempt, Completion, Membership, Organisation
from mend.training.schema import Curriculum
from mend.training.tests.base import make_learner
from mend.training.tests.helpers import answer_form

NAME_URL = reverse("training:name")


def staff_certification() -> str:
    out = io.StringIO()
    call_command("staff_certification", stdout=out)
    return out.getvalue()


def with_a_module_raised(path_id: str) -> Curriculum:
    """The curriculum with the first module of ``path_id`` at its next version (a material
    change, as when its content is revised)."""
    content = curriculum.current()
    first = content.modules[path_modules(path_id)[0]]
    modules = {**content.modules, first.id: replace(first, version=first.version + 1)}
    return replace(content, modules=modules)


def path_modules(path_id: str) -> list[str]:
    return list(curriculum.current().paths[path_id].modules)


def start_url(module_id: str) -> str:
    return reverse("training:start_check", args=[module_id])


@time_machine.travel(NOW, tick=False)
class StaffTrainingCase(BaseTestCase):
    springfield: Organisation
    olivia: User
    lena: User
    sam: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.springfield = Organisation.objects.create(name="Springfield Police", created_at=NOW)
        cls.olivia = make_learner("olivia", cls.springfield, admin=True)
        cls.lena = make_learner("lena", cls.springfield)
        cls.sam = User.objects.create_user(username="sam", role=Role.SUPERVISOR)

    def start(self, module_id: str, client: Client | None = None) -> Attempt:
        r = (client or self.client).post(start_url(module_id))
        self.assertEqual(r.status_code, 302)
        return Attempt.objects.get(pk=r.headers["Location"].rstrip("/").rsplit("/", 1)[-1])

    def pass_module(self, module_id: str) -> Attempt:
        """Start the module's check and answer every drawn question right, through the pages."""
        attempt = self.start(module_id)
        module = curriculum.current().modules[module_id]
        url = reverse("training:attempt", args=[attempt.id])
        self.assertRedirects(self.client.post(url, answer_form(module, attempt)), url)
        attempt.refresh_from_db()
        self.assertTrue(attempt.passed)
        return attempt

    def name_herself(self, user: User, name: str) -> None:
        """Signed in with her second factor, she saves the name for her certificate."""
        login_with_otp(self.client, user)
        self.assertEqual(self.client.post(NAME_URL, {"name": name}).status_code, 302)

    def certify_through_training(self, user: User, path_id: str) -> None:
        """Her path passed with the actions the pages call (quicker than the pages)."""
        actions.do_set_certificate_name(user, user.username.title(), NOW)
        user.refresh_from_db()
        content = curriculum.current()
        for module_id in path_modules(path_id):
            module = content.modules[module_id]
            attempt = actions.do_start_check(user, module, NOW)
            actions.do_submit_check(attempt, module, answer_form(module, attempt), NOW)


class StaffCertificationTests(StaffTrainingCase):
    def sign_in_at_the_staff_sign_in(self, user: User) -> None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
        form = {"username": user.username, "passphrase": f"{user.username}-passphrase"}
        r = self.client.post("/counselor/login/", {**form, "otp_token": code})
        self.assertEqual(r.status_code, 302)

    def test_a_counselor_names_herself_passes_her_path_and_is_certified_for_cases(self) -> None:
        self.assertIn("carol (counselor): never certified", staff_certification())
        self.assertFalse(is_certified_counselor(self.carol))
        self.sign_in_at_the_staff_sign_in(self.carol)
        # Her workspace tells her she has no certificate yet, and where to earn one.
        workspace = self.client.get("/counselor/")
        self.assertContains(workspace, "You do not hold a counselor certificate yet")
        path_url = reverse("training:path", args=[COUNSELOR_PATH])
        self.assertContains(workspace, f'href="{path_url}" data-qa="training-link"')

        r = self.client.get(reverse("training:home"))
        self.assertContains(r, 'data-qa="your-path"', count=1)
        self.assertContains(r, "Before your first check, choose the name to print")
        self.assertEqual(r.context["staff_path"].id, COUNSELOR_PATH)
        first = path_modules(COUNSELOR_PATH)[0]
        r = self.client.post(start_url(first))
        self.assertRedirects(r, f"{NAME_URL}?module={first}", fetch_redirect_response=False)
        self.assertFalse(Attempt.objects.filter(learner=self.carol).exists())

        r = self.client.post(f"{NAME_URL}?module={first}", {"name": "  Carol Rivera "})
        self.assertRedirects(r, reverse("training:module", args=[first]))
        membership = Membership.objects.get(user=self.carol)
        self.assertEqual((membership.organisation, membership.name), (None, "Carol Rivera"))

        for module_id in path_modules(COUNSELOR_PATH):
            self.pass_module(module_id)

        certificate = Certificate.objects.get(holder=self.carol, path_id=COUNSELOR_PATH)
        self.assertEqual((certificate.name, certificate.issued_at), ("Carol Rivera", NOW))
        self.assertTrue(Completion.objects.filter(learner=self.carol, path_id=COUNSELOR_PATH))
        self.assertTrue(holds_current_staff(self.carol, COUNSELOR_PATH, NOW))
        self.assertTrue(is_certified_counselor(self.carol))
        output = staff_certification()
        self.assertNotIn("carol", output)
        self.assertIn("frank (facilitator): never certified", output)
        r = self.client.get(reverse("training:path", args=[COUNSELOR_PATH]))
        self.assertContains(r, 'data-qa="path-complete"')
        self.assertNotContains(self.client.get("/counselor/"), 'data-qa="not-certified"')

    def test_a_facilitator_passes_her_path_and_is_certified_for_cases(self) -> None:
        self.name_herself(self.frank, "Frank Okafor")
        cases = self.client.get("/dialogue/staff/")
        self.assertContains(cases, "You do not hold a certificate of the facilitators")
        spanish = self.client.get("/es/dialogue/staff/")
        self.assertContains(spanish, "Haz el itinerario de facilitación en Formación")
        for module_id in path_modules(FACILITATOR_PATH):
            self.pass_module(module_id)
        certificate = Certificate.objects.get(holder=self.frank, path_id=FACILITATOR_PATH)
        self.assertEqual(certificate.name, "Frank Okafor")
        # As for a learner: the counselors' path (a subset of hers) is complete too.
        held = set(Certificate.objects.filter(holder=self.frank).values_list("path_id", flat=True))
        self.assertEqual(held, {FACILITATOR_PATH, COUNSELOR_PATH})
        self.assertTrue(holds_current_staff(self.frank, FACILITATOR_PATH, NOW))
        self.assertNotIn("frank", staff_certification())
        self.assertNotContains(self.client.get("/dialogue/staff/"), 'data-qa="not-certified"')

    def test_a_counselor_made_a_facilitator_keeps_her_certificate_but_the_rule_decides(
        self,
    ) -> None:
        self.certify_through_training(self.carol, COUNSELOR_PATH)
        do_set_staff_role("carol", Role.FACILITATOR)
        self.carol.refresh_from_db()
        self.assertTrue(Certificate.objects.filter(holder=self.carol, path_id=COUNSELOR_PATH))
        self.assertTrue(holds_current_staff(self.carol, COUNSELOR_PATH, NOW))
        self.assertFalse(holds_current_staff(self.carol, FACILITATOR_PATH, NOW))
        self.assertIn("carol (facilitator): never certified", staff_certification())
        # Her new role's path is hers now: she goes on with the modules it adds.
        login_with_otp(self.client, self.carol)
        added = [m for m in path_modules(FACILITATOR_PATH) if m not in path_modules(COUNSELOR_PATH)]
        for module_id in added:
            self.pass_module(module_id)
        self.assertTrue(holds_current_staff(self.carol, FACILITATOR_PATH, NOW))
        self.assertNotIn("carol", staff_certification())

    def test_a_counselor_made_a_supervisor_keeps_her_certificate_and_takes_no_check(self) -> None:
        self.certify_through_training(self.carol, COUNSELOR_PATH)
        do_set_staff_role("carol", Role.SUPERVISOR)
        self.carol.refresh_from_db()
        login_with_otp(self.client, self.carol)
        self.assertEqual(self.client.post(start_url("realities")).status_code, 404)
        self.assertEqual(self.client.get(NAME_URL).status_code, 404)
        attempt = Attempt.objects.filter(learner=self.carol).first()
        assert attempt is not None
        self.assertEqual(self.client.get(f"/training/checks/{attempt.id}/").status_code, 404)
        self.assertEqual(Certificate.objects.filter(holder=self.carol).count(), 1)
        self.assertNotIn("carol", staff_certification())  # not a role that takes cases


class CertificateNameTests(StaffTrainingCase):
    def test_it_keeps_the_name_she_chooses_and_lets_her_change_it(self) -> None:
        login_with_otp(self.client, self.carol)
        r = self.client.get(NAME_URL)
        self.assertContains(r, "The name to print on your certificate", status_code=200)
        self.assertIn("no-store", r.headers["Cache-Control"])
        r = self.client.post(NAME_URL, {"name": "Carol R."})
        self.assertRedirects(r, reverse("training:home"))
        r = self.client.get(reverse("training:home"))
        self.assertContains(r, "Signed in as Carol R. (Mend staff)")
        self.client.post(NAME_URL, {"name": "Carol Rivera"})
        self.assertEqual(Membership.objects.get(user=self.carol).name, "Carol Rivera")
        self.assertEqual(Membership.objects.filter(organisation=None).count(), 1)

    def test_it_refuses_an_empty_name_with_a_clear_message(self) -> None:
        login_with_otp(self.client, self.carol)
        r = self.client.post(NAME_URL, {"name": "   "})
        self.assertContains(r, "Write the name to print on your certificate.", status_code=400)
        self.assertFalse(Membership.objects.filter(user=self.carol).exists())

    def test_it_refuses_a_name_too_long_to_print(self) -> None:
        login_with_otp(self.client, self.frank)
        r = self.client.post(NAME_URL, {"name": "F" * 121})
        message = "Write a shorter name: a certificate prints at most 120 characters."
        self.assertContains(r, message, status_code=400)
        self.assertFalse(Membership.objects.filter(user=self.frank).exists())
        self.assertEqual(self.client.post(NAME_URL, {"name": "F" * 120}).status_code, 302)

    def test_it_asks_in_spanish(self) -> None:
        login_with_otp(self.client, self.frank)
        r = self.client.get("/es" + NAME_URL)
        self.assertContains(r, "El nombre que se imprimirá en tu certificado")
        r = self.client.post("/es" + NAME_URL, {"name": ""})
        self.assertContains(r, "Escribe el nombre", status_code=400)

    def test_it_answers_404_to_everyone_but_counselors_facilitators_and_learners(self) -> None:
        # Learners change their own name here (test_learner_names).
        outsiders: dict[str, User | None] = {
            "a visitor": None,
            "a survivor": self.alice,
            "a supervisor": self.sam,
            "an editor": self.erin,
            "the operator's admin": self.adam,
        }
        for who, persona in outsiders.items():
            with self.subTest(who):
                sign_in(self.client, persona)
                self.assertEqual(self.client.get(NAME_URL).status_code, 404)
                self.assertEqual(self.client.post(NAME_URL, {"name": "X"}).status_code, 404)
        # A counselor without her second factor in this session is no counselor yet.
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(NAME_URL).status_code, 404)
        self.assertEqual(Membership.objects.filter(organisation=None).count(), 0)


class StaffCheckTests(StaffTrainingCase):
    def test_it_marks_her_roles_path_as_hers(self) -> None:
        login_with_otp(self.client, self.frank)
        r = self.client.get(reverse("training:home"))
        self.assertContains(r, 'data-qa="staff-path"')
        self.assertNotContains(r, 'data-qa="join-link"')
        r = self.client.get(reverse("training:path", args=[FACILITATOR_PATH]))
        self.assertContains(r, 'data-qa="your-path"')
        r = self.client.get(reverse("training:path", args=[COUNSELOR_PATH]))
        self.assertNotContains(r, 'data-qa="your-path"')

    def test_a_counselor_cannot_take_the_facilitators_path_checks(self) -> None:
        self.name_herself(self.carol, "Carol Rivera")
        for module_id in ("restorative", "interviewing"):
            with self.subTest(module_id):
                self.assertNotIn(module_id, path_modules(COUNSELOR_PATH))
                r = self.client.get(reverse("training:module", args=[module_id]))
                self.assertContains(r, 'data-qa="not-your-path"')
                self.assertNotContains(r, 'data-qa="start-check"')
                self.assertEqual(self.client.post(start_url(module_id)).status_code, 404)
        r = self.client.get(reverse("training:module", args=["realities"]))
        self.assertContains(r, 'data-qa="start-check"')
        self.assertFalse(Attempt.objects.exists())

    def test_a_supervisor_an_editor_and_an_admin_get_no_check(self) -> None:
        for persona in (self.sam, self.erin, self.adam):
            with self.subTest(persona.username):
                login_with_otp(self.client, persona)
                r = self.client.get(reverse("training:module", args=["realities"]))
                self.assertNotContains(r, 'data-qa="start-check"')
                self.assertEqual(self.client.post(start_url("realities")).status_code, 404)
        self.assertFalse(Attempt.objects.exists())

    def test_a_staff_account_cannot_open_another_accounts_attempt(self) -> None:
        self.client.force_login(self.lena)
        lenas = self.start("restorative")
        self.name_herself(self.frank, "Frank Okafor")
        franks = self.start("realities")
        self.name_herself(self.carol, "Carol Rivera")
        for attempt in (lenas, franks):
            with self.subTest(attempt.learner.username):
                url = reverse("training:attempt", args=[attempt.id])
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, {}).status_code, 404)
                attempt.refresh_from_db()
                self.assertIsNone(attempt.submitted_at)

    def test_a_learner_cannot_open_a_staff_members_attempt(self) -> None:
        self.name_herself(self.carol, "Carol Rivera")
        carols = self.start("realities")
        for persona in (self.lena, self.olivia):
            with self.subTest(persona.username):
                self.client.force_login(persona)
                url = reverse("training:attempt", args=[carols.id])
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, {}).status_code, 404)
        carols.refresh_from_db()
        self.assertIsNone(carols.submitted_at)

    def test_a_facilitator_made_a_counselor_opens_no_check_of_the_facilitators_modules(
        self,
    ) -> None:
        self.name_herself(self.frank, "Frank Okafor")
        attempt = self.start("restorative")
        do_set_staff_role("frank", Role.COUNSELOR)
        login_with_otp(self.client, User.objects.get(username="frank"))
        url = reverse("training:attempt", args=[attempt.id])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(start_url("restorative")).status_code, 404)
        self.assertEqual(self.client.post(start_url("realities")).status_code, 302)

    def test_a_learner_still_takes_any_modules_check(self) -> None:
        self.client.force_login(self.lena)
        self.assertEqual(self.start("restorative").learner, self.lena)

    def test_an_organisation_admin_does_not_see_staff_progress(self) -> None:
        self.name_herself(self.carol, "Carol Rivera")
        self.pass_module("realities")
        self.client.force_login(self.olivia)
        r = self.client.get(reverse("training:dashboard", args=[self.springfield.id]))
        names = [row.membership.name for row in r.context["rows"]]
        self.assertEqual(names, ["Lena Example", "Olivia Example"])
        self.assertNotContains(r, "Carol Rivera")
        r = self.client.get(reverse("training:csv", args=[self.springfield.id]))
        self.assertNotIn("Carol", r.content.decode())
        self.assertNotIn("carol", r.content.decode())

    def test_it_keeps_a_counselors_or_facilitators_session_alive_while_she_trains(self) -> None:
        for staff in (self.carol, self.frank):
            login_with_otp(self.client, staff)
            self.client.get(reverse("training:home"))
            expiry = self.client.session.get_expiry_age()
            self.assertEqual(expiry, settings.VAULT_IDLE_SECONDS, staff.username)
        self.client.force_login(self.lena)  # a learner's session is left as it was
        self.client.get(reverse("training:home"))
        self.assertEqual(self.client.session.get_expiry_age(), settings.SESSION_COOKIE_AGE)

    def test_the_learners_sign_in_points_staff_to_the_staff_sign_in(self) -> None:
        r = self.client.get("/es" + reverse("training:login"))
        link = '<a href="/es/counselor/login/" data-qa="staff-sign-in-link">Acceso del personal</a>'
        self.assertContains(r, link, html=True)
        self.assertContains(r, "¿Eres una persona consejera o facilitadora de Mend?")


class RenewalTests(StaffTrainingCase):
    """A certificate lasts two years: she renews it by passing each module of her path
    again, from 60 days before it expires (RENEW_NOTICE) or after; old passes renew
    nothing, and a revoked certificate is never renewed by the person it was revoked from.
    Her workspace says until when she is certified, and when to renew."""

    def setUp(self) -> None:
        super().setUp()
        self.certify_through_training(self.carol, COUNSELOR_PATH)
        self.first = Certificate.objects.get(holder=self.carol, path_id=COUNSELOR_PATH)

    def pass_again(
        self, when: datetime, modules: list[str] | None = None, content: Curriculum | None = None
    ) -> None:
        content = content or curriculum.current()
        for module_id in modules or path_modules(COUNSELOR_PATH):
            module = content.modules[module_id]
            attempt = actions.do_start_check(self.carol, module, when)
            actions.do_submit_check(attempt, module, answer_form(module, attempt), when, content)

    def certificates(self) -> int:
        return Certificate.objects.filter(holder=self.carol, path_id=COUNSELOR_PATH).count()

    def test_an_expired_certificate_is_renewed_once_every_module_is_passed_again(self) -> None:
        later = self.first.expires_at + timedelta(days=10)
        with time_machine.travel(later, tick=False):
            self.assertFalse(is_certified_counselor(self.carol))
            actions.do_complete_paths(self.carol, later, curriculum.current())  # old passes
            self.assertEqual(self.certificates(), 1)
            *most, last = path_modules(COUNSELOR_PATH)
            self.pass_again(later, most)
            self.assertEqual(self.certificates(), 1)  # one module not passed again yet
            self.pass_again(later, [last])
            self.assertEqual(self.certificates(), 2)
            self.assertTrue(is_certified_counselor(self.carol))
            standing = counselor_standing(self.carol)
        renewed = Certificate.objects.exclude(id=self.first.id).get(holder=self.carol)
        self.assertEqual((renewed.name, renewed.issued_at), (self.first.name, later))
        self.assertEqual(standing.current_until, renewed.expires_at)

    def test_from_sixty_days_before_it_expires_she_is_told_and_may_renew(self) -> None:
        too_early = self.first.expires_at - RENEW_NOTICE - timedelta(days=1)
        with time_machine.travel(too_early, tick=False):
            home = self.workspace_home()
            self.pass_again(too_early)
        self.assertIn('data-qa="certified-until"', home)
        self.assertNotIn('data-qa="training-link"', home)
        self.assertEqual(self.certificates(), 1)
        soon = self.first.expires_at - RENEW_NOTICE + timedelta(days=1)
        with time_machine.travel(soon, tick=False):
            home = self.workspace_home()
            spanish = self.workspace_home("/es")
            path_page = self.client.get(reverse("training:path", args=[COUNSELOR_PATH]))
            self.pass_again(soon)
        self.assertIn("Renew it before then", home)
        self.assertIn(f'href="/training/paths/{COUNSELOR_PATH}/"', home)
        self.assertIn("Renuévalo antes", spanish)
        self.assertContains(path_page, 'data-qa="renew-how"')
        self.assertEqual(self.certificates(), 2)

    def test_a_revoked_certificate_is_not_renewed_by_passing_again(self) -> None:
        do_revoke_certificate(self.first.id, "Left the service.", NOW)
        later = NOW + timedelta(days=1)
        with time_machine.travel(later, tick=False):
            self.pass_again(later)
            home = self.workspace_home()
        self.assertEqual(self.certificates(), 1)
        self.assertFalse(is_certified_counselor(self.carol))
        self.assertIn("Your counselor certificate was revoked", home)
        self.assertNotIn('data-qa="training-link"', home)

    def test_a_revoked_certificate_is_not_earned_again_when_a_module_is_raised(self) -> None:
        # A raised module makes a new completion of the path: it must not undo a revocation.
        do_revoke_certificate(self.first.id, "Left the service.", NOW)
        raised = with_a_module_raised(COUNSELOR_PATH)
        later = NOW + timedelta(days=1)
        with time_machine.travel(later, tick=False):
            self.pass_again(later, content=raised)
        self.assertEqual(self.certificates(), 1)
        self.assertEqual(Completion.objects.filter(learner=self.carol).count(), 1)

    def test_once_the_operator_allows_a_retake_passes_after_it_earn_a_new_certificate(
        self,
    ) -> None:
        do_revoke_certificate(self.first.id, "Suspended for a term.", NOW)
        day = NOW + timedelta(days=1)
        with time_machine.travel(day, tick=False):
            self.pass_again(day)  # before the bar is lifted: earns nothing, and counts for nothing
            call_command(
                "allow_retake", str(self.first.id), "--reason", "Term served.", stdout=io.StringIO()
            )
            actions.do_complete_paths(self.carol, day, curriculum.current())
            self.assertEqual(self.certificates(), 1)
            home = self.workspace_home()
            path_page = self.client.get(reverse("training:path", args=[COUNSELOR_PATH])).content
            spanish = self.workspace_home("/es")
        self.assertIn("have allowed you to earn it again", home)
        self.assertIn(f'href="/training/paths/{COUNSELOR_PATH}/"', home)
        self.assertIn("te han permitido obtenerlo de nuevo", spanish)
        self.assertIn(b"allowed you to earn this certificate again", path_page)
        self.assertIn("allowed to earn it again", staff_certification())
        *most, last = path_modules(COUNSELOR_PATH)
        later = day + timedelta(days=1)
        with time_machine.travel(later, tick=False):
            self.pass_again(later, most)
            self.assertEqual(self.certificates(), 1)  # one module not passed since the lift
            self.pass_again(later, [last])
            self.assertTrue(is_certified_counselor(self.carol))
            home = self.workspace_home()
        self.assertEqual(self.certificates(), 2)
        self.first.refresh_from_db()
        self.assertIsNotNone(self.first.revoked_at)  # the old one stays revoked
        self.assertIn('data-qa="certified-until"', home)

    def workspace_home(self, prefix: str = "") -> str:
        login_with_otp(self.client, self.carol)
        response = self.client.get(f"{prefix}/counselor/")
        self.assertEqual(response.status_code, 200)
        return response.content.decode()
