"""The service editor: the form in an editor's sections, with the HSDS checks inline.

A service that breaks an HSDS rule is not saved (nor any of its rows); the problem stands
next to the field it concerns. Soft problems are saved and told; the change list shows
which services have problems.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mend.directory.models import Organization, Phone, Schedule, Service
from mend.directory.tests.test_admin import DirectoryAdminTestCase, form_data
from mend.test import login_with_otp

SECTIONS = ("Who", "Where", "When", "Cost", "Eligibility", "Languages", "Accessibility")


class ServiceEditorTestCase(DirectoryAdminTestCase):
    def setUp(self) -> None:
        super().setUp()
        login_with_otp(self.client, self.erin)

    def edited(self, **changes: Any) -> dict[str, Any]:
        data = form_data(self.client.get(self.change))
        data.update(changes)
        return data

    def inline_errors(self, response: Any, prefix: str) -> list[dict[str, Any]]:
        for inline in response.context["inline_admin_formsets"]:
            if inline.formset.prefix == prefix:
                return list(inline.formset.errors)
        raise AssertionError(f"no inline {prefix}")


class SectionTests(ServiceEditorTestCase):
    def test_erin_reads_the_service_in_sections_each_with_its_own_rows(self) -> None:
        response = self.client.get(self.change)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        order = [
            'data-qa="section-who"',
            'name="name"',
            'name="offered_remotely"',
            'data-qa="section-where"',
            'id="service_at_locations-group"',
            'data-qa="section-when"',
            'id="schedules-group"',
            'data-qa="section-cost"',
            'id="cost_options-group"',
            'data-qa="section-eligibility"',
            'name="minimum_age"',
            'data-qa="section-languages"',
            'id="languages-group"',
            'data-qa="section-accessibility"',
            'data-qa="section-contacts"',
            'id="phones-group"',
            'id="contacts-group"',
        ]
        places = [html.index(marker) for marker in order]
        self.assertEqual(places, sorted(places))
        self.assertContains(response, "How survivors reach it: at least one phone, email or")

    def test_each_location_of_the_service_is_one_click_away(self) -> None:
        response = self.client.get(self.change)
        url = reverse("admin:directory_location_change", args=[self.location.pk])
        # once in "Where" and once in "Accessibility"
        self.assertContains(response, f'<a href="{url}">Safe house</a>', count=2)

    def test_each_control_in_a_row_is_labelled_by_its_column(self) -> None:
        response = self.client.get(self.change)
        self.assertContains(response, 'name="phones-0-number"')
        self.assertContains(response, 'aria-label="Number" id="id_phones-0-number"')
        self.assertContains(response, '<span class="visually-hidden">Row</span>')

    def test_the_add_page_has_the_same_sections(self) -> None:
        response = self.client.get(reverse("admin:directory_service_add"))
        self.assertEqual(response.status_code, 200)
        for name in SECTIONS:
            self.assertContains(response, f'data-qa="section-{name.lower()}"')
        self.assertContains(response, "Save the service with a location first.")


class HardRuleTests(ServiceEditorTestCase):
    def test_an_email_hsds_refuses_is_named_next_to_its_field_and_nothing_is_saved(self) -> None:
        data = self.edited(name="Helpline renamed", email="helpline.example.org")
        data["phones-0-number"] = "+1-312-555-0199"
        response = self.client.post(self.change, data)
        self.assertEqual(response.status_code, 200)
        form = response.context["adminform"].form
        self.assertEqual(form.errors["email"], ["'helpline.example.org' is not an email address"])
        html = response.content.decode()
        row = html[html.index("field-email") : html.index('name="email"')]
        self.assertIn("is not an email address", row)  # next to the field it concerns
        self.service.refresh_from_db()
        self.assertEqual((self.service.name, self.service.email), ("Helpline", ""))
        self.assertEqual(Phone.objects.get().number, "+1-312-555-0100")

    def test_an_upside_down_age_range_is_refused(self) -> None:
        response = self.client.post(self.change, self.edited(minimum_age="18", maximum_age="12"))
        self.assertEqual(response.status_code, 200)
        form = response.context["adminform"].form
        self.assertEqual(form.errors["maximum_age"], ["is below the minimum age (18)"])
        self.service.refresh_from_db()
        self.assertIsNone(self.service.minimum_age)

    def test_a_name_is_required_as_hsds_requires_it(self) -> None:
        response = self.client.post(self.change, self.edited(name=""))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["adminform"].form.errors["name"], ["HSDS requires this field"]
        )
        self.service.refresh_from_db()
        self.assertEqual(self.service.name, "Helpline")

    def test_a_schedule_with_days_but_no_frequency_is_refused_in_its_row(self) -> None:
        data = self.edited(name="Helpline renamed")
        data["schedules-0-freq"] = ""
        response = self.client.post(self.change, data)
        self.assertEqual(response.status_code, 200)
        errors = self.inline_errors(response, "schedules")
        self.assertEqual(errors[0]["freq"], ["say how often (WEEKLY or MONTHLY) for byday"])
        self.assertEqual(Schedule.objects.get().freq, "WEEKLY")
        self.service.refresh_from_db()
        self.assertEqual(self.service.name, "Helpline")

    def test_a_frequency_hsds_does_not_know_is_refused(self) -> None:
        data = self.edited()
        data["schedules-0-freq"] = "DAILY"
        response = self.client.post(self.change, data)
        self.assertEqual(response.status_code, 200)
        errors = self.inline_errors(response, "schedules")
        self.assertEqual(errors[0]["freq"], ["'DAILY' is not one of WEEKLY, MONTHLY"])
        self.assertEqual(Schedule.objects.get().freq, "WEEKLY")

    def test_a_phone_row_without_a_number_is_refused(self) -> None:
        data = self.edited()
        data["phones-0-number"] = ""
        data["phones-0-type"] = "voice"
        response = self.client.post(self.change, data)
        self.assertEqual(response.status_code, 200)
        errors = self.inline_errors(response, "phones")
        self.assertEqual(errors[0]["number"], ["HSDS requires this field"])
        self.assertEqual(Phone.objects.get().number, "+1-312-555-0100")

    def test_a_cost_that_ends_before_it_starts_is_refused(self) -> None:
        data = self.edited()
        data.update(
            {
                "cost_options-TOTAL_FORMS": "1",
                "cost_options-0-option": "Free",
                "cost_options-0-valid_from": "2026-06-01",
                "cost_options-0-valid_to": "2026-01-01",
            }
        )
        response = self.client.post(self.change, data)
        self.assertEqual(response.status_code, 200)
        errors = self.inline_errors(response, "cost_options")
        self.assertEqual(errors[0]["valid_to"], ["is before “valid from” (2026-06-01)"])
        self.assertFalse(self.service.cost_options.exists())


class WarningTests(ServiceEditorTestCase):
    def test_a_service_nobody_can_reach_is_saved_and_erin_is_told(self) -> None:
        Phone.objects.all().delete()
        response = self.client.post(self.change, self.edited(name="Quiet line"), follow=True)
        self.assertEqual(response.redirect_chain[-1][1], 302)
        self.assertContains(response, "Survivors will see no way to reach this service")
        self.service.refresh_from_db()
        self.assertEqual(self.service.name, "Quiet line")

    def test_a_reachable_placed_service_saves_without_a_warning(self) -> None:
        response = self.client.post(self.change, self.edited(), follow=True)
        self.assertEqual(response.redirect_chain[-1][1], 302)
        self.assertNotContains(response, "Survivors will see no way")
        self.assertNotContains(response, "has no location")

    def test_a_location_far_off_the_map_is_saved_with_a_warning(self) -> None:
        url = reverse("admin:directory_location_change", args=[self.location.pk])
        data = form_data(self.client.get(url))
        data.update(latitude="123", longitude="-87.6")
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "Latitude: 123.0 is outside -90 to 90")
        self.location.refresh_from_db()
        self.assertEqual(self.location.latitude, 123.0)


class LocationRuleTests(ServiceEditorTestCase):
    def test_an_address_without_the_fields_hsds_requires_is_refused(self) -> None:
        url = reverse("admin:directory_location_change", args=[self.location.pk])
        data = form_data(self.client.get(url))
        data.update(
            {
                "addresses-TOTAL_FORMS": "1",
                "addresses-0-address_1": "1 Main St",
                "addresses-0-country": "US",
            }
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        errors = self.inline_errors(response, "addresses")
        self.assertEqual(errors[0]["city"], ["HSDS requires this field"])
        self.assertFalse(self.location.addresses.exists())


class ChangeListTests(ServiceEditorTestCase):
    def checks_column(self) -> dict[str, str]:
        response = self.client.get(self.changelist)
        self.assertEqual(response.status_code, 200)
        changelist = response.context["cl"]
        admin = changelist.model_admin
        return {s.name: admin.hsds_checks(s) for s in changelist.result_list}

    def test_it_shows_which_services_have_problems(self) -> None:
        lonely = Organization.objects.create(name="Quiet House", description="x")
        Service.objects.create(organization=lonely, name="Unplaced")
        Service.objects.create(
            organization=self.organization, name="Badly written", email="nowhere"
        )
        self.assertEqual(
            self.checks_column(),
            {
                "Helpline": "No problems",
                "Unplaced": "not in place searches; no way to reach it",
                "Badly written": "email: 'nowhere' is not an email address; not in place searches",
            },
        )

    def test_the_column_is_on_the_page(self) -> None:
        response = self.client.get(self.changelist)
        self.assertContains(response, "HSDS checks")
        self.assertContains(response, '<td class="field-hsds_checks">No problems</td>')
