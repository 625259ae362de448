"""The site's navigation offers "Keep a record" and "Find others, safely" to survivors and
visitors only: to staff each would lead to a 404."""

from __future__ import annotations

from django.test import Client

from mend.test import BaseTestCase, login_with_otp

LINK = 'data-qa="nav-find-others"'
RECORD_LINK = 'data-qa="nav-keep-a-record"'


class NavigationTests(BaseTestCase):
    def test_it_shows_the_links_to_visitors(self) -> None:
        self.assertContains(self.client.get("/"), LINK)
        self.assertContains(self.client.get("/"), RECORD_LINK)

    def test_it_shows_the_links_to_survivors(self) -> None:
        self.client.force_login(self.alice)
        self.assertContains(self.client.get("/"), LINK)
        self.assertContains(self.client.get("/"), RECORD_LINK)

    def test_it_hides_the_link_from_staff(self) -> None:
        for user in (self.carol, self.erin, self.frank, self.adam):
            client = Client()
            login_with_otp(client, user)
            response = client.get("/")
            self.assertEqual(response.status_code, 200, user.username)
            self.assertNotContains(response, LINK)
            self.assertNotContains(response, RECORD_LINK)
            # the links would only lead to a 404
            self.assertEqual(client.get("/find-others/").status_code, 404, user.username)
            self.assertEqual(client.get("/record/").status_code, 404, user.username)
