"""Her choice of the letter bank only (A.7, apology letter banks): his letters, screened and
kept until she chooses to open one, and no message either way, for as long as she wants."""

from __future__ import annotations

import base64
from typing import Any

from mend.audit.models import AuditLog
from mend.dialogue.models import Case, Format, Item, PartyRole
from mend.dialogue.stages import Screening, Stage
from mend.dialogue.tests.helpers import DialogueTestCase


class LetterBankCase(DialogueTestCase):
    """alice's case at the exchange, frank leading, ross responding."""

    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.EXCHANGE)
        self.survivor = self.part(self.case, PartyRole.SURVIVOR)
        self.ross_part = self.part(self.case, PartyRole.RESPONSIBLE)

    def choose(self, format: str, user: Any = None) -> Any:
        body = {"tell_read": False, "tell_plan_outcome": True, "format": format}
        return self.call(user or self.alice, "PUT", f"/cases/{self.case.id}/choices", body)

    def post_item(self, user: Any, part: Any, name: str, kind: str) -> Any:
        body = self.seal(part, name, kind, f"A {kind} from {name}.")
        return self.call(user, "POST", f"/cases/{self.case.id}/items", body)


class LetterBankTests(LetterBankCase):
    def test_she_chooses_the_letter_bank_and_only_his_letters_can_be_written(self) -> None:
        r = self.choose("letter_bank")

        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["format"], "letter_bank")
        self.assertEqual(Case.objects.get(id=self.case.id).format, Format.LETTER_BANK)
        chosen = AuditLog.objects.get(action="dialogue.format.letter_bank")
        # Her choice names nobody: the log's readers must not learn whose case it is.
        self.assertEqual((chosen.actor_id, chosen.object_id), (None, str(self.case.id)))
        his_message = self.post_item(self.ross, self.ross_part, "ross", "message")
        self.assertEqual(
            (his_message.status_code, his_message.json()["code"]), (403, "letter_bank")
        )
        her_message = self.post_item(self.alice, self.survivor, "alice", "message")
        self.assertEqual(
            (her_message.status_code, her_message.json()["code"]), (403, "letter_bank")
        )
        self.assertEqual(
            self.post_item(self.ross, self.ross_part, "ross", "letter").status_code, 201
        )
        self.assertEqual(list(Item.objects.filter(kind="message")), [])

    def test_a_message_written_before_her_choice_waits_and_can_only_go_back(self) -> None:
        waiting = self.submit(self.ross_part, "ross", "message", "Written before her choice.")
        self.choose("letter_bank")
        url = f"/cases/{self.case.id}/items/{waiting.id}/screening"
        key = self.recipient_key(waiting, "frank", self.survivor)
        approve = {"decision": "approved", "recipient_key": base64.b64encode(key).decode()}

        r = self.call(self.frank, "POST", url, approve)

        self.assertEqual((r.status_code, r.json()["code"]), (403, "letter_bank"))
        waiting.refresh_from_db()
        self.assertEqual(waiting.screening, Screening.PENDING)
        self.assertFalse(waiting.reader_keys.filter(reader=self.survivor).exists())
        self.choose("indirect")  # she changes her mind: it can be passed on again
        self.assertEqual(self.call(self.frank, "POST", url, approve).status_code, 200)

    def test_back_to_screened_messages_both_can_write_again(self) -> None:
        self.choose("letter_bank")
        self.assertEqual(self.choose("indirect").json()["format"], "indirect")
        self.assertEqual(
            self.post_item(self.ross, self.ross_part, "ross", "message").status_code, 201
        )
        self.assertEqual(AuditLog.objects.filter(action__startswith="dialogue.format.").count(), 2)

    def test_only_she_chooses_and_only_the_two_formats(self) -> None:
        for user in (self.ross, self.frank):
            self.assertEqual(self.choose("letter_bank", user).status_code, 404, user.username)
        self.assertEqual(self.choose("face_to_face").status_code, 422)
        self.assertEqual(Case.objects.get(id=self.case.id).format, Format.INDIRECT)
        self.choose("indirect")  # the same format again: nothing to tell the team
        self.assertFalse(AuditLog.objects.filter(action__startswith="dialogue.format.").exists())


class LetterBankPagesTests(LetterBankCase):
    def pages(self) -> tuple[str, str, str]:
        """Her case page, his and frank's, as each of them gets it now."""
        hers = self.sign_in(self.alice).get(f"/dialogue/mine/{self.case.id}/")
        his = self.sign_in(self.ross).get(f"/dialogue/responsible/{self.case.id}/")
        franks = self.sign_in(self.frank).get(f"/dialogue/staff/{self.case.id}/")
        for page in (hers, his, franks):
            self.assertEqual(page.status_code, 200)
        return hers.content.decode(), his.content.decode(), franks.content.decode()

    def test_every_page_shows_her_choice_and_offers_only_what_it_allows(self) -> None:
        hers, his, franks = self.pages()
        self.assertIn('data-qa="format-indirect" checked', hers)
        self.assertIn('data-qa="compose"', hers)
        self.assertIn('value="message" checked', his)
        self.assertIn("Messages both ways", franks)

        self.choose("letter_bank")

        hers, his, franks = self.pages()
        self.assertIn('data-qa="format-letter-bank" checked', hers)
        self.assertNotIn('data-qa="compose"', hers)
        self.assertIn('data-qa="letter-bank-chosen"', hers)
        self.assertIn('value="message" disabled', his)
        self.assertIn('value="letter" checked', his)
        self.assertIn('data-qa="letter-bank-chosen"', his)
        self.assertIn("Letters only: the letters of the person responsible are passed on", franks)

    def test_it_reads_in_spanish(self) -> None:
        self.choose("letter_bank")
        hers = self.sign_in(self.alice).get(f"/es/dialogue/mine/{self.case.id}/")
        self.assertContains(hers, "Solo cartas")
        his = self.sign_in(self.ross).get(f"/es/dialogue/responsible/{self.case.id}/")
        self.assertContains(his, "La otra persona eligió recibir solo cartas")
