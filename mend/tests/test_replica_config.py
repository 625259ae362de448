"""The read replica's configuration fails closed, and its router denies by default: only the
directory's and search's reads inside a public read may leave the primary.

Routing against a real replica is proven in mend/search/tests/test_replica.py
(``make test-replica``); these run on every database, without one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase

from mend.accounts.models import User
from mend.directory.models import Organization, Service
from mend.lib.databases import parse_url, replica_database
from mend.lib.replica import REPLICA, REPLICA_APPS, ReplicaRouter, reading
from mend.search.models import IndexVersion, SearchEntry
from mend.test import production_environment

ROOT = Path(__file__).resolve().parents[2]
PRIMARY = parse_url("DATABASE_URL", "postgres://mend:pw@db.internal:5432/mend", 60)
SECRET = "s3cret-passw0rd"


class ReplicaRouterTests(SimpleTestCase):
    router = ReplicaRouter()

    def test_it_reads_everything_from_the_primary_outside_a_public_read(self) -> None:
        for model in (Service, SearchEntry, User):
            with self.subTest(model=model.__name__):
                self.assertEqual(self.router.db_for_read(model), "default")

    def test_a_public_read_takes_only_the_directory_and_search_from_the_replica(self) -> None:
        with reading(REPLICA):
            for model in (Service, Organization, SearchEntry, IndexVersion):
                with self.subTest(model=model.__name__):
                    self.assertEqual(self.router.db_for_read(model), REPLICA)

    def test_every_other_app_stays_on_the_primary_even_in_a_public_read(self) -> None:
        # Accounts, sessions, rate limits, vault, escrow and counselors, audit, tasks, and
        # any app added later: not on the allow-list, so the primary.
        others = [m for m in apps.get_models() if m._meta.app_label not in REPLICA_APPS]
        self.assertGreater(len({m._meta.app_label for m in others}), 8)
        with reading(REPLICA):
            for model in others:
                with self.subTest(model=model._meta.label):
                    self.assertEqual(self.router.db_for_read(model), "default")

    def test_it_writes_and_migrates_only_on_the_primary(self) -> None:
        with reading(REPLICA):
            self.assertEqual(self.router.db_for_write(Service), "default")
            self.assertEqual(self.router.db_for_write(SearchEntry), "default")
        self.assertTrue(self.router.allow_migrate("default", "search"))
        self.assertFalse(self.router.allow_migrate(REPLICA, "search"))
        self.assertFalse(self.router.allow_migrate(REPLICA, "accounts"))


class ReplicaUrlTests(SimpleTestCase):
    def refused(self, url: str, primary: dict[str, object] = PRIMARY) -> str:
        with self.assertRaises(ImproperlyConfigured) as caught:
            replica_database(url, dict(primary), 60)
        self.assertNotIn(SECRET, str(caught.exception))  # never the password
        return str(caught.exception)

    def test_it_makes_a_replica_alias_of_a_postgresql_url(self) -> None:
        replica = replica_database("postgres://mend@replica.internal:5432/mend", PRIMARY, 60)
        self.assertEqual(replica["ENGINE"], "django.db.backends.postgresql")
        self.assertEqual((replica["HOST"], replica["NAME"]), ("replica.internal", "mend"))
        self.assertEqual(replica["OPTIONS"], {"connect_timeout": 2, "tcp_user_timeout": 5000})
        self.assertTrue(replica["CONN_HEALTH_CHECKS"])

    def test_it_refuses_a_malformed_url(self) -> None:
        message = self.refused(f"postgres://mend:{SECRET}@replica.internal:port/mend")
        self.assertEqual(message, "DATABASE_REPLICA_URL is not a valid database URL (ParseError).")
        self.assertIn("not a valid database URL", self.refused(f"replica-{SECRET}"))

    def test_it_refuses_a_replica_that_is_not_postgresql(self) -> None:
        message = self.refused(f"mysql://mend:{SECRET}@replica.internal/mend")
        self.assertEqual(message, "DATABASE_REPLICA_URL must be a postgres:// URL.")

    def test_it_refuses_a_replica_beside_a_sqlite_primary(self) -> None:
        sqlite = parse_url("DATABASE_URL", "sqlite:///var/mend.sqlite3", 60)
        message = self.refused("postgres://mend@replica.internal/mend", sqlite)
        self.assertEqual(
            message, "DATABASE_REPLICA_URL needs a PostgreSQL primary in DATABASE_URL."
        )

    def test_it_refuses_a_replica_url_without_a_database_name(self) -> None:
        message = self.refused(f"postgres://mend:{SECRET}@replica.internal")
        self.assertIn("must name the database", message)

    def check_production(self, replica_url: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DEBUG"))}
        env |= production_environment(
            DATABASE_URL="postgres://mend@127.0.0.1:1/mend", DATABASE_REPLICA_URL=replica_url
        )
        return subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    def test_production_starts_with_a_replica_url(self) -> None:
        result = self.check_production("postgres://mend@127.0.0.1:2/mend")
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_production_does_not_start_with_a_malformed_replica_url(self) -> None:
        result = self.check_production(f"postgres://mend:{SECRET}@replica:port/mend")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DATABASE_REPLICA_URL is not a valid database URL", result.stderr)
        self.assertNotIn(SECRET, result.stderr + result.stdout)
