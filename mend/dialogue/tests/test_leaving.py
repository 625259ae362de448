"""A party deletes the account: the case closes, and when she leaves, nothing of it stays."""

from __future__ import annotations

from django.db import transaction

from mend.accounts import actions as account_actions
from mend.accounts.models import User
from mend.accounts.signals import account_deleting
from mend.audit.models import AuditLog
from mend.dialogue.models import Case, Item, Participant, ReaderKey
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import DialogueTestCase


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
        r = self.call(self.ross, "GET", f"/cases/{case.id}")
        self.assertEqual((r.status_code, r.json()["state"]), (200, "closed"))
        self.assertEqual(self.call(self.ross, "GET", f"/cases/{case.id}/items").json(), [])
        self.assertEqual(AuditLog.objects.filter(action="dialogue.party.left").count(), 1)

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
