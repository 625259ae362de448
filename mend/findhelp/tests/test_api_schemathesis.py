"""Schemathesis over the HSDS API's OpenAPI schema: no generated request makes a 500.

Runs in-process through the WSGI application, a bounded number of examples per
operation, so the whole module takes well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from mend.directory.models import Service
from mend.search import index
from mend.search.tests import factories as f

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application()).include(
    path_regex=r"^/api/v1/hsds/"
)


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Like Django's test client: requests must not close the connection that holds the
    test's transaction (PostgreSQL would lose the data and the transaction with it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def ensure_directory() -> None:
    """A few services, once per test (examples share the test's transaction)."""
    if Service.objects.exists():
        return
    counselling = f.make_service()
    f.weekly_hours(counselling)
    f.place(counselling)
    f.shelter()
    f.hotline(area="Illinois")
    index.rebuild_search_index(now=timezone.now())


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_it_never_answers_with_a_server_error(case: Any, keep_connection: None) -> None:
    ensure_directory()
    case.call_and_validate(checks=[not_a_server_error])
