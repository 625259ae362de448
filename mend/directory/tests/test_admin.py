"""The directory admin: editors (and admins) with a second factor, nobody else."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mend.directory import taxonomy
from mend.directory.actions import ensure_mend_taxonomy
from mend.directory.models import (
    AddressVisibility,
    Attribute,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from mend.search.models import SearchEntry
from mend.test import BaseTestCase, login_with_otp

CRISIS_LINE = taxonomy.BY_CODE[(taxonomy.SERVICE_TYPE, "crisis-line")]
ADULTS = taxonomy.BY_CODE[(taxonomy.ELIGIBILITY, "adults")]


def form_data(response: Any) -> dict[str, Any]:
    """What the change form would post back unchanged (main form and every inline)."""
    context = response.context
    data: dict[str, Any] = {}
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = (
                [str(v) for v in value] if isinstance(value, list) else str(value)
            )
    return data


class DirectoryAdminTestCase(BaseTestCase):
    def setUp(self) -> None:
        ensure_mend_taxonomy()
        self.organization = Organization.objects.create(name="Lantern Center", description="x")
        self.service = Service.objects.create(organization=self.organization, name="Helpline")
        self.location = Location.objects.create(
            name="Safe house",
            address_visibility=AddressVisibility.HIDDEN,
            time_zone="America/Chicago",
        )
        ServiceAtLocation.objects.create(service=self.service, location=self.location)
        Phone.objects.create(service=self.service, number="+1-312-555-0100")
        Schedule.objects.create(service=self.service, freq="WEEKLY", byday="MO")
        self.changelist = reverse("admin:directory_service_changelist")
        self.change = reverse("admin:directory_service_change", args=[self.service.pk])


class EditorAccessTests(DirectoryAdminTestCase):
    def test_erin_with_a_second_factor_lists_services(self) -> None:
        login_with_otp(self.client, self.erin)
        response = self.client.get(self.changelist)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Helpline")

    def test_erin_edits_a_service_with_its_inlines_and_types(self) -> None:
        login_with_otp(self.client, self.erin)
        response = self.client.get(self.change)
        self.assertEqual(response.status_code, 200)
        data = form_data(response)
        data.update(name="Helpline (24 hours)", service_types=[str(CRISIS_LINE.id)])
        data["eligibility"] = [str(ADULTS.id)]
        data["phones-0-number"] = "+1-312-555-0101"
        response = self.client.post(self.change, data)
        self.assertEqual(response.status_code, 302)
        self.service.refresh_from_db()
        self.assertEqual(self.service.name, "Helpline (24 hours)")
        self.assertEqual(Phone.objects.get().number, "+1-312-555-0101")
        linked = Attribute.objects.filter(link_id=self.service.pk)
        self.assertEqual(
            set(linked.values_list("taxonomy_term_id", flat=True)), {CRISIS_LINE.id, ADULTS.id}
        )
        self.assertEqual(set(linked.values_list("link_entity", flat=True)), {"service"})

    def test_erin_must_say_whether_a_service_without_a_location_is_remote(self) -> None:
        ServiceAtLocation.objects.filter(service=self.service).delete()
        login_with_otp(self.client, self.erin)
        data = form_data(self.client.get(self.change))
        response = self.client.post(self.change, data, follow=True)
        self.assertContains(response, "This service has no location and is not marked")
        self.assertFalse(SearchEntry.objects.get(service=self.service).remote)
        data["offered_remotely"] = "on"
        response = self.client.post(self.change, data, follow=True)
        self.assertNotContains(response, "This service has no location")
        self.service.refresh_from_db()
        self.assertTrue(self.service.offered_remotely)
        self.assertTrue(SearchEntry.objects.get(service=self.service).remote)

    def test_erin_sees_address_visibility_first_on_a_location(self) -> None:
        login_with_otp(self.client, self.erin)
        url = reverse("admin:directory_location_change", args=[self.location.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="address_visibility" value="hidden"')
        content = response.content.decode()
        self.assertLess(content.index("Address privacy"), content.index('name="name"'))

    def test_erin_cannot_save_an_unknown_time_zone(self) -> None:
        login_with_otp(self.client, self.erin)
        url = reverse("admin:directory_location_change", args=[self.location.pk])
        data = form_data(self.client.get(url))
        data["time_zone"] = "Chicago"
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is not an IANA time zone name")
        self.location.refresh_from_db()
        self.assertEqual(self.location.time_zone, "America/Chicago")

    def test_adam_the_admin_may_edit_the_directory_too(self) -> None:
        login_with_otp(self.client, self.adam)
        self.assertEqual(self.client.get(self.changelist).status_code, 200)


class RefusedAccessTests(DirectoryAdminTestCase):
    def login_redirect(self, path: str) -> str:
        return f"{reverse('admin:login')}?next={path}"

    def test_erin_without_a_second_factor_is_sent_to_the_login(self) -> None:
        self.client.force_login(self.erin)
        response = self.client.get(self.changelist)
        self.assertRedirects(response, self.login_redirect(self.changelist), status_code=302)

    def test_alice_a_survivor_is_sent_to_the_login(self) -> None:
        login_with_otp(self.client, self.alice)
        response = self.client.get(self.changelist)
        self.assertRedirects(response, self.login_redirect(self.changelist), status_code=302)

    def test_carol_a_counselor_cannot_reach_the_directory_admin(self) -> None:
        login_with_otp(self.client, self.carol)
        response = self.client.post(self.change, {"name": "Changed by a counselor"})
        self.assertRedirects(response, self.login_redirect(self.change), status_code=302)
        self.service.refresh_from_db()
        self.assertEqual(self.service.name, "Helpline")

    def test_a_counselor_marked_staff_by_mistake_still_cannot_edit(self) -> None:
        self.carol.is_staff = True
        self.carol.save(update_fields=["is_staff"])
        login_with_otp(self.client, self.carol)
        self.assertEqual(self.client.get(self.changelist).status_code, 403)
        response = self.client.post(self.change, {"name": "Changed by a counselor"})
        self.assertEqual(response.status_code, 403)
        self.service.refresh_from_db()
        self.assertEqual(self.service.name, "Helpline")

    def test_mallory_a_stranger_is_sent_to_the_login(self) -> None:
        self.client.force_login(self.mallory)
        response = self.client.get(self.change)
        self.assertRedirects(response, self.login_redirect(self.change), status_code=302)
