from __future__ import annotations

from django.urls import path

from mend.leave import views

# The open data is the same in every language: one address, outside the language prefix.
app_name = "leave_data"
urlpatterns = [
    path("rules.json", views.rules_json, name="rules_json"),
    path("rules.schema.json", views.rules_schema, name="rules_schema"),
]
