"""Shared set-up for certificate tests: the personas, and a certificate issued as training does."""

from __future__ import annotations

from datetime import datetime

from mend.accounts.models import User
from mend.certificates import actions
from mend.certificates.models import Certificate
from mend.test import NOW, BaseTestCase

POLICE_MODULES = [("trauma-basics", 1), ("receiving-disclosure", 2), ("first-response", 1)]


class CertificateTestCase(BaseTestCase):
    def issue(
        self,
        holder: User,
        *,
        path_id: str = "police",
        modules: list[tuple[str, int]] | None = None,
        now: datetime = NOW,
        name: str = "",
    ) -> Certificate:
        return actions.issue(
            holder=holder,
            name=name or f"{holder.username.title()} Example",
            path_id=path_id,
            path_title="Police and campus security",
            modules=POLICE_MODULES if modules is None else modules,
            now=now,
        )
