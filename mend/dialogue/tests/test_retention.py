"""A closed case keeps its words DIALOGUE_CLOSED_KEEP_DAYS (90), then loses them; its
dates, stages, closure and consents stay. Every party's page and the team's say when.

alice ended her case at stage 5 after she and ross wrote to each other; frank leads it.
"""

from __future__ import annotations

import io
import os
from datetime import timedelta
from unittest import mock

import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import SimpleTestCase, TransactionTestCase, override_settings
from django.utils import formats, timezone, translation

from mend.accounts import actions as account_actions
from mend.accounts.models import Role, User
from mend.audit.models import AuditLog
from mend.certificates.testing import certify
from mend.dialogue import actions, retention
from mend.dialogue.models import Case, Consent, Invitation, Item, Participant, ReaderKey
from mend.dialogue.stages import Stage, Step
from mend.dialogue.tests.helpers import DialogueTestCase
from mend.escrow import testing as escrow_testing
from mend.lib.env import env_int
from mend.test import NOW, make_persona

KEPT = timedelta(days=90)


def shown(moment: object, language: str = "en") -> str:
    with translation.override(language):
        return str(formats.date_format(timezone.localtime(moment), "DATE_FORMAT"))  # type: ignore[arg-type]


class ExchangedCase(DialogueTestCase):
    """alice's case at stage 5, where ross has read a message of hers; `end` is her step."""

    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.EXCHANGE)
        mine = self.submit(self.part(self.case, "survivor"), "alice", "message", "From her.")
        self.approve(mine, self.part(self.case, "responsible"))

    def end(self) -> None:
        actions.do_step(self.part(self.case, "survivor"), Step.END, NOW)
        self.case.refresh_from_db()


