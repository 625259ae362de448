from __future__ import annotations

from django.urls import path

from mend.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.sign_up, name="signup"),
    path("login/", views.log_in, name="login"),
    path("recover/", views.recover, name="recover"),
    path("passphrase/", views.change_passphrase, name="passphrase"),
    path("delete/", views.delete_account, name="delete"),
    path("home/", views.home, name="home"),
    path("logout/", views.log_out, name="logout"),
    path("exit/", views.end_session_on_exit, name="exit"),
    path("signed-out/", views.signed_out, name="signed_out"),
]
