"""A new deployment, from staff accounts to both staff parts at work, through the pages, API
calls and commands that people and the operator use. No test shortcut grants a certificate
or an endorsement here (``mend.certificates.testing.certify``, ``mend.escrow.testing``'s
``add_counselor_key`` and ``endorse_key`` are not used): sessions 20 and 21 found that
those shortcuts had hidden two gaps, no staff account could be certified and no
facilitator's key vouched for, so outside the tests no case ever reached anyone.

Personas: the operator (commands); carol, a counselor, frank, a facilitator, and sophie,
a supervisor, whose accounts the operator creates; alice and bob, survivors.
"""

from __future__ import annotations

import io
import secrets
import tempfile
import uuid
from base64 import b64decode
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.test import Client, TransactionTestCase
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from mend.accounts.actions import do_create_staff
from mend.accounts.models import Role, User
from mend.certificates.paths import COUNSELOR_PATH, FACILITATOR_PATH
from mend.crypto import endorsement, envelope, kdf, labels
from mend.dialogue import availability
from mend.dialogue.models import Participant
from mend.escrow import keys as escrow_keys
from mend.escrow import testing
from mend.escrow.models import CounselorKey, MatchGroup
from mend.lib.wire import b64
from mend.training import curriculum
from mend.training.models import Attempt
from mend.training.tests.helpers import answer_form

NAMES = ["email:someone@example.org"]


