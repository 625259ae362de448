from __future__ import annotations

from django.urls import path

from mend.dialogue import pages_responsible, views

app_name = "dialogue"
urlpatterns = [
    path("", views.about, name="about"),
    path("join/", pages_responsible.join, name="join"),
    path("responsible/", pages_responsible.home, name="responsible_home"),
    path("responsible/<uuid:case_id>/", pages_responsible.case, name="responsible_case"),
]
