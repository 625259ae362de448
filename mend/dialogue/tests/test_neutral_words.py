"""The dialogue's pages assume nobody's gender.

A survivor may have been harmed by a woman, a facilitator may be a man: the words the
survivor and the responsible person read (their pages, their page scripts' words, the
information page) call the others "the person responsible", "the other person", "a
facilitator" and "they", never "he" or "she"; in Spanish the facilitator is "la persona
facilitadora" (the team's convention), and no text says "él" of the other party. The staff
pages' English says "the survivor", "the person responsible" and "they" too, and their
Spanish "quien te supervisa" and "la persona sobreviviente" (not checked here: in a staff
text "él" is as often the case or the browser as a person).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.test import SimpleTestCase

from mend.tests.test_catalogues import entries

DIALOGUE = Path(__file__).resolve().parents[1]
TEMPLATES = DIALOGUE / "templates" / "dialogue"
PAGES = [
    *sorted((TEMPLATES / "survivor").glob("*.html")),
    *sorted((TEMPLATES / "responsible").glob("*.html")),
    *sorted(TEMPLATES.glob("*.html")),  # the information page and the shared parts
]
STRINGS = [DIALOGUE / "strings_survivor.py", DIALOGUE / "strings_responsible.py"]
STAFF_PAGES = sorted((TEMPLATES / "staff").glob("*.html"))
STAFF_STRINGS = [
    DIALOGUE / name for name in ("staff_strings.py", "staff_forms.py", "pages_staff.py")
]

GENDERED = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)
# "facilitadora" alone is a woman; "persona facilitadora" is anyone. "Él" is a man.
GENDERED_ES = re.compile(r"(?<![Pp]ersona )(?<![Pp]ersonas )\bfacilitadoras?\b|(?<!\w)[Éé]l(?!\w)")
TRANSLATED = re.compile(
    r'{%\s*translate\s+"((?:[^"\\]|\\.)*)"|{%\s*blocktranslate[^%]*%}(.*?){%\s*(?:plural|endblocktranslate)',
    re.DOTALL,
)


def template_texts(text: str) -> list[str]:
    return [a or b for a, b in TRANSLATED.findall(text)]


def python_texts(source: str) -> list[str]:
    return [
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]


def texts_of(pages: list[Path], strings: list[Path]) -> list[str]:
    texts = [t for page in pages for t in template_texts(page.read_text(encoding="utf-8"))]
    return texts + [t for path in strings for t in python_texts(path.read_text(encoding="utf-8"))]


def parties_texts() -> list[str]:
    return texts_of(PAGES, STRINGS)


class NeutralWordsTests(SimpleTestCase):
    def test_no_english_text_a_party_reads_gives_anyone_a_gender(self) -> None:
        texts = parties_texts()
        self.assertGreater(len(texts), 150, "the texts were found")
        self.assertEqual([t for t in texts if GENDERED.search(t)], [])

    def test_no_english_text_the_staff_read_gives_anyone_a_gender(self) -> None:
        texts = texts_of(STAFF_PAGES, STAFF_STRINGS)
        self.assertGreater(len(texts), 150, "the texts were found")
        self.assertEqual([t for t in texts if GENDERED.search(t)], [])

    def test_no_spanish_text_a_party_reads_gives_anyone_a_gender(self) -> None:
        catalogue = entries(
            (DIALOGUE / "locale/es/LC_MESSAGES/django.po").read_text(encoding="utf-8")
        )
        spanish = {
            english: catalogue[("", english)]
            for english in parties_texts()
            if ("", english) in catalogue
        }
        self.assertGreater(len(spanish), 150, "the translations were found")
        self.assertEqual({e: s for e, s in spanish.items() if GENDERED_ES.search(s)}, {})

    def test_the_checks_see_a_gendered_text(self) -> None:
        self.assertEqual(
            template_texts('{% translate "He may learn it." %} {% translate "Hidden" %}'),
            ["He may learn it.", "Hidden"],
        )
        self.assertEqual(python_texts('x = _("She reads it")'), ["She reads it"])
        for english in ("He may learn it.", "Let her read it", "his words", "She chose"):
            self.assertRegex(english, GENDERED)
        for english in ("They may learn it.", "There, then the help here", "Share it"):
            self.assertNotRegex(english, GENDERED)
        for spanish in ("Una facilitadora lo lee.", "Él lo abrió.", "las facilitadoras"):
            self.assertRegex(spanish, GENDERED_ES)
        for spanish in (
            "Una persona facilitadora lo lee.",
            "El plan",
            "las personas facilitadoras",
        ):
            self.assertNotRegex(spanish, GENDERED_ES)
