from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mend.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from mend.accounts.admin import close_unsafe_admin_pages

        close_unsafe_admin_pages()
