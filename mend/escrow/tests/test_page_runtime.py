"""The escrow and workspace pages feed the one page runtime (static/js/lib/): one
"mend-config" and one "mend-strings" element, as the vault and account pages have, with the
runtime's shared words and the sign-in where an ended session (a 401) sends each person."""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings

from mend.escrow.models import Membership
from mend.escrow.tests.base import EscrowTestCase
from mend.escrow.tests.test_messages import NAMES

GENERIC = "Something went wrong. Nothing was changed. Please try again."


def json_script(response: Any, element_id: str) -> Any:
    """The data a json_script element of the page holds."""
    found = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.DOTALL,
    )
    assert found, f"no {element_id} element"
    return json.loads(found.group(1))


class PageRuntimeTests(EscrowTestCase):
    def test_the_entry_page_gives_its_script_one_config_and_one_set_of_words(self) -> None:
        self.browser_for(self.alice)
        self.client.force_login(self.alice)
        response = self.client.get("/find-others/new/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "escrow-config")
        self.assertNotContains(response, "escrow-strings")
        config = json_script(response, "mend-config")
        self.assertEqual(config["api"], "/api/v1/")
        self.assertEqual(config["max_identifiers"], settings.ESCROW_MAX_IDENTIFIERS)
        self.assertIsNone(config["entry_id"])
        self.assertEqual(config["urls"]["home"], "/find-others/")
        self.assertEqual(config["urls"]["login"], "/account/login/")
        self.assertEqual(config["urls"]["logout"], "/account/logout/")
        words = json_script(response, "mend-strings")
        self.assertEqual(words["error_generic"], GENERIC)
        self.assertEqual(words["need_identifier"], "Add at least one identifier.")

    def test_a_survivor_home_without_a_page_script_still_gets_the_runtime_words(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.get("/find-others/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(json_script(response, "mend-strings")["network"][:15], "Mend could not ")
        self.assertContains(response, 'data-qa="page-alert" data-page-alert hidden')

    def test_the_workspace_sends_an_ended_session_to_the_counselor_sign_in(self) -> None:
        response = self.counselor_client().get("/counselor/")
        self.assertEqual(response.status_code, 200)
        config = json_script(response, "mend-config")
        self.assertEqual(config["urls"]["login"], "/counselor/login/")
        self.assertEqual(config["urls"]["signed_out"], "/counselor/login/")
        self.assertEqual(config["urls"]["home"], "/counselor/")
        words = json_script(response, "mend-strings")
        self.assertEqual(words["error_generic"], GENERIC)
        self.assertEqual(words["wrong_passphrase"], "This key passphrase does not open your key.")

    def test_the_shared_words_are_spanish_on_spanish_pages(self) -> None:
        self.browser_for(self.alice)
        self.client.force_login(self.alice)
        words = json_script(self.client.get("/es/find-others/new/"), "mend-strings")
        self.assertEqual(
            words["error_generic"],
            "Algo salió mal. No se cambió nada. Por favor, inténtalo de nuevo.",
        )
        self.assertEqual(words["session_ended"], "Se cerró tu sesión. Por favor, vuelve a entrar.")

    def test_a_stranger_gets_no_page_and_no_config(self) -> None:
        self.client.force_login(self.mallory)
        response = self.client.get("/counselor/")
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, "mend-config", status_code=404)


class OneIdleClockTests(EscrowTestCase):
    """Each page runs one idle clock: js/lib/idle-page.js, or, where she types words that
    must be locked before the sign-out wipes her key, the page's own script."""

    def test_the_entry_and_message_pages_run_their_own_clock_and_the_others_the_shared_one(
        self,
    ) -> None:
        self.browser_for(self.alice)
        self.client.force_login(self.alice)
        entry = self.client.get("/find-others/new/")
        self.assertContains(entry, "js/escrow/entry.js")
        self.assertNotContains(entry, "js/lib/idle-page.js")
        home = self.client.get("/find-others/")
        self.assertContains(home, "js/lib/idle-page.js")
        self.assertContains(home, 'data-qa="idle-warning"')
        self.assertContains(entry, 'data-qa="idle-warning"')
        workspace = self.counselor_client().get("/counselor/")
        self.assertContains(workspace, "js/lib/idle-page.js")

    def test_her_message_page_tells_its_script_the_thread_and_how_many_she_sent(self) -> None:
        for user in (self.alice, self.bob):  # two entries naming the same person: a match
            with self.captureOnCommitCallbacks(execute=True):
                self.browser_for(user).submit(NAMES, {"what": user.username})
        member = Membership.objects.get(survivor=self.alice)
        alice = self.browser_for(self.alice)
        url = f"/find-others/messages/{member.id}/"
        self.assertEqual(alice.client.post(url, {"text": "hello"}).status_code, 302)
        page = alice.client.get(url)
        self.assertContains(page, "js/escrow/thread.js")
        self.assertNotContains(page, "js/lib/idle-page.js")
        config = json_script(page, "mend-config")
        self.assertEqual((config["thread_id"], config["messages_sent"]), (str(member.id), 1))
        self.assertNotContains(page, 'data-qa="noscript"')  # the form works without it
