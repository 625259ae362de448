"""Each participant's dialogue key, and the lead's statement that vouches for it."""

from __future__ import annotations

from mend.audit.models import AuditLog
from mend.crypto import dialogue as crypto
from mend.dialogue.models import Participant
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import DialogueTestCase, b64, keys_for, wrapped_secret


class KeyTests(DialogueTestCase):
    def test_she_registers_her_key_once_and_gets_back_only_the_wrapped_secret(self) -> None:
        case_id = self.call(self.alice, "POST", "/cases").json()["id"]
        me = Participant.objects.get(case_id=case_id)
        keys = keys_for("alice")
        body = {
            "box_public_key": b64(keys.box.public_key),
            "signing_public_key": b64(keys.signing_public_key),
            "wrapped_secret_key": b64(wrapped_secret(keys, me.id)),
        }
        self.assertEqual(
            self.call(self.alice, "PUT", f"/cases/{case_id}/key", body).status_code, 204
        )
        r = self.call(self.alice, "PUT", f"/cases/{case_id}/key", body)
        self.assertEqual((r.status_code, r.json()["code"]), (409, "key_registered"))
        r = self.call(self.alice, "GET", f"/cases/{case_id}/key")
        self.assertEqual(r.json(), {"wrapped_secret_key": body["wrapped_secret_key"]})
        me.refresh_from_db()
        self.assertEqual(bytes(me.box_public_key or b""), keys.box.public_key)

    def test_the_lead_vouches_for_his_keys_and_the_server_checks_her_signature(self) -> None:
        case = self.case_at(Stage.PREPARATION)
        ross = self.part(case, "responsible")
        args = (case.id, ross.id, "responsible", keys_for("ross").box.public_key)
        statement = (*args, keys_for("ross").signing_public_key)
        path = f"/cases/{case.id}/parties/{ross.id}/statement"
        forged = crypto.sign_key_statement(keys_for("alice").seed, *statement)
        r = self.call(self.frank, "POST", path, {"signature": b64(forged)})
        self.assertEqual((r.status_code, r.json()["code"]), (400, "bad_signature"))
        signature = crypto.sign_key_statement(keys_for("frank").seed, *statement)
        self.assertEqual(
            self.call(self.frank, "POST", path, {"signature": b64(signature)}).status_code, 204
        )
        ross.refresh_from_db()
        self.assertEqual(bytes(ross.key_statement or b""), signature)
        self.assertEqual(AuditLog.objects.filter(action="dialogue.key.vouched").count(), 1)
        seen = self.call(self.alice, "GET", f"/cases/{case.id}").json()["parties"]
        his = next(p for p in seen if p["id"] == str(ross.id))
        self.assertEqual(his["key_statement"], b64(signature))
