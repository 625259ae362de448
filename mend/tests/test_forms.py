"""No form sends what she typed in a URL. A form that the server answers says its method; a
form that a page script answers (a passphrase, a record, a letter) is marked
data-script-form and posts, so that js/lib/hold-forms.js keeps the browser from sending it
before the script runs, and with JavaScript off nothing lands in a URL (the browser test:
tests/browser/test_forms_before_script.py). Read from the templates themselves."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import SimpleTestCase

MEND = Path(__file__).resolve().parents[1]
FORM = re.compile(r"<form\b[^>]*>", re.DOTALL)

#: The forms that may use GET, and why: searches and choices with nothing of her own.
MAY_GET = {
    "findhelp/templates/findhelp/_search_form.html": "a public directory search",
    "templates/mend/home.html": "the home page's directory search",
    "leave/templates/leave/policy.html": "an employer's policy choices",
    "training/templates/training/_practice.html": "a practice question's answer, not kept",
}


def forms() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(MEND)), tag)
        for path in sorted(MEND.rglob("*.html"))
        for tag in FORM.findall(path.read_text(encoding="utf-8"))
    ]


class FormTests(SimpleTestCase):
    def test_every_form_says_how_it_is_sent_and_only_searches_use_get(self) -> None:
        found = forms()
        self.assertGreater(len(found), 40, "the templates were read")
        for name, tag in found:
            with self.subTest(name, tag=tag):
                method = re.search(r'method="(\w+)"', tag)
                self.assertIsNotNone(method, "a form without a method is sent with GET")
                if method and method[1] == "get":
                    self.assertIn(name, MAY_GET)

    def test_every_form_a_script_answers_posts_and_is_held_until_the_script_runs(self) -> None:
        held = [(name, tag) for name, tag in forms() if "data-script-form" in tag]
        self.assertGreater(len(held), 30)
        for name, tag in held:
            with self.subTest(name, tag=tag):
                self.assertIn('method="post"', tag)
                self.assertNotIn("action=", tag)  # nowhere to send it but this page
        base = (MEND / "templates/base.html").read_text(encoding="utf-8")
        self.assertLess(base.index("js/lib/hold-forms.js"), base.index("{% block head %}"))
