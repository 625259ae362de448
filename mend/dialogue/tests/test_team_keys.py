"""The parties' browsers check that the lead's key is an endorsed staff key: the server
lists the facilitators' staff keys with every key of their chains (ADR 0014)."""

from __future__ import annotations

import uuid
from typing import Any

from mend.crypto import endorsement
from mend.dialogue import actions
from mend.dialogue.models import Case, Participant, PartyRole
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import DialogueTestCase, b64
from mend.escrow import keys as escrow_keys
from mend.escrow import testing, trust
from mend.escrow.models import CounselorKey
from mend.test import NOW


class TeamKeysTests(DialogueTestCase):
    def lead_with_staff_key(self, endorsed_by: Any = "operator") -> tuple[Case, Participant]:
        case = self.case_at(Stage.REQUEST)
        actions.do_give_consent(self.part(case, "survivor"), actions.CONSENT_VERSION, NOW)
        actions.do_assign_facilitator(self.sophie, case, self.frank, PartyRole.LEAD, NOW)
        # Assigned while his key was vouched for, he makes another, as each test says.
        CounselorKey.objects.filter(counselor=self.frank).delete()
        pair = testing.add_counselor_key(self.frank, endorsed_by=endorsed_by)
        lead = self.part(case, PartyRole.LEAD)
        signing = endorsement.signing_public_key(endorsement.signing_seed(pair.secret_key))
        actions.do_register_key(lead, actions.KeyMaterial(pair.public_key, signing, bytes(72)))
        return case, lead

    def test_she_gets_the_leads_staff_key_and_a_chain_she_can_check_to_the_operator(
        self,
    ) -> None:
        case, lead = self.lead_with_staff_key()
        r = self.call(self.alice, "GET", f"/cases/{case.id}/team-keys")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(body["operator_public_key"], b64(escrow_keys.operator_public_key()))
        (listed,) = body["keys"]
        self.assertEqual(
            (listed["public_key"], listed["signing_public_key"]),
            (b64(bytes(lead.box_public_key or b"")), b64(bytes(lead.signing_public_key or b""))),
        )
        frank_key = CounselorKey.objects.get(counselor=self.frank, active=True)
        self.assertEqual(uuid.UUID(listed["id"]), frank_key.id)
        self.assertIn(frank_key.id, trust.trusted_ids())

    def test_a_staff_key_nobody_endorsed_is_not_listed(self) -> None:
        case, _ = self.lead_with_staff_key(endorsed_by=None)
        r = self.call(self.alice, "GET", f"/cases/{case.id}/team-keys")
        self.assertEqual((r.status_code, r.json()["keys"]), (200, []))

    def test_a_colleagues_endorsement_brings_her_key_into_the_list(self) -> None:
        endorser = testing.add_counselor_key(self.carol)  # endorsed by the operator
        case, _ = self.lead_with_staff_key(endorsed_by=endorser)
        keys = self.call(self.alice, "GET", f"/cases/{case.id}/team-keys").json()["keys"]
        self.assertEqual(len(keys), 2)
        by_endorser = {k["endorsed_by"]: k for k in keys}
        carols = by_endorser[None]
        self.assertEqual(by_endorser[carols["id"]]["signing_public_key"], b64(lead_signing(case)))


def lead_signing(case: Case) -> bytes:
    return bytes(Participant.objects.get(case=case, role=PartyRole.LEAD).signing_public_key or b"")
