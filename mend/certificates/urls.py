from __future__ import annotations

from django.urls import path

from mend.certificates import views

app_name = "certificates"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("verify/", views.verify, name="verify"),
    path("<uuid:certificate_id>/", views.certificate, name="show"),
]
