"""Mend's own staff paths certify Mend's staff only. The employers' path holds every module
of the counselors' path, and the education path every module of the facilitators': before
session 23 an outside learner who passed hers was also issued a Mend-signed "Mend
counselors" certificate (found by a review), and her organisation's dashboard listed it.

The real curriculum. Personas: Acme HR's learner hana (employers), Springfield Elementary's
edna (education) and its administrator olivia; frank, a Mend facilitator.
"""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from mend.certificates.models import Certificate
from mend.certificates.paths import COUNSELOR_PATH, FACILITATOR_PATH
from mend.training import curriculum
from mend.training.models import Completion, Organisation
from mend.training.tests.base import make_learner
from mend.training.tests.test_staff import StaffTrainingCase, path_modules

STAFF_PATHS = {COUNSELOR_PATH, FACILITATOR_PATH}


class StaffPathsForLearnersTests(StaffTrainingCase):
    def test_the_outside_paths_hold_every_module_of_a_staff_path(self) -> None:
        # What makes the rule needed: without it these learners complete staff paths.
        content = curriculum.current()
        for outside, staff in (("employers", COUNSELOR_PATH), ("education", FACILITATOR_PATH)):
            self.assertLessEqual(
                set(content.paths[staff].modules), set(content.paths[outside].modules)
            )

    def test_an_employers_learner_is_certified_for_her_path_and_not_as_a_mend_counselor(
        self,
    ) -> None:
        acme = Organisation.objects.create(name="Acme HR", created_at=self.springfield.created_at)
        hana = make_learner("hana", acme)
        self.certify_through_training(hana, "employers")
        issued = set(Certificate.objects.filter(holder=hana).values_list("path_id", flat=True))
        self.assertEqual(issued, {"employers"})
        completed = set(Completion.objects.filter(learner=hana).values_list("path_id", flat=True))
        self.assertEqual(completed, {"employers"})

    def test_an_education_learner_holds_no_staff_certificate_and_her_dashboard_lists_none(
        self,
    ) -> None:
        school = Organisation.objects.create(
            name="Springfield Elementary", created_at=self.springfield.created_at
        )
        olivia = make_learner("principal", school, admin=True)
        edna = make_learner("edna", school)
        self.certify_through_training(edna, "education")
        issued = set(Certificate.objects.filter(holder=edna).values_list("path_id", flat=True))
        self.assertEqual(issued, {"education"})
        self.client.force_login(olivia)
        dashboard = self.client.get(reverse("training:dashboard", args=[school.id]))
        self.assertEqual(dashboard.status_code, 200)
        for title in (curriculum.current().paths[p].title for p in STAFF_PATHS):
            self.assertNotContains(dashboard, title)
        exported = self.client.get(reverse("training:csv", args=[school.id]))
        rows = list(csv.reader(io.StringIO(exported.content.decode())))
        self.assertFalse([cell for row in rows for cell in row if cell in STAFF_PATHS], rows)
        self.assertTrue([cell for row in rows for cell in row if "education" in cell.lower()])

    def test_a_facilitator_still_holds_both_staff_certificates(self) -> None:
        self.certify_through_training(self.frank, FACILITATOR_PATH)
        issued = set(
            Certificate.objects.filter(holder=self.frank).values_list("path_id", flat=True)
        )
        self.assertEqual(issued, STAFF_PATHS)
        self.assertLessEqual(set(path_modules(COUNSELOR_PATH)), set(path_modules(FACILITATOR_PATH)))
