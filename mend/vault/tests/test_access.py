"""Every vault URL: the owner gets 200; another survivor and every staff role get 404."""

from __future__ import annotations

import uuid

from mend.accounts.models import User
from mend.crypto import envelope
from mend.test import login_with_otp, sign_in
from mend.vault.models import RecordVersion
from mend.vault.testing import Draft
from mend.vault.tests.base import API, VaultTestCase

# URLs about one record (another survivor gets 404 too).
RECORD_PAGES = ["/record/{id}/", "/record/{id}/edit/", "/record/{id}/print/"]
RECORD_API = [
    API + "/records/{id}",
    API + "/records/{id}/versions/1/receipt",
    API + "/records/{id}/attachments/{att}",
    API + "/records/{id}/attachments/{att}/receipt",
]
# URLs about her own vault as a whole (another survivor sees her own, empty vault).
OWN_PAGES = [
    "/record/",
    "/record/new/",
    "/record/print/",
    "/record/export/",
    "/record/import/",
    "/account/passphrase/",
    "/account/delete/",
]
OWN_API = [API + "/records", API + "/export", "/api/v1/accounts/alive"]


class AccessTests(VaultTestCase):
    def setUp(self) -> None:
        draft, self.att = self.draft(), uuid.uuid4()
        self.save(self.alice, draft, files={self.att: b"a photo"})
        self.client.logout()
        self.record = draft.id

    def urls(self, templates: list[str]) -> list[str]:
        urls = [t.format(id=self.record, att=self.att) for t in templates]
        return urls + ["/es" + u for u in urls if not u.startswith("/api/")]

    def status(self, user: User, url: str) -> int:
        sign_in(self.client, user)
        return self.client.get(url).status_code

    def test_the_owner_gets_200_everywhere(self) -> None:
        for url in self.urls(RECORD_PAGES + RECORD_API + OWN_PAGES + OWN_API):
            self.assertEqual(self.status(self.alice, url), 200, url)

    def test_another_survivor_gets_404_for_her_records(self) -> None:
        for url in self.urls(RECORD_PAGES + RECORD_API):
            self.assertEqual(self.status(self.mallory, url), 404, url)

    def test_a_save_to_her_record_id_answers_as_one_to_a_free_id(self) -> None:
        # Her record ids are printed on the receipts she shares: whoever holds one must
        # not learn from a save whether the record is still there (found by a review).
        mallory = Draft(vk=envelope.new_key(), id=self.record, version=1)  # her version 2
        taken = self.save(self.mallory, mallory)
        free = self.save(self.mallory, Draft(vk=envelope.new_key(), version=1))
        self.assertEqual((taken.status_code, taken.json()), (404, free.json()))
        self.assertEqual(free.status_code, 404)
        self.assertEqual(RecordVersion.objects.filter(record_id=self.record).count(), 1)

    def test_another_survivor_sees_only_her_own_vault(self) -> None:
        self.client.force_login(self.mallory)
        self.assertEqual(self.client.get(API + "/records").json(), {"records": []})
        self.assertNotIn(str(self.record).encode(), self.client.get(API + "/export").getvalue())

    def test_every_staff_role_gets_404_everywhere(self) -> None:
        for staff in (self.carol, self.erin, self.frank, self.adam):
            for url in self.urls(RECORD_PAGES + RECORD_API + OWN_PAGES + OWN_API):
                # The idle clock's ping runs on a counselor's and a facilitator's pages too
                # (it holds nothing of anyone's record: only her own session's seconds left).
                pings = staff in (self.carol, self.frank) and url.endswith("/alive")
                expected = 200 if pings else 404
                self.assertEqual(self.status(staff, url), expected, f"{staff.username} {url}")

    def test_staff_cannot_use_the_survivor_sign_in_pages(self) -> None:
        for staff in (self.carol, self.erin, self.frank, self.adam):
            for url in ("/account/signup/", "/account/login/", "/account/recover/"):
                self.assertEqual(self.status(staff, url), 404, f"{staff.username} {url}")

    def test_a_signed_out_visitor_is_asked_to_log_in(self) -> None:
        for url in self.urls(RECORD_PAGES + OWN_PAGES):
            r = self.client.get(url)
            self.assertEqual(r.status_code, 302, url)
            login = "/es/account/login/" if url.startswith("/es/") else "/account/login/"
            self.assertTrue(r["Location"].startswith(login + "?next="), url)
        for url in self.urls(RECORD_API + OWN_API):
            self.assertEqual(self.client.get(url).status_code, 401, url)

    def test_the_admin_has_no_page_for_vault_data_or_survivors(self) -> None:
        login_with_otp(self.client, self.adam)
        for path in ("vault/record/", "vault/recordversion/", "accounts/keyring/"):
            self.assertEqual(self.client.get(f"/staff/admin/{path}").status_code, 404, path)
        r = self.client.get("/staff/admin/accounts/user/")
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, ">alice<")
        self.assertContains(r, ">carol<")
        r = self.client.get(f"/staff/admin/accounts/user/{self.alice.pk}/change/")
        self.assertEqual(r.status_code, 302)  # "doesn't exist", back to the list
