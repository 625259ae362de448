from __future__ import annotations

from django.apps import AppConfig


class EscrowConfig(AppConfig):
    name = "mend.escrow"
    label = "escrow"
    verbose_name = "Find others, safely (escrow)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mend.accounts.signals import account_deleting
        from mend.certificates.signals import certificate_issued, certificate_revoked
        from mend.escrow.receivers import withdraw_with_account
        from mend.escrow.tasks import assign_waiting_groups, take_back_groups

        certificate_issued.connect(assign_waiting_groups, dispatch_uid="escrow-assign-waiting")
        certificate_revoked.connect(take_back_groups, dispatch_uid="escrow-take-back")
        account_deleting.connect(withdraw_with_account, dispatch_uid="escrow-withdraw-with-account")
