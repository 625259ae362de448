"""A browser that cannot check an item sealed to it tells the server, once, with a code only;
the case's team and the supervisors see it, without anyone having to tell them."""

from __future__ import annotations

from typing import Any

from mend.audit.models import AuditLog
from mend.dialogue.models import PartyRole, ReaderKey
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import DialogueTestCase
from mend.test import NOW


class FailedCheckTests(DialogueTestCase):
    """alice's message at the exchange, approved for ross, whose browser finds it altered."""

    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.EXCHANGE)
        survivor = self.part(self.case, PartyRole.SURVIVOR)
        self.ross_part = self.part(self.case, PartyRole.RESPONSIBLE)
        self.item = self.approve(
            self.submit(survivor, "alice", "message", "Words."), self.ross_part
        )
        self.url = f"/cases/{self.case.id}/items/{self.item.id}/check-failed"

    def report(self, user: Any, code: str = "bad_signature") -> int:
        return int(self.call(user, "POST", self.url, {"code": code}).status_code)

    def rosss_key(self) -> ReaderKey:
        return ReaderKey.objects.get(item=self.item, reader=self.ross_part)

    def told(self) -> tuple[bool, bool, bool]:
        """Whether frank's case page, sophie's list (API) and her page say so now."""
        franks = self.sign_in(self.frank).get(f"/dialogue/staff/{self.case.id}/")
        (row,) = self.call(self.sophie, "GET", "/supervision/cases").json()
        sophies = self.sign_in(self.sophie).get("/dialogue/supervision/")
        return (
            'data-qa="failed-checks"' in franks.content.decode(),
            row["check_failed"],
            'data-qa="check-failed"' in sophies.content.decode(),
        )

    def test_his_browsers_report_is_kept_once_and_his_team_and_the_supervisors_see_it(
        self,
    ) -> None:
        self.assertEqual(self.told(), (False, False, False))

        self.assertEqual(self.report(self.ross), 204)
        self.assertEqual(self.report(self.ross, "does_not_open"), 204)  # again: kept as it was

        key = self.rosss_key()
        self.assertEqual((key.check_failed, key.check_failed_at), ("bad_signature", NOW))
        audited = AuditLog.objects.filter(action="dialogue.item.check_failed")
        self.assertEqual(audited.count(), 1)
        self.assertIsNone(audited.get().actor_id)  # a party's report names nobody
        self.assertEqual(self.told(), (True, True, True))
        spanish = self.sign_in(self.frank).get(f"/es/dialogue/staff/{self.case.id}/")
        self.assertContains(spanish, "Un navegador de este caso no pudo comprobar")
        self.assertContains(spanish, "una firma que no se puede comprobar, una vez")

    def test_the_team_reads_what_the_browsers_found_with_how_many_times(self) -> None:
        survivor = self.part(self.case, PartyRole.SURVIVOR)
        for text in ("Two.", "Three."):
            item = self.approve(self.submit(survivor, "alice", "message", text), self.ross_part)
            url = f"/cases/{self.case.id}/items/{item.id}/check-failed"
            self.call(self.ross, "POST", url, {"code": "does_not_open"})
        self.report(self.ross, "malformed")
        page = self.sign_in(self.frank).get(f"/dialogue/staff/{self.case.id}/")
        self.assertContains(page, "Browsers in this case could not check items sealed to them, 3")
        found = page.content.decode().split('data-qa="failed-codes">')[1].split("</ul>")[0]
        self.assertEqual(
            found,
            "<li>a sealed key that does not open, 2 times</li>"
            "<li>words not in the agreed form, once</li>",
        )

    def test_only_a_reader_of_the_item_reports_it_and_only_what_a_browser_finds(self) -> None:
        self.assertEqual(self.report(self.ross, "unvouched_author"), 422)  # a normal wait
        self.assertEqual(self.report(self.ross, "x" * 40), 422)
        for user in (self.bob, self.gail, self.sophie, self.adam):
            self.assertEqual(self.report(user), 404, user.username)
        self.assertEqual(self.report(None), 401)
        self.assertIsNone(self.rosss_key().check_failed_at)
        self.assertFalse(AuditLog.objects.filter(action="dialogue.item.check_failed").exists())

    def test_an_item_not_sealed_to_him_cannot_be_reported_by_him(self) -> None:
        survivor = self.part(self.case, PartyRole.SURVIVOR)
        pending = self.submit(survivor, "alice", "message", "Not passed on yet.")
        url = f"/cases/{self.case.id}/items/{pending.id}/check-failed"
        r = self.call(self.ross, "POST", url, {"code": "bad_signature"})
        self.assertEqual(r.status_code, 404)
        self.assertFalse(ReaderKey.objects.exclude(check_failed_at=None).exists())
