"""The facilitator's and the supervisor's pages: who reaches them (the lead and co-facilitator
of the case; the supervisor's list), and 404 for everyone else, staff included."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import time_machine
from django.test import Client, SimpleTestCase

from mend.accounts.models import Role, User
from mend.certificates import paths
from mend.certificates.actions import do_allow_retake, do_revoke_certificate
from mend.certificates.models import Certificate
from mend.certificates.testing import certify, raise_a_module
from mend.dialogue import actions
from mend.dialogue.models import Case, Participant, PartyRole
from mend.dialogue.staff_strings import staff_strings
from mend.dialogue.stages import Stage, StopRule
from mend.dialogue.tests.helpers import CANARY, DialogueTestCase, ready_to_facilitate
from mend.escrow import testing as escrow_testing
from mend.escrow import trust
from mend.escrow.models import CounselorKey
from mend.test import NOW, login_with_otp


class StaffPagesTests(DialogueTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.PREPARATION)  # alice's, frank leads, ross responds
        self.hana = User.objects.create_user("hana", password="x", role=Role.FACILITATOR)
        ready_to_facilitate(self.hana)
        actions.do_assign_facilitator(self.sophie, self.case, self.hana, PartyRole.CO, NOW)
        self.other = self.other_case()

    def other_case(self) -> Case:
        """bob's case, led by gail, with rita as its responsible person."""
        bob = actions.do_open_case(self.bob, NOW)
        actions.do_give_consent(bob, actions.CONSENT_VERSION, NOW)
        actions.do_assign_facilitator(self.sophie, bob.case, self.gail, PartyRole.LEAD, NOW)
        self.rita = User.objects.create_user("rita", password="x", role=Role.RESPONSIBLE)
        Participant.objects.create(
            case=bob.case, user=self.rita, role=PartyRole.RESPONSIBLE, joined_at=NOW
        )
        return bob.case

    def urls(self) -> list[str]:
        return ["/dialogue/staff/", f"/dialogue/staff/{self.case.id}/", "/dialogue/supervision/"]

    def test_the_lead_and_the_co_facilitator_open_the_case_page(self) -> None:
        for user in (self.frank, self.hana):
            r = self.sign_in(user).get(f"/dialogue/staff/{self.case.id}/")
            self.assertEqual(r.status_code, 200, user.username)
            self.assertContains(r, 'data-qa="unlock"')
            self.assertContains(r, "Preparation")  # the stage, by name
            self.assertContains(r, "js/dialogue/staff/case.js")
            self.assertNotContains(r, CANARY)
        lead = self.sign_in(self.frank).get(f"/dialogue/staff/{self.case.id}/")
        co = self.sign_in(self.hana).get(f"/dialogue/staff/{self.case.id}/")
        self.assertContains(lead, 'id="invite-section"')  # the invitation is the lead's
        self.assertNotContains(co, 'id="invite-section"')

    def test_the_case_page_offers_the_servers_lists_in_plain_words(self) -> None:
        r = self.sign_in(self.frank).get(f"/dialogue/staff/{self.case.id}/")
        for words in (
            "Is anyone pressuring the survivor to take part?",  # A.10 survivor questions
            "Have they used weapons or substances",
            "No private space or device",  # Project Restore's checklist
            "Contact outside Mend",  # a stop rule
            "It explains the harm away",  # what a return reason means
            "no forgiveness clauses",
            "Alternative and restorative resolution",  # a Mend training module, by its title
        ):
            self.assertContains(r, words)
        for rule in StopRule:
            self.assertContains(r, f'value="{rule.value}"')

    def test_her_list_shows_her_cases_only(self) -> None:
        r = self.sign_in(self.frank).get("/dialogue/staff/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, f"/dialogue/staff/{self.case.id}/")
        self.assertNotContains(r, f"/dialogue/staff/{self.other.id}/")
        r = self.sign_in(self.gail).get("/dialogue/staff/")
        self.assertContains(r, f"/dialogue/staff/{self.other.id}/")
        self.assertNotContains(r, f"/dialogue/staff/{self.case.id}/")

    def test_everyone_not_in_the_case_gets_404_staff_included(self) -> None:
        rita = self.rita
        outsiders = {
            "alice (its survivor)": self.alice,
            "bob (another survivor)": self.bob,
            "ross (its responsible person)": self.ross,
            "rita (another case's responsible person)": rita,
            "gail (facilitator of another case)": self.gail,
            "sophie (supervisor)": self.sophie,
            "carol (counselor)": self.carol,
            "erin (editor)": self.erin,
            "adam (admin)": self.adam,
            "mallory": self.mallory,
        }
        for name, user in outsiders.items():
            r = self.sign_in(user).get(f"/dialogue/staff/{self.case.id}/")
            self.assertEqual(r.status_code, 404, name)
        frank_without_code = Client()
        frank_without_code.force_login(self.frank)
        self.assertEqual(
            frank_without_code.get(f"/dialogue/staff/{self.case.id}/").status_code, 404
        )
        self.assertEqual(frank_without_code.get("/dialogue/staff/").status_code, 404)

    def test_the_staff_list_is_404_to_everyone_but_facilitators(self) -> None:
        for user in (self.alice, self.ross, self.sophie, self.carol, self.erin, self.adam):
            self.assertEqual(self.sign_in(user).get("/dialogue/staff/").status_code, 404, user)

    def test_signed_out_every_page_sends_to_the_staff_sign_in(self) -> None:
        for url in self.urls():
            r = Client().get(url)
            self.assertRedirects(r, f"/counselor/login/?next={url}", fetch_redirect_response=False)

    def test_a_case_of_no_one_is_404(self) -> None:
        r = self.sign_in(self.frank).get("/dialogue/staff/00000000-0000-0000-0000-000000000000/")
        self.assertEqual(r.status_code, 404)

    def test_the_pages_only_answer_get(self) -> None:
        client = self.sign_in(self.frank)
        self.assertEqual(client.post(f"/dialogue/staff/{self.case.id}/").status_code, 405)
        self.assertEqual(client.post("/dialogue/staff/").status_code, 405)

    def test_it_reads_in_spanish(self) -> None:
        r = self.sign_in(self.frank).get(f"/es/dialogue/staff/{self.case.id}/")
        self.assertContains(r, 'lang="es"')
        self.assertContains(r, "Evaluación de preparación y seguridad")
        self.assertContains(r, "¿Alguien presiona a la persona sobreviviente para participar?")


class SupervisionPageTests(DialogueTestCase):
    def test_the_supervisor_sees_stage_dates_and_flags_and_no_one(self) -> None:
        case = self.case_at(Stage.PREPARATION)
        lead = self.part(case, PartyRole.LEAD)
        actions.do_record_stop(lead, StopRule.NEW_RISK, False, NOW)
        r = self.sign_in(self.sophie).get("/dialogue/supervision/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'data-qa="supervised-case"', count=1)
        self.assertContains(r, "Preparation")
        self.assertContains(r, "New information about risk")
        for name in ("alice", "frank", "ross"):
            self.assertNotContains(r, name)
        self.assertNotContains(r, f"/dialogue/staff/{case.id}/")

    def test_it_is_404_to_everyone_else(self) -> None:
        for user in (self.alice, self.ross, self.frank, self.gail, self.carol, self.adam):
            self.assertEqual(self.sign_in(user).get("/dialogue/supervision/").status_code, 404)
        sophie_without_code = Client()
        sophie_without_code.force_login(self.sophie)
        self.assertEqual(sophie_without_code.get("/dialogue/supervision/").status_code, 404)


class LapsedFacilitatorTests(DialogueTestCase):
    """frank leads alice's open case when his certificate of the facilitators' path lapses;
    sophie supervises."""

    def setUp(self) -> None:
        super().setUp()
        self.case = self.case_at(Stage.PREPARATION)
        self.certificate = Certificate.objects.get(holder=self.frank)
        self.expiry = self.certificate.expires_at

    def told(self, language: str = "") -> tuple[bool, bool]:
        """Whether sophie's list (the API's row, the page) flags the case now."""
        (row,) = self.call(self.sophie, "GET", "/supervision/cases").json()
        page = self.sign_in(self.sophie).get(f"{language}/dialogue/supervision/")
        self.assertEqual(page.status_code, 200)
        return row["facilitator_lapsed"], 'data-qa="facilitator-lapsed"' in page.content.decode()

    def test_the_supervisor_is_told_from_the_second_his_certificate_expires(self) -> None:
        with time_machine.travel(self.expiry - timedelta(seconds=1), tick=False):
            self.assertEqual(self.told(), (False, False))
        with time_machine.travel(self.expiry, tick=False):
            self.assertEqual(self.told(), (True, True))
            spanish = self.sign_in(self.sophie).get("/es/dialogue/supervision/")
        self.assertContains(spanish, "ya no tiene un certificado vigente")
        self.assertNotContains(spanish, "frank")  # the flag names nobody

    def test_a_revocation_tells_her_at_once_and_a_renewal_takes_the_flag_away(self) -> None:
        do_revoke_certificate(self.certificate.id, "Left the service.", NOW)
        self.assertEqual(self.told(), (True, True))
        certify(self.frank, now=NOW)
        self.assertEqual(self.told(), (False, False))

    def test_his_list_says_whether_he_may_earn_a_revoked_certificate_again(self) -> None:
        do_revoke_certificate(self.certificate.id, "Suspended for a term.", NOW)
        page = self.sign_in(self.frank).get("/dialogue/staff/")
        self.assertContains(page, "ask the people who run Mend here")
        self.assertNotContains(page, 'data-qa="training-link"')
        do_allow_retake(self.certificate.id, "Term served.", NOW)
        page = self.sign_in(self.frank).get("/dialogue/staff/")
        self.assertContains(page, "have allowed you to earn it again")
        self.assertContains(page, f'href="/training/paths/{paths.FACILITATOR_PATH}/"')
        spanish = self.sign_in(self.frank).get("/es/dialogue/staff/")
        self.assertContains(spanish, "te han permitido obtenerlo de nuevo")

    def test_a_raised_module_of_the_facilitators_path_tells_her(self) -> None:
        raise_a_module(self, paths.FACILITATOR_PATH)
        self.assertEqual(self.told(), (True, True))

    def test_his_own_list_tells_him_from_the_second_it_expires_in_both_languages(self) -> None:
        with time_machine.travel(self.expiry - timedelta(seconds=1), tick=False):
            page = self.sign_in(self.frank).get("/dialogue/staff/")
        self.assertNotContains(page, 'data-qa="not-certified"')
        with time_machine.travel(self.expiry, tick=False):
            page = self.sign_in(self.frank).get("/dialogue/staff/")
            spanish = self.sign_in(self.frank).get("/es/dialogue/staff/")
        self.assertContains(page, 'data-qa="not-certified"')
        self.assertContains(page, f"/dialogue/staff/{self.case.id}/")  # he stays in his case
        self.assertContains(page, "Renew it in Training")  # he held one: renew, not begin
        self.assertContains(spanish, "Tu certificado del itinerario de formación de facilitación")

    def test_a_closed_case_is_not_flagged(self) -> None:
        actions.do_withdraw_consent(self.part(self.case, PartyRole.SURVIVOR), NOW)
        with time_machine.travel(self.expiry, tick=False):
            self.assertEqual(self.told(), (False, False))


class StaffSignInTests(DialogueTestCase):
    def code_for(self, user: User) -> str:
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get_or_create(user=user, name="app", confirmed=True)[0]
        return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"

    def test_facilitators_and_supervisors_sign_in_where_counselors_do_and_find_their_pages(
        self,
    ) -> None:
        for user, home in (
            (self.frank, "/dialogue/staff/"),
            (self.sophie, "/dialogue/supervision/"),
        ):
            client = Client()
            form = {
                "username": user.username,
                "passphrase": f"{user.username}-passphrase",
                "otp_token": self.code_for(user),
            }
            self.assertRedirects(
                client.post("/counselor/login/", form), home, fetch_redirect_response=False
            )
            self.assertEqual(client.get(home).status_code, 200)
            self.assertEqual(client.get("/counselor/").status_code, 404)  # not a counselor

    def test_a_facilitator_keeps_her_staff_key_where_a_counselor_does_and_a_supervisor_cannot(
        self,
    ) -> None:
        frank = Client()
        login_with_otp(frank, self.frank)
        r = frank.get("/api/v1/counselor/key")
        key = CounselorKey.objects.get(counselor=self.frank, active=True)
        self.assertEqual((r.status_code, r.json()["key"]["id"]), (200, str(key.id)))
        sophie = Client()
        login_with_otp(sophie, self.sophie)
        self.assertEqual(sophie.get("/api/v1/counselor/key").status_code, 404)
        self.assertEqual(frank.get("/api/v1/counselor/groups").status_code, 404)


class AssignPageTests(DialogueTestCase):
    def setUp(self) -> None:
        super().setUp()
        survivor = actions.do_open_case(self.alice, NOW)
        actions.do_give_consent(survivor, actions.CONSENT_VERSION, NOW)
        self.case = survivor.case
        self.url = f"/dialogue/supervision/{self.case.id}/team/"

    def test_the_supervisor_assigns_a_certified_facilitator_as_lead(self) -> None:
        client = self.sign_in(self.sophie)
        self.assertContains(client.get("/dialogue/supervision/"), 'data-qa="assign"')
        r = client.post(self.url, {"username": "frank", "role": "lead"})
        self.assertRedirects(r, "/dialogue/supervision/", fetch_redirect_response=False)
        part = Participant.objects.get(case=self.case, user=self.frank)
        self.assertEqual(part.role, PartyRole.LEAD)
        self.assertContains(client.get("/dialogue/supervision/"), "The facilitator is assigned.")
        r = self.sign_in(self.frank).get("/dialogue/staff/")
        self.assertContains(r, f"/dialogue/staff/{self.case.id}/")

    def test_it_refuses_in_plain_words_and_assigns_nobody(self) -> None:
        hana = User.objects.create_user("hana", password="x", role=Role.FACILITATOR)  # no cert
        ines = User.objects.create_user("ines", password="x", role=Role.FACILITATOR)
        certify(ines, now=NOW)  # certified, but no counselor has vouched for her key yet
        escrow_testing.add_counselor_key(ines, endorsed_by=None)
        client = self.sign_in(self.sophie)
        for form, status, words in (
            ({"username": "hana", "role": "lead"}, 409, "no current certificate"),
            ({"username": "ines", "role": "lead"}, 409, "No counselor has vouched for this"),
            ({"username": "carol", "role": "lead"}, 400, "There is no facilitator with this"),
            ({"username": "frank", "role": "survivor"}, 400, "Select a valid choice."),
        ):
            r = client.post(self.url, form)
            self.assertContains(r, words, status_code=status)
        r = client.post(f"/es{self.url}", {"username": "ines", "role": "lead"})
        self.assertContains(r, "Ninguna persona consejera ha avalado todavía", status_code=409)
        on_case = Participant.objects.filter(case=self.case, user__in=[hana, ines, self.frank])
        self.assertFalse(on_case.exists())
        client.post(self.url, {"username": "frank", "role": "lead"})
        r = client.post(self.url, {"username": "gail", "role": "lead"})
        self.assertContains(r, "The case has this part already", status_code=409)

    def test_a_refusal_stands_in_its_cases_form_with_what_she_typed_and_focus_on_it(
        self,
    ) -> None:
        other = actions.do_open_case(self.bob, NOW).case
        client = self.sign_in(self.sophie)
        r = client.post(self.url, {"username": "carol", "role": "co"})
        self.assertEqual(r.status_code, 400)
        html = r.content.decode()
        field = f"assign-{self.case.id}-username"
        self.assertInHTML(
            f'<input type="text" name="username" value="carol" autocomplete="off"'
            f' autocapitalize="none" spellcheck="false" data-qa="assign-username"'
            f' maxlength="150" required aria-invalid="true"'
            f' aria-describedby="{field}_error" autofocus id="{field}">',
            html,
        )
        self.assertInHTML(
            f'<ul class="errorlist" id="{field}_error">'
            "<li>There is no facilitator with this username.</li></ul>",
            html,
        )
        # The part she chose stays chosen; the other case's form is untouched.
        self.assertInHTML('<option value="co" selected>Co-facilitator</option>', html)
        self.assertNotIn(f"assign-{other.id}-username_error", html)
        self.assertEqual(html.count("autofocus"), 1)

    def test_a_refusal_for_an_ended_case_is_said_in_its_card(self) -> None:
        self.case.state = "closed"
        self.case.save(update_fields=["state"])
        r = self.sign_in(self.sophie).post(self.url, {"username": "frank", "role": "lead"})
        self.assertContains(
            r, "This case has ended: nobody can be assigned to it.", status_code=403
        )
        self.assertContains(r, 'data-qa="case-error"', status_code=403)

    def test_only_the_supervisor_assigns_and_only_by_post(self) -> None:
        for user in (self.alice, self.frank, self.gail, self.carol, self.adam, self.ross):
            r = self.sign_in(user).post(self.url, {"username": "gail", "role": "co"})
            self.assertEqual(r.status_code, 404, user.username)
        r = Client().post(self.url, {"username": "gail", "role": "co"})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.sign_in(self.sophie).get(self.url).status_code, 405)
        self.assertFalse(Participant.objects.filter(case=self.case, user=self.gail).exists())
        missing = "/dialogue/supervision/00000000-0000-0000-0000-000000000000/team/"
        r = self.sign_in(self.sophie).post(missing, {"username": "gail", "role": "co"})
        self.assertEqual(r.status_code, 404)


class StaffWordsTests(SimpleTestCase):
    """The case page's script finds words for everything it says, and for every refusal it
    can meet (the server's and the shared module's codes), in plain words."""

    JS = Path(__file__).resolve().parents[2] / "static" / "js" / "dialogue"
    DIALOGUE = Path(__file__).resolve().parents[1]
    #: Codes built by the scripts from a prefix and a value.
    BUILT = {
        "role_": ("survivor", "responsible", "lead", "co"),
        "state_": ("active", "paused", "closed"),
        "kind_": ("acknowledgment", "message", "letter"),
        "decision_": ("proceed", "defer", "stop"),
        "answer_": ("pending", "accepted", "declined"),
        "outcome_": ("open", "completed", "missed"),
        "screened_": ("approved", "rejected", "returned"),
        "refused_": (
            "no_author_key",
            "unvouched_author",
            "not_sealed",
            "bad_signature",
            "does_not_open",
            "malformed",
        ),
    }
    #: Refusals the facilitator's page never meets (other parties' steps), and why.
    NOT_HERS = {
        "answered": "her plan answers and feedback",
        "bad_answers": "feedback",
        "bad_code": "joining with a code",
        "not_offered": "asking for a dialogue: hers only",
        "not_closed": "feedback",
        "not_recipient": "marking an item read",
        "not_returned": "an author's revision",
        "bad_revision": "an author's revision",
        "item_exists": "an item id chosen twice by one browser",
        "unknown_kind": "the page writes known kinds only",
        "bad_role": "the supervisor's assignment (its own words)",
        "not_a_facilitator": "the supervisor's assignment (its own words)",
        "key_not_vouched": "the supervisor's assignment (its own words)",
        "assigned": "the supervisor's assignment (its own words)",
        "not_certified": "the supervisor's assignment (its own words)",
        "too_many_cases": "her request for a case",
        "old_information": "her consent",
        "not_screened": "the page screens acknowledgments, messages and letters only",
        "not_a_party": "the page is only served to the case's team",
        "not_facilitator": "the page is only served to the case's team",
        "not_lead": "the lead's buttons are only drawn for the lead",
        "bad_format": "her choices (the API takes only the two formats)",
        "future": "the supervision log (its own words)",
        "too_old": "the supervision log (its own words)",
        "recorded": "the supervision log (its own words)",
        "not_on_case": "the supervisor's taking a facilitator off (its own words)",
        "not_team": "a party's browser shares her own items, with facilitators only",
        "not_author": "a party's browser shares her own items, with facilitators only",
    }

    def test_every_word_the_staff_scripts_ask_for_is_there(self) -> None:
        source = "".join(p.read_text() for p in (self.JS / "staff").glob("*.js"))
        asked = set(re.findall(r'\bt\(\s*"([a-z_]+)"', source))
        asked |= set(re.findall(r'step\([^,]+, "([a-z_]+)"', source))
        asked |= set(re.findall(r'new dialogue\.CaseError\("([a-z_]+)"', source))
        asked |= {prefix + value for prefix, values in self.BUILT.items() for value in values}
        self.assertGreater(len(asked), 60, "the codes were found")
        self.assertEqual(sorted(asked - set(staff_strings())), [])

    def test_every_refusal_the_page_can_meet_has_plain_words(self) -> None:
        shared = "".join((self.JS / name).read_text() for name in ("case.js", "case-core.js"))
        server = "".join(
            (self.DIALOGUE / name).read_text() for name in ("actions.py", "stages.py", "api.py")
        )
        codes = set(re.findall(r'new CaseError\("([a-z_]+)"', shared))
        codes |= set(re.findall(r'Refus(?:al|ed)\(\s*(?:\d+,\s*)?"([a-z_]+)"', server))
        self.assertIn("no_acknowledgment", codes)
        self.assertEqual(sorted(codes - set(self.NOT_HERS) - set(staff_strings())), [])


class StaffKeyOnHerListTests(DialogueTestCase):
    """Her list says where her staff key stands: the parties' browsers trust it only once a
    counselor (or the operator) vouched for it, so until then nobody can write to her."""

    def key_section(self) -> str:
        page = self.sign_in(self.frank).get("/dialogue/staff/")
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        return html[html.index('data-qa="staff-key"') : html.index('data-qa="supervision-due"')]

    def setUp(self) -> None:
        super().setUp()
        CounselorKey.objects.filter(counselor=self.frank).delete()  # each test makes hers

    def test_before_she_made_one_it_says_where_she_makes_it(self) -> None:
        self.assertIn('data-qa="staff-key-none"', self.key_section())

    def test_an_unvouched_key_says_who_vouches_and_where_she_unlocks_it_to_see_its_fingerprint(
        self,
    ) -> None:
        escrow_testing.add_counselor_key(self.frank, endorsed_by=None)
        section = self.key_section()
        self.assertIn('data-qa="staff-key-unvouched"', section)
        self.assertIn('data-qa="own-fingerprint"', section)
        self.assertIn("ask them to vouch for it in their workspace", section)
        spanish = self.sign_in(self.frank).get("/es/dialogue/staff/")
        self.assertContains(spanish, "todavía no está avalada")
        self.assertContains(spanish, "Desbloquear mi clave y mostrar su huella")

    def test_it_never_writes_her_own_fingerprint(self) -> None:
        # A database writer could swap her public keys for his before a counselor vouches:
        # a fingerprint the server writes would be his, and she would read it aloud.
        for endorsed_by in (None, "operator"):
            CounselorKey.objects.filter(counselor=self.frank).delete()
            escrow_testing.add_counselor_key(self.frank, endorsed_by=endorsed_by)
            fingerprint = trust.key_fingerprint(CounselorKey.objects.get(counselor=self.frank))
            for path in ("/dialogue/staff/", "/es/dialogue/staff/"):
                page = self.sign_in(self.frank).get(path).content.decode()
                self.assertNotIn(fingerprint, page)
                self.assertNotIn(fingerprint.replace(" ", ""), page)
                self.assertIn('data-qa="own-fingerprint"', page)

    def test_a_vouched_key_says_the_parties_trust_it(self) -> None:
        escrow_testing.add_counselor_key(self.frank)  # endorsed by the operator
        section = self.key_section()
        self.assertIn('data-qa="staff-key-vouched"', section)
        self.assertNotIn("staff-key-unvouched", section)
