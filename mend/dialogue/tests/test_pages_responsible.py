"""The responsible person's pages: joining by code, his case, his account; 404 to the rest.

Personas beside helpers.py's: alice's case is led by frank with gail as co-facilitator and
ross as the responsible person; bob's case is led by hank with rick as its responsible
person. Nobody but ross opens ross's pages, staff included.
"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from mend.accounts.models import Role, User
from mend.audit.models import AuditLog
from mend.dialogue import actions
from mend.dialogue.models import Case, Item, Participant, PartyRole
from mend.dialogue.stages import Stage, Step
from mend.dialogue.tests.helpers import DialogueTestCase, ready_to_facilitate
from mend.test import NOW
from mend.vault.testing import Survivor

PASSPHRASE = "a long passphrase he chose himself"


class ResponsiblePagesTestCase(DialogueTestCase):
    hank: User
    rick: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.hank = User.objects.create_user("hank", password="hank-key", role=Role.FACILITATOR)
        ready_to_facilitate(cls.hank)
        cls.rick = User.objects.create_user("rick", password="rick-key", role=Role.RESPONSIBLE)

    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.FEASIBILITY)
        actions.do_assign_facilitator(self.sophie, self.case, self.gail, PartyRole.CO, NOW)
        self.ross_part = Participant.objects.create(
            case=self.case, user=self.ross, role=PartyRole.RESPONSIBLE, joined_at=NOW
        )
        self.other = self.bobs_case()

    def bobs_case(self) -> Case:
        """Bob's case, led by hank, with rick as its responsible person."""
        survivor = actions.do_open_case(self.bob, NOW)
        actions.do_give_consent(survivor, actions.CONSENT_VERSION, NOW)
        actions.do_assign_facilitator(self.sophie, survivor.case, self.hank, PartyRole.LEAD, NOW)
        Participant.objects.create(
            case=survivor.case, user=self.rick, role=PartyRole.RESPONSIBLE, joined_at=NOW
        )
        return survivor.case

    def url(self, case: Case | None = None) -> str:
        return f"/dialogue/responsible/{(case or self.case).id}/"

    def strangers(self) -> dict[str, User]:
        """Everyone signed in who is not ross: each must get 404 from his pages."""
        return {
            "survivor of the case": self.alice,
            "another survivor": self.bob,
            "responsible person of another case": self.rick,
            "lead": self.frank,
            "co-facilitator": self.gail,
            "facilitator of another case": self.hank,
            "supervisor": self.sophie,
            "counselor": self.carol,
            "editor": self.erin,
            "admin": self.adam,
        }


class CasePageAccessTests(ResponsiblePagesTestCase):
    def test_he_opens_his_case_page(self) -> None:
        r = self.sign_in(self.ross).get(self.url())
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'data-qa="quick-exit"')
        self.assertContains(r, f'"case_id": "{self.case.id}"')
        self.assertContains(r, "dialogue/responsible/case-page.js")

    def test_everyone_else_gets_404_staff_included(self) -> None:
        for who, user in self.strangers().items():
            with self.subTest(who):
                self.assertEqual(self.sign_in(user).get(self.url()).status_code, 404)

    def test_the_responsible_person_of_another_case_gets_404_for_his_own_url_too(self) -> None:
        self.assertEqual(self.sign_in(self.ross).get(self.url(self.other)).status_code, 404)

    def test_signed_out_people_are_asked_to_sign_in(self) -> None:
        r = Client().get(self.url())
        self.assertEqual(r.status_code, 302)
        self.assertEqual(r["Location"], f"/account/login/?next={self.url()}")

    def test_his_home_takes_him_to_his_case_and_answers_404_to_the_rest(self) -> None:
        r = self.sign_in(self.ross).get("/dialogue/responsible/")
        self.assertEqual((r.status_code, r["Location"]), (302, self.url()))
        for who, user in self.strangers().items():
            if user == self.rick:
                continue
            with self.subTest(who):
                r = self.sign_in(user).get("/dialogue/responsible/")
                self.assertEqual(r.status_code, 404)
        self.assertEqual(Client().get("/dialogue/responsible/").status_code, 302)

    def test_it_only_answers_get(self) -> None:
        self.assertEqual(self.sign_in(self.ross).post(self.url()).status_code, 405)

    def test_it_never_names_her_account(self) -> None:
        for path in (self.url(), "/es" + self.url()):
            body = self.sign_in(self.ross).get(path).content.decode()
            self.assertNotIn("alice", body)
            self.assertNotIn(str(self.part(self.case, PartyRole.SURVIVOR).id), body)


