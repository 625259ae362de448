"""The name printed on a certificate: the pages keep only a name the certificate signer
signs (its own rule, mend.crypto.certificates.text_problem), a name kept before they did
never costs a pass, and two posts of the name form at once keep one name.

Before: the forms checked the length in characters only, so a name with an invisible
character, or 70 Chinese characters (210 bytes), was kept; the signer refused it on the
last module, and the error undid the graded check with the rest (500, pass lost). Since
session 23 the signer takes the zero-width non-joiner and joiner inside a name (Persian
surnames are written with one), so such a name is kept and certified as written.
And the name page looked for her membership, then inserted one: a double click gave 500.

Personas as in test_staff (the real curriculum): carol (counselor), frank (facilitator),
Springfield Police's learner lena.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock
from uuid import uuid4

from django.db import connection
from django.urls import reverse

from mend.accounts.models import User
from mend.certificates.models import Certificate
from mend.certificates.paths import COUNSELOR_PATH
from mend.crypto import certificates as signer
from mend.crypto.errors import CertificateError
from mend.test import NOW, login_with_otp
from mend.training import actions
from mend.training.models import Attempt, Completion, Invitation, Membership
from mend.training.tests.test_staff import NAME_URL, StaffTrainingCase, path_modules

# A Persian family name written with a zero-width non-joiner (U+200C), as Persian spelling
# requires ("Hosseini-zadeh"); a name with a zero-width space, which prints as nothing;
# 70 Chinese characters (3 bytes each: 210 of the signer's 200).
PERSIAN = "سارا حسینی\u200cزاده"  # noqa: RUF001 (Persian letters, not look-alikes)
INVISIBLE = "Sara\u200bHosseini"
LONG_CJK = "王" * 70
UNPRINTABLE = "This name has a character that a certificate cannot print"
UNPRINTABLE_ES = "Este nombre tiene un carácter que un certificado no puede imprimir"
TOO_LONG = "Write a shorter name: a certificate has room for the first 66 characters of this one"
TOO_LONG_ES = "Escribe un nombre más corto: en un certificado caben los primeros 66 caracteres"
REFUSED = "Your certificate cannot be issued with the name saved for it"


def signs(name: str) -> bool:
    """Whether the certificate signer signs ``name`` (a real signature, not the rule)."""
    certificate = signer.Certificate(
        uuid4(),
        name,
        COUNSELOR_PATH,
        "Counselors",
        (("realities", 1),),
        NOW,
        NOW.replace(year=2028),
    )
    try:
        signer.sign_certificate(bytes(32), certificate)
    except CertificateError:
        return False
    return True


class CertificateNameRuleTests(StaffTrainingCase):
    def test_it_keeps_a_persian_name_with_its_zero_width_non_joiner_as_written(self) -> None:
        login_with_otp(self.client, self.carol)
        r = self.client.post(NAME_URL, {"name": f"\u200c{PERSIAN}\u200c "})
        self.assertRedirects(r, reverse("training:home"))
        self.assertEqual(Membership.objects.get(user=self.carol).name, PERSIAN)

    def test_it_refuses_a_name_with_a_zero_width_space_and_keeps_nothing(self) -> None:
        login_with_otp(self.client, self.carol)
        r = self.client.post(NAME_URL, {"name": INVISIBLE})
        self.assertContains(r, UNPRINTABLE, status_code=400)
        self.assertContains(r, "such as a zero-width space or a direction mark", status_code=400)
        self.assertFalse(Membership.objects.filter(user=self.carol).exists())
        # Written with a space where the invisible one was, it is kept and signed as written.
        r = self.client.post(NAME_URL, {"name": INVISIBLE.replace("\u200b", " ")})
        self.assertRedirects(r, reverse("training:home"))
        self.assertEqual(Membership.objects.get(user=self.carol).name, "Sara Hosseini")

    def test_it_refuses_a_long_name_in_chinese_characters_saying_how_many_fit(self) -> None:
        login_with_otp(self.client, self.frank)
        r = self.client.post(NAME_URL, {"name": LONG_CJK})
        self.assertContains(r, TOO_LONG, status_code=400)
        self.assertFalse(Membership.objects.filter(user=self.frank).exists())
        r = self.client.post(NAME_URL, {"name": "王" * 66})
        self.assertRedirects(r, reverse("training:home"))
        self.assertEqual(Membership.objects.get(user=self.frank).name, "王" * 66)

    def test_it_says_what_to_change_in_spanish(self) -> None:
        login_with_otp(self.client, self.carol)
        r = self.client.post("/es" + NAME_URL, {"name": INVISIBLE})
        self.assertContains(r, UNPRINTABLE_ES, status_code=400)
        r = self.client.post("/es" + NAME_URL, {"name": LONG_CJK})
        self.assertContains(r, TOO_LONG_ES, status_code=400)
        self.assertFalse(Membership.objects.filter(user=self.carol).exists())

    def test_it_keeps_the_name_as_the_certificate_prints_it(self) -> None:
        login_with_otp(self.client, self.carol)
        r = self.client.post(NAME_URL, {"name": " Carol \t  Rivera "})
        self.assertRedirects(r, reverse("training:home"))
        self.assertEqual(Membership.objects.get(user=self.carol).name, "Carol Rivera")

    def test_every_name_the_page_keeps_is_one_the_signer_signs_and_only_those(self) -> None:
        names = {
            PERSIAN: True,
            "क्\u200dष": True,  # a zero-width joiner between two letters of Devanagari
            INVISIBLE: False,
            "\u200fنور": False,  # a right-to-left mark
            "Bell\x07": False,  # a control character
            "王" * 67: False,  # 201 bytes
            "é" * 101: False,  # 202 bytes
            "Zoë\u00a0Ng": True,  # a no-break space is white space: printed as a space
            "José Núñez-Ölçer 李": True,
            "Ame\u0301lie": True,  # a combining accent
            "Kai 🌊": True,
            "王" * 66: True,
            "é" * 100: True,
        }
        login_with_otp(self.client, self.carol)
        for name, kept in names.items():
            with self.subTest(name=name):
                r = self.client.post(NAME_URL, {"name": name})
                self.assertEqual(r.status_code, 302 if kept else 400)
                self.assertEqual(signs(signer.printed(name)), kept)
                if kept:
                    stored = Membership.objects.get(user=self.carol).name
                    self.assertEqual(stored, signer.printed(name))

    def test_joining_refuses_a_name_a_certificate_cannot_print(self) -> None:
        [code] = actions.do_issue_invitations(
            self.springfield, self.olivia, 1, as_admin=False, now=NOW
        )
        data = {"code": code, "username": "sara", "passphrase": "violet harbour candle stream"}
        for name, message in ((INVISIBLE, UNPRINTABLE), (LONG_CJK, TOO_LONG)):
            with self.subTest(name=name):
                r = self.client.post(reverse("training:join"), {**data, "name": name})
                self.assertContains(r, message, status_code=400)
        self.assertFalse(User.objects.filter(username="sara").exists())
        self.assertIsNone(Invitation.objects.get().used_at)
        r = self.client.post(reverse("training:join"), {**data, "name": "Sara  Hosseini"})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Membership.objects.get(user__username="sara").name, "Sara Hosseini")


class NameKeptBeforeTheRuleTests(StaffTrainingCase):
    """A name kept before the pages applied the signer's rule: the checks are graded and
    kept, no certificate is issued (nothing answers 500), and her pages say what to do."""

    def keep_name_as_before(self, user: User, name: str) -> None:
        Membership.objects.update_or_create(
            user=user, defaults={"name": name}, create_defaults={"name": name, "joined_at": NOW}
        )

    def test_a_counselor_keeps_her_passes_and_is_certified_once_she_corrects_the_name(
        self,
    ) -> None:
        self.keep_name_as_before(self.carol, INVISIBLE)
        login_with_otp(self.client, self.carol)
        *most, last = path_modules(COUNSELOR_PATH)
        for module_id in most:
            self.pass_module(module_id)
        attempt = self.pass_module(last)  # the last module: answers 302, never 500
        self.assertEqual(
            Attempt.objects.filter(learner=self.carol, passed=True).count(),
            len(path_modules(COUNSELOR_PATH)),
        )
        self.assertFalse(Certificate.objects.filter(holder=self.carol).exists())
        self.assertFalse(Completion.objects.filter(learner=self.carol).exists())

        r = self.client.get(reverse("training:attempt", args=[attempt.id]))
        self.assertContains(r, 'data-qa="name-refused"')
        self.assertContains(r, REFUSED)
        self.assertContains(r, f'<a href="{NAME_URL}" data-qa="correct-name">')
        r = self.client.get(reverse("training:path", args=[COUNSELOR_PATH]))
        self.assertContains(r, REFUSED)
        self.assertNotContains(r, 'data-qa="path-complete"')
        r = self.client.get("/es" + reverse("training:path", args=[COUNSELOR_PATH]))
        self.assertContains(r, "Tu certificado no se puede emitir con el nombre guardado")
        r = self.client.get(NAME_URL)  # the name page says what to change before any post
        self.assertContains(r, UNPRINTABLE, status_code=200)

        r = self.client.post(NAME_URL, {"name": "Sara Hosseini-zadeh"})
        self.assertRedirects(r, reverse("training:home"))
        certificate = Certificate.objects.get(holder=self.carol, path_id=COUNSELOR_PATH)
        self.assertEqual((certificate.name, certificate.issued_at), ("Sara Hosseini-zadeh", NOW))
        self.assertTrue(Completion.objects.filter(learner=self.carol, path_id=COUNSELOR_PATH))
        r = self.client.get(reverse("training:path", args=[COUNSELOR_PATH]))
        self.assertContains(r, 'data-qa="path-complete"')
        self.assertNotContains(r, 'data-qa="name-refused"')

    def test_a_learner_keeps_her_passes_and_is_certified_once_she_corrects_the_name(
        self,
    ) -> None:
        self.keep_name_as_before(self.lena, LONG_CJK)
        self.client.force_login(self.lena)
        for module_id in path_modules("police"):
            self.pass_module(module_id)
        self.assertEqual(
            Attempt.objects.filter(learner=self.lena, passed=True).count(),
            len(path_modules("police")),
        )
        self.assertFalse(Certificate.objects.filter(holder=self.lena).exists())
        self.assertFalse(Completion.objects.filter(learner=self.lena).exists())
        r = self.client.get(reverse("training:path", args=["police"]))
        self.assertContains(r, REFUSED)
        self.assertContains(r, f'<a href="{NAME_URL}" data-qa="correct-name">')
        r = self.client.get(NAME_URL)  # what to change, before any post
        self.assertContains(r, TOO_LONG, status_code=200)

        r = self.client.post(NAME_URL, {"name": "Lena Wang"})
        self.assertRedirects(r, reverse("training:home"))
        certificate = Certificate.objects.get(holder=self.lena, path_id="police")
        self.assertEqual((certificate.name, certificate.issued_at), ("Lena Wang", NOW))
        self.assertTrue(Completion.objects.filter(learner=self.lena, path_id="police"))
        membership = Membership.objects.get(user=self.lena)
        self.assertEqual(
            (membership.name, membership.organisation), ("Lena Wang", self.springfield)
        )
        r = self.client.get(reverse("training:path", args=["police"]))
        self.assertContains(r, 'data-qa="path-complete"')
        self.assertNotContains(r, 'data-qa="name-refused"')


class TheOtherPostFirst:
    """A query wrapper: once the first query about her membership has run (the look for
    it), the other post of a double click inserts her membership, as a second request
    that got there first would."""

    def __init__(self, user: User, name: str) -> None:
        self.user, self.name, self.done = user, name, False

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        result = execute(sql, params, many, context)
        if not self.done and "training_membership" in sql:
            self.done = True
            Membership.objects.create(user=self.user, name=self.name, joined_at=NOW)
        return result


class DoublePostTests(StaffTrainingCase):
    def test_two_posts_of_the_name_at_once_keep_one_membership_with_the_name(self) -> None:
        set_name = actions.do_set_certificate_name
        other = TheOtherPostFirst(self.carol, "Carol R.")

        def after_the_other_post(user: User, name: str, now: Any) -> Membership:
            with connection.execute_wrapper(other):
                return set_name(user, name, now)

        login_with_otp(self.client, self.carol)
        self.client.raise_request_exception = False
        with mock.patch.object(actions, "do_set_certificate_name", after_the_other_post):
            r = self.client.post(NAME_URL, {"name": "Carol Rivera"})
        self.assertTrue(other.done)
        self.assertRedirects(r, reverse("training:home"))
        self.assertEqual(Membership.objects.get(user=self.carol).name, "Carol Rivera")
        self.assertEqual(Membership.objects.filter(organisation=None).count(), 1)
