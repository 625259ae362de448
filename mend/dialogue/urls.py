from __future__ import annotations

from django.urls import path

from mend.dialogue import views

app_name = "dialogue"
urlpatterns = [
    path("", views.about, name="about"),
]
