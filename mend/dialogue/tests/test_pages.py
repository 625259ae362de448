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
        self.assertContains(
            r, "<li>Nothing starts unless that person first admits responsibility.</li>", html=True
        )
        self.assertContains(r, "its words are kept for 90 more days, so that you can keep a copy")
        self.assertFalse(Case.objects.exists())

    def test_it_reads_in_spanish_with_tu(self) -> None:
        r = Client().get("/es/dialogue/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Rendición de cuentas en tus términos")
        self.assertContains(r, "Puedes pausar o parar en cualquier momento, sin dar explicaciones.")
        self.assertContains(r, "sus palabras se guardan 90 días más")
        self.assertContains(r, 'lang="es"')

    def test_it_only_answers_get(self) -> None:
        self.assertEqual(Client().post("/dialogue/").status_code, 405)


class WayInTests(DialogueTestCase):
    """The home page and the main menu lead a visitor and a survivor here; nobody else
    is offered it: staff have their own pages, and the information is not for him."""

    LINK = '<a href="/dialogue/" data-qa="nav-dialogue">Accountability</a>'

    def test_the_home_page_and_the_menu_lead_a_visitor_here(self) -> None:
        r = Client().get("/")
        self.assertContains(r, self.LINK, html=True)
        self.assertContains(r, '<a href="/dialogue/">Accountability on your terms</a>', html=True)
        r = Client().get("/es/")
        self.assertContains(
            r, '<a href="/es/dialogue/" data-qa="nav-dialogue">Rendición de cuentas</a>', html=True
        )

    def test_the_menu_leads_alice_here_once_signed_in(self) -> None:
        self.assertContains(self.sign_in(self.alice).get("/"), self.LINK, html=True)

    def test_the_menu_offers_it_to_no_staff_member_and_not_to_ross(self) -> None:
        for user in (self.frank, self.sophie, self.carol, self.ross):
            with self.subTest(user.username):
                r = self.sign_in(user).get("/safety/")
                self.assertEqual(r.status_code, 200)
                self.assertNotContains(r, 'data-qa="nav-dialogue"')
