from __future__ import annotations

import re

from django.test import Client

from mend.test import BaseTestCase


class HomePageTests(BaseTestCase):
    def test_it_welcomes_a_visitor_in_english(self) -> None:
        r = self.client.get("/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, '<html lang="en" dir="ltr">', html=False)
        self.assertContains(r, "Support after sexual harassment or assault")

    def test_it_welcomes_a_visitor_in_spanish(self) -> None:
        r = self.client.get("/es/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, '<html lang="es" dir="ltr">', html=False)
        self.assertContains(r, "Apoyo después del acoso o la agresión sexual")

    def test_it_puts_the_quick_exit_first_in_the_page(self) -> None:
        html = self.client.get("/").content.decode()
        body = html[html.index("<body") :]
        first_link = body[body.index("<a ") : body.index("</a>")]
        self.assertIn("data-quick-exit", first_link)
        self.assertIn('rel="noreferrer"', first_link)
        self.assertIn('href="https://www.bbc.co.uk/weather"', first_link)

    def test_it_sends_the_spanish_quick_exit_to_a_spanish_site(self) -> None:
        r = self.client.get("/es/")
        self.assertContains(r, 'href="https://www.eltiempo.es/"')

    def test_it_links_every_language_version_of_the_page(self) -> None:
        r = self.client.get("/es/safety/")
        self.assertContains(r, 'href="/safety/" lang="en" hreflang="en"')
        self.assertContains(r, 'href="/es/safety/" lang="es" hreflang="es" aria-current="true"')

    def test_a_path_that_looks_like_another_site_gets_language_links_to_this_one(self) -> None:
        # GET //evil.example/help/ answers 404 with the language links; they were
        # //evil.example/help/ and //evil.example/es/help/ (found by a review).
        client = Client(raise_request_exception=False)
        for path in ("//evil.example/help/", "///evil.example/", "/\\evil.example/help/"):
            r = client.get("/", PATH_INFO=path)
            self.assertEqual(r.status_code, 404, path)
            links = re.findall(r'href="([^"]*)" lang="\w+" hreflang', r.content.decode())
            self.assertEqual(len(links), 2, path)
            for link in links:
                self.assertRegex(link, r"^/[^/\\]", path)

    def test_it_loads_nothing_from_another_origin(self) -> None:
        html = self.client.get("/").content.decode()
        for attribute in ('src="http', 'src="//', 'href="//'):
            self.assertNotIn(attribute, html)
        # Links elsewhere (the quick exit, the national lines) are followed only when
        # clicked, and tell the other site nothing about this page.
        elsewhere = re.findall(r"<(\w+)[^>]*href=\"https?:[^>]*>", html)
        self.assertEqual(set(elsewhere), {"a"})
        self.assertEqual(
            len(elsewhere), len(re.findall(r'<a [^>]*href="https?:[^>]*rel="noreferrer"', html))
        )

    def test_it_introduces_every_part_with_what_it_does_and_does_not_do(self) -> None:
        r = self.client.get("/")
        self.assertContains(r, 'href="/record/"')
        self.assertContains(r, 'href="/find-others/about/"')
        self.assertContains(r, "nobody at Mend can read it")
        self.assertContains(r, "It is not a public list, it does not report anyone")
        self.assertContains(r, '<a href="/dialogue/">Accountability on your terms</a>', html=True)
        self.assertContains(r, "Nothing starts unless that person first admits responsibility.")
        self.assertContains(r, 'href="/leave/"')
        self.assertContains(r, "Your answers stay in your browser.")
        self.assertContains(r, 'href="/training/"')
        r = self.client.get("/es/")
        self.assertContains(r, "Lo que Mend puede hacer por ti")
        self.assertContains(
            r, '<a href="/es/dialogue/">Rendición de cuentas en tus términos</a>', html=True
        )
        self.assertContains(
            r, "Nada empieza si esa persona no reconoce primero su responsabilidad."
        )
