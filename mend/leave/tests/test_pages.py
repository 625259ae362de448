"""The leave pages (/leave/...): open to everyone, in English and Spanish, quick exit
first; the table marks stale and unconfirmed rules; the open-data file carries its licence."""

from __future__ import annotations

import json
from datetime import datetime

import time_machine
from django.conf import settings
from django.test import override_settings

from mend.accounts.security import TOUCHED
from mend.leave import rules
from mend.test import NOW, BaseTestCase

PAGES = ("/leave/", "/leave/letter/", "/leave/rules/", "/leave/policy/")
CANARY = "Valentina Quillfeather-Oduya"
# Two years after the data was last checked: every rule is then stale.
FAR = datetime(2028, 12, 15, 12, 0, tzinfo=NOW.tzinfo)


@time_machine.travel(NOW, tick=False)
class LeavePagesTests(BaseTestCase):
    def test_every_page_opens_for_everyone_in_english_and_spanish(self) -> None:
        for persona in (None, self.alice, self.carol, self.erin, self.mallory):
            self.client.logout()
            if persona:
                self.client.force_login(persona)
            for url in PAGES:
                for prefix in ("", "/es"):
                    r = self.client.get(prefix + url)
                    self.assertEqual(r.status_code, 200, f"{prefix}{url} as {persona}")
                    self.assertContains(r, 'data-qa="quick-exit"')

    def test_an_unknown_leave_page_is_404(self) -> None:
        self.assertEqual(self.client.get("/leave/nothing-here/").status_code, 404)
        self.assertEqual(self.client.get("/es/leave/rules.xml").status_code, 404)

    def test_the_checker_page_says_nothing_she_enters_leaves_her_browser(self) -> None:
        r = self.client.get("/leave/")
        self.assertContains(r, 'data-qa="privacy-note"')
        self.assertContains(r, "js/leave/checker.js")
        self.assertEqual(r.context["mend_config"]["today"], "2026-11-24")
        r = self.client.get("/es/leave/")
        self.assertContains(r, "Nada de lo que elijas aquí sale de tu navegador")
        self.assertEqual(
            r.context["mend_strings"]["outcome_covered"],
            "La ley de donde trabajas te da este permiso.",
        )

    def test_the_checker_and_the_letter_cannot_be_sent_without_their_script(self) -> None:
        # The button is disabled until the page script enables it: with JavaScript off,
        # neither a click nor Enter in a field (HTML's implicit submission) sends the form.
        for url, button in (("/leave/", "check"), ("/leave/letter/", "write")):
            for prefix, note in (("", "only with JavaScript on"), ("/es", "JavaScript activado")):
                html = self.client.get(prefix + url).content.decode()
                self.assertRegex(html, rf'<button type="submit" data-qa="{button}" disabled>')
                self.assertEqual(html.count('type="submit"'), 1, "one submit button, disabled")
                self.assertRegex(
                    html, rf'<noscript><p class="hint" data-qa="needs-script">[^<]*{note}'
                )
            # Were it sent all the same, the page reads none of it and shows none of it.
            chosen = {"code": "CA-ON", "harm": "sexual_assault", "name": CANARY}
            r = self.client.post(url, chosen)
            self.assertEqual(r.status_code, 405)
            self.assertNotIn(b"sexual_assault", r.content)
            self.assertNotIn(CANARY.encode(), r.content)

    def test_the_letter_asks_the_checkers_questions_hidden_until_she_chooses_a_place(self) -> None:
        home = self.client.get("/leave/").content.decode()
        letter = self.client.get("/leave/letter/").content.decode()
        for ask in ("service", "size", "harm", "purpose"):
            self.assertIn(f'data-ask="{ask}">', home)
            self.assertIn(f'data-ask="{ask}" hidden>', letter)
        for field in ("months", "size", "harm-harassment", "harm-domestic", "purpose-legal"):
            self.assertIn(f'data-qa="{field}"', letter)
        self.assertContains(self.client.get("/es/leave/letter/"), "la carta nunca dice lo que pasó")

    def test_the_letter_offers_saving_to_her_record_only_to_a_survivor(self) -> None:
        self.assertNotContains(self.client.get("/leave/letter/"), 'data-qa="save"')
        self.client.force_login(self.alice)
        r = self.client.get("/leave/letter/")
        self.assertContains(r, 'data-qa="save"')
        self.client.force_login(self.carol)
        self.assertNotContains(self.client.get("/leave/letter/"), 'data-qa="save"')

    def test_only_a_signed_in_survivor_gets_the_csp_that_lets_the_crypto_run(self) -> None:
        for persona in (None, self.carol, self.erin):
            self.client.logout()
            if persona:
                self.client.force_login(persona)
            for prefix in ("", "/es"):
                r = self.client.get(f"{prefix}/leave/letter/")
                policy = r.headers["Content-Security-Policy"]
                self.assertNotIn("wasm-unsafe-eval", policy, f"{prefix} as {persona}")
                self.assertIn("script-src 'self';", policy)
                self.assertNotContains(r, "importmap")
                self.assertNotContains(r, 'data-qa="idle-warning"')
        self.client.force_login(self.alice)
        r = self.client.get("/leave/letter/")
        self.assertIn("'wasm-unsafe-eval'", r.headers["Content-Security-Policy"])
        self.assertContains(r, "importmap")

    def test_her_letter_page_runs_the_idle_clock_and_restarts_the_servers(self) -> None:
        self.client.force_login(self.alice)
        r = self.client.get("/es/leave/letter/")
        self.assertContains(r, 'data-qa="idle-warning"')
        config = r.context["mend_config"]
        self.assertEqual(config["idle_seconds"], settings.VAULT_IDLE_SECONDS)
        self.assertEqual(config["session_seconds_left"], settings.VAULT_IDLE_SECONDS)
        self.assertEqual(config["urls"]["login"], "/es/account/login/")
        self.assertEqual(config["urls"]["rules"], "/es/leave/rules/")
        self.assertEqual(self.client.session[TOUCHED], int(NOW.timestamp()))
        self.assertEqual(self.client.session.get_expiry_age(), settings.VAULT_IDLE_SECONDS)

    def test_the_table_lists_every_jurisdiction_with_its_sources(self) -> None:
        r = self.client.get("/leave/rules/")
        for code in rules.all_rules():
            self.assertContains(r, f'data-qa="rule-{code}"')
        self.assertContains(r, "Employment Standards Act, 2000, s. 49.7")
        self.assertContains(
            r, "https://www.legalline.ca/legal-answers/domestic-or-sexual-violence-leave/"
        )
        self.assertContains(r, 'data-qa="unconfirmed"')
        self.assertContains(r, "Checked on Dec. 2, 2026.")

    def test_the_table_shows_the_version_in_force_that_day(self) -> None:
        with time_machine.travel(datetime(2020, 1, 15, tzinfo=NOW.tzinfo), tick=False):
            r = self.client.get("/leave/rules/")
        row = r.content.decode().split('data-qa="rule-CA-BC"')[1].split("</tr>")[0]
        self.assertIn("10 unpaid days", row)
        self.assertNotIn("paid days,", row.replace("unpaid days", ""))

    def test_a_rule_checked_over_a_year_ago_is_marked_stale(self) -> None:
        self.assertNotContains(self.client.get("/leave/rules/"), 'data-qa="stale"')
        with time_machine.travel(FAR, tick=False):
            r = self.client.get("/leave/rules/")
            self.assertContains(r, 'data-qa="stale"', count=len(rules.all_rules()))
            self.assertContains(r, "Last checked on Dec. 2, 2026: this may have changed since.")
            r = self.client.get("/es/leave/rules/")
            self.assertContains(r, "puede haber cambiado desde entonces")

    def test_the_open_data_file_carries_its_licence_and_every_rule(self) -> None:
        r = self.client.get("/leave/rules.json")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.headers["Content-Type"], "application/json")
        self.assertEqual(
            r.headers["Link"], '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
        )
        data = json.loads(r.content)
        self.assertEqual(data["licence"]["name"], "CC BY 4.0")
        self.assertEqual({j["code"] for j in data["jurisdictions"]}, set(rules.all_rules()))
        ontario = next(j for j in data["jurisdictions"] if j["code"] == "CA-ON")
        self.assertEqual(ontario, rules.all_rules()["CA-ON"])

    def test_the_schema_the_open_data_names_is_served_beside_it(self) -> None:
        data = json.loads(self.client.get("/leave/rules.json").content)
        r = self.client.get(f"/leave/{data['schema']}")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.headers["Content-Type"], "application/schema+json")
        self.assertEqual(
            json.loads(r.content)["title"], "Mend survivor-leave rules: one jurisdiction"
        )

    def test_every_leave_page_links_to_the_open_data(self) -> None:
        for url in PAGES:
            for prefix in ("", "/es"):
                r = self.client.get(prefix + url)
                self.assertContains(r, 'href="/leave/rules.json"')
        self.assertEqual(self.client.get("/es/leave/rules.json").status_code, 404)

    def test_the_home_page_and_the_nav_link_to_leave(self) -> None:
        r = self.client.get("/")
        self.assertContains(r, 'data-qa="part-leave"')
        self.assertContains(r, 'data-qa="nav-leave"')
        r = self.client.get("/es/")
        self.assertContains(r, "Tiempo libre del trabajo después de un acoso o una agresión")


