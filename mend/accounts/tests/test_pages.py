from __future__ import annotations

from mend.test import BaseTestCase

PAGES = ["/account/signup/", "/account/login/", "/account/recover/"]


class SignedOutPagesTests(BaseTestCase):
    def test_they_serve_anyone_with_webassembly_allowed_and_no_eval(self) -> None:
        for url in PAGES + ["/es" + p for p in PAGES]:
            r = self.client.get(url)
            self.assertEqual(r.status_code, 200, url)
            csp = r.headers["Content-Security-Policy"]
            self.assertIn("'wasm-unsafe-eval'", csp)
            self.assertNotIn("'unsafe-eval'", csp)
            self.assertNotIn("unsafe-inline", csp)
            self.assertContains(r, 'data-qa="noscript"')
            self.assertContains(r, 'name="csrfmiddlewaretoken"')

    def test_they_explain_in_spanish_without_javascript(self) -> None:
        r = self.client.get("/es/account/login/")
        self.assertContains(r, "JavaScript")
        self.assertContains(r, 'lang="es"')

    def test_the_rest_of_the_site_keeps_the_strict_policy(self) -> None:
        self.assertNotIn(
            "wasm-unsafe-eval", self.client.get("/").headers["Content-Security-Policy"]
        )

    def test_the_login_page_offers_a_newcomer_a_record_without_an_email_address(self) -> None:
        r = self.client.get("/account/login/")
        self.assertContains(r, 'data-qa="new-here"')
        self.assertContains(r, "No email address or phone number is needed.")
        self.assertContains(
            r,
            '<a class="button secondary" href="/account/signup/" data-qa="start-record">'
            "Start a private record</a>",
            html=True,
        )
        self.assertContains(self.client.get("/es/account/login/"), "¿Eres nueva o nuevo aquí?")

    def test_the_login_page_says_why_after_an_idle_time_out(self) -> None:
        r = self.client.get("/account/login/?timeout=1")
        self.assertContains(r, 'data-qa="timed-out"')


class LogOutTests(BaseTestCase):
    def test_it_ends_the_session_and_shows_the_signed_out_page(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.post("/account/logout/")
        self.assertRedirects(r, "/account/signed-out/")
        self.assertNotIn("_auth_user_id", self.client.session)
        page = self.client.get("/account/signed-out/")
        self.assertContains(page, "signed-out.js")

    def test_it_needs_a_post(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get("/account/logout/").status_code, 405)
        self.assertIn("_auth_user_id", self.client.session)

    def test_it_checks_csrf(self) -> None:
        client = self.client_class(enforce_csrf_checks=True)
        client.force_login(self.alice)
        self.assertEqual(client.post("/account/logout/").status_code, 403)


class IdleSessionTests(BaseTestCase):
    def test_a_vault_request_sets_the_idle_expiry(self) -> None:
        self.client.force_login(self.alice)
        with self.settings(VAULT_IDLE_SECONDS=120):
            self.client.get("/api/v1/accounts/alive")
            self.assertEqual(self.client.session.get_expiry_age(), 120)


class DeletePageTests(BaseTestCase):
    def test_it_names_every_part_that_goes_with_a_link_to_keep_a_copy_of_each(self) -> None:
        # "Export, then delete" must be possible for every part she used, not her records only.
        self.client.force_login(self.alice)
        r = self.client.get("/account/delete/")
        self.assertEqual(r.status_code, 200)
        for link in ('href="/record/export/"', 'href="/find-others/#copy-heading"'):
            self.assertContains(r, link)
        self.assertContains(r, 'href="/dialogue/mine/"')
        self.assertContains(r, "a dialogue you asked for ends")
        spanish = self.client.get("/es/account/delete/")
        self.assertContains(spanish, "tus entradas y tus mensajes con personas consejeras")