class RetentionTests(ExchangedCase):
    def setUp(self) -> None:
        super().setUp()
        # An invitation made at stage 3, still stored (its code's keyed hash only).
        Invitation.objects.create(
            code_hash="0" * 64, case=self.case, created_at=NOW, expires_at=NOW + timedelta(days=14)
        )

    def test_a_closed_case_keeps_its_words_until_its_day_and_then_only_its_record(self) -> None:
        self.end()
        self.assertEqual(retention.do_forget_closed_cases(NOW + KEPT - timedelta(seconds=1)), 0)
        self.assertGreater(Item.objects.filter(case=self.case).count(), 1)
        self.assertTrue(ReaderKey.objects.filter(item__case=self.case).exists())
        self.assertEqual(retention.do_forget_closed_cases(NOW + KEPT), 1)
        self.assertFalse(Item.objects.filter(case=self.case).exists())
        self.assertFalse(ReaderKey.objects.exists())
        self.assertFalse(Invitation.objects.filter(case=self.case).exists())
        self.case.refresh_from_db()
        self.assertEqual(self.case.words_deleted_at, NOW + KEPT)
        self.assertEqual((self.case.closed_at, self.case.closure_reason), (NOW, "survivor_ended"))
        self.assertEqual(
            sorted(Participant.objects.filter(case=self.case).values_list("role", flat=True)),
            ["lead", "survivor"],
        )
        self.assertFalse(User.objects.filter(id=self.ross.id).exists())  # made for it only
        self.assertTrue(User.objects.filter(id=self.alice.id).exists())
        self.assertTrue(Consent.objects.filter(case=self.case).exists())
        audit = AuditLog.objects.get(action="dialogue.case.words_deleted")
        self.assertEqual((audit.actor_id, audit.object_id), (None, str(self.case.id)))
        self.assertEqual(retention.do_forget_closed_cases(NOW + KEPT * 2), 0)  # once only
        self.assertEqual(AuditLog.objects.filter(action="dialogue.case.words_deleted").count(), 1)

    def test_an_open_case_keeps_its_words_however_long_it_lasts(self) -> None:
        self.assertEqual(retention.do_forget_closed_cases(NOW + timedelta(days=3650)), 0)
        self.assertGreater(Item.objects.filter(case=self.case).count(), 1)
        self.assertTrue(User.objects.filter(id=self.ross.id).exists())
        self.assertIsNone(Case.objects.get(id=self.case.id).words_deleted_at)

    def test_an_operator_may_keep_them_for_less_time(self) -> None:
        self.end()
        with override_settings(DIALOGUE_CLOSED_KEEP_DAYS=30):
            self.assertEqual(retention.do_forget_closed_cases(NOW + timedelta(days=30)), 1)
        self.assertFalse(Item.objects.filter(case=self.case).exists())

    def test_her_page_tells_her_the_day_they_go_and_to_keep_a_copy_before_it(self) -> None:
        self.end()
        url = f"/dialogue/mine/{self.case.id}/"
        page = self.sign_in(self.alice).get(url)
        self.assertContains(page, 'data-qa="words-kept"')
        self.assertContains(page, f"Its words stay in Mend until {shown(NOW + KEPT)}")
        self.assertContains(page, "keep a copy before then")
        spanish = self.sign_in(self.alice).get(f"/es{url}")
        self.assertContains(spanish, f"se quedan en Mend hasta el {shown(NOW + KEPT, 'es')}")
        retention.do_forget_closed_cases(NOW + KEPT)
        page = self.sign_in(self.alice).get(url)
        self.assertNotContains(page, 'data-qa="words-kept"')
        self.assertContains(page, f"Its words were deleted from Mend on {shown(NOW + KEPT)}")

    def test_her_page_says_the_person_responsible_can_take_their_words_away_sooner(
        self,
    ) -> None:
        self.end()
        url = f"/dialogue/mine/{self.case.id}/"
        page = self.sign_in(self.alice).get(url)
        self.assertContains(page, 'data-qa="their-words-may-go"')
        self.assertContains(page, "The person responsible can delete their account sooner")
        spanish = self.sign_in(self.alice).get(f"/es{url}")
        self.assertContains(spanish, "La persona responsable puede borrar su cuenta antes")
        his = self.sign_in(self.ross).get(f"/dialogue/responsible/{self.case.id}/")
        self.assertNotContains(his, 'data-qa="their-words-may-go"')
        # As it says: his account's deletion takes his words before her day.
        self.assertTrue(Item.objects.filter(case=self.case, author__role="responsible").exists())
        account_actions.do_delete_account(self.ross)
        self.assertFalse(Item.objects.filter(case=self.case, author__role="responsible").exists())
        self.assertIsNone(Case.objects.get(id=self.case.id).words_deleted_at)

    def test_her_list_of_dialogues_says_it_beside_the_case(self) -> None:
        self.end()
        mine = self.sign_in(self.alice).get("/dialogue/mine/")
        self.assertContains(mine, f"its words are deleted on {shown(NOW + KEPT)}")
        retention.do_forget_closed_cases(NOW + KEPT)
        mine = self.sign_in(self.alice).get("/es/dialogue/mine/")
        self.assertContains(mine, "sus palabras se borraron")

    def test_his_page_and_the_teams_say_it_too(self) -> None:
        self.end()
        his = self.sign_in(self.ross).get(f"/dialogue/responsible/{self.case.id}/")
        self.assertContains(his, 'data-qa="words-kept"')
        self.assertContains(his, "Your account here, made for this dialogue only, is deleted")
        self.assertNotContains(his, "keep a copy before then")
        team = self.sign_in(self.frank).get(f"/dialogue/staff/{self.case.id}/")
        self.assertContains(team, f"Its words stay in Mend until {shown(NOW + KEPT)}")
        retention.do_forget_closed_cases(NOW + KEPT)
        team = self.sign_in(self.frank).get(f"/dialogue/staff/{self.case.id}/")
        self.assertContains(team, 'data-qa="words-deleted"')

    def test_an_open_case_page_says_nothing_of_it(self) -> None:
        page = self.sign_in(self.alice).get(f"/dialogue/mine/{self.case.id}/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'data-qa="words-')

    def test_the_api_gives_both_days_to_the_parties_and_to_the_supervisor(self) -> None:
        self.assertIsNone(
            self.call(self.alice, "GET", f"/cases/{self.case.id}").json()["words_kept_until"]
        )
        self.end()
        mine = self.call(self.alice, "GET", f"/cases/{self.case.id}").json()
        self.assertEqual(mine["words_kept_until"], (NOW + KEPT).isoformat().replace("+00:00", "Z"))
        self.assertIsNone(mine["words_deleted_at"])
        retention.do_forget_closed_cases(NOW + KEPT)
        supervised = self.call(self.sophie, "GET", "/supervision/cases").json()
        row = next(c for c in supervised if c["id"] == str(self.case.id))
        self.assertIsNone(row["words_kept_until"])
        self.assertEqual(row["words_deleted_at"], (NOW + KEPT).isoformat().replace("+00:00", "Z"))

    def test_the_command_deletes_what_is_due_and_says_how_many(self) -> None:
        self.end()
        out = io.StringIO()
        with time_machine.travel(NOW + KEPT, tick=False):
            call_command("forget_closed_dialogues", stdout=out)
        self.assertEqual(out.getvalue().strip(), "1 closed case(s) had their words deleted.")
        self.assertFalse(Item.objects.filter(case=self.case).exists())


class ForgetNowTests(ExchangedCase):
    """She need not wait for the day: she deletes her closed case's words herself."""

    def setUp(self) -> None:
        super().setUp()
        self.url = f"/cases/{self.case.id}/forget"

    def test_she_deletes_them_at_once_with_his_account_and_a_second_time_changes_nothing(
        self,
    ) -> None:
        self.end()
        r = self.call(self.alice, "POST", self.url, {})
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()["words_deleted_at"], NOW.isoformat().replace("+00:00", "Z"))
        self.assertIsNone(r.json()["words_kept_until"])
        self.assertFalse(Item.objects.filter(case=self.case).exists())
        self.assertFalse(User.objects.filter(id=self.ross.id).exists())
        audit = AuditLog.objects.get(action="dialogue.case.words_deleted")
        self.assertEqual((audit.actor_id, audit.actor_role), (None, ""))  # never names her
        self.assertEqual(self.call(self.alice, "POST", self.url, {}).status_code, 200)
        self.assertEqual(AuditLog.objects.filter(action="dialogue.case.words_deleted").count(), 1)
        self.assertEqual(retention.do_forget_closed_cases(NOW + KEPT), 0)

    def test_an_open_case_must_be_ended_first(self) -> None:
        r = self.call(self.alice, "POST", self.url, {})
        self.assertEqual((r.status_code, r.json()["code"]), (409, "open"))
        self.assertGreater(Item.objects.filter(case=self.case).count(), 1)
        self.assertIsNone(Case.objects.get(id=self.case.id).words_deleted_at)

    def test_nobody_else_may_not_he_the_team_a_stranger_or_someone_signed_out(self) -> None:
        self.end()
        for user in (self.ross, self.frank, self.gail, self.sophie, self.bob):
            with self.subTest(user=user.username):
                r = self.call(user, "POST", self.url, {})
                self.assertEqual((r.status_code, r.json()["code"]), (404, "not_found"))
        self.assertEqual(self.call(None, "POST", self.url, {}).status_code, 401)
        self.assertGreater(Item.objects.filter(case=self.case).count(), 1)
        self.assertTrue(User.objects.filter(id=self.ross.id).exists())

    def test_her_closed_case_page_offers_it_until_they_are_gone(self) -> None:
        page_url = f"/dialogue/mine/{self.case.id}/"
        self.assertNotContains(self.sign_in(self.alice).get(page_url), 'data-qa="forget"')
        self.end()
        page = self.sign_in(self.alice).get(page_url)
        self.assertContains(page, 'data-qa="forget-confirm"')
        self.assertContains(page, "that person's account with them. It cannot be undone.")
        spanish = self.sign_in(self.alice).get(f"/es{page_url}")
        self.assertContains(spanish, "Sí, borrar sus palabras ahora")
        retention.do_forget_now(self.part(self.case, "survivor"), NOW)
        self.assertNotContains(self.sign_in(self.alice).get(page_url), 'data-qa="forget"')


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
class RetentionQueueTests(TransactionTestCase):
    """With the production queue, closing a case queues the deletion for its day."""

    def test_closing_a_case_queues_the_deletion_of_its_words_for_their_day(self) -> None:
        from django_tasks_db.models import DBTaskResult

        frank = make_persona("frank")  # the dialogue is offered (availability.py):
        certify(frank, now=NOW)  # a certified facilitator with a vouched staff key
        escrow_testing.add_counselor_key(frank)
        User.objects.create_user("sophie", password="sophie-passphrase", role=Role.SUPERVISOR)
        survivor = actions.do_open_case(make_persona("alice"), NOW)
        forgetting = DBTaskResult.objects.filter(
            task_path=retention.forget_closed_cases.module_path
        )
        self.assertFalse(forgetting.exists())
        actions.do_step(survivor, Step.END, NOW)
        self.assertEqual(list(forgetting.values_list("run_after", flat=True)), [NOW + KEPT])


class KeepDaysSettingTests(SimpleTestCase):
    def test_a_keep_time_under_one_day_is_refused_by_name(self) -> None:
        with (
            mock.patch.dict(os.environ, {"DIALOGUE_CLOSED_KEEP_DAYS": "0"}),
            self.assertRaisesMessage(ImproperlyConfigured, "DIALOGUE_CLOSED_KEEP_DAYS"),
        ):
            env_int("DIALOGUE_CLOSED_KEEP_DAYS", default=90, minimum=1)
        with mock.patch.dict(os.environ, {"DIALOGUE_CLOSED_KEEP_DAYS": "7"}):
            self.assertEqual(env_int("DIALOGUE_CLOSED_KEEP_DAYS", default=90, minimum=1), 7)