@override_settings(LANGUAGE_CODE="en")
@time_machine.travel(NOW, tick=False)
class PolicyPageTests(BaseTestCase):
    def test_it_writes_the_strictest_policy_for_the_places_chosen(self) -> None:
        r = self.client.get("/leave/policy/", {"j": ["CA-ON", "NZ"]})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "10 paid days a year")
        self.assertContains(r, "New Zealand: Holidays Act 2003, ss. 72A-72N")
        self.assertContains(r, "up to 15 weeks of unpaid leave")
        self.assertContains(r, 'data-qa="recommended-amount"')

    def test_it_names_places_without_a_law_and_counts_none_of_them(self) -> None:
        r = self.client.get("/leave/policy/", {"j": ["GB-GBN", "GB-NIR"]})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'data-qa="policy-without-law"')
        self.assertNotContains(r, 'data-qa="clause-paid-days"')

    def test_an_unknown_place_is_refused_with_a_clear_message(self) -> None:
        r = self.client.get("/leave/policy/", {"j": ["CA-ON", "XX-YY"]})
        self.assertEqual(r.status_code, 400)
        self.assertContains(
            r, "Mend has no rules for “XX-YY”. Choose from the list.", status_code=400
        )
        self.assertNotContains(r, 'data-qa="policy"', status_code=400)

    def test_an_empty_choice_is_refused(self) -> None:
        r = self.client.get("/leave/policy/", {"download": "on"})
        self.assertEqual(r.status_code, 400)
        self.assertContains(
            r, "Choose at least one place where you employ people.", status_code=400
        )

    def test_it_downloads_as_a_standalone_html_file(self) -> None:
        r = self.client.get("/leave/policy/", {"j": ["CA-ON"], "download": "on"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(
            r.headers["Content-Disposition"], 'attachment; filename="leave-policy.html"'
        )
        self.assertContains(r, "Employment Standards Act, 2000, s. 49.7")
        self.assertNotContains(r, "<script")

    def test_it_is_written_in_spanish(self) -> None:
        r = self.client.get("/es/leave/policy/", {"j": ["NZ"]})
        self.assertContains(r, "10 días pagados al año")
