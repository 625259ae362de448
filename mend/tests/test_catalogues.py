"""Each Spanish word has one translation across Mend's catalogues.

Django merges every app's catalogue (mend/<app>/locale) with the shared one (mend/locale)
into one: where two catalogues translate the same English text differently, the app listed
first in INSTALLED_APPS wins on every page, so a page shows a word its own catalogue never
chose (the leave page's "Check" became the vault's). An entry lives in the catalogue of the
app that uses it; two apps that use one text must agree on its translation.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

from django.test import SimpleTestCase

MEND = Path(__file__).resolve().parents[1]
FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$')


def entries(text: str) -> dict[tuple[str, str], str]:
    """(context, English) -> the translation, for every translated entry of a .po text."""
    found: dict[tuple[str, str], str] = {}
    for block in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        current = ""
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = FIELD.match(line)
            if match:
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        translation = " | ".join(v for k, v in sorted(fields.items()) if k.startswith("msgstr"))
        if fields.get("msgid") and translation.strip(" |"):
            found[(fields.get("msgctxt", ""), fields["msgid"])] = translation
    return found


def catalogues() -> dict[str, dict[tuple[str, str], str]]:
    return {
        str(path.relative_to(MEND)): entries(path.read_text(encoding="utf-8"))
        for path in sorted(MEND.glob("**/locale/es/LC_MESSAGES/django.po"))
    }


class CatalogueTests(SimpleTestCase):
    def test_no_english_text_is_translated_two_ways(self) -> None:
        found = catalogues()
        self.assertGreater(len(found), 10, "the catalogues were found")
        ways: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for path, catalogue in found.items():
            for key, translation in catalogue.items():
                ways[key][translation].add(path.split("/")[0])
        differing = {key[1]: dict(w) for key, w in ways.items() if len(w) > 1}
        self.assertEqual(differing, {})

    def test_the_check_sees_two_translations_and_reads_wrapped_entries(self) -> None:
        text = '#: x.py\nmsgid ""\n"Check"\nmsgstr "Comprobar"\n\nmsgid "Save"\nmsgstr ""\n'
        self.assertEqual(entries(text), {("", "Check"): "Comprobar"})  # untranslated: none
