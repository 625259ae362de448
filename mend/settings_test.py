"""Settings for pytest and mypy: the same module, in the test environment."""

from __future__ import annotations

import os

os.environ.setdefault("MEND_ENV", "test")

from mend.lib.env import search_file_dir
from mend.settings import *  # noqa: F403

# Each pytest process (and xdist worker) has test databases of its own: a search file of
# its own too, whatever DATABASE_URL says, written at once (no background thread).
SEARCH_FILE_DIR = os.environ.get("SEARCH_FILE_DIR") or search_file_dir("test", BASE_DIR)  # noqa: F405
SEARCH_FILE_IN_BACKGROUND = False
