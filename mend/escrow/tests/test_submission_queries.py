"""POST /api/v1/escrow/entries: how many statements a submission costs.

A guard for the latency target (p95 < 20 ms with a million stored entries, docs/performance.md):
on PostgreSQL a submission's time is mostly round trips to the database, so a change that
adds statements to this path should be a deliberate one.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mend.audit.models import AuditLog
from mend.escrow import testing
from mend.escrow.models import EntryTag
from mend.escrow.tests.base import EscrowTestCase

NAMES = ["email:someone@example.org", "phone:+14155550134"]

# The session and the user (Django), the transaction's begin and end (SAVEPOINT and RELEASE
# in a test case), the owner-and-keys check (with the pi locks on PostgreSQL), the entry, its
# tags and their shares (one statement with the pi lookup on PostgreSQL; three and the lookup
# on SQLite), and the audit count.
STORE_AND_LOOK_UP = 1 if connection.vendor == "postgresql" else 4
WAITING = 6 + STORE_AND_LOOK_UP
# A match adds at most: the group (new, or the existing one read), the tags moved into it, the
# memberships read and the new ones written, the audit record of the match. (The task row
# too, in production; tests run tasks after commit.)
MATCHED = WAITING + 5


class SubmissionQueriesTests(EscrowTestCase):
    def submit(self, browser: testing.SurvivorBrowser, body: dict[str, Any]) -> tuple[Any, int]:
        with CaptureQueriesContext(connection) as queries:
            response = testing.post_json(browser.client, f"{testing.API}/entries", body)
        self.assertEqual(response.status_code, 201, response.content)
        return response.json(), len(queries)

    def body(self, browser: testing.SurvivorBrowser) -> dict[str, Any]:
        browser.load_config()
        return browser.build(NAMES, {"what": "something"})  # evaluates the OPRF: not counted

    def test_a_submission_that_matches_nobody_costs_few_statements(self) -> None:
        alice = self.browser_for(self.alice)
        entry, count = self.submit(alice, self.body(alice))
        self.assertEqual(entry["state"], "waiting")
        self.assertLessEqual(count, WAITING)
        self.assertEqual(EntryTag.objects.filter(entry_id=entry["id"]).count(), 2)
        self.assertTrue(AuditLog.objects.filter(action="escrow.entry.submitted").exists())

    def test_a_submission_that_forms_or_joins_a_group_costs_at_most_five_more(self) -> None:
        alice, bob, mallory = (self.browser_for(u) for u in (self.alice, self.bob, self.mallory))
        self.submit(alice, self.body(alice))
        formed, count = self.submit(bob, self.body(bob))
        self.assertEqual(formed["state"], "matched")
        self.assertLessEqual(count, MATCHED)
        joined, count = self.submit(mallory, self.body(mallory))
        self.assertEqual(joined["state"], "matched")
        self.assertLessEqual(count, MATCHED)
        self.assertEqual(AuditLog.objects.filter(action="escrow.match.formed").count(), 1)
        self.assertEqual(AuditLog.objects.filter(action="escrow.match.joined").count(), 1)
