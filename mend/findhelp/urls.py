from __future__ import annotations

from django.urls import path

from mend.findhelp import views

app_name = "findhelp"
urlpatterns = [
    path("", views.search, name="search"),
    path("service/<uuid:service_id>/", views.service, name="service"),
    path("service/<uuid:service_id>/print/", views.service_print, name="service_print"),
]
