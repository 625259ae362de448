"""Test isolation shared by every suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language() -> Iterator[None]:
    # LocaleMiddleware activates a request's language in the thread and leaves it there,
    # so without this a test after a Spanish page would see Spanish in commands and forms.
    # The pure crypto suite runs without Django (-p no:django): nothing to reset there.
    if not settings.configured:
        yield
        return
    translation.deactivate()
    # The index version a process learned is trusted for half a second (mend.search.version):
    # a test that starts within it on a flushed database must not trust the last test's.
    from mend.search import version

    version.forget()
    yield
    translation.deactivate()
