"""The one passphrase rule for every account Mend makes: survivor, responsible person,
staff and learner. A survivor's passphrase never reaches the server, so her browser checks
it with its own copy, ``MIN_PASSPHRASE`` in ``static/js/lib/keys.js``; a test holds the two
equal (``mend/tests/test_passphrase_rule.py``)."""

from __future__ import annotations

MIN_LENGTH = 12
