"""The operator's and the maintainers' commands: organisations, item statistics, strings."""

from __future__ import annotations

import io
import random
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command

from mend.test import NOW
from mend.training import actions, invitations, stats
from mend.training.curriculum import Curriculum
from mend.training.models import Attempt, Invitation, Organisation
from mend.training.tests.base import TrainingTestCase, fixture_content


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


class OrganisationCommandTests(TrainingTestCase):
    def test_it_creates_an_organisation_with_a_one_time_admin_code(self) -> None:
        out = run("training_organisation", "Capital City Hospital")
        organisation = Organisation.objects.get(name="Capital City Hospital")
        code = out.strip().rsplit(" ", 1)[-1]
        invitation = Invitation.objects.get(organisation=organisation)
        self.assertTrue(invitation.as_admin)
        self.assertEqual(invitation.code_hash, invitations.code_hash(code))
        self.assertIn(str(organisation.id), out)

    def test_it_gives_an_existing_organisation_another_admin_code(self) -> None:
        run("training_organisation", "--admin-code", str(self.springfield.id))
        self.assertEqual(
            Invitation.objects.filter(organisation=self.springfield, as_admin=True).count(), 1
        )

    def test_it_refuses_an_unknown_organisation_and_a_missing_name(self) -> None:
        with self.assertRaises(CommandError):
            run("training_organisation", "--admin-code", "00000000-0000-0000-0000-000000000000")
        with self.assertRaises(CommandError):
            run("training_organisation", "  ")
        self.assertEqual(Invitation.objects.count(), 0)

    def test_it_refuses_a_second_organisation_of_the_same_name_naming_the_first(self) -> None:
        with self.assertRaisesMessage(CommandError, str(self.springfield.id)):
            run("training_organisation", "springfield police")
        self.assertEqual(Organisation.objects.filter(name__iexact="Springfield Police").count(), 1)
        self.assertEqual(Invitation.objects.count(), 0)


class ItemStatisticsTests(TrainingTestCase):
    def test_it_computes_the_proportion_right_and_discrimination(self) -> None:
        # q1 separates strong from weak learners; q2 is answered right by the weak only.
        checks = [
            {"q1": True, "q2": False, "q3": True, "q4": True},
            {"q1": True, "q2": False, "q3": True, "q4": True},
            {"q1": False, "q2": True, "q3": False, "q4": False},
            {"q1": False, "q2": True, "q3": False, "q4": False},
        ]
        found = stats.item_statistics(checks)
        self.assertEqual(found["q1"].attempts, 4)
        self.assertEqual(found["q1"].difficulty, 0.5)
        self.assertGreater(found["q1"].discrimination or 0, 0.8)
        self.assertLess(found["q2"].discrimination or 0, -0.8)
        self.assertIn("negative: check the answer key", found["q2"].flags(min_attempts=4))
        self.assertEqual(found["q1"].flags(min_attempts=4), [])
        self.assertEqual(found["q1"].flags(min_attempts=5), ["too few answers"])

    def test_it_gives_no_discrimination_when_everyone_agrees(self) -> None:
        found = stats.item_statistics([{"a": True, "b": True}, {"a": True, "b": False}])
        self.assertIsNone(found["a"].discrimination)
        self.assertEqual(found["a"].flags(min_attempts=1), ["very easy"])

    def test_it_prints_every_item_of_the_bank_with_its_figures(self) -> None:
        module = self.content().modules["listening"]
        rng = random.Random(5)
        for user in (self.lena, self.liam, self.olivia):
            attempt = actions.do_start_check(user, module, NOW, rng)
            actions.do_submit_check(attempt, module, {}, NOW, self.content())
        out = run("training_item_stats", "--module", "listening", "--min-attempts", "1")
        lines = out.strip().split("\n")
        self.assertEqual(lines[0], "item\tattempts\tp_right\tdiscrimination\tflags")
        self.assertEqual(len(lines), 1 + len(module.items))
        drawn = Attempt.objects.values_list("drawn", flat=True)
        counts = dict.fromkeys(module.items, 0)
        for check in drawn:
            for entry in check:
                counts[entry["id"]] += 1
        for line in lines[1:]:
            item_id, attempts, p_right, _, flags = line.split("\t")
            self.assertEqual(int(attempts), counts[item_id])
            if counts[item_id]:
                self.assertEqual((p_right, flags), ("0.00", "very hard"))

    def test_it_refuses_a_module_that_does_not_exist_naming_those_that_do(self) -> None:
        with self.assertRaisesMessage(CommandError, "no module 'no-such-module'; the modules"):
            run("training_item_stats", "--module", "no-such-module")

    def content(self) -> Curriculum:
        return fixture_content()


class StringsCommandTests(TrainingTestCase):
    def test_it_writes_every_piece_for_makemessages(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            output = Path(tmp) / "content_strings.py"
            run("training_strings", "--output", str(output))
            text = output.read_text(encoding="utf-8")
        self.assertIn("gettext_noop('Listening when someone tells you')\n", text)
        self.assertIn('gettext_noop("Sending the person\'s file to the service")\n', text)
        compile(text, "content_strings.py", "exec")
