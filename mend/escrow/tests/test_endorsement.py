"""A new counselor key receives shares only once endorsed (issue 9, ADR 0007).

carol's key is endorsed by the operator (EscrowTestCase); dana is a new counselor.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import CommandError, call_command

from mend.audit.models import AuditLog
from mend.crypto import envelope
from mend.crypto.errors import EndorsementError
from mend.escrow import testing, trust
from mend.escrow.actions import do_retire_counselor_key
from mend.escrow.models import CounselorKey, MatchGroup, SealedShare
from mend.escrow.tasks import assign_counselor
from mend.escrow.tests.base import EscrowTestCase
from mend.lib.wire import b64
from mend.test import login_with_otp

API = testing.COUNSELOR_API
NAMES = ["email:someone@example.org"]


class EndorsementTests(EscrowTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.dana = self.make_counselor("dana")
        self.dana_keys = testing.add_counselor_key(self.dana, endorsed_by=None)
        self.dana_key = CounselorKey.objects.get(counselor=self.dana)

    def endorse(self, client: Any, key_id: object, signature: bytes) -> Any:
        return testing.post_json(
            client, f"{API}/keys/{key_id}/endorse", {"signature": b64(signature)}
        )

    def listed_keys(self) -> list[str]:
        alice = self.browser_for(self.alice)
        return [k["id"] for k in alice.load_config()["counselor_keys"] if k["sealable"]]

    def test_an_unendorsed_key_is_not_offered_to_survivors_and_gets_no_share(self) -> None:
        carol_key = CounselorKey.objects.get(counselor=self.carol)
        self.assertEqual(self.listed_keys(), [str(carol_key.id)])
        alice = self.browser_for(self.alice)
        alice.load_config()
        body = alice.build(NAMES, {})
        extra = envelope.seal(self.dana_keys.public_key, b"x", testing.share_context(body["id"]))
        body["tags"][0]["shares"].append({"key_id": str(self.dana_key.id), "sealed": b64(extra)})
        response = testing.post_json(alice.client, f"{testing.API}/entries", body)
        self.assertEqual(response.status_code, 409)
        self.assertFalse(SealedShare.objects.filter(key=self.dana_key).exists())

    def test_an_unendorsed_key_is_never_assigned_a_group_however_new(self) -> None:
        for user in (self.alice, self.bob):
            with self.captureOnCommitCallbacks(execute=True):
                self.browser_for(user).submit(NAMES, {"what": user.username})
        group = MatchGroup.objects.get()
        group.counselor = None
        group.save(update_fields=["counselor"])
        CounselorKey.objects.filter(counselor=self.carol).update(active=False)
        # Even holding a share of every tag (planted in the database), dana's key is refused.
        for tag in group.tags.all():
            SealedShare.objects.create(tag=tag, key=self.dana_key, sealed=b"planted")
        self.assertEqual(assign_counselor.call(str(group.id)), "")

    def test_a_colleague_endorses_a_new_key_and_only_then_it_is_sealed_to(self) -> None:
        carol = self.counselor_client()
        pending = carol.get(f"{API}/keys/pending").json()
        self.assertEqual(
            [(k["id"], k["counselor"]) for k in pending], [(str(self.dana_key.id), "dana")]
        )
        response = self.endorse(
            carol, self.dana_key.id, testing.signed_endorsement(self.carol_keys, self.dana_key)
        )
        self.assertEqual(response.status_code, 204)
        self.dana_key.refresh_from_db()
        carol_key = CounselorKey.objects.get(counselor=self.carol)
        self.assertEqual(self.dana_key.endorsed_by_id, carol_key.id)
        self.assertIn(str(self.dana_key.id), self.listed_keys())
        row = AuditLog.objects.get(action="escrow.key.endorsed")
        self.assertEqual((row.actor_id, row.object_id), (self.carol.pk, str(self.dana_key.id)))
        self.assertEqual(carol.get(f"{API}/keys/pending").json(), [])

    def test_a_key_stays_sealable_when_its_endorser_retires_and_the_chain_is_listed(self) -> None:
        carol = self.counselor_client()
        self.endorse(
            carol, self.dana_key.id, testing.signed_endorsement(self.carol_keys, self.dana_key)
        )
        carol_key = CounselorKey.objects.get(counselor=self.carol)
        with self.captureOnCommitCallbacks(execute=True):
            do_retire_counselor_key(carol_key, self.adam)
        config = self.browser_for(self.alice).load_config()
        listed = {k["id"]: k["sealable"] for k in config["counselor_keys"]}
        self.assertEqual(listed, {str(carol_key.id): False, str(self.dana_key.id): True})
        self.assertEqual(
            config["operator_public_key"],
            b64(bytes.fromhex(settings.DEV_ESCROW_OPERATOR_PUBLIC_KEY)),
        )
        alice = self.browser_for(self.alice)
        alice.load_config()
        self.assertEqual([k["id"] for k in alice.sealable_keys()], [str(self.dana_key.id)])

    def test_it_refuses_a_signature_that_does_not_verify(self) -> None:
        carol = self.counselor_client()
        not_carols = envelope.box_keypair()
        forged = testing.signed_endorsement(not_carols, self.dana_key)
        self.assertEqual(self.endorse(carol, self.dana_key.id, forged).status_code, 400)
        self.dana_key.refresh_from_db()
        self.assertIsNone(self.dana_key.endorsement)
        self.assertFalse(AuditLog.objects.filter(action="escrow.key.endorsed").exists())

    def test_an_unendorsed_counselor_cannot_endorse_and_nobody_endorses_her_own_key(self) -> None:
        erin = self.make_counselor("erin2")
        testing.add_counselor_key(erin, endorsed_by=None)
        erin_key = CounselorKey.objects.get(counselor=erin)
        dana = self.counselor_client(self.dana)
        self.assertEqual(dana.get(f"{API}/keys/pending").json(), [])
        signature = testing.signed_endorsement(self.dana_keys, erin_key)
        self.assertEqual(self.endorse(dana, erin_key.id, signature).status_code, 404)
        carol = self.counselor_client()
        carol_key = CounselorKey.objects.get(counselor=self.carol)
        own = testing.signed_endorsement(self.carol_keys, carol_key)
        self.assertEqual(self.endorse(carol, carol_key.id, own).status_code, 404)
        erin_key.refresh_from_db()
        self.assertIsNone(erin_key.endorsement)

    def test_a_key_planted_in_the_database_with_a_made_up_endorsement_is_not_sealed_to(
        self,
    ) -> None:
        carol_key = CounselorKey.objects.get(counselor=self.carol)
        CounselorKey.objects.filter(id=self.dana_key.id).update(
            endorsed_by=carol_key, endorsement=bytes(64)
        )
        self.assertNotIn(self.dana_key.id, trust.sealable_ids())
        self.assertNotIn(str(self.dana_key.id), self.listed_keys())

    def test_a_survivors_browser_refuses_a_list_with_a_key_no_chain_vouches_for(self) -> None:
        alice = self.browser_for(self.alice)
        config = alice.load_config()
        fake = dict(
            config["counselor_keys"][0],
            id=str(self.dana_key.id),
            public_key=b64(self.dana_keys.public_key),
        )
        alice.config = dict(config, counselor_keys=[*config["counselor_keys"], fake])
        with self.assertRaises(EndorsementError):
            alice.build(NAMES, {})

    def test_the_admin_cannot_endorse_or_edit_a_key(self) -> None:
        login_with_otp(self.client, self.adam)
        url = f"/staff/admin/escrow/counselorkey/{self.dana_key.id}/change/"
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.post(url, {"endorsement": "00" * 64, "active": "on"})
        self.dana_key.refresh_from_db()
        self.assertIsNone(self.dana_key.endorsement)
        self.assertEqual(
            self.client.post(url.replace("change", "delete"), {"post": "yes"}).status_code, 403
        )
        self.assertTrue(CounselorKey.objects.filter(id=self.dana_key.id).exists())


class OperatorEndorsementTests(EscrowTestCase):
    """`manage.py endorse_counselor_key`: the operator vouches for the first key only."""

    def setUp(self) -> None:
        super().setUp()
        seed_dir = tempfile.TemporaryDirectory()
        self.addCleanup(seed_dir.cleanup)
        self.seed_file = Path(seed_dir.name) / "operator.seed"
        self.seed_file.write_text(settings.DEV_ESCROW_OPERATOR_SEED + "\n")
        self.dana = self.make_counselor("dana")
        testing.add_counselor_key(self.dana, endorsed_by=None)
        self.dana_key = CounselorKey.objects.get(counselor=self.dana)

    def run_command(self, *args: str) -> str:
        out = io.StringIO()
        call_command("endorse_counselor_key", *args, "--seed-file", str(self.seed_file), stdout=out)
        return out.getvalue()

    def test_it_endorses_the_first_key_when_no_counselor_is_endorsed_and_audits_it(self) -> None:
        CounselorKey.objects.filter(counselor=self.carol).update(active=False)
        output = self.run_command("dana")
        self.assertIn("Endorsed the key", output)
        self.assertEqual(trust.sealable_ids(), {self.dana_key.id})
        row = AuditLog.objects.get(action="escrow.key.endorsed")
        self.assertEqual((row.actor_id, row.object_id), (None, str(self.dana_key.id)))

    def test_it_refuses_once_an_endorsed_counselor_exists(self) -> None:
        with self.assertRaisesMessage(CommandError, "a colleague endorses new keys"):
            self.run_command("dana")
        self.assertNotIn(self.dana_key.id, trust.sealable_ids())

    def test_it_refuses_a_seed_that_is_not_the_configured_operator_key(self) -> None:
        CounselorKey.objects.filter(counselor=self.carol).update(active=False)
        self.seed_file.write_text("ab" * 32)
        with self.assertRaisesMessage(CommandError, "not the one of ESCROW_OPERATOR_PUBLIC_KEY"):
            self.run_command("dana")
        self.assertEqual(trust.sealable_ids(), set())

    def test_it_prints_the_public_key_to_configure(self) -> None:
        self.assertEqual(
            self.run_command("--public-key").strip(), settings.DEV_ESCROW_OPERATOR_PUBLIC_KEY
        )


class FacilitatorKeyTests(EscrowTestCase):
    """A facilitator's staff key is her dialogue case key (ADR 0014): the parties' browsers
    trust it only once endorsed, so an endorsed counselor (or, before there is one, the
    operator) vouches for it; it never receives a survivor's share. frank is a facilitator."""

    def setUp(self) -> None:
        super().setUp()
        self.frank_keys = testing.add_counselor_key(self.frank, endorsed_by=None)
        self.frank_key = CounselorKey.objects.get(counselor=self.frank)

    def test_a_counselor_vouches_for_a_facilitators_key_which_then_gets_no_share(self) -> None:
        carol = self.counselor_client()
        pending = carol.get(f"{API}/keys/pending").json()
        self.assertEqual([k["counselor"] for k in pending], ["frank"])
        page = carol.get("/counselor/").content.decode()
        self.assertIn("New key of frank, a dialogue facilitator, fingerprint:", page)
        signature = testing.signed_endorsement(self.carol_keys, self.frank_key)
        self.assertEqual(self.endorse(carol, signature).status_code, 204)
        self.assertIn(self.frank_key.id, trust.trusted_ids())
        listed, _ = trust.chain_for_public_keys([bytes(self.frank_key.public_key)])
        self.assertIn(self.frank_key, listed)  # what the parties' browsers check
        self.assertNotIn(self.frank_key.id, trust.sealable_ids())
        alice = self.browser_for(self.alice)
        keys = [k["id"] for k in alice.load_config()["counselor_keys"]]
        self.assertNotIn(str(self.frank_key.id), keys)  # no survivor seals a share to it
        self.assertEqual(carol.get(f"{API}/keys/pending").json(), [])

    def test_a_facilitator_cannot_vouch_for_anyone(self) -> None:
        dana = self.make_counselor("dana")
        testing.add_counselor_key(dana, endorsed_by=None)
        dana_key = CounselorKey.objects.get(counselor=dana)
        frank = self.counselor_client(self.frank)
        self.assertEqual(frank.get(f"{API}/keys/pending").status_code, 404)
        signature = testing.signed_endorsement(self.frank_keys, dana_key)
        response = testing.post_json(
            frank, f"{API}/keys/{dana_key.id}/endorse", {"signature": b64(signature)}
        )
        self.assertEqual(response.status_code, 404)
        dana_key.refresh_from_db()
        self.assertIsNone(dana_key.endorsement)

    def test_the_operator_vouches_for_a_facilitators_key_while_no_counselor_is_endorsed(
        self,
    ) -> None:
        with tempfile.TemporaryDirectory() as folder:
            seed = Path(folder) / "operator.seed"
            seed.write_text(settings.DEV_ESCROW_OPERATOR_SEED + "\n")
            with self.assertRaisesMessage(CommandError, "a colleague endorses new keys"):
                call_command("endorse_counselor_key", "frank", "--seed-file", str(seed))
            CounselorKey.objects.filter(counselor=self.carol).update(active=False)
            out = io.StringIO()
            call_command("endorse_counselor_key", "frank", "--seed-file", str(seed), stdout=out)
        self.assertIn("Endorsed the key", out.getvalue())
        self.assertIn(self.frank_key.id, trust.trusted_ids())
        self.assertEqual(trust.sealable_ids(), set())

    def endorse(self, client: Any, signature: bytes) -> Any:
        return testing.post_json(
            client, f"{API}/keys/{self.frank_key.id}/endorse", {"signature": b64(signature)}
        )
