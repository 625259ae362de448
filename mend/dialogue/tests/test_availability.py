"""Asking for a dialogue only where somebody can take it (mend/dialogue/availability.py).

The personas of DialogueTestCase make the dialogue offered: sophie supervises, frank and
gail hold current certificates of the facilitators' path, and gail a vouched staff
key. Each test takes one of those
away and checks what alice sees and what the API answers; cases already open go on.
"""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client

from mend.certificates.models import Certificate
from mend.dialogue.models import Case
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import DialogueTestCase
from mend.escrow import testing as escrow_testing
from mend.escrow.models import CounselorKey
from mend.test import NOW

NOT_OFFERED = 'data-qa="dialogue-not-offered"'


class AvailabilityTests(DialogueTestCase):
    def assert_not_offered(self) -> None:
        about = self.sign_in(self.alice).get("/dialogue/")
        self.assertContains(about, NOT_OFFERED)
        self.assertNotContains(about, 'data-qa="dialogue-ask"')
        self.assertNotContains(Client().get("/dialogue/"), 'data-qa="dialogue-sign-in"')
        mine = self.sign_in(self.alice).get("/dialogue/mine/")
        self.assertContains(mine, NOT_OFFERED)
        self.assertNotContains(mine, 'data-qa="dialogue-request"')
        r = self.call(self.alice, "POST", "/cases")
        self.assertEqual(r.status_code, 503)
        self.assertEqual(r.json()["code"], "not_offered")
        self.assertFalse(Case.objects.exists())

    def test_alice_can_ask_while_a_supervisor_and_a_certified_facilitator_are_there(self) -> None:
        about = self.sign_in(self.alice).get("/dialogue/")
        self.assertContains(about, 'data-qa="dialogue-ask"')
        self.assertNotContains(about, NOT_OFFERED)
        self.assertContains(self.sign_in(self.alice).get("/dialogue/mine/"), "dialogue-request")
        self.assertEqual(self.call(self.alice, "POST", "/cases").status_code, 201)
        self.assertEqual(Case.objects.count(), 1)

    def test_without_a_supervisor_nobody_could_assign_her_case(self) -> None:
        self.sophie.is_active = False
        self.sophie.save(update_fields=["is_active"])
        self.assert_not_offered()

    def test_without_a_facilitator_nobody_could_take_it(self) -> None:
        for facilitator in (self.frank, self.gail):
            facilitator.is_active = False
            facilitator.save(update_fields=["is_active"])
        self.assert_not_offered()

    def test_once_every_facilitators_certificate_has_lapsed_nobody_may_take_it(self) -> None:
        latest = max(Certificate.objects.values_list("expires_at", flat=True))
        with time_machine.travel(latest + timedelta(seconds=1), tick=False):
            self.assert_not_offered()

    def test_a_revoked_certificate_counts_for_nothing(self) -> None:
        Certificate.objects.update(revoked_at=NOW)
        self.assert_not_offered()

    def test_the_information_page_says_so_in_spanish(self) -> None:
        Certificate.objects.update(revoked_at=NOW)
        r = self.sign_in(self.alice).get("/es/dialogue/")
        self.assertContains(r, "Mend todavía no puede ofrecer aquí un diálogo")

    def test_a_case_already_open_goes_on(self) -> None:
        case = self.case_at(Stage.EXCHANGE)
        Certificate.objects.update(revoked_at=NOW)
        r = self.call(self.alice, "GET", f"/cases/{case.id}")
        self.assertEqual(r.status_code, 200)
        page = self.sign_in(self.alice).get("/dialogue/mine/")
        self.assertContains(page, 'data-qa="case-row"')
        self.assertContains(page, NOT_OFFERED)

    def test_the_administrator_is_told_what_is_missing(self) -> None:
        Certificate.objects.update(revoked_at=NOW)
        r = self.sign_in(self.adam).get("/staff/admin/")
        self.assertContains(r, 'data-qa="dialogue-not-open"')
        self.assertContains(r, "create_staff NAME --role supervisor")
        Certificate.objects.update(revoked_at=None)
        r = self.sign_in(self.adam).get("/staff/admin/")
        self.assertNotContains(r, 'data-qa="dialogue-not-open"')

    def test_without_a_vouched_staff_key_no_party_could_write_to_a_facilitator(self) -> None:
        # gail holds the only staff key (DialogueTestCase); retired, nobody's is vouched for.
        CounselorKey.objects.filter(counselor__in=(self.frank, self.gail)).delete()
        self.assert_not_offered()
        escrow_testing.add_counselor_key(self.frank, endorsed_by=None)  # made, not vouched
        self.assert_not_offered()
        CounselorKey.objects.filter(counselor=self.frank).delete()
        escrow_testing.add_counselor_key(self.frank)  # vouched for (the operator's key)
        self.assertEqual(self.call(self.alice, "POST", "/cases").status_code, 201)
