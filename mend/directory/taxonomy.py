"""The Mend taxonomy, shipped as HSDS taxonomy data (ARCHITECTURE section 5).

Codes are stable public identifiers (URLs, API parameters, HSDS exports); term ids are
UUID5s of the codes, so every installation gives a term the same id.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NAMESPACE = uuid.UUID("6f1c3e5a-9d1b-4c0e-8f7a-2b5d4e6c8a10")
SERVICE_TYPE = "mend-service-type"
ELIGIBILITY = "mend-eligibility"
ACCESSIBILITY = "mend-accessibility"
PROFILE_URI = "https://mend.example.org/hsds-profile/v1"


@dataclass(frozen=True)
class Term:
    taxonomy: str
    code: str
    name: str | Promise

    @property
    def id(self) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, f"{self.taxonomy}:{self.code}")


SERVICE_TYPES = (
    Term(SERVICE_TYPE, "crisis-line", _("Crisis line")),
    Term(SERVICE_TYPE, "counselling", _("Counselling and mental health")),
    Term(SERVICE_TYPE, "forensic-medical-exam", _("Forensic and medical exam after assault")),
    Term(SERVICE_TYPE, "sexual-health", _("Gynecological and sexual health")),
    Term(SERVICE_TYPE, "health-check", _("General health check")),
    Term(SERVICE_TYPE, "legal-advice", _("Legal advice")),
    Term(SERVICE_TYPE, "advocacy", _("Advocacy and accompaniment")),
    Term(SERVICE_TYPE, "safe-housing", _("Safe housing")),
    Term(SERVICE_TYPE, "support-group", _("Support group")),
    Term(SERVICE_TYPE, "work-advice", _("Work and employment advice")),
)

ELIGIBILITIES = (
    Term(ELIGIBILITY, "women", _("Women")),
    Term(ELIGIBILITY, "men", _("Men")),
    Term(ELIGIBILITY, "non-binary", _("Non-binary people")),
    Term(ELIGIBILITY, "young-people", _("Young people (under 18)")),
    Term(ELIGIBILITY, "adults", _("Adults")),
    Term(ELIGIBILITY, "older-adults", _("Older adults (65 and over)")),
    Term(ELIGIBILITY, "lgbtqia", _("LGBTQIA+ people")),
    Term(ELIGIBILITY, "immigration-status-not-asked", _("Immigration status not asked")),
    Term(ELIGIBILITY, "low-income", _("People on a low income")),
    Term(ELIGIBILITY, "survivors-sexual-assault", _("Survivors of sexual assault")),
    Term(ELIGIBILITY, "survivors-harassment", _("Survivors of sexual harassment")),
    Term(ELIGIBILITY, "survivors-domestic-abuse", _("Survivors of domestic abuse")),
)

ACCESSIBILITY_FEATURES = (
    Term(ACCESSIBILITY, "wheelchair", _("Wheelchair accessible")),
    Term(ACCESSIBILITY, "accessible-toilet", _("Accessible toilet")),
    Term(ACCESSIBILITY, "hearing-loop", _("Hearing loop")),
    Term(ACCESSIBILITY, "sign-language", _("Sign language available")),
    Term(ACCESSIBILITY, "easy-read", _("Easy-read information")),
    Term(ACCESSIBILITY, "quiet-space", _("Quiet waiting space")),
)

ALL_TERMS = SERVICE_TYPES + ELIGIBILITIES + ACCESSIBILITY_FEATURES
BY_CODE = {(t.taxonomy, t.code): t for t in ALL_TERMS}
