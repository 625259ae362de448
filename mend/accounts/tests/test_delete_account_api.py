from __future__ import annotations

import re
import uuid
from pathlib import Path

from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client

import mend
from mend.accounts.actions import ACCOUNT_LIMIT_SCOPES
from mend.accounts.models import KeyRing, RateLimitWindow, User
from mend.accounts.tests.base import API, AccountTestCase
from mend.lib import ratelimit
from mend.vault.models import Attachment, Record, RecordVersion
from mend.vault.testing import Draft, Survivor

# A limit counted per account: its setting is named RATE_LIMIT_*_ACCOUNT, and every such
# limit is counted under the account's id.
ACCOUNT_LIMIT = re.compile(r'"([a-z][a-z-]*)",\s*settings\.RATE_LIMIT_\w+_ACCOUNT\b')


def limits_counted_by_account() -> set[str]:
    """The scopes of every limit counted by account id, as the code names them."""
    root = Path(mend.__file__).parent
    sources = (p for p in root.rglob("*.py") if "tests" not in p.relative_to(root).parts)
    return {scope for path in sources for scope in ACCOUNT_LIMIT.findall(path.read_text())}


def sessions_of(user_id: uuid.UUID) -> list[str]:
    return [
        s.session_key
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(user_id)
    ]


def counters(scopes: set[str], value: str) -> int:
    keys = [ratelimit.counter_key(ratelimit.Limit(s, 1, 1), value) for s in scopes]
    return RateLimitWindow.objects.filter(key__in=keys).count()


class DeleteAccountTests(AccountTestCase):
    def signed_in_with_a_record(self) -> tuple[Survivor, Draft]:
        sam = self.sign_up("sam")
        self.post("login", sam.login_body())
        draft = Draft(vk=sam.vk)
        form = draft.save_form({"v": 1}, files={uuid.uuid4(): b"photo"})
        r = self.client.post(f"/api/v1/vault/records/{draft.id}/versions", form)
        self.assertEqual(r.status_code, 201)
        return sam, draft

    def test_it_deletes_the_account_and_everything_in_it_at_once(self) -> None:
        sam, _ = self.signed_in_with_a_record()
        auth_key = sam.login_body()["auth_key"]
        r = self.post("delete", {"auth_key": auth_key, "confirm": True})
        self.assertEqual(r.status_code, 204)
        self.assertFalse(User.objects.filter(username="sam").exists())
        for model in (KeyRing, Record, RecordVersion, Attachment):
            self.assertEqual(model.objects.count(), 0, model.__name__)
        self.assertNotIn("_auth_user_id", self.client.session)
        with connection.cursor() as cursor:  # no row anywhere still names her
            cursor.execute("SELECT COUNT(*) FROM accounts_user WHERE username = 'sam'")
            self.assertEqual(cursor.fetchone(), (0,))

    def test_it_ends_her_sessions_on_every_device_and_no_one_elses(self) -> None:
        sam, _ = self.signed_in_with_a_record()
        sam_id = User.objects.get(username="sam").id
        phone = Client()
        r = phone.post(f"{API}/login", sam.login_body(), content_type="application/json")
        self.assertEqual(r.status_code, 200)
        bobs = Client()
        bobs.force_login(self.bob)
        self.assertEqual(len(sessions_of(sam_id)), 2)
        r = self.post("delete", {"auth_key": sam.login_body()["auth_key"], "confirm": True})
        self.assertEqual(r.status_code, 204)
        self.assertEqual(sessions_of(sam_id), [])
        self.assertEqual(len(sessions_of(self.bob.id)), 1)
        self.assertEqual(phone.get(f"{API}/alive").status_code, 401)

    def test_it_deletes_every_rate_limit_counter_kept_under_her_id(self) -> None:
        sam, _ = self.signed_in_with_a_record()  # a sign-in and a save: both counted
        sam_id = str(User.objects.get(username="sam").id)
        scopes = limits_counted_by_account()
        self.assertLessEqual({"vault-save", "escrow-message", "dialogue-item"}, scopes)
        for scope in scopes:
            ratelimit.hit(ratelimit.Limit(scope, 100, 3600), sam_id)
        self.assertEqual(counters(scopes, sam_id), len(scopes))
        r = self.post("delete", {"auth_key": sam.login_body()["auth_key"], "confirm": True})
        self.assertEqual(r.status_code, 204)
        self.assertEqual(counters(scopes, sam_id), 0)
        self.assertEqual(set(ACCOUNT_LIMIT_SCOPES), scopes)
        # The sign-in limit counts the username, not the account, and ends with its window.
        self.assertEqual(counters({"login"}, "sam"), 1)

    def test_it_needs_the_passphrase_again(self) -> None:
        self.signed_in_with_a_record()
        r = self.post("delete", {"auth_key": "00" * 32, "confirm": True})
        self.assertEqual(r.status_code, 401)
        self.assertEqual(Record.objects.count(), 1)

    def test_it_needs_a_confirmation(self) -> None:
        sam, _ = self.signed_in_with_a_record()
        r = self.post("delete", {"auth_key": sam.login_body()["auth_key"], "confirm": False})
        self.assertEqual(r.status_code, 400)
        self.assertTrue(User.objects.filter(username="sam").exists())

    def test_it_gives_staff_404_and_deletes_nothing(self) -> None:
        self.client.force_login(self.adam)
        r = self.post("delete", {"auth_key": "00" * 32, "confirm": True})
        self.assertEqual(r.status_code, 404)
        self.assertTrue(User.objects.filter(username="adam").exists())
