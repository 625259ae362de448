from __future__ import annotations

from django.urls import path

from mend.escrow import views

app_name = "escrow"
urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("verify/invitation/", views.verify_invitation, name="verify_invitation"),
    path("verify/address/", views.verify_address, name="verify_address"),
    path("verify/code/", views.verify_code, name="verify_code"),
    path("new/", views.new_entry, name="new"),
    path("entries/<uuid:entry_id>/", views.edit_entry, name="edit"),
    path("entries/<uuid:entry_id>/withdraw/", views.withdraw_entry, name="withdraw"),
    path("messages/<uuid:thread_id>/", views.thread, name="thread"),
]
