"""A party deletes the account: the case closes, and when she leaves, nothing of it stays."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from mend.accounts import actions as account_actions
from mend.accounts.models import User
from mend.accounts.signals import account_deleting
from mend.audit.models import AuditLog
from mend.dialogue.models import Case, Invitation, Item, Participant, ReaderKey
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import DialogueTestCase
from mend.test import NOW


class LeavingTests(DialogueTestCase):
    """alice (survivor) and ross (responsible) have written to each other at stage 5."""

    def exchanged(self) -> Case:
        case = self.case_at(Stage.EXCHANGE)
        mine = self.submit(self.part(case, "survivor"), "alice", "message", "From her.")
        self.approve(mine, self.part(case, "responsible"))
        his = self.submit(self.part(case, "responsible"), "ross", "message", "From him.")
        self.approve(his, self.part(case, "survivor"))
        return case

    def test_when_she_deletes_her_account_her_cases_close_and_every_item_goes(self) -> None:
        case = self.exchanged()
        self.assertGreater(Item.objects.filter(case=case).count(), 2)
        account_actions.do_delete_account(self.alice)
        case.refresh_from_db()
        self.assertEqual((case.state, case.closure_reason), ("closed", "survivor_ended"))
        self.assertFalse(Item.objects.filter(case=case).exists())
        self.assertFalse(ReaderKey.objects.exists())
        self.assertFalse(Participant.objects.filter(case=case, role="survivor").exists())
        # Its words went now, so his account (made for this case) went with them.
        self.assertEqual(case.words_deleted_at, NOW)
        self.assertFalse(User.objects.filter(username="ross").exists())
        self.assertEqual(AuditLog.objects.filter(action="dialogue.party.left").count(), 2)
        self.assertEqual(AuditLog.objects.filter(action="dialogue.case.words_deleted").count(), 1)

    def test_when_she_deletes_her_account_no_page_promises_words_that_are_gone(self) -> None:
        case = self.exchanged()
        Invitation.objects.create(
            code_hash="x" * 64, case=case, created_at=NOW, expires_at=NOW + timedelta(days=7)
        )
        account_actions.do_delete_account(self.alice)
        self.assertFalse(Invitation.objects.filter(case=case).exists())
        r = self.call(self.frank, "GET", f"/cases/{case.id}")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            (r.json()["state"], r.json()["words_kept_until"], r.json()["words_deleted_at"]),
            ("closed", None, NOW.isoformat().replace("+00:00", "Z")),
        )
        (row,) = self.call(self.sophie, "GET", "/supervision/cases").json()
        self.assertEqual(
            (row["words_kept_until"], row["words_deleted_at"]),
            (None, r.json()["words_deleted_at"]),
        )
        page = self.sign_in(self.frank).get(f"/dialogue/staff/{case.id}/")
        self.assertContains(page, 'data-qa="words-deleted"')
        self.assertNotContains(page, 'data-qa="words-kept"')

    def test_he_cannot_tell_her_leaving_mend_from_her_deleting_the_words_of_an_ended_case(
        self,
    ) -> None:
        case = self.exchanged()
        his_browser = self.sign_in(self.ross)
        url = f"/api/v1/dialogue/cases/{case.id}"
        self.assertEqual(his_browser.get(url).status_code, 200)
        account_actions.do_delete_account(self.alice)
        # As after her "Delete its words now" on a case she ended: closed as ended by her,
        # its words gone this second, and his account, made for it, gone with them.
        self.assertEqual(his_browser.get(url).status_code, 401)
        self.assertFalse(User.objects.filter(username="ross").exists())
        case.refresh_from_db()
        self.assertEqual(
            (case.state, case.closure_reason, case.closed_at, case.words_deleted_at),
            ("closed", "survivor_ended", NOW, NOW),
        )

    def test_when_he_deletes_his_account_the_case_closes_as_declined_and_hers_stay(
        self,
    ) -> None:
        case = self.exchanged()
        with transaction.atomic():
            account_deleting.send(User, account=self.ross)
            self.ross.delete()
        case.refresh_from_db()
        self.assertEqual((case.state, case.closure_reason), ("closed", "responsible_declined"))
        self.assertFalse(Item.objects.filter(case=case, author__role="responsible").exists())
        self.assertTrue(Item.objects.filter(case=case, author__role="survivor").exists())
        r = self.call(self.alice, "GET", f"/cases/{case.id}")
        self.assertEqual((r.status_code, r.json()["closure_reason"]), (200, "responsible_declined"))

    def test_a_closed_case_keeps_its_closure_when_she_leaves(self) -> None:
        case = self.exchanged()
        self.call(self.frank, "POST", f"/cases/{case.id}/stops", {"rule": "threats", "end": True})
        account_actions.do_delete_account(self.alice)
        case.refresh_from_db()
        self.assertEqual(case.closure_reason, "stopped_for_safety")
        self.assertFalse(Item.objects.filter(case=case).exists())
