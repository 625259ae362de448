from __future__ import annotations

from django.urls import path

from mend.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
]