class CasePageContentTests(ResponsiblePagesTestCase):
    def test_at_the_feasibility_stage_he_is_asked_for_his_acknowledgment_with_guidance(
        self,
    ) -> None:
        r = self.sign_in(self.ross).get(self.url())
        self.assertContains(r, 'data-qa="ack-form"')
        self.assertContains(r, "What an acknowledgment is, and what it is not")
        self.assertContains(r, "It does not ask for forgiveness")
        self.assertNotContains(r, 'data-qa="write-form"')
        self.assertNotContains(r, 'data-qa="preparation"')

    def test_after_acceptance_he_reads_preparation_and_may_write_messages_and_letters(
        self,
    ) -> None:
        self.accept_acknowledgment()
        lead = self.part(self.case, PartyRole.LEAD)
        actions.do_step(lead, Step.ADVANCE, NOW)
        r = self.sign_in(self.ross).get(self.url())
        self.assertContains(r, 'data-qa="preparation"')
        self.assertContains(r, 'data-qa="write-form"')
        self.assertContains(r, "You will never learn whether they read it.")
        self.assertContains(r, 'data-qa="from-her"')
        self.assertNotContains(r, 'data-qa="ack-form"')

    def test_he_may_end_his_part_until_the_case_is_closed(self) -> None:
        self.assertContains(self.sign_in(self.ross).get(self.url()), 'data-qa="end-form"')
        actions.do_step(self.part(self.case, PartyRole.SURVIVOR), Step.END, NOW)
        self.assertNotContains(self.sign_in(self.ross).get(self.url()), 'data-qa="end-form"')

    def test_a_paused_case_offers_nothing_to_send(self) -> None:
        self.accept_acknowledgment()
        actions.do_step(self.part(self.case, PartyRole.LEAD), Step.ADVANCE, NOW)
        actions.do_step(self.part(self.case, PartyRole.SURVIVOR), Step.PAUSE, NOW)
        r = self.sign_in(self.ross).get(self.url())
        self.assertContains(r, 'data-qa="paused"')
        self.assertNotContains(r, 'data-qa="write-form"')

    def test_a_closed_case_shows_its_closure(self) -> None:
        actions.do_step(self.part(self.case, PartyRole.SURVIVOR), Step.END, NOW)
        r = self.sign_in(self.ross).get(self.url())
        self.assertContains(r, 'data-qa="closure"')
        self.assertContains(r, "ended it. That is always their choice")
        self.assertNotContains(r, 'data-qa="ack-form"')

    def test_once_closed_he_is_asked_the_anonymous_survey_until_he_answers_it(self) -> None:
        self.assertNotContains(self.sign_in(self.ross).get(self.url()), 'data-qa="feedback"')
        actions.do_step(self.part(self.case, PartyRole.SURVIVOR), Step.END, NOW)
        r = self.sign_in(self.ross).get(self.url())
        self.assertContains(r, 'data-qa="feedback"')
        self.assertContains(r, "I felt safe taking part.")
        self.assertContains(r, '"feedback_questions": ["felt_safe"')
        spanish = self.sign_in(self.ross).get("/es" + self.url())
        self.assertContains(spanish, "Me sentí seguro")
        answers = dict.fromkeys(actions.FEEDBACK_QUESTIONS, 3)
        actions.do_give_feedback(self.ross_part, answers, NOW.date())
        self.assertNotContains(self.sign_in(self.ross).get(self.url()), 'data-qa="feedback"')

    def test_it_reads_in_spanish(self) -> None:
        r = self.sign_in(self.ross).get("/es" + self.url())
        self.assertContains(r, 'lang="es"')
        self.assertContains(r, "Tu diálogo")
        self.assertContains(r, "Qué es un reconocimiento y qué no es")

    def accept_acknowledgment(self) -> None:
        self.register(self.ross_part, "ross")
        ack = self.submit(self.ross_part, "ross", "acknowledgment", "I did it; it harmed her.")
        self.approve(ack, self.part(self.case, PartyRole.SURVIVOR))
        actions.do_step(self.part(self.case, PartyRole.LEAD), Step.ADVANCE, NOW)
        self.assertTrue(Item.objects.get(id=ack.id).screening == "approved")


class CrisisLinesTests(ResponsiblePagesTestCase):
    def test_his_pages_give_the_lines_for_anyone_in_crisis_and_not_those_for_survivors(
        self,
    ) -> None:
        for client, url in ((self.sign_in(self.ross), self.url()), (Client(), "/dialogue/join/")):
            for language in ("", "/es"):
                with self.subTest(url, language=language):
                    r = client.get(f"{language}{url}")
                    self.assertContains(r, 'data-qa="hotlines"', count=1)
                    self.assertContains(r, 'href="tel:988"')
                    self.assertNotContains(r, 'href="tel:+18006564673"')  # RAINN: hers
        self.assertContains(Client().get("/es/dialogue/join/"), "988 Línea de Prevención")


