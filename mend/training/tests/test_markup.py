"""The renderer of content text: everything escaped, https links and site paths only."""

from __future__ import annotations

from django.test import SimpleTestCase, override_settings
from django.utils import translation

from mend.training import catalogue, markup
from mend.training.tests.base import FIXTURES


class RenderTests(SimpleTestCase):
    def test_it_renders_bold_emphasis_and_an_https_link(self) -> None:
        html = markup.render("A **bold** and *quiet* [guide](https://example.org/a?b=1&c=2).")
        self.assertEqual(
            html,
            'A <strong>bold</strong> and <em>quiet</em> <a href="https://example.org/a?b=1&amp;c=2"'
            ' rel="noreferrer">guide</a>.',
        )

    def test_it_shows_raw_html_as_text(self) -> None:
        html = markup.render('Hello <script>alert("x")</script> <img src=x onerror=y>')
        self.assertNotIn("<script", html)
        self.assertNotIn("<img", html)
        self.assertIn("&lt;script&gt;", html)

    def test_it_makes_no_link_of_another_scheme(self) -> None:
        for url in (
            "javascript:alert(1)",
            "http://example.org",
            "data:text/html,x",
            "//evil.example",
            "/\\evil.example",
            '/leave/"onmouseover=x',
        ):
            with self.subTest(url):
                html = markup.render(f"[click]({url})")
                self.assertNotIn("<a", html)
                self.assertIn("[click]", html)

    def test_it_links_a_page_of_mend_itself_by_its_path(self) -> None:
        self.assertEqual(
            markup.render("See [the checker](/leave/) or [a policy](/leave/policy/#clauses)."),
            'See <a href="/leave/" rel="noreferrer">the checker</a> or'
            ' <a href="/leave/policy/#clauses" rel="noreferrer">a policy</a>.',
        )

    def test_it_escapes_inside_markup(self) -> None:
        html = markup.render('**<b>x</b>** [a "quote"](https://example.org/"onmouseover=x)')
        self.assertNotIn("<b>", html)
        self.assertNotIn('"onmouseover', html)
        self.assertIn("&lt;b&gt;", html)

    def test_it_escapes_quotes_and_ampersands_in_plain_text(self) -> None:
        self.assertEqual(markup.render('Tom & "Jerry" \'s'), "Tom &amp; &quot;Jerry&quot; &#x27;s")

    def test_it_counts_words_without_markup(self) -> None:
        self.assertEqual(
            markup.plain("A **bold** [link text](https://x.example)"), "A bold link text"
        )


@override_settings(LOCALE_PATHS=[FIXTURES / "locale"])
class TranslatedRenderTests(SimpleTestCase):
    def test_it_shows_content_in_spanish_from_the_catalogue(self) -> None:
        with translation.override("es"):
            self.assertEqual(
                catalogue.show("Listening when someone tells you"),
                "Escuchar cuando alguien te lo cuenta",
            )

    def test_it_shows_an_untranslated_piece_in_english_still_escaped(self) -> None:
        with translation.override("es"):
            self.assertEqual(catalogue.show("Not <translated>"), "Not &lt;translated&gt;")
