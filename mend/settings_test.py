"""Settings for pytest and mypy: the same module, in the test environment."""

from __future__ import annotations

import os

os.environ.setdefault("MEND_ENV", "test")

from mend.settings import *  # noqa: F403
