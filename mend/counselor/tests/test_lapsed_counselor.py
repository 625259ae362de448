"""A counselor whose staff certificate is not current brings nobody into the escrow: she
vouches for no colleague's key and re-seals no share, until she renews it.

carol (certified, her key endorsed by the operator: EscrowTestCase) and dana, a new
colleague whose key waits.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone

from mend.certificates import actions
from mend.certificates.models import Certificate
from mend.certificates.testing import certify
from mend.crypto import envelope
from mend.escrow import testing
from mend.escrow.models import CounselorKey, SealedShare
from mend.escrow.tests.base import EscrowTestCase
from mend.lib.wire import b64

API = testing.COUNSELOR_API


class LapsedCounselorTests(EscrowTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.dana = self.make_counselor("dana")
        self.dana_keys = testing.add_counselor_key(self.dana, endorsed_by=None)
        self.dana_key = CounselorKey.objects.get(counselor=self.dana)
        self.certificate = Certificate.objects.get(holder=self.carol)

    def revoke_carol(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            actions.do_revoke_certificate(self.certificate.id, "Left Mend", timezone.now())

    def endorse(self, client: Client) -> int:
        signature = testing.signed_endorsement(self.carol_keys, self.dana_key)
        body = {"signature": b64(signature)}
        return int(
            testing.post_json(client, f"{API}/keys/{self.dana_key.id}/endorse", body).status_code
        )

    def pending(self, client: Client) -> list[str]:
        return [k["id"] for k in client.get(f"{API}/keys/pending").json()]

    def test_a_revoked_counselor_sees_no_key_to_vouch_for_and_her_endorsement_is_refused(
        self,
    ) -> None:
        carol = self.counselor_client()
        self.assertEqual(self.pending(carol), [str(self.dana_key.id)])
        self.revoke_carol()
        self.assertEqual(self.pending(carol), [])
        self.assertEqual(self.endorse(carol), 404)
        self.dana_key.refresh_from_db()
        self.assertIsNone(self.dana_key.endorsement)
        home = carol.get("/counselor/").content.decode()
        self.assertIn('data-qa="not-certified-keys"', home)
        self.assertNotIn(str(self.dana_key.id), home)
        spanish = carol.get("/es/counselor/")
        self.assertContains(spanish, "no puedes avalar la clave de una persona colega")
        self.assertIn("Your counselor certificate was revoked", home)

    def test_she_vouches_again_once_she_renews_her_certificate(self) -> None:
        carol = self.counselor_client()
        self.revoke_carol()
        certify(self.carol, now=timezone.now() + timedelta(seconds=1))
        self.assertEqual(self.pending(carol), [str(self.dana_key.id)])
        self.assertEqual(self.endorse(carol), 204)
        self.dana_key.refresh_from_db()
        self.assertEqual(self.dana_key.endorsed_by, CounselorKey.objects.get(counselor=self.carol))

    def test_she_vouches_until_the_second_her_certificate_expires(self) -> None:
        with time_machine.travel(self.certificate.expires_at, tick=False):
            carol = self.counselor_client()  # signed in then: an earlier session has ended
            self.assertEqual(self.pending(carol), [])
            self.assertEqual(self.endorse(carol), 404)
        with time_machine.travel(self.certificate.expires_at - timedelta(seconds=1), tick=False):
            self.assertEqual(self.endorse(self.counselor_client()), 204)

    def reseal_body(self, item: dict[str, Any], to: envelope.BoxKeyPair) -> dict[str, Any]:
        context = testing.share_context(item["entry_id"])
        payload = envelope.open_sealed(self.carol_keys, base64.b64decode(item["sealed"]), context)
        sealed = envelope.seal(to.public_key, payload, context)
        return {
            "items": [
                {"tag_id": item["tag_id"], "key_id": str(self.dana_key.id), "sealed": b64(sealed)}
            ]
        }

    def test_a_revoked_counselor_gets_no_share_to_re_seal_and_her_re_sealing_is_refused(
        self,
    ) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.browser_for(self.alice).submit(["email:someone@example.org"], {"what": "x"})
        testing.endorse_key(self.dana_key, self.carol_keys)  # vouched for before the revocation
        carol = self.counselor_client()
        [item] = carol.get(f"{API}/reseal").json()["items"]
        body = self.reseal_body(item, self.dana_keys)
        self.revoke_carol()
        self.assertEqual(carol.get(f"{API}/reseal").json()["items"], [])
        self.assertEqual(testing.post_json(carol, f"{API}/reseal", body).status_code, 400)
        self.assertFalse(SealedShare.objects.filter(key=self.dana_key).exists())
        self.assertNotIn('data-qa="reseal"', carol.get("/counselor/").content.decode())
        certify(self.carol, now=timezone.now() + timedelta(seconds=1))
        self.assertEqual(testing.post_json(carol, f"{API}/reseal", body).status_code, 200)
        self.assertEqual(SealedShare.objects.filter(key=self.dana_key).count(), 1)
