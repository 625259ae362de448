from __future__ import annotations

from django.apps import AppConfig


class DialogueConfig(AppConfig):
    name = "mend.dialogue"
    label = "dialogue"
    verbose_name = "Accountability on your terms (restorative dialogue)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mend.accounts.signals import account_deleting
        from mend.dialogue.actions import leave_with_account

        account_deleting.connect(leave_with_account, dispatch_uid="dialogue-leave-with-account")
