"""The content files: the real curriculum validates, every piece of it has Spanish, and the
validator refuses each way of breaking the format (mend/training/content/README.md)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.test import SimpleTestCase, override_settings

from mend.training import catalogue, checks, curriculum
from mend.training.tests.base import FIXTURES

CATALOGUE = Path(settings.BASE_DIR) / "mend" / "training" / "locale" / "es" / "LC_MESSAGES"


def spanish_entries(po_file: Path) -> dict[str, str]:
    with po_file.open("rb") as handle:
        messages = read_po(handle)
    return {str(m.id): str(m.string) for m in messages if m.id and not m.fuzzy}


class RealContentTests(SimpleTestCase):
    def test_it_validates_whatever_content_is_there(self) -> None:
        content = curriculum.load(Path(settings.TRAINING_CONTENT_DIR))
        self.assertGreaterEqual(len(content.paths), 5)

    def test_it_gives_every_piece_of_text_a_spanish_entry(self) -> None:
        content = curriculum.load(Path(settings.TRAINING_CONTENT_DIR))
        entries = spanish_entries(CATALOGUE / "django.po")
        missing = [text for text in catalogue.texts(content) if not entries.get(text)]
        self.assertEqual(missing, [])

    def test_it_has_a_path_for_every_audience_and_leave_for_employers(self) -> None:
        paths = curriculum.load(Path(settings.TRAINING_CONTENT_DIR)).paths
        self.assertEqual({p.audience for p in paths.values()}, set(curriculum.AUDIENCES))
        self.assertIn("workplace-leave", paths["employers"].modules)
        for learning_path in paths.values():
            self.assertLessEqual(set(learning_path.modules), set(curriculum.PLANNED))


class FixtureContentTests(SimpleTestCase):
    def test_it_reads_the_fixture_modules_lessons_and_banks(self) -> None:
        content = curriculum.load(FIXTURES)
        listening = content.modules["listening"]
        self.assertEqual([m.id for m in content.ordered_modules()], ["listening", "referral"])
        self.assertEqual(len(listening.lessons), 3)
        self.assertEqual(listening.items["listening-q05"].answer, (1,))  # false
        self.assertEqual(listening.items["listening-q07"].answer, (0, 1, 2, 3))
        self.assertEqual(listening.items["listening-q03"].answer, (0, 1, 3))
        first = listening.lessons[0].blocks[0]
        self.assertEqual(first.kind, "paragraph")
        self.assertTrue(first.text.startswith("When someone tells you that they were harmed, the"))
        self.assertNotIn("\n", first.text)
        self.assertTrue(content.ready(content.paths["first-responders"]))

    def test_it_extracts_each_piece_once_with_lines_joined(self) -> None:
        pieces = catalogue.texts(curriculum.load(FIXTURES))
        self.assertEqual(len(pieces), len(set(pieces)))
        self.assertIn("Listening when someone tells you", pieces)
        self.assertIn("Say that it was not their fault.", pieces)
        self.assertIn("First responders (test path)", pieces)
        self.assertNotIn(
            "SAMHSA's Concept of Trauma and Guidance for a Trauma-Informed Approach (2014)",
            pieces,
        )  # source titles stay as published
        self.assertTrue(all("\n" not in piece for piece in pieces))


def _edit(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def _replace_all(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / relative
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    return change


def _remove_items(count: int) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / "questions" / "02-referral.toml"
        parts = path.read_text(encoding="utf-8").split("[[item]]")
        path.write_text("[[item]]".join(parts[: len(parts) - count]), encoding="utf-8")

    return change


M1 = "modules/01-listening.md"
Q1 = "questions/01-listening.toml"
BROKEN: dict[str, tuple[Callable[[Path], None], str]] = {
    "no front matter": (_edit(M1, "+++\nid", "id"), "front matter must open and close"),
    "bad TOML": (_edit(M1, "minutes = 15", "minutes = ="), "not valid TOML"),
    "number unlike file": (_edit(M1, "number = 1", "number = 3"), "match the file name"),
    "unknown audience": (_edit(M1, '"police", "health"', '"pilots"'), "audiences must be"),
    "no objectives": (
        _edit(M1, "objectives = [", "objectives = []\nold = ["),
        "objectives must be",
    ),
    "http source": (
        _edit(M1, 'url = "https://store', 'url = "http://store'),
        "needs an https url",
    ),
    "too few lessons": (
        _edit(M1, "## Offering choices", "### Offering choices"),
        "lessons, not 2",
    ),
    "lesson too long": (
        _edit(M1, "You do not need", "word " * 200 + "You do not need"),
        "words (120 to 300 allowed)",
    ),
    "raw HTML": (_edit(M1, "A calm, believing", "<b>A</b> calm, believing"), "raw HTML"),
    "html line": (_edit(M1, "- Thank the person", "<script>x</script>\n- Thank"), "subset"),
    "http link": (
        _edit(M1, "(https://store.samhsa.gov/product/sma14-4884)", "(http://x.example)"),
        "only https links and paths on this site",
    ),
    "javascript link": (
        _edit(M1, "(https://store.samhsa.gov/product/sma14-4884)", "(javascript:alert(1))"),
        "subset",
    ),
    "ordered list": (_edit(M1, "- Ask what they need", "1. Ask what they need"), "subset"),
    "quote": (_edit(M1, "- Ask what they need", "> Ask what they need"), "subset"),
    "image": (_edit(M1, "A calm, believing", "![x](https://a.example/i.png) calm"), "subset"),
    "dangling scenario": (
        _edit(M1, "[[scenario listening-q09]]", "[[scenario listening-q99]]"),
        "names no scenario item",
    ),
    "scenario names a choice item": (
        _edit(M1, "[[scenario listening-q09]]", "[[scenario listening-q01]]"),
        "names no scenario item",
    ),
    "text before the first lesson": (
        _edit(M1, "+++\n\n## The first minutes", "+++\nHello.\n\n## The first minutes"),
        "before the first lesson",
    ),
    "too few items": (_remove_items(1), "at least 10 items, not 9"),
    "unknown kind": (_edit(Q1, 'kind = "choice"', 'kind = "essay"'), "kind must be one of"),
    "bad item id": (_edit(Q1, 'id = "listening-q01"', 'id = "listen-1"'), "must be listening-qNN"),
    "item id twice": (
        _edit(Q1, 'id = "listening-q02"', 'id = "listening-q01"'),
        "used twice",
    ),
    "item id in another module": (
        _edit(
            "questions/02-referral.toml",
            'id = "referral-q01"\nkind = "choice"',
            'id = "referral-q11"\nkind = "choice"',
        ),
        "",  # a valid change: proves the table can pass (see the test below)
    ),
    "two right options in a choice": (
        _edit(Q1, 'answer = [1]\nfeedback = "A calm', 'answer = [0, 1]\nfeedback = "A calm'),
        "exactly one right option",
    ),
    "one right option in a multi": (
        _edit(Q1, 'answer = [0, 1, 3]\nfeedback = "Thanks', 'answer = [0]\nfeedback = "Thanks'),
        "two or more right options",
    ),
    "answer out of range": (
        _edit(Q1, "answer = [0, 2, 3]", "answer = [0, 2, 7]"),
        "answer must list",
    ),
    "two options": (
        _edit(Q1, 'options = ["Summarise what you heard", ', "options = ["),
        "3 to 5 options, not 2",
    ),
    "all of the above": (
        _edit(Q1, '"Ask for every detail"', '"All of the above"'),
        "all of the above",
    ),
    "true/false with options": (
        _edit(Q1, "answer = false", 'answer = "no"'),
        "true/false item",
    ),
    "order with an answer": (
        _edit(Q1, 'feedback = "Listen first', 'answer = [0]\nfeedback = "Listen first'),
        "order item has no answer",
    ),
    "scenario without a case": (
        _edit(Q1, 'case = "A student has told you', 'note = "A student has told you'),
        "needs its case",
    ),
    "no feedback": (_edit(Q1, 'feedback = "Questions that', 'hint = "Questions that'), "feedback"),
    "bank without module": (
        lambda root: (root / "questions" / "03-other.toml").touch(),
        "without a module",
    ),
    "module without bank": (
        lambda root: (root / "questions" / "01-listening.toml").unlink(),
        "question bank is missing",
    ),
    "module id twice": (_edit("modules/02-referral.md", 'id = "referral"', 'id = "listening"'), ""),
    "path to nowhere": (_edit("paths.toml", '"referral"]', '"referral", "nowhere"]'), "no module"),
    "path audience": (_edit("paths.toml", 'audience = "police"', 'audience = "all"'), "audience"),
    "module twice in a path": (
        _edit("paths.toml", '"referral"]', '"referral", "listening"]'),
        "listed twice",
    ),
}


class ValidatorRefusalTests(SimpleTestCase):
    def load_broken(self, change: Callable[[Path], None]) -> list[str]:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "content"
            shutil.copytree(FIXTURES, root, ignore=shutil.ignore_patterns("locale"))
            change(root)
            try:
                curriculum.load(root)
            except curriculum.ContentError as error:
                return error.problems
        return []

    def test_it_refuses_each_broken_rule_with_a_specific_problem(self) -> None:
        for name, (change, expected) in BROKEN.items():
            if not expected:
                continue
            with self.subTest(name):
                problems = self.load_broken(change)
                self.assertTrue(
                    any(expected in problem for problem in problems),
                    f"{name}: {problems}",
                )

    def test_it_accepts_a_harmless_change(self) -> None:
        change, _ = BROKEN["item id in another module"]
        self.assertEqual(self.load_broken(change), [])

    def test_it_refuses_a_bank_without_every_kind(self) -> None:
        # Turn both true/false items into choices with three options and one answer.
        def change(root: Path) -> None:
            path = root / "questions" / "02-referral.toml"
            text = path.read_text(encoding="utf-8").replace(
                'kind = "truefalse"', 'kind = "choice"\noptions = ["Yes", "No", "Maybe"]'
            )
            text = text.replace("answer = false", "answer = [1]")
            path.write_text(text.replace("answer = true", "answer = [0]"), encoding="utf-8")

        problems = self.load_broken(change)
        self.assertEqual(
            problems, ["02-referral.toml: a bank has every kind of item; missing: truefalse"]
        )

    def test_it_refuses_a_module_id_used_twice(self) -> None:
        change, _ = BROKEN["module id twice"]
        problems = self.load_broken(change)
        self.assertTrue(any("module id listening is used twice" in p for p in problems), problems)

    def test_it_lets_a_path_name_a_planned_module_not_yet_written_but_not_take_it(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "content"
            shutil.copytree(FIXTURES, root, ignore=shutil.ignore_patterns("locale"))
            _edit("paths.toml", '"referral"]', '"referral", "wellbeing"]')(root)
            content = curriculum.load(root)
        self.assertFalse(content.ready(content.paths["first-responders"]))


class SystemCheckTests(SimpleTestCase):
    def test_it_passes_the_real_content(self) -> None:
        self.assertEqual(checks.check_training_content(None), [])

    def test_it_refuses_to_start_with_broken_content(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "content"
            shutil.copytree(FIXTURES, root, ignore=shutil.ignore_patterns("locale"))
            _edit("paths.toml", 'audience = "police"', 'audience = "all"')(root)
            with override_settings(TRAINING_CONTENT_DIR=root):
                errors = checks.check_training_content(None)
        self.assertEqual([e.id for e in errors], ["training.E002"])
        self.assertIn("audience must be one of", errors[0].msg)

    def test_it_refuses_a_directory_without_content(self) -> None:
        with tempfile.TemporaryDirectory() as tmp, override_settings(TRAINING_CONTENT_DIR=tmp):
            errors = checks.check_training_content(None)
        self.assertEqual([e.id for e in errors], ["training.E001"])
