"""Two checks submitted at once that together complete a path issue its certificate.

On PostgreSQL (read committed) each submission saw only its own pass, found the path one
module short, and neither certified it: the learner had passed everything and held
nothing (found by a review). do_complete_paths now locks her membership first, so the
second submission waits for the first and then reads both passes. Personas: Springfield
Police's learner lena, on the fixture path "first-responders" (listening, referral).
"""

from __future__ import annotations

import threading
from unittest import mock, skipUnless

from django.db import connection
from django.test import TransactionTestCase

from mend.certificates.models import Certificate
from mend.test import NOW
from mend.training import actions
from mend.training.models import Completion, Organisation
from mend.training.tests.base import FIXTURE_SETTINGS, fixture_content, make_learner
from mend.training.tests.helpers import answer_form


@FIXTURE_SETTINGS
@skipUnless(
    connection.vendor == "postgresql",
    "SQLite runs one write transaction at a time, so the two submissions cannot interleave",
)
class ConcurrentPassesTests(TransactionTestCase):
    def test_the_last_two_modules_passed_at_once_issue_the_certificate_once(self) -> None:
        springfield = Organisation.objects.create(name="Springfield Police", created_at=NOW)
        lena = make_learner("lena", springfield)
        content = fixture_content()
        modules = [content.modules[m] for m in content.paths["first-responders"].modules]
        attempts = [actions.do_start_check(lena, module, NOW) for module in modules]
        first_read, second_read = threading.Event(), threading.Event()
        real = actions.passed_versions
        failures: list[BaseException] = []

        def passed(user: object) -> dict[str, set[int]]:
            found = real(user)  # type: ignore[arg-type]
            if threading.current_thread().name == "first":
                first_read.set()
                # The other submission reads now, unless the membership's lock holds it.
                second_read.wait(timeout=1)
            else:
                second_read.set()
            return found

        def submit(index: int) -> None:
            try:
                attempt, module = attempts[index], modules[index]
                actions.do_submit_check(attempt, module, answer_form(module, attempt), NOW, content)
            except BaseException as error:  # reported by the test below
                failures.append(error)
            finally:
                connection.close()

        with mock.patch.object(actions, "passed_versions", passed):
            first = threading.Thread(target=submit, args=(0,), name="first")
            first.start()
            self.assertTrue(first_read.wait(timeout=10))
            second = threading.Thread(target=submit, args=(1,), name="second")
            second.start()
            first.join(timeout=30)
            second.join(timeout=30)
        self.assertEqual(failures, [])
        issued = Certificate.objects.filter(holder=lena, path_id="first-responders")
        self.assertEqual(issued.count(), 1)
        self.assertEqual(Completion.objects.filter(learner=lena).count(), 1)
