"""Verifying a survivor account: invitation codes and one-time codes by mail."""

from __future__ import annotations

import io
import re

from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from mend.audit.models import AuditLog
from mend.escrow import testing, verification
from mend.escrow.errors import Conflict, RateLimited
from mend.escrow.models import (
    EmailChallenge,
    EscrowAccount,
    InstitutionDomain,
    Invitation,
    VerifiedAddress,
)
from mend.escrow.tests.base import EscrowTestCase

SITUATION_WORDS = ["escrow", "assault", "harass", "perpetrator", "match", "survivor", "abuse"]


class InvitationTests(EscrowTestCase):
    def test_it_verifies_with_an_invitation_code_once(self) -> None:
        [code] = verification.do_issue_invitations(self.adam, 1, 30)
        account = verification.do_redeem_invitation(self.alice, code.lower())
        self.assertEqual(account.method, "invitation")
        self.assertEqual(len(bytes(account.escrow_id)), 32)
        self.assertTrue(Invitation.objects.get().used)
        self.assertEqual(testing.database_rows_containing([code]), [])
        with self.assertRaises(verification.VerificationFailed):
            verification.do_redeem_invitation(self.bob, code)
        self.assertFalse(EscrowAccount.objects.filter(user=self.bob).exists())

    def test_it_refuses_a_wrong_code(self) -> None:
        with self.assertRaises(verification.VerificationFailed):
            verification.do_redeem_invitation(self.alice, "NOT-A-REAL-CODE")
        self.assertFalse(EscrowAccount.objects.exists())

    def test_it_refuses_staff(self) -> None:
        from django.http import Http404

        [code] = verification.do_issue_invitations(self.adam, 1, 30)
        for user in (self.carol, self.erin, self.adam):
            with self.assertRaises(Http404):
                verification.do_redeem_invitation(user, code)
        self.assertFalse(Invitation.objects.get().used)

    def test_it_refuses_an_account_already_verified(self) -> None:
        codes = verification.do_issue_invitations(self.adam, 2, 30)
        verification.do_redeem_invitation(self.alice, codes[0])
        with self.assertRaises(Conflict):
            verification.do_redeem_invitation(self.alice, codes[1])

    @override_settings(RATE_LIMIT_ESCROW_VERIFY_ACCOUNT=(2, 3600))
    def test_it_limits_guesses(self) -> None:
        for _ in range(2):
            with self.assertRaises(verification.VerificationFailed):
                verification.do_redeem_invitation(self.alice, "WRONG")
        with self.assertRaises(RateLimited):
            verification.do_redeem_invitation(self.alice, "WRONG")

    def test_the_command_prints_codes_and_audits(self) -> None:
        out = io.StringIO()
        call_command("escrow_invite", "--count", "3", "--by", "adam", stdout=out)
        codes = out.getvalue().split()
        self.assertEqual(len(codes), 3)
        self.assertTrue(all(re.fullmatch(r"[A-Z2-9]{20}", c) for c in codes))
        self.assertEqual(Invitation.objects.count(), 3)
        self.assertTrue(
            AuditLog.objects.filter(action="escrow.invitations.issued", actor=self.adam).exists()
        )


class AddressTests(EscrowTestCase):
    def setUp(self) -> None:
        super().setUp()
        InstitutionDomain.objects.create(domain="uni.example.edu", name="Example University")

    def code_from_mail(self) -> str:
        match = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
        assert match is not None
        return match[1]

    def test_it_verifies_with_a_code_sent_to_an_institution_address(self) -> None:
        verification.do_send_address_code(self.alice, "  Alice.Smith@CS.Uni.Example.edu ")
        self.assertEqual(mail.outbox[0].to, ["alice.smith@cs.uni.example.edu"])
        account = verification.do_confirm_address_code(self.alice, self.code_from_mail())
        self.assertEqual(account.method, "institution")
        self.assertEqual(VerifiedAddress.objects.count(), 1)
        self.assertFalse(EmailChallenge.objects.exists())
        self.assertEqual(testing.database_rows_containing(["alice.smith", "Alice.Smith"]), [])

    def test_the_mail_says_nothing_about_the_situation(self) -> None:
        verification.do_send_address_code(self.alice, "alice@uni.example.edu")
        message = mail.outbox[0]
        text = f"{message.subject} {message.body}".lower()
        for word in SITUATION_WORDS:
            self.assertNotIn(word, text)

    def test_one_address_verifies_one_account_and_nobody_else_learns_it_was_used(self) -> None:
        verification.do_send_address_code(self.alice, "alice@uni.example.edu")
        verification.do_confirm_address_code(self.alice, self.code_from_mail())
        verification.do_send_address_code(self.bob, "ALICE@uni.example.edu")  # no error for bob
        self.assertNotRegex(str(mail.outbox[-1].body), r"\b\d{6}\b")
        self.assertIn("already been used", str(mail.outbox[-1].body))
        self.assertFalse(EmailChallenge.objects.filter(user=self.bob).exists())
        self.assertFalse(EscrowAccount.objects.filter(user=self.bob).exists())

    def test_it_refuses_addresses_outside_the_allow_list(self) -> None:
        for address in ("someone@gmail.com", "x@example.edu", "x@evil-uni.example.edu.com"):
            with self.assertRaises(verification.VerificationFailed):
                verification.do_send_address_code(self.alice, address)
        self.assertEqual(mail.outbox, [])

    def test_a_wrong_code_counts_and_five_wrong_codes_end_the_challenge(self) -> None:
        verification.do_send_address_code(self.alice, "alice@uni.example.edu")
        code = self.code_from_mail()
        wrong = "000000" if code != "000000" else "111111"
        for attempt in range(1, 6):
            with self.assertRaises(verification.VerificationFailed):
                verification.do_confirm_address_code(self.alice, wrong)
            self.assertEqual(EmailChallenge.objects.get().attempts, attempt)
        with self.assertRaises(verification.VerificationFailed):
            verification.do_confirm_address_code(self.alice, code)
        self.assertFalse(EscrowAccount.objects.exists())
