from __future__ import annotations

from mend.vault import receipts as server_receipts
from mend.vault.fields import GROUPS
from mend.vault.tests.base import VaultTestCase


class VaultPagesTests(VaultTestCase):
    def test_the_guided_form_has_every_field_and_none_is_required(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.get("/record/new/")
        self.assertEqual(r.status_code, 200)
        for group in GROUPS:
            for field in group.fields:
                self.assertContains(r, f'name="{field.name}"')
        self.assertNotContains(r, " required")
        self.assertContains(r, "Every question is optional")

    def test_vault_pages_allow_webassembly_but_never_eval(self) -> None:
        self.client.force_login(self.alice)
        csp = self.client.get("/record/").headers["Content-Security-Policy"]
        self.assertIn("'wasm-unsafe-eval'", csp)
        self.assertNotIn("'unsafe-eval'", csp)
        self.assertNotIn("unsafe-inline", csp)

    def test_they_explain_why_javascript_is_needed_in_both_languages(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.client.get("/record/"), 'data-qa="noscript"')
        r = self.client.get("/es/record/")
        self.assertContains(r, "Esta parte de Mend necesita JavaScript")
        self.assertContains(r, "Guardar un registro")

    def test_they_pass_settings_to_the_scripts_as_json_not_code(self) -> None:
        self.client.force_login(self.alice)
        with self.settings(VAULT_IDLE_SECONDS=300):
            r = self.client.get("/record/")
        self.assertContains(r, '<script id="mend-config" type="application/json">')
        self.assertContains(r, '"idle_seconds": 300')
        self.assertContains(r, '"username": "alice"')

    def test_the_receipt_checking_page_is_public_and_shows_the_key(self) -> None:
        r = self.client.get("/record/check-receipt/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, server_receipts.public_key().hex())
        self.assertContains(r, "verify_receipt")

    def test_the_nav_links_to_keep_a_record(self) -> None:
        self.assertContains(self.client.get("/"), 'href="/record/"')
        self.assertContains(self.client.get("/es/"), "Guardar un registro")

    def test_the_export_page_points_to_every_other_copy_she_can_keep(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.get("/record/export/")
        self.assertContains(r, 'data-qa="export-elsewhere"')
        self.assertContains(r, '<a href="/find-others/">Keep a copy, on its page</a>', html=True)
        self.assertContains(r, '<a href="/dialogue/mine/">Keep a copy, on its page</a>', html=True)
        r = self.client.get("/es/record/export/")
        self.assertContains(r, "Lo que guardas en otras partes de Mend")
