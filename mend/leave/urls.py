from __future__ import annotations

from django.urls import path

from mend.leave import views

# Stable addresses: the training (mend/training/) links to them.
app_name = "leave"
urlpatterns = [
    path("", views.home, name="home"),
    path("letter/", views.letter, name="letter"),
    path("policy/", views.policy, name="policy"),
    path("rules/", views.rules_table, name="rules"),
]
