from __future__ import annotations

from django.urls import path

from mend.dialogue import pages_staff, views

app_name = "dialogue"
urlpatterns = [
    path("", views.about, name="about"),
    path("staff/", pages_staff.staff_cases, name="staff_cases"),
    path("staff/<uuid:case_id>/", pages_staff.staff_case, name="staff_case"),
    path("supervision/", pages_staff.supervision, name="supervision"),
    path("supervision/<uuid:case_id>/team/", pages_staff.assign, name="assign"),
]
