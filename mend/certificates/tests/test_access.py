"""Who holds a current certificate: the interface the training app and the staff rule use."""

from __future__ import annotations

from datetime import timedelta

from mend.certificates import actions
from mend.certificates.access import certificates_of, current_holder_ids, holds_current
from mend.certificates.tests.base import POLICE_MODULES, CertificateTestCase
from mend.test import NOW


class HoldsCurrentTests(CertificateTestCase):
    def test_a_fresh_certificate_is_current_until_it_expires(self) -> None:
        self.issue(self.alice)
        self.assertTrue(holds_current(self.alice, "police", NOW))
        self.assertTrue(holds_current(self.alice, "police", NOW + timedelta(days=730)))
        self.assertFalse(holds_current(self.alice, "police", NOW + timedelta(days=731)))
        self.assertFalse(holds_current(self.alice, "health", NOW))
        self.assertFalse(holds_current(self.bob, "police", NOW))

    def test_a_revoked_certificate_is_not_current(self) -> None:
        certificate = self.issue(self.alice)
        actions.do_revoke_certificate(certificate.id, "Issued in error", NOW)
        self.assertFalse(holds_current(self.alice, "police", NOW))

    def test_a_material_change_to_a_module_means_re_certifying(self) -> None:
        self.issue(self.alice)
        versions = dict(POLICE_MODULES)
        self.assertTrue(holds_current(self.alice, "police", NOW, versions))
        self.assertTrue(holds_current(self.alice, "police", NOW, {**versions, "trauma-basics": 0}))
        self.assertFalse(holds_current(self.alice, "police", NOW, {**versions, "trauma-basics": 2}))
        self.assertFalse(holds_current(self.alice, "police", NOW, {**versions, "new-module": 1}))

    def test_only_the_latest_certificate_of_a_path_counts(self) -> None:
        self.issue(self.alice)
        latest = self.issue(self.alice, now=NOW + timedelta(days=1))
        self.assertTrue(holds_current(self.alice, "police", NOW + timedelta(days=1)))
        actions.do_revoke_certificate(latest.id, "Issued in error", NOW + timedelta(days=2))
        self.assertFalse(holds_current(self.alice, "police", NOW + timedelta(days=2)))

    def test_the_holders_are_one_subquery_whatever_their_number(self) -> None:
        for user in (self.alice, self.bob, self.mallory):
            self.issue(user)
        with self.assertNumQueries(1):
            holders = set(
                current_holder_ids("police", NOW, dict(POLICE_MODULES)).values_list(
                    "holder_id", flat=True
                )
            )
        self.assertEqual(holders, {self.alice.id, self.bob.id, self.mallory.id})


class CertificatesOfTests(CertificateTestCase):
    def test_it_gives_each_learner_her_latest_certificate_per_path(self) -> None:
        self.issue(self.alice)
        latest = self.issue(self.alice, now=NOW + timedelta(days=5), modules=[("trauma-basics", 3)])
        health = self.issue(self.alice, path_id="health")
        actions.do_revoke_certificate(health.id, "Issued in error", NOW)
        self.issue(self.bob, now=NOW - timedelta(days=800))
        with self.assertNumQueries(2):
            found = certificates_of([self.alice, self.bob, self.mallory], NOW + timedelta(days=5))
        alice = {s.path_id: s for s in found[self.alice.id]}
        self.assertEqual(alice["police"].certificate_id, latest.id)
        self.assertEqual(alice["police"].modules, {"trauma-basics": 3})
        self.assertTrue(alice["police"].current)
        self.assertTrue(alice["health"].revoked)
        self.assertFalse(alice["health"].current)
        (bob,) = found[self.bob.id]
        self.assertFalse(bob.current)
        self.assertFalse(bob.revoked)
        self.assertLess(bob.expires_at, NOW)
        self.assertNotIn(self.mallory.id, found)
