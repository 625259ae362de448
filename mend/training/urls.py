from __future__ import annotations

from django.urls import path

from mend.training import views, views_org

app_name = "training"
urlpatterns = [
    path("", views.home, name="home"),
    path("paths/<slug:path_id>/", views.path_page, name="path"),
    path("modules/<slug:module_id>/", views.module_page, name="module"),
    path("modules/<slug:module_id>/check/", views.start_check, name="start_check"),
    path("checks/<uuid:attempt_id>/", views.attempt_page, name="attempt"),
    path("name/", views.certificate_name, name="name"),
    path("join/", views_org.join, name="join"),
    path("login/", views_org.log_in, name="login"),
    path("logout/", views_org.log_out, name="logout"),
    path("organisation/<uuid:organisation_id>/", views_org.dashboard, name="dashboard"),
    path("organisation/<uuid:organisation_id>/invite/", views_org.invite, name="invite"),
    path("organisation/<uuid:organisation_id>/learners.csv", views_org.export_csv, name="csv"),
]
