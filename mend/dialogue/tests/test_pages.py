"""Stage 0: the public information page, in English and Spanish, with the quick exit."""

from __future__ import annotations

from django.test import Client

from mend.dialogue.models import Case
from mend.dialogue.tests.helpers import DialogueTestCase


class AboutPageTests(DialogueTestCase):
    def test_anyone_reads_it_without_an_account_and_nothing_starts(self) -> None:
        r = Client().get("/dialogue/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'data-qa="dialogue-about"')
        self.assertContains(r, 'data-qa="quick-exit"')
        self.assertContains(r, "nothing starts unless that person first admits responsibility")
        self.assertContains(r, "its words are kept for 90 more days, so that you can keep a copy")
        self.assertFalse(Case.objects.exists())

    def test_it_reads_in_spanish_with_tu(self) -> None:
        r = Client().get("/es/dialogue/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Rendición de cuentas en tus términos")
        self.assertContains(r, "puedes pausar o parar en cualquier momento")
        self.assertContains(r, "sus palabras se guardan 90 días más")
        self.assertContains(r, 'lang="es"')

    def test_it_only_answers_get(self) -> None:
        self.assertEqual(Client().post("/dialogue/").status_code, 405)
