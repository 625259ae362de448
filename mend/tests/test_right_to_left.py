"""Right-to-left ready: Mend's stylesheets never name a physical side.

The README promises that a right-to-left language needs only its catalogue: templates set
``dir`` on ``<html>`` and every rule says "start" and "end" (logical properties), which a
browser turns into right and left for Arabic or Hebrew. One ``margin-left`` would put that
margin on the wrong side of every right-to-left page; this test reads every stylesheet
Mend serves (not the vendored libraries', nor Django admin's) and names each line that
does. ``tests/browser/test_right_to_left.py`` checks the pages as a browser lays them out.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.test import SimpleTestCase

MEND = Path(__file__).resolve().parents[1]

# A property or value that means a side of the screen rather than of the text.
PHYSICAL = re.compile(
    r"(?<![-\w])(?:"
    r"(?:margin|padding|border)-(?:left|right)(?:-\w+)?"  # margin-left, border-right-color
    r"|border-(?:top|bottom)-(?:left|right)-radius"
    r"|(?:left|right)\s*:"  # positioned with left: / right:
    r"|(?:text-align|float|clear|justify-(?:content|items|self))\s*:\s*(?:left|right)\b"
    r")"
)


def stylesheets() -> list[Path]:
    return sorted(p for p in MEND.rglob("*.css") if "vendor" not in p.parts)


def physical_lines(text: str) -> list[str]:
    # Comments may say "left" and "right" (this rule's own reason, for one).
    code = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)
    return [
        f"{number}: {line.strip()}"
        for number, line in enumerate(code.splitlines(), 1)
        if PHYSICAL.search(line)
    ]


class RightToLeftTests(SimpleTestCase):
    def test_no_stylesheet_names_a_physical_side(self) -> None:
        found = stylesheets()
        self.assertGreaterEqual(len(found), 5, "the stylesheets were found")
        named = {
            str(path.relative_to(MEND)): lines
            for path in found
            if (lines := physical_lines(path.read_text(encoding="utf-8")))
        }
        self.assertEqual(named, {})

    def test_the_check_sees_each_physical_side_and_passes_logical_ones(self) -> None:
        physical = (
            ".a { margin-left: 1rem; }",
            ".a { padding-right: 0 }",
            ".a { border-left-width: 2px }",
            ".a { border-top-right-radius: 4px }",
            ".a { position: absolute; right: 0; }",
            ".a { left:0 }",
            ".a { text-align: left }",
            ".a { float: right }",
            ".a { clear: left }",
            ".a { justify-content: right }",
        )
        for rule in physical:
            with self.subTest(rule):
                self.assertEqual(len(physical_lines(rule)), 1)
        logical = (
            ".a { margin-inline-start: 1rem; padding-inline-end: 0 }",
            ".a { inset-inline-end: 0; text-align: start; float: inline-start }",
            ".a { justify-content: flex-end; justify-self: end }",
            ".a { border-start-end-radius: 4px; border-inline-start-width: 2px }",
            "/* not margin-left: the start side */ .a { margin-inline-start: 0 }",
            ".flip-left { transform: none }",
        )
        for rule in logical:
            with self.subTest(rule):
                self.assertEqual(physical_lines(rule), [])
