"""A case from request to closure through the API alone, three "browsers" (alice, frank and
tom, who joins by invitation), each encrypting and opening as mend.crypto.dialogue does.

After every step the whole database and every request body are searched for the canary
(words someone wrote); none may hold it in any form but ciphertext.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from django.apps import apps
from django.test import Client

from mend.audit.models import AuditLog
from mend.crypto import dialogue as crypto
from mend.dialogue.models import Case, Feedback, Item
from mend.dialogue.stages import Stage
from mend.dialogue.tests.helpers import (
    BASE,
    CANARY,
    DialogueTestCase,
    b64,
    keys_for,
    wrapped_secret,
)
from mend.test import login_with_otp
from mend.vault.testing import Survivor


def raw(value: Any) -> bytes:
    if isinstance(value, bytes | memoryview):
        return bytes(value)
    return json.dumps(value, default=str).encode() if not isinstance(value, str) else value.encode()


class WalkTests(DialogueTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.browsers: dict[str, Client] = {"alice": Client(), "frank": Client()}
        self.browsers["alice"].force_login(self.alice)
        login_with_otp(self.browsers["frank"], self.frank)
        self.sent: list[bytes] = []

    # --- The three browsers ------------------------------------------------------------------

    def send(self, who: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body or {})
        self.sent.append(data.encode())
        client = self.browsers[who]
        if method == "GET":
            return client.get(BASE + path)
        return getattr(client, method.lower())(
            BASE + path, data=data, content_type="application/json"
        )

    def ok(self, who: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        r = self.send(who, method, path, body)
        self.assertIn(r.status_code, (200, 201, 204), f"{who} {method} {path}: {r.content!r}")
        self.assertNoCanary()
        return r.json() if r.content else None

    def assertNoCanary(self) -> None:
        needle = CANARY.encode()
        for body in self.sent:
            self.assertNotIn(needle, body)
        for model in apps.get_models():
            for row in model._default_manager.all().values():
                for field, value in row.items():
                    self.assertNotIn(needle, raw(value), f"{model.__name__}.{field}")

    def put_key(self, who: str, case_id: str, me: str) -> None:
        keys = keys_for(who)
        self.ok(
            who,
            "PUT",
            f"/cases/{case_id}/key",
            {
                "box_public_key": b64(keys.box.public_key),
                "signing_public_key": b64(keys.signing_public_key),
                "wrapped_secret_key": b64(wrapped_secret(keys, uuid.UUID(me))),
            },
        )

    def case(self, who: str, case_id: str) -> Any:
        return self.ok(who, "GET", f"/cases/{case_id}")

    def write(self, who: str, case_id: str, kind: str, text: str, **extra: Any) -> Any:
        body = self.sealed_body(who, case_id, kind, text, **extra)
        return self.ok(who, "POST", f"/cases/{case_id}/items", body)

    def sealed_body(self, who: str, case_id: str, kind: str, text: str, **extra: Any) -> Any:
        """Encrypt, sign and seal in `who`'s browser, from the case as the server lists it."""
        view = self.case(who, case_id)
        me = view["me"]
        readers = {
            uuid.UUID(p["id"]): base64.b64decode(p["box_public_key"])
            for p in view["parties"]
            if p["box_public_key"]
            and (p["id"] == me or p["role"] in ("lead", "co") or kind == "plan-item")
        }
        item_id = extra.pop("id", uuid.uuid4())
        revision = extra.get("revision", 1)
        ref = crypto.ItemRef(uuid.UUID(case_id), item_id, uuid.UUID(me), kind, revision)
        item = crypto.seal_item(ref, text.encode(), keys_for(who).seed, readers)
        return {
            "id": str(item_id),
            "kind": kind,
            "body": b64(item.body),
            "signature": b64(item.signature),
            "commitment": b64(item.commitment),
            "reader_keys": {str(k): b64(v) for k, v in item.reader_keys.items()},
            **extra,
        }

    def read(self, who: str, case_id: str, item: dict[str, Any]) -> str:
        """Open an item in `who`'s browser: refused unless the author's signature verifies."""
        view = self.case(who, case_id)
        author = next(p for p in view["parties"] if p["id"] == item["author"])
        ref = crypto.ItemRef(
            uuid.UUID(case_id),
            uuid.UUID(item["id"]),
            uuid.UUID(item["author"]),
            item["kind"],
            item["revision"],
        )
        sealed = crypto.SealedItem(
            base64.b64decode(item["body"]),
            base64.b64decode(item["signature"]),
            base64.b64decode(item["commitment"]),
            {uuid.UUID(view["me"]): base64.b64decode(item["sealed_key"])},
        )
        signing = base64.b64decode(author["signing_public_key"])
        return crypto.open_item(
            ref, sealed, keys_for(who).box, uuid.UUID(view["me"]), signing
        ).decode()

    def approve_in_browser(self, case_id: str, item: dict[str, Any], recipient_role: str) -> Any:
        """The facilitator's browser opens the key and seals it to the recipient."""
        view = self.case("frank", case_id)
        recipient = next(p for p in view["parties"] if p["role"] == recipient_role)
        ref = crypto.ItemRef(
            uuid.UUID(case_id),
            uuid.UUID(item["id"]),
            uuid.UUID(item["author"]),
            item["kind"],
            item["revision"],
        )
        sealed = crypto.SealedItem(
            base64.b64decode(item["body"]),
            base64.b64decode(item["signature"]),
            base64.b64decode(item["commitment"]),
            {uuid.UUID(view["me"]): base64.b64decode(item["sealed_key"])},
        )
        key = crypto.open_content_key(ref, keys_for("frank").box, uuid.UUID(view["me"]), sealed)
        to = crypto.wrap_for_reader(
            ref, key, uuid.UUID(recipient["id"]), base64.b64decode(recipient["box_public_key"])
        )
        path = f"/cases/{case_id}/items/{item['id']}/screening"
        return self.ok("frank", "POST", path, {"decision": "approved", "recipient_key": b64(to)})

    def step(self, who: str, case_id: str, step: str) -> Any:
        return self.ok(who, "POST", f"/cases/{case_id}/steps", {"step": step})

    # --- The walk ----------------------------------------------------------------------------

    def test_a_case_walks_from_request_to_closure_with_ciphertext_only(self) -> None:
        case_id = self.opened_and_assessed()
        tom = self.joined_and_acknowledged(case_id)
        self.exchanged(case_id, tom)
        self.planned_and_monitored(case_id)
        self.step("alice", case_id, "pause")
        self.step("alice", case_id, "resume")
        closed = self.step("alice", case_id, "end")
        self.assertEqual((closed["stage"], closed["state"]), (Stage.CLOSURE, "closed"))
        self.assertEqual(closed["closure_reason"], "survivor_ended")
        late = self.sealed_body("tom", case_id, "message", "After the end.")
        r = self.send("tom", "POST", f"/cases/{case_id}/items", late)
        self.assertEqual((r.status_code, r.json()["code"]), (403, "closed"))
        self.ok("alice", "POST", f"/cases/{case_id}/feedback", {"answers": self.answers()})
        self.assertEqual(Feedback.objects.count(), 1)
        self.assertNoCanary()
        # The audit log names the staff who acted, never the parties (admins read it).
        named = set(AuditLog.objects.exclude(actor=None).values_list("actor__role", flat=True))
        self.assertEqual(named, {"facilitator", "supervisor"})

    def opened_and_assessed(self) -> str:
        case_id = str(self.ok("alice", "POST", "/cases")["id"])
        self.ok("alice", "POST", f"/cases/{case_id}/consent", {"version": 1})
        sophie = Client()
        login_with_otp(sophie, self.sophie)
        r = sophie.post(
            f"{BASE}/supervision/cases/{case_id}/team",
            data=json.dumps({"username": "frank", "role": "lead"}),
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 201)
        self.put_key("alice", case_id, self.case("alice", case_id)["me"])
        self.put_key("frank", case_id, self.case("frank", case_id)["me"])
        self.step("frank", case_id, "advance")
        note = f"Safe to go on. {CANARY}"
        self.write("frank", case_id, "assessment", note, subject="survivor", decision="proceed")
        self.step("frank", case_id, "advance")
        return case_id

    def joined_and_acknowledged(self, case_id: str) -> str:
        code = self.ok("frank", "POST", f"/cases/{case_id}/invitation")["code"]
        tom = Survivor("tom", "a passphrase tom chose himself")
        self.browsers["tom"] = Client()
        self.ok("tom", "POST", "/join", {**tom.signup_body(), "code": code})
        self.put_key("tom", case_id, self.case("tom", case_id)["me"])
        first = self.write("tom", case_id, "acknowledgment", f"It was a misunderstanding. {CANARY}")
        path = f"/cases/{case_id}/items/{first['id']}/screening"
        self.ok("frank", "POST", path, {"decision": "returned", "return_reason": "minimises"})
        self.assertEqual(self.step_refused("frank", case_id), "no_acknowledgment")
        second = self.write(
            "tom",
            case_id,
            "acknowledgment",
            f"I did it. {CANARY}",
            revision=2,
            replaces=first["id"],
        )
        second = self.ok("frank", "GET", f"/cases/{case_id}/items/{second['id']}")
        self.approve_in_browser(case_id, second, "survivor")
        mine = self.ok("alice", "GET", f"/cases/{case_id}/items/{second['id']}")
        self.assertEqual(self.read("alice", case_id, mine), f"I did it. {CANARY}")
        self.step("frank", case_id, "advance")
        self.step("frank", case_id, "advance")
        return case_id

    def step_refused(self, who: str, case_id: str) -> str:
        r = self.send(who, "POST", f"/cases/{case_id}/steps", {"step": "advance"})
        self.assertEqual(r.status_code, 403)
        return str(r.json()["code"])

    def exchanged(self, case_id: str, _: str) -> None:
        sent = self.write("alice", case_id, "message", f"This is what it did. {CANARY}")
        self.assertEqual(
            self.send("tom", "GET", f"/cases/{case_id}/items/{sent['id']}").status_code, 404
        )
        self.approve_in_browser(
            case_id, self.ok("frank", "GET", f"/cases/{case_id}/items/{sent['id']}"), "responsible"
        )
        his = self.ok("tom", "GET", f"/cases/{case_id}/items/{sent['id']}")
        self.assertEqual(self.read("tom", case_id, his), f"This is what it did. {CANARY}")
        self.ok("tom", "POST", f"/cases/{case_id}/items/{sent['id']}/read")
        self.assertIsNone(self.ok("alice", "GET", f"/cases/{case_id}/items/{sent['id']}")["read"])
        letter = self.write("tom", case_id, "letter", f"An apology. {CANARY}")
        self.approve_in_browser(
            case_id, self.ok("frank", "GET", f"/cases/{case_id}/items/{letter['id']}"), "survivor"
        )
        self.ok("alice", "POST", f"/cases/{case_id}/items/{letter['id']}/read")
        self.assertIsNone(self.ok("tom", "GET", f"/cases/{case_id}/items/{letter['id']}")["read"])

    def planned_and_monitored(self, case_id: str) -> None:
        self.step("frank", case_id, "advance")
        self.write(
            "frank",
            case_id,
            "plan-item",
            f"Complete a programme. {CANARY}",
            plan_kind="treatment",
            due_on="2027-03-01",
        )
        (plan,) = self.ok("alice", "GET", f"/cases/{case_id}/plan")
        self.ok("alice", "POST", f"/cases/{case_id}/plan/{plan['id']}/answer", {"accept": True})
        self.step("frank", case_id, "advance")
        self.ok(
            "frank", "POST", f"/cases/{case_id}/plan/{plan['id']}/outcome", {"completed": False}
        )
        (told,) = self.ok("alice", "GET", f"/cases/{case_id}/plan")
        self.assertEqual(told["outcome"], "missed")
        self.assertEqual(Case.objects.get(id=case_id).stage, Stage.MONITORING)
        self.assertEqual(Item.objects.filter(case_id=case_id).count(), 6)

    def answers(self) -> dict[str, int]:
        return {"felt_safe": 4, "felt_heard": 5, "facilitation": 4, "would_recommend": 3}

    def test_the_canary_search_finds_plaintext_where_it_is(self) -> None:
        Feedback.objects.create(submitted_on="2026-11-24", answers={"note": CANARY})
        with self.assertRaises(AssertionError):
            self.assertNoCanary()
