"""The survivor's dialogue pages: hers alone (404 to everyone else, staff and his account
included; signed out are asked to log in), what each stage shows her, and the links to them."""

from __future__ import annotations

from django.test import Client

from mend.accounts.models import Role, User
from mend.dialogue import actions
from mend.dialogue.models import Case, PartyRole
from mend.dialogue.stages import Stage, Step, StopRule
from mend.dialogue.tests.helpers import DialogueTestCase, ready_to_facilitate
from mend.test import NOW


class SurvivorPagesTestCase(DialogueTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.PLAN)
        self.url = f"/dialogue/mine/{self.case.id}/"
        self.cora = User.objects.create_user("cora", password="x", role=Role.FACILITATOR)
        ready_to_facilitate(self.cora)
        actions.do_assign_facilitator(self.sophie, self.case, self.cora, PartyRole.CO, NOW)


class AccessTests(SurvivorPagesTestCase):
    def test_it_answers_404_to_everyone_but_her(self) -> None:
        rex = User.objects.create_user("rex", password="x", role=Role.RESPONSIBLE)
        actions.do_open_case(self.bob, NOW)  # bob's own case does not open alice's
        others = {
            "another survivor": self.mallory,
            "a survivor with a case of her own": self.bob,
            "the responsible person of this case": self.ross,
            "a responsible person of another case": rex,
            "the lead": self.frank,
            "the co-facilitator": self.cora,
            "a facilitator of another case": self.gail,
            "a supervisor": self.sophie,
            "a counselor": self.carol,
            "a directory editor": self.erin,
            "an admin": self.adam,
        }
        for who, user in others.items():
            client = self.sign_in(user)
            self.assertEqual(client.get(self.url).status_code, 404, who)
            self.assertEqual(client.get(f"/es{self.url}").status_code, 404, who)
            if user.role != Role.SURVIVOR:
                self.assertEqual(client.get("/dialogue/mine/").status_code, 404, who)

    def test_signed_out_she_is_asked_to_log_in_first(self) -> None:
        for url in (self.url, "/dialogue/mine/"):
            r = Client().get(url)
            self.assertEqual(r.status_code, 302)
            self.assertEqual(r["Location"], f"/account/login/?next={url}")

    def test_a_case_that_does_not_exist_is_404(self) -> None:
        r = self.sign_in(self.alice).get("/dialogue/mine/6b1f0c62-6f57-4b1c-8d3a-0f3e8c1d2e4f/")
        self.assertEqual(r.status_code, 404)

    def test_the_pages_answer_get_only(self) -> None:
        client = self.sign_in(self.alice)
        self.assertEqual(client.post(self.url).status_code, 405)
        self.assertEqual(client.post("/dialogue/mine/").status_code, 405)


