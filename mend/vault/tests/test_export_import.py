from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from mend.accounts.tests.base import AccountTestCase
from mend.crypto import envelope, kdf, receipts
from mend.lib.wire import b64, unb64
from mend.vault import receipts as server_receipts
from mend.vault.models import Attachment, Record, RecordVersion
from mend.vault.testing import Draft, Survivor, record_key_context, vk_context
from mend.vault.tests.base import API, CANARY, content

MAX = 10**8


class ExportImportTests(AccountTestCase):
    def write(
        self, sam: Survivor, versions: int, files: dict[uuid.UUID, bytes] | None = None
    ) -> Draft:
        draft = Draft(vk=sam.vk)
        for n in range(versions):
            form = draft.save_form(content(f"{CANARY} {n}"), files if n == 0 else None)
            self.assertEqual(
                self.client.post(f"{API}/records/{draft.id}/versions", form).status_code, 201
            )
            draft.version += 1
        return draft

    def export(self) -> dict[str, Any]:
        r = self.client.get(f"{API}/export")
        self.assertEqual(r.status_code, 200)
        self.assertIn('attachment; filename="mend-record-export-', r["Content-Disposition"])
        data: dict[str, Any] = json.loads(b"".join(r.streaming_content))  # type: ignore[attr-defined]
        return data

    def test_it_exports_every_version_file_and_receipt_as_ciphertext(self) -> None:
        sam = self.sign_up("sam")
        self.post("login", sam.login_body())
        photo = uuid.uuid4()
        draft = self.write(sam, versions=2, files={photo: b"photo"})
        bundle = self.export()
        self.assertEqual(bundle["type"], "mend-vault-export-v1")
        self.assertEqual(bundle["receipt_public_key"], server_receipts.public_key().hex())
        self.assertEqual(bundle["vault"]["vault_id"], str(sam.vault_id))
        self.assertNotIn(CANARY, json.dumps(bundle))
        [record] = bundle["records"]
        self.assertEqual(record["id"], str(draft.id))
        for v in record["versions"]:
            receipt = receipts.from_json(json.dumps(v["receipt"]))
            receipts.verify_receipt(receipt, server_receipts.public_key())
            receipts.check_ciphertext(receipt, unb64(v["ciphertext"], "c", max_bytes=MAX))
        [attachment] = record["attachments"]
        self.assertEqual(attachment["id"], str(photo))
        # The bundle opens with the passphrase alone, in the browser:
        params = kdf.Argon2Params.from_dict(bundle["vault"]["params"])
        enc_key = kdf.derive_vault_keys(sam.passphrase, params).enc_key
        vk = envelope.unwrap_key(
            enc_key,
            unb64(bundle["vault"]["wrapped_vk"], "vk", max_bytes=99),
            vk_context(sam.vault_id),
        )
        reopened = Draft.reopen(vk, draft.id, unb64(record["wrapped_key"], "k", max_bytes=99), 2)
        last = unb64(record["versions"][1]["ciphertext"], "c", max_bytes=MAX)
        self.assertEqual(reopened.open(last, 2)["fields"]["what"], f"{CANARY} 1")

    def rewrapped(self, record: dict[str, Any], old_vk: bytes, new_vk: bytes) -> dict[str, Any]:
        """The browser's part of an import: the record key moves from the old VK to the new."""
        context = record_key_context(uuid.UUID(record["id"]))
        key = envelope.unwrap_key(old_vk, unb64(record["wrapped_key"], "k", max_bytes=99), context)
        return {**record, "wrapped_key": b64(envelope.wrap_key(new_vk, key, context))}

    def send(self, record: dict[str, Any]) -> Any:
        upload = SimpleUploadedFile("record.json", json.dumps(record).encode())
        return self.client.post(f"{API}/import", {"record": upload})

    def test_it_imports_a_bundle_into_a_new_account_with_receipts_intact(self) -> None:
        sam = self.sign_up("sam")
        self.post("login", sam.login_body())
        self.write(sam, versions=2, files={uuid.uuid4(): b"photo"})
        self.write(sam, versions=1)
        bundle = self.export()
        self.assertEqual(
            self.post(
                "delete", {"auth_key": sam.login_body()["auth_key"], "confirm": True}
            ).status_code,
            204,
        )
        kim = self.sign_up("kim")
        self.post("login", kim.login_body())
        for record in bundle["records"]:
            r = self.send(self.rewrapped(record, sam.vk, kim.vk))
            self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(Record.objects.filter(owner__username="kim").count(), 2)
        self.assertEqual(Attachment.objects.filter(record__owner__username="kim").count(), 1)
        again = self.export()
        for before, after in zip(bundle["records"], again["records"], strict=True):
            self.assertEqual(before["versions"], after["versions"])  # same bytes, same receipts
            self.assertEqual(before["attachments"], after["attachments"])
        stored = Record.objects.get(id=bundle["records"][0]["id"])
        reopened = Draft.reopen(kim.vk, stored.id, bytes(stored.wrapped_key), 2)
        latest = RecordVersion.objects.get(record=stored, version=2)
        self.assertEqual(
            reopened.open(bytes(latest.ciphertext), 2)["fields"]["what"], f"{CANARY} 1"
        )

    def test_it_refuses_a_record_that_is_still_on_this_server(self) -> None:
        sam = self.sign_up("sam")
        self.post("login", sam.login_body())
        self.write(sam, versions=1)
        [record] = self.export()["records"]
        kim = self.sign_up("kim")
        self.post("login", kim.login_body())
        r = self.send(self.rewrapped(record, sam.vk, kim.vk))
        self.assertEqual(r.status_code, 409)
        self.assertEqual(json.loads(r.content)["code"], "already_exists")
        self.assertEqual(Record.objects.filter(owner__username="kim").count(), 0)

    def test_it_refuses_a_changed_ciphertext_whose_receipt_no_longer_matches(self) -> None:
        sam = self.sign_up("sam")
        self.post("login", sam.login_body())
        self.write(sam, versions=1)
        [record] = self.export()["records"]
        self.post("delete", {"auth_key": sam.login_body()["auth_key"], "confirm": True})
        kim = self.sign_up("kim")
        self.post("login", kim.login_body())
        forged = self.rewrapped(record, sam.vk, kim.vk)
        changed = bytearray(unb64(forged["versions"][0]["ciphertext"], "c", max_bytes=MAX))
        changed[-1] ^= 1
        forged["versions"][0]["ciphertext"] = b64(bytes(changed))
        r = self.send(forged)
        self.assertEqual(r.status_code, 400)
        self.assertEqual(json.loads(r.content)["code"], "import_receipt")
        self.assertFalse(Record.objects.exists())

    def test_it_gives_staff_404(self) -> None:
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(f"{API}/export").status_code, 404)
        self.assertEqual(self.send({"id": str(uuid.uuid4())}).status_code, 404)
