"""Personas and fixtures for the training tests.

The content is the two fixture modules in tests/content/ (the real curriculum is written
elsewhere and validated by test_content). Organisations: Springfield Police, whose
administrator is olivia and whose learners are lena and liam; Shelbyville Hospital, whose
administrator is otto. The shared personas (mend.test) are survivors and staff.
"""

from __future__ import annotations

from pathlib import Path

from django.test import override_settings

from mend.accounts.models import Role, User
from mend.test import NOW, BaseTestCase
from mend.training import curriculum
from mend.training.models import Membership, Organisation

FIXTURES = Path(__file__).resolve().parent / "content"
FIXTURE_SETTINGS = override_settings(
    TRAINING_CONTENT_DIR=FIXTURES,
    TRAINING_CHECK_ITEMS=8,
    LOCALE_PATHS=[FIXTURES / "locale"],
)


def fixture_content() -> curriculum.Curriculum:
    return curriculum.load(FIXTURES)


def make_learner(name: str, organisation: Organisation, *, admin: bool = False) -> User:
    user = User.objects.create_user(
        username=name, password=f"{name}-passphrase-long", role=Role.LEARNER
    )
    Membership.objects.create(
        user=user,
        organisation=organisation,
        is_admin=admin,
        name=name.title() + " Example",
        joined_at=NOW,
    )
    return user


@FIXTURE_SETTINGS
class TrainingTestCase(BaseTestCase):
    springfield: Organisation
    shelbyville: Organisation
    olivia: User
    lena: User
    liam: User
    otto: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.springfield = Organisation.objects.create(name="Springfield Police", created_at=NOW)
        cls.shelbyville = Organisation.objects.create(name="Shelbyville Hospital", created_at=NOW)
        cls.olivia = make_learner("olivia", cls.springfield, admin=True)
        cls.lena = make_learner("lena", cls.springfield)
        cls.liam = make_learner("liam", cls.springfield)
        cls.otto = make_learner("otto", cls.shelbyville, admin=True)