class CasePageTests(SurvivorPagesTestCase):
    def test_it_shows_her_the_stage_the_team_and_the_plan_with_the_quick_exit(self) -> None:
        r = self.sign_in(self.alice).get(self.url)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'data-qa="quick-exit"')
        self.assertContains(r, "Stage 6 of 8: The accountability plan")
        self.assertContains(r, "frank (lead facilitator)")
        self.assertContains(r, "cora (co-facilitator)")
        self.assertContains(r, 'data-qa="plan-list"')
        self.assertContains(r, 'data-qa="compose"')
        self.assertContains(r, 'data-qa="pause"')
        self.assertNotContains(r, 'data-qa="consent-form"')
        self.assertNotContains(r, "ross")

    def test_it_asks_for_her_consent_at_stage_1_and_offers_to_withdraw_it_after(self) -> None:
        fresh = actions.do_open_case(self.bob, NOW)
        url = f"/dialogue/mine/{fresh.case_id}/"
        client = self.sign_in(self.bob)
        r = client.get(url)
        self.assertContains(r, 'data-qa="consent-form"')
        self.assertContains(r, "A facilitator is assigned after you give your consent.")
        self.assertNotContains(r, 'data-qa="compose"')
        actions.do_give_consent(fresh, actions.CONSENT_VERSION, NOW)
        r = client.get(url)
        self.assertNotContains(r, 'data-qa="consent-form"')
        self.assertContains(r, 'data-qa="consent-withdraw"')

    def test_a_pause_by_her_offers_resume_and_one_by_a_facilitator_does_not(self) -> None:
        survivor = self.part(self.case, PartyRole.SURVIVOR)
        actions.do_step(survivor, Step.PAUSE, NOW)
        r = self.sign_in(self.alice).get(self.url)
        self.assertContains(r, 'data-qa="resume"')
        self.assertNotContains(r, 'data-qa="compose"')
        actions.do_step(survivor, Step.RESUME, NOW)
        actions.do_record_stop(self.part(self.case, PartyRole.LEAD), StopRule.NEW_RISK, False, NOW)
        r = self.sign_in(self.alice).get(self.url)
        self.assertContains(r, "A facilitator paused the dialogue for safety.")
        self.assertNotContains(r, 'data-qa="resume"')
        self.assertContains(r, 'data-qa="end-confirm"')

    def test_after_the_end_she_sees_why_and_the_anonymous_survey_once(self) -> None:
        actions.do_step(self.part(self.case, PartyRole.SURVIVOR), Step.END, NOW)
        client = self.sign_in(self.alice)
        r = client.get(self.url)
        self.assertContains(r, "You ended it.")
        self.assertContains(r, 'data-qa="feedback"')
        self.assertNotContains(r, 'data-qa="controls"')
        answers = dict.fromkeys(actions.FEEDBACK_QUESTIONS, 4)
        actions.do_give_feedback(self.part(self.case, PartyRole.SURVIVOR), answers, NOW.date())
        self.assertNotContains(client.get(self.url), 'data-qa="feedback"')

    def test_it_reads_in_spanish(self) -> None:
        r = self.sign_in(self.alice).get(f"/es{self.url}")
        self.assertContains(r, 'lang="es"')
        self.assertContains(r, "Etapa 6 de 8: El plan de rendición de cuentas")

    def test_she_may_keep_a_copy_once_there_is_an_exchange_after_saying_she_understands(
        self,
    ) -> None:
        r = self.sign_in(self.alice).get(self.url)
        self.assertContains(r, 'data-qa="copy-form"')
        self.assertContains(r, "a copy can be asked for in court")
        self.assertContains(r, "your messages, the team's notes to you, the plan")
        self.assertContains(r, '"copy_title": "Your dialogue in Mend')
        spanish = self.sign_in(self.alice).get(f"/es{self.url}")
        self.assertContains(spanish, "Guardar una copia")
        self.assertContains(spanish, "tus mensajes, las notas del equipo para ti")
        self.assertContains(spanish, "Tu di\\u00e1logo en Mend")  # in the JSON of its words
        early = actions.do_open_case(self.alice, NOW).case  # at the request: nothing to copy
        page = self.sign_in(self.alice).get(f"/dialogue/mine/{early.id}/")
        self.assertNotContains(page, 'data-qa="copy-form"')

    def test_her_pages_give_the_national_help_lines_in_her_language(self) -> None:
        client = self.sign_in(self.alice)
        for url in (self.url, "/dialogue/mine/", "/dialogue/"):
            with self.subTest(url):
                r = client.get(url)
                self.assertContains(r, 'data-qa="hotlines"', count=1)
                self.assertContains(r, 'href="tel:+18006564673"')  # RAINN
                self.assertContains(r, "988 Suicide &amp; Crisis Lifeline")
                spanish = client.get(f"/es{url}")
                self.assertContains(spanish, "Línea Nacional de Agresión Sexual (RAINN)")


class ListAndLinksTests(SurvivorPagesTestCase):
    def test_her_list_shows_her_cases_only_and_the_button_to_ask(self) -> None:
        actions.do_open_case(self.bob, NOW)
        r = self.sign_in(self.alice).get("/dialogue/mine/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'data-qa="case-row"', count=1)
        self.assertContains(r, self.url)
        self.assertContains(r, 'data-qa="dialogue-request"')
        self.assertEqual(Case.objects.count(), 2, "showing the page starts nothing")

    def test_the_information_page_offers_her_to_ask_and_others_to_log_in(self) -> None:
        r = self.sign_in(self.mallory).get("/dialogue/")
        self.assertContains(r, 'data-qa="dialogue-ask"')
        r = Client().get("/dialogue/")
        self.assertContains(r, 'href="/account/login/?next=/dialogue/mine/"')
        r = self.sign_in(self.frank).get("/dialogue/")
        self.assertNotContains(r, 'data-qa="dialogue-ask"')
        self.assertNotContains(r, 'data-qa="dialogue-sign-in"')

    def test_her_account_bar_links_her_dialogues_once_she_has_one(self) -> None:
        self.assertContains(self.sign_in(self.alice).get("/record/"), 'data-qa="my-dialogues"')
        self.assertNotContains(self.sign_in(self.mallory).get("/record/"), 'data-qa="my-dialogues"')