class JoinPageTests(ResponsiblePagesTestCase):
    def test_anyone_signed_out_gets_the_join_form_in_english_and_spanish(self) -> None:
        r = Client().get("/dialogue/join/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'data-qa="join-form"')
        self.assertContains(r, 'data-qa="quick-exit"')
        self.assertContains(r, 'href="/dialogue/responsible/" data-qa="recovery-continue"')
        self.assertIn("'wasm-unsafe-eval'", r.headers["Content-Security-Policy"])
        self.assertContains(Client().get("/es/dialogue/join/"), "Código de invitación")

    def test_he_is_sent_on_to_his_case_when_already_signed_in(self) -> None:
        r = self.sign_in(self.ross).get("/dialogue/join/")
        self.assertEqual((r.status_code, r["Location"]), (302, "/dialogue/responsible/"))

    def test_every_other_signed_in_account_gets_404(self) -> None:
        for who, user in self.strangers().items():
            if user == self.rick:
                continue
            with self.subTest(who):
                self.assertEqual(self.sign_in(user).get("/dialogue/join/").status_code, 404)


class HisAccountTests(ResponsiblePagesTestCase):
    def login(self, user: User) -> Client:
        return self.sign_in(user)

    def test_signing_in_lands_him_on_his_case_and_her_on_her_records(self) -> None:
        r = self.login(self.ross).get("/account/home/")
        self.assertEqual((r.status_code, r["Location"]), (302, "/dialogue/responsible/"))
        r = self.login(self.alice).get("/account/home/")
        self.assertEqual((r.status_code, r["Location"]), (302, "/record/"))

    def test_his_passphrase_and_deletion_pages_speak_of_his_dialogue_not_records(self) -> None:
        client = self.login(self.ross)
        for path in ("/account/passphrase/", "/account/delete/"):
            with self.subTest(path):
                r = client.get(path)
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, 'href="/dialogue/responsible/"')
                self.assertNotContains(r, 'href="/record/"')
                self.assertContains(r, 'data-qa="idle-warning"')
                self.assertContains(r, '"username": "ross"')
        self.assertContains(client.get("/account/delete/"), "The dialogue you take part in ends")

    def test_the_idle_clock_runs_for_him(self) -> None:
        r = self.login(self.ross).get("/api/v1/accounts/alive")
        self.assertEqual(r.status_code, 200)

    def test_no_survivor_part_of_mend_opens_for_him(self) -> None:
        client = self.login(self.ross)
        for path in (
            "/record/",
            "/record/new/",
            "/record/export/",
            "/find-others/new/",
            "/counselor/",
            "/api/v1/vault/records",
            "/api/v1/escrow/entries",
            "/api/v1/escrow/config",
            f"/api/v1/dialogue/cases/{self.other.id}",
            "/api/v1/dialogue/supervision/cases",
        ):
            with self.subTest(path):
                self.assertEqual(client.get(path).status_code, 404)

    def test_his_nav_offers_no_record_and_no_find_others(self) -> None:
        r = self.login(self.ross).get(self.url())
        self.assertNotContains(r, 'data-qa="nav-keep-a-record"')
        self.assertNotContains(r, 'data-qa="nav-find-others"')


class HisAccountThroughTheApiTests(ResponsiblePagesTestCase):
    """His passphrase change and deletion are the survivor's, through the same API."""

    def joined(self) -> tuple[Client, Survivor, Participant]:
        tom = Survivor("tom", PASSPHRASE)
        self.ross_part.delete()  # one responsible person per case: tom takes ross's place
        answer = self.call(self.frank, "POST", f"/cases/{self.case.id}/invitation")
        self.assertEqual(answer.status_code, 201, answer.content)
        code = answer.json()["code"]
        client = Client()
        body = json.dumps({**tom.signup_body(), "code": code})
        r = client.post("/api/v1/dialogue/join", body, content_type="application/json")
        self.assertEqual(r.status_code, 201, r.content)
        client.defaults["HTTP_X_CSRFTOKEN"] = r.json()["csrf_token"]
        return client, tom, Participant.objects.get(user__username="tom")

    def post(self, client: Client, path: str, body: dict[str, Any]) -> Any:
        return client.post(path, json.dumps(body), content_type="application/json")

    def test_he_changes_his_passphrase(self) -> None:
        client, tom, _ = self.joined()
        r = self.post(
            client,
            "/api/v1/accounts/passphrase",
            tom.new_passphrase("another long passphrase of his"),
        )
        self.assertEqual(r.status_code, 200)

    def test_deleting_his_account_ends_his_case_first_and_takes_his_part_with_it(self) -> None:
        client, tom, part = self.joined()
        body = {"auth_key": tom.keys.auth_key.hex(), "confirm": True}
        r = self.post(client, "/api/v1/accounts/delete", body)
        self.assertEqual(r.status_code, 204)
        self.assertFalse(User.objects.filter(username="tom").exists())
        self.assertFalse(Participant.objects.filter(id=part.id).exists())
        self.case.refresh_from_db()
        self.assertEqual(
            (self.case.state, self.case.closure_reason), ("closed", "responsible_declined")
        )
        log = AuditLog.objects.get(action="dialogue.party.left")
        self.assertEqual((log.actor_id, log.object_id), (None, str(self.case.id)))
