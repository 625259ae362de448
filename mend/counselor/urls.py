from __future__ import annotations

from django.urls import path

from mend.counselor import views

app_name = "counselor"
urlpatterns = [
    path("login/", views.log_in, name="login"),
    path("", views.home, name="home"),
    path("groups/<uuid:group_id>/", views.group, name="group"),
    path("groups/<uuid:group_id>/decision/", views.decide, name="decide"),
    path("groups/<uuid:group_id>/close/", views.close, name="close"),
    path("groups/<uuid:group_id>/members/<uuid:member_id>/", views.thread, name="thread"),
]
