from __future__ import annotations

from mend.test import BaseTestCase


class SafetyPageTests(BaseTestCase):
    def test_it_explains_what_the_quick_exit_does_and_does_not_do(self) -> None:
        r = self.client.get("/safety/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "What the Exit this page button does")
        self.assertContains(r, "It does not erase your browsing history.")

    def test_it_is_translated(self) -> None:
        r = self.client.get("/es/safety/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "No borra tu historial de navegación.")

    def test_it_links_to_a_working_search_for_advocates(self) -> None:
        r = self.client.get("/safety/")
        self.assertContains(r, 'href="/help/?type=advocacy"')
        self.assertEqual(self.client.get("/help/?type=advocacy").status_code, 200)

    def test_it_refuses_a_post(self) -> None:
        r = self.client.post("/safety/")
        self.assertEqual(r.status_code, 405)