class NewDeploymentTests(TransactionTestCase):
    def staff(self, username: str, role: str) -> tuple[User, Client]:
        """The operator creates the account (create_staff); the person signs in at the staff
        sign-in with the passphrase and the code of the authenticator app."""
        new = do_create_staff(username, role, f"{username} long passphrase")
        client = Client()
        device = new.device
        code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
        form = {"username": username, "passphrase": f"{username} long passphrase"}
        response = client.post("/counselor/login/", {**form, "otp_token": code})
        self.assertEqual(response.status_code, 302, username)
        return new.user, client

    def pass_path(self, client: Client, name: str, path_id: str) -> None:
        """In Training: the name to print, then each module's knowledge check, answered."""
        response = client.post(reverse("training:name"), {"name": name})
        self.assertEqual(response.status_code, 302)
        content = curriculum.current()
        for module_id in content.paths[path_id].modules:
            started = client.post(reverse("training:start_check", args=[module_id]))
            self.assertEqual(started.status_code, 302, module_id)
            attempt_url = started.headers["Location"]
            attempt_id = uuid.UUID(attempt_url.rstrip("/").rsplit("/", 1)[-1])
            attempt = Attempt.objects.get(pk=attempt_id)
            form = answer_form(content.modules[module_id], attempt)
            self.assertEqual(client.post(attempt_url, form).status_code, 302, module_id)

    def make_key(self, client: Client) -> envelope.BoxKeyPair:
        """Her staff key as her browser makes and registers it (its secret stays there)."""
        pair = envelope.box_keypair()
        body = {
            "id": str(uuid.uuid4()),
            "public_key": b64(pair.public_key),
            "signing_public_key": b64(
                endorsement.signing_public_key(endorsement.signing_seed(pair.secret_key))
            ),
            "wrapped_secret_key": b64(secrets.token_bytes(envelope.OVERHEAD + 32)),
            "kdf_params": kdf.new_params().to_dict(),
        }
        response = testing.post_json(client, "/api/v1/counselor/key", body)
        self.assertEqual(response.status_code, 201, response.content)
        return pair

    def open_case_as_lead(
        self, client: Client, frank: User, pair: envelope.BoxKeyPair, case_id: str
    ) -> None:
        """His case page registers his case key, which is his staff key (ADR 0014)."""
        part = Participant.objects.get(case_id=case_id, user=frank)
        context = envelope.Context(labels.PURPOSE_DIALOGUE_KEY, str(part.id), 1)
        body = {
            "box_public_key": b64(pair.public_key),
            "signing_public_key": b64(
                endorsement.signing_public_key(endorsement.signing_seed(pair.secret_key))
            ),
            "wrapped_secret_key": b64(
                envelope.wrap_key(secrets.token_bytes(32), pair.secret_key, context)
            ),
        }
        url = f"/api/v1/dialogue/cases/{case_id}/key"
        response = testing.post_json(client, url, body, method="put")
        self.assertEqual(response.status_code, 204, response.content)

    def endorse_as_operator(self, username: str) -> None:
        with tempfile.TemporaryDirectory() as folder:
            seed = Path(folder) / "operator.seed"
            seed.write_text(settings.DEV_ESCROW_OPERATOR_SEED)
            out = io.StringIO()
            call_command("endorse_counselor_key", username, "--seed-file", str(seed), stdout=out)
        self.assertIn("Endorsed the key", out.getvalue())

    def survivor(self, username: str) -> testing.SurvivorBrowser:
        user = User.objects.create_user(username=username, password="unused")
        testing.verify(user)
        client = Client()
        client.force_login(user)
        return testing.SurvivorBrowser(client)

    def test_staff_made_certified_and_vouched_for_by_hand_take_both_kinds_of_case(self) -> None:
        carol, carol_client = self.staff("carol", Role.COUNSELOR)
        frank, frank_client = self.staff("frank", Role.FACILITATOR)
        _, sophie_client = self.staff("sophie", Role.SUPERVISOR)
        self.assertFalse(availability.offered(timezone.now()))

        self.pass_path(carol_client, "Carol Rivera", COUNSELOR_PATH)
        self.pass_path(frank_client, "Frank Okafor", FACILITATOR_PATH)
        carol_pair = self.make_key(carol_client)
        self.endorse_as_operator("carol")  # the deployment's first key
        frank_pair = self.make_key(frank_client)
        self.assertFalse(availability.offered(timezone.now()))  # his key is not vouched for

        # carol compares the fingerprint frank reads to her, then vouches in her workspace.
        pending = carol_client.get("/api/v1/counselor/keys/pending").json()
        self.assertEqual([k["counselor"] for k in pending], ["frank"])
        frank_key = CounselorKey.objects.get(counselor=frank, active=True)
        signature = testing.signed_endorsement(carol_pair, frank_key)
        endorse_url = f"/api/v1/counselor/keys/{frank_key.id}/endorse"
        response = testing.post_json(carol_client, endorse_url, {"signature": b64(signature)})
        self.assertEqual(response.status_code, 204)
        self.assertTrue(availability.offered(timezone.now()))

        # A dialogue: alice asks, sophie gives the case to frank, and alice's browser finds
        # frank's key vouched for by a chain from the operator's key, as it checks it.
        alice = self.survivor("alice")
        asked = testing.post_json(alice.client, "/api/v1/dialogue/cases", {})
        self.assertEqual(asked.status_code, 201, asked.content)
        case_id = asked.json()["id"]
        team_url = f"/api/v1/dialogue/supervision/cases/{case_id}/team"
        assigned = testing.post_json(sophie_client, team_url, {"username": "frank", "role": "lead"})
        self.assertEqual(assigned.status_code, 201, assigned.content)
        self.open_case_as_lead(frank_client, frank, frank_pair, case_id)
        listed = alice.client.get(f"/api/v1/dialogue/cases/{case_id}/team-keys").json()
        self.assertEqual(listed["operator_public_key"], b64(escrow_keys.operator_public_key()))
        trusted = endorsement.trusted_keys(
            [record_of(k) for k in listed["keys"]], escrow_keys.operator_public_key()
        )
        self.assertIn(frank_key.id, trusted)
        self.assertEqual(bytes(frank_key.public_key), frank_pair.public_key)

        # Find others, safely: two survivors name the same person; the match goes to carol.
        bob = self.survivor("bob")
        for browser, words in ((alice, "alice's words"), (bob, "bob's words")):
            self.assertEqual(browser.submit(NAMES, {"what": words}).status_code, 201)
        group = MatchGroup.objects.get()
        self.assertEqual(group.counselor, carol)
        self.assertNotIn(frank_key.id, {s.key_id for t in group.tags.all() for s in t.shares.all()})


def record_of(listed: dict[str, Any]) -> endorsement.KeyRecord:
    """A key of the team-keys answer, as her browser reads it to check its chain."""
    return endorsement.KeyRecord(
        key_id=uuid.UUID(listed["id"]),
        owner_id=uuid.UUID(listed["counselor_id"]),
        public_key=b64decode(listed["public_key"]),
        signing_public_key=b64decode(listed["signing_public_key"]),
        endorsed_by=uuid.UUID(listed["endorsed_by"]) if listed["endorsed_by"] else None,
        signature=b64decode(listed["endorsement"]),
    )
