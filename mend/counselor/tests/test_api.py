"""/api/v1/counselor/: her key, her groups, opening, decisions, closing, messages, re-sealing."""

from __future__ import annotations

import base64
import uuid
from unittest import mock

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mend.audit.models import AuditLog
from mend.counselor import api as api_counselor
from mend.crypto import envelope, kdf
from mend.escrow import actions as escrow_actions
from mend.escrow import schemas, testing
from mend.escrow.models import (
    CounselorKey,
    Entry,
    GroupState,
    MatchGroup,
    Membership,
    Message,
    Notice,
    SealedShare,
)
from mend.escrow.tests.base import EscrowTestCase
from mend.lib.wire import b64
from mend.test import login_with_otp

API = testing.COUNSELOR_API
NAMES = ["email:someone@example.org"]


class CounselorTests(EscrowTestCase):
    def matched(self) -> MatchGroup:
        for user in (self.alice, self.bob):
            with self.captureOnCommitCallbacks(execute=True):
                self.assertEqual(
                    self.browser_for(user).submit(NAMES, {"what": user.username}).status_code, 201
                )
        return MatchGroup.objects.get()

    def test_it_registers_a_key_made_in_her_browser(self) -> None:
        dana = self.make_counselor("dana")
        client = self.counselor_client(dana)
        self.assertIsNone(client.get(f"{API}/key").json()["key"])
        pair = envelope.box_keypair()
        body = {
            "id": str(uuid.uuid4()),
            "public_key": b64(pair.public_key),
            "signing_public_key": b64(bytes(32)),
            "wrapped_secret_key": b64(bytes(envelope.OVERHEAD + 32)),
            "kdf_params": kdf.new_params().to_dict(),
        }
        self.assertEqual(testing.post_json(client, f"{API}/key", body).status_code, 201)
        key = CounselorKey.objects.get(counselor=dana)
        self.assertEqual(bytes(key.public_key), pair.public_key)
        self.assertEqual(client.get(f"{API}/key").json()["key"]["id"], body["id"])
        again = {**body, "id": str(uuid.uuid4())}
        self.assertEqual(testing.post_json(client, f"{API}/key", again).status_code, 409)
        self.assertTrue(
            AuditLog.objects.filter(action="escrow.key.registered", actor=dana).exists()
        )

    def test_it_refuses_weak_key_parameters(self) -> None:
        client = self.counselor_client(self.make_counselor("dana"))
        params = kdf.new_params().to_dict() | {"memlimit": "lots"}
        body = {
            "id": str(uuid.uuid4()),
            "public_key": b64(bytes(32)),
            "signing_public_key": b64(bytes(32)),
            "wrapped_secret_key": b64(bytes(envelope.OVERHEAD + 32)),
            "kdf_params": params,
        }
        self.assertEqual(testing.post_json(client, f"{API}/key", body).status_code, 400)

    def test_it_lists_and_opens_only_her_groups(self) -> None:
        group = self.matched()
        client = self.counselor_client()
        self.assertEqual([g["id"] for g in client.get(f"{API}/groups").json()], [str(group.id)])
        data = self.open_as_counselor(group, client)
        self.assertEqual(len(data["entries"]), 2)
        self.assertEqual(len(data["shares"]), 2)
        self.assertTrue(
            AuditLog.objects.filter(action="escrow.group.opened", actor=self.carol).exists()
        )
        opened = testing.open_group(data, self.carol_keys)
        self.assertEqual(sorted(e["what"] for e in opened.entries.values()), ["alice", "bob"])

    def test_it_gives_404_to_another_counselor_and_to_everyone_else(self) -> None:
        group = self.matched()
        member = Membership.objects.filter(group=group).first()
        assert member is not None
        paths = [
            f"groups/{group.id}",
            f"groups/{group.id}/members/{member.id}/messages",
        ]
        dana = self.make_counselor("dana")
        clients = {"dana": self.counselor_client(dana), "anonymous": Client()}
        for user in (self.alice, self.mallory, self.erin, self.frank, self.adam):
            clients[user.username] = Client()
            login_with_otp(clients[user.username], user)
        carol_without_otp = Client()
        carol_without_otp.force_login(self.carol)
        clients["carol without a second factor"] = carol_without_otp
        for name, client in clients.items():
            # Signed out: 401, so her page asks her to sign in again; anyone else: 404.
            refused = 401 if name == "anonymous" else 404
            for path in paths:
                self.assertEqual(client.get(f"{API}/{path}").status_code, refused, (name, path))
            decision = {"member_id": str(member.id), "decision": "more_time"}
            response = testing.post_json(client, f"{API}/groups/{group.id}/decisions", decision)
            self.assertEqual(response.status_code, refused, name)
            close = client.post(f"{API}/groups/{group.id}/close")
            self.assertEqual(close.status_code, refused, name)
        self.assertEqual(clients["dana"].get(f"{API}/groups").json(), [])
        for name in ("alice", "erin", "adam", "carol without a second factor"):
            self.assertEqual(clients[name].get(f"{API}/groups").status_code, 404, name)
        signed_out = clients["anonymous"].get(f"{API}/groups")
        self.assertEqual((signed_out.status_code, signed_out.json()["code"]), (401, "signed_out"))
        group.refresh_from_db()
        self.assertEqual(group.state, GroupState.OPEN)

    def test_it_records_decisions_and_closes_the_group(self) -> None:
        group = self.matched()
        client = self.counselor_client()
        member = Membership.objects.get(group=group, survivor=self.alice)
        body = {"member_id": str(member.id), "decision": "act_together"}
        self.assertEqual(
            testing.post_json(client, f"{API}/groups/{group.id}/decisions", body).status_code, 204
        )
        member.refresh_from_db()
        self.assertEqual(member.decision, "act_together")
        bad = {"member_id": str(member.id), "decision": "publish"}
        self.assertEqual(
            testing.post_json(client, f"{API}/groups/{group.id}/decisions", bad).status_code, 400
        )
        self.assertEqual(client.post(f"{API}/groups/{group.id}/close").status_code, 204)
        group.refresh_from_db()
        self.assertEqual(group.state, GroupState.CLOSED)
        self.assertEqual(Notice.objects.filter(group=group, kind="closed").count(), 2)
        self.assertEqual(client.post(f"{API}/groups/{group.id}/close").status_code, 400)

    def test_withdrawing_is_hers_alone_and_a_closed_group_takes_no_decision(self) -> None:
        # "Withdrew" decides who is told when the group closes, and who starts again on
        # naming the person anew: a counselor can neither record it nor undo it.
        group = self.matched()
        client = self.counselor_client()
        alice = Membership.objects.get(group=group, survivor=self.alice)
        bob = Membership.objects.get(group=group, survivor=self.bob)
        url = f"{API}/groups/{group.id}/decisions"
        r = testing.post_json(client, url, {"member_id": str(bob.id), "decision": "withdrew"})
        self.assertEqual(r.status_code, 400)
        escrow_actions.do_withdraw_entry(Entry.objects.get(owner=self.alice))
        alice.refresh_from_db()
        self.assertEqual(alice.decision, "withdrew")
        body = {"member_id": str(alice.id), "decision": "act_together"}
        self.assertEqual(testing.post_json(client, url, body).status_code, 409)
        page = client.get(f"/counselor/groups/{group.id}/")
        self.assertEqual(page.content.decode().count('data-qa="record-decision"'), 1)  # bob's
        r = client.post(
            f"/counselor/groups/{group.id}/decision/",
            {"member": str(alice.id), "decision": "act_together"},
            follow=True,
        )
        self.assertContains(r, "This survivor withdrew her entry, or the group is closed")
        self.assertEqual(client.post(f"{API}/groups/{group.id}/close").status_code, 204)
        body = {"member_id": str(bob.id), "decision": "act_alone"}
        self.assertEqual(testing.post_json(client, url, body).status_code, 409)
        alice.refresh_from_db()
        bob.refresh_from_db()
        self.assertEqual((alice.decision, bob.decision), ("withdrew", "undecided"))

    def test_messages_are_encrypted_at_rest_and_reach_the_other_side(self) -> None:
        group = self.matched()
        member = Membership.objects.get(group=group, survivor=self.alice)
        client = self.counselor_client()
        url = f"{API}/groups/{group.id}/members/{member.id}/messages"
        sent = testing.post_json(client, url, {"text": "hello canary-message-1"})
        self.assertEqual(sent.status_code, 201)
        alice = self.browser_for(self.alice)
        thread = alice.client.get(f"{testing.API}/threads").json()[0]
        self.assertEqual(thread["id"], str(member.id))
        reply_url = f"{testing.API}/threads/{member.id}/messages"
        reply = testing.post_json(alice.client, reply_url, {"text": "hi canary-message-2"})
        self.assertEqual(reply.status_code, 201)
        texts = [m["text"] for m in client.get(url).json()]
        self.assertEqual(texts, ["hello canary-message-1", "hi canary-message-2"])
        self.assertEqual(Message.objects.count(), 2)
        self.assertEqual(testing.database_rows_containing(["canary-message"]), [])
        bob = self.browser_for(self.bob)
        self.assertEqual(bob.client.get(reply_url).status_code, 404)
        self.assertTrue(Notice.objects.filter(user=self.alice, kind="message").exists())
        self.assertTrue(Notice.objects.filter(user=self.carol, kind="message").exists())

    def test_a_new_colleague_gets_shares_re_sealed_by_carol(self) -> None:
        alice = self.browser_for(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            alice.submit(NAMES, {"what": "waiting"})
        dana = self.make_counselor("dana")
        dana_keys = testing.add_counselor_key(dana)
        client = self.counselor_client()
        work = client.get(f"{API}/reseal").json()
        self.assertEqual(len(work["items"]), 1)
        item = work["items"][0]
        dana_key = CounselorKey.objects.get(counselor=dana)
        self.assertEqual(item["missing_keys"], [str(dana_key.id)])
        payload = envelope.open_sealed(
            self.carol_keys,
            base64.b64decode(item["sealed"]),
            testing.share_context(item["entry_id"]),
        )
        resealed = envelope.seal(
            dana_keys.public_key, payload, testing.share_context(item["entry_id"])
        )
        body = {
            "items": [
                {"tag_id": item["tag_id"], "key_id": str(dana_key.id), "sealed": b64(resealed)}
            ]
        }
        response = testing.post_json(client, f"{API}/reseal", body)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["count"], 1)
        self.assertEqual(SealedShare.objects.filter(key=dana_key).count(), 1)
        self.assertEqual(client.get(f"{API}/reseal").json()["items"], [])
        # dana cannot re-seal what she has no share of
        forged = {
            "items": [
                {"tag_id": item["tag_id"], "key_id": str(dana_key.id), "sealed": b64(resealed)}
            ]
        }
        self.assertEqual(
            testing.post_json(self.counselor_client(dana), f"{API}/reseal", forged).status_code, 400
        )

    def test_re_sealing_work_comes_in_batches_at_a_fixed_query_cost(self) -> None:
        alice = self.browser_for(self.alice)
        for n in range(3):
            with self.captureOnCommitCallbacks(execute=True):
                alice.submit([f"email:person{n}@example.org"], {"what": "waiting"})
        testing.add_counselor_key(self.make_counselor("dana"))
        client = self.counselor_client()
        client.get(f"{API}/key")  # restarts her idle clock (a session write) before counting
        with CaptureQueriesContext(connection) as all_at_once:
            work = client.get(f"{API}/reseal").json()
        self.assertEqual((len(work["items"]), work["more"]), (3, False))
        with (
            mock.patch.object(schemas, "MAX_RESEAL", 2),
            mock.patch.object(api_counselor, "MAX_RESEAL", 2),
            CaptureQueriesContext(connection) as in_batches,
        ):
            work = client.get(f"{API}/reseal").json()
        self.assertEqual((len(work["items"]), work["more"]), (2, True))
        self.assertEqual(len(in_batches), len(all_at_once))  # not one query per share

    def test_the_group_list_costs_the_same_however_many_groups(self) -> None:
        self.matched()
        client = self.counselor_client()
        with CaptureQueriesContext(connection) as one_group:
            self.assertEqual(len(client.get(f"{API}/groups").json()), 1)
        bob2 = self.make_survivor("bob2")
        mia = self.make_survivor("mia")
        for user in (bob2, mia):
            with self.captureOnCommitCallbacks(execute=True):
                self.browser_for(user).submit(["email:other@example.org"], {"what": "x"})
        with CaptureQueriesContext(connection) as two_groups:
            self.assertEqual(len(client.get(f"{API}/groups").json()), 2)
        self.assertEqual(len(two_groups), len(one_group))

    def test_retiring_a_key_deletes_its_shares_and_unassigns_groups(self) -> None:
        from mend.escrow.actions import do_retire_counselor_key

        group = self.matched()
        key = CounselorKey.objects.get(counselor=self.carol)
        with self.captureOnCommitCallbacks(execute=True):
            do_retire_counselor_key(key, self.adam)
        self.assertEqual(SealedShare.objects.filter(key=key).count(), 0)
        group.refresh_from_db()
        self.assertIsNone(group.counselor)
        self.assertTrue(
            AuditLog.objects.filter(action="escrow.key.retired", actor=self.adam).exists()
        )
