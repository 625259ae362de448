"""One-time codes (mend.lib.codes): escrow, training and dialogue invitations."""

from __future__ import annotations

from django.test import SimpleTestCase, override_settings

from mend.dialogue import actions as dialogue_actions
from mend.lib import codes
from mend.training import invitations


class CodeTests(SimpleTestCase):
    def test_a_new_code_has_a_hundred_bits_in_letters_that_cannot_be_mistaken(self) -> None:
        code = codes.new_code()
        self.assertEqual(len(code), 20)
        self.assertTrue(set(code) <= set(codes.ALPHABET))
        self.assertFalse(set("01OI") & set(codes.ALPHABET))

    def test_the_typed_forms_of_one_code_hash_alike(self) -> None:
        typed = "abcd-efgh jkmn-pqrs-tuvw"
        self.assertEqual(
            codes.secret_keyed_hash(b"label", typed),
            codes.secret_keyed_hash(b"label", "ABCDEFGHJKMNPQRSTUVW"),
        )

    def test_each_app_hashes_under_its_own_key_and_never_stores_the_code(self) -> None:
        code = codes.new_code()
        training = invitations.code_hash(code)
        dialogue = dialogue_actions.invitation_hash(code)
        self.assertNotEqual(training, dialogue)
        self.assertNotIn(code, training + dialogue)
        self.assertNotIn(code.lower(), training + dialogue)

    def test_a_new_secret_key_makes_outstanding_codes_unusable(self) -> None:
        code = codes.new_code()
        before = dialogue_actions.invitation_hash(code)
        with override_settings(SECRET_KEY="another secret key, rotated by the operator"):
            self.assertNotEqual(dialogue_actions.invitation_hash(code), before)
