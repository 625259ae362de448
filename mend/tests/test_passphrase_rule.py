"""One passphrase rule: the server's minimum and the browser's are the same number."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import SimpleTestCase

from mend.lib import passphrase

KEYS_JS = Path(__file__).resolve().parents[1] / "static/js/lib/keys.js"


class PassphraseRuleTests(SimpleTestCase):
    def test_the_browser_asks_for_the_same_minimum_as_the_server(self) -> None:
        found = re.search(r"export const MIN_PASSPHRASE = (\d+);", KEYS_JS.read_text())
        assert found is not None, "keys.js no longer exports MIN_PASSPHRASE"
        self.assertEqual(int(found.group(1)), passphrase.MIN_LENGTH)
