"""The holder's certificate pages (hers only) and the public verify page."""

from __future__ import annotations

import json
import uuid

from django.test import Client

from mend.accounts.models import Role, User
from mend.certificates import actions, keys
from mend.certificates.tests.base import CertificateTestCase
from mend.certificates.views import qr_svg
from mend.test import NOW, sign_in


class CertificatePageTests(CertificateTestCase):
    """alice holds a certificate; bob is another learner with his own."""

    def setUp(self) -> None:
        self.certificate = self.issue(self.alice, name="Alice Learner")
        self.issue(self.bob)
        self.url = f"/certificates/{self.certificate.id}/"

    def test_it_shows_her_certificate_with_its_text_and_a_qr_code_of_the_verify_address(
        self,
    ) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Alice Learner")
        self.assertContains(response, "Police and campus security")
        self.assertContains(response, "trauma-basics (version 1)")
        self.assertContains(response, "Nov. 24, 2028")
        self.assertContains(response, self.certificate.compact)
        self.assertContains(response, f'href="/certificates/verify/#{self.certificate.compact}"')
        address = f"http://testserver/certificates/verify/#{self.certificate.compact}"
        title = "QR code of the address that checks this certificate"
        self.assertContains(response, qr_svg(address, title))  # the QR code holds this address
        self.assertContains(response, "http://testserver/certificates/verify/</p>")
        self.assertContains(response, 'data-qa="quick-exit"')
        self.assertNotContains(response, "<script>")
        self.assertEqual(
            response.headers["Cache-Control"],
            "max-age=0, no-cache, no-store, must-revalidate, private",
        )

    def test_it_says_so_when_her_certificate_is_revoked(self) -> None:
        actions.do_revoke_certificate(self.certificate.id, "Issued in error", NOW)
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(self.url), 'data-qa="status-revoked"')

    def test_it_is_in_spanish(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get(f"/es{self.url}")
        self.assertContains(response, 'lang="es"')
        self.assertContains(response, "Certificado de finalización")

    def test_it_gives_404_to_everyone_but_the_holder_staff_included(self) -> None:
        dana = User.objects.create_user(username="dana", password="x", role=Role.SURVIVOR)
        for user in (self.bob, dana, self.mallory, self.carol, self.frank, self.erin, self.adam):
            with self.subTest(user=user.username):
                client = Client()
                sign_in(client, user)
                response = client.get(self.url)
                self.assertEqual(response.status_code, 404)
                self.assertNotContains(response, self.certificate.compact, status_code=404)

    def test_an_unknown_id_is_404_for_her_too(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(f"/certificates/{uuid.uuid4()}/").status_code, 404)

    def test_signed_out_she_is_sent_to_the_training_sign_in_and_sees_nothing_of_it(
        self,
    ) -> None:
        # The survivors' sign-in, where she was sent before, refuses learners and staff.
        for url, sign_in_page in (
            (self.url, "/training/login/"),
            ("/certificates/", "/training/login/"),
            ("/es/certificates/", "/es/training/login/"),
        ):
            response = Client().get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertEqual(response.headers["Location"], sign_in_page, url)
            self.assertNotIn(self.certificate.compact, response.content.decode())

    def test_her_list_names_her_certificates_only(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get("/certificates/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.url)
        self.assertContains(response, "Police and campus security", count=1)


class VerifyPageTests(CertificateTestCase):
    def test_it_is_public_and_carries_the_published_key_and_the_script(self) -> None:
        response = Client().get("/certificates/verify/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, keys.public_key().hex())
        self.assertContains(response, 'id="mend-config"')
        self.assertContains(response, "js/certificates/verify.js")
        self.assertContains(response, 'data-qa="quick-exit"')
        self.assertIn("'wasm-unsafe-eval'", response.headers["Content-Security-Policy"])
        self.assertNotIn("'unsafe-eval'", response.headers["Content-Security-Policy"])

    def test_its_words_start_with_the_runtimes_own_for_a_failure_it_does_not_handle(self) -> None:
        response = Client().get("/es/certificates/verify/")
        words = json.loads(
            response.content.decode()
            .split('id="mend-strings" type="application/json">')[1]
            .split("</script>")[0]
        )
        self.assertEqual(list(words)[:3], ["error_generic", "network", "session_ended"])
        self.assertEqual(
            words["network"],
            "No se pudo conectar con Mend. Revisa tu conexión e inténtalo de nuevo.",
        )

    def test_it_is_in_spanish(self) -> None:
        response = Client().get("/es/certificates/verify/")
        self.assertContains(response, "Comprueba un certificado de formación")
        self.assertContains(
            response, "V\\u00e1lido. Mend emiti\\u00f3 este certificado"
        )  # json_script

    def test_the_published_list_is_the_same_in_every_language_and_never_cached(self) -> None:
        revoked = self.issue(self.alice)
        actions.do_revoke_certificate(revoked.id, "Issued in error", NOW)
        response = Client().get("/certificates/revoked.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/json")
        self.assertIn("no-cache", response.headers["Cache-Control"])
        self.assertEqual(response.json()["revoked"], [str(revoked.id)])
        self.assertNotIn("Issued in error", response.content.decode())
        self.assertEqual(Client().get("/es/certificates/revoked.json").status_code, 404)
