from __future__ import annotations

from django.urls import path

from mend.dialogue import pages_responsible, pages_staff, pages_survivor, views

app_name = "dialogue"
urlpatterns = [
    path("", views.about, name="about"),
    path("staff/", pages_staff.staff_cases, name="staff_cases"),
    path("staff/<uuid:case_id>/", pages_staff.staff_case, name="staff_case"),
    path("supervision/", pages_staff.supervision, name="supervision"),
    path("supervision/<uuid:case_id>/team/", pages_staff.assign, name="assign"),
    path("supervision/<uuid:case_id>/team/off/", pages_staff.take_off, name="take_off"),
    path("supervision/log/", pages_staff.supervision_log, name="supervision_log"),
    path("supervision/sessions/", pages_staff.record_session, name="record_session"),
    path("mine/", pages_survivor.my_cases, name="survivor_cases"),
    path("mine/<uuid:case_id>/", pages_survivor.case_page, name="survivor_case"),
    path("join/", pages_responsible.join, name="join"),
    path("responsible/", pages_responsible.home, name="responsible_home"),
    path("responsible/<uuid:case_id>/", pages_responsible.case, name="responsible_case"),
]
