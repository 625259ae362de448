"""With a read replica: searches, the "Find help" pages and the HSDS API read it; survivors'
reads and every write stay on the primary; and no search answers from a replica that is
behind the index it knows of, or that is down.

Against a real primary and streaming replica: ``make test-replica`` runs this module under
``python -m mend.lib.pgtemp --replica``. The replica answers differently from the primary
only while its WAL replay is paused (``pg_wal_replay_pause()``), which these tests do.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar
from unittest import skipUnless

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, router
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

from mend.accounts.models import User
from mend.directory.models import Service
from mend.lib.pgtemp import free_port
from mend.lib.replica import REPLICA, configured, read_alias, reading
from mend.search import index, nearby, replica, version
from mend.search.models import IndexVersion, SearchDocument
from mend.search.tests import factories as f
from mend.test import NOW, make_persona

WHY_SKIPPED = (
    "needs a PostgreSQL primary and a streaming replica (DATABASE_REPLICA_URL): "
    "make test-replica starts both"
)
PRIMARY = DEFAULT_DB_ALIAS
NEAR = "/api/v1/hsds/service_at_locations?postcode=62701&proximity=20000"


def on_replica(sql: str) -> Any:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def wait_for_replica(timeout: float = 20.0) -> None:
    """Until the replica has replayed everything the primary has written."""
    on_replica("SELECT pg_wal_replay_resume()")
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while not on_replica(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
        if time.monotonic() > deadline:
            raise AssertionError(f"the replica did not replay up to {target}")
        time.sleep(0.02)


def pause_replay(timeout: float = 10.0) -> None:
    on_replica("SELECT pg_wal_replay_pause()")
    deadline = time.monotonic() + timeout
    while on_replica("SELECT pg_get_wal_replay_pause_state()") != "paused":
        if time.monotonic() > deadline:
            raise AssertionError("the replica did not pause its replay")
        time.sleep(0.01)


def point_replica_at(settings_dict: dict[str, Any]) -> None:
    connections[REPLICA].close()
    connections[REPLICA].settings_dict = settings_dict


def tables_read(queries: CaptureQueriesContext) -> set[str]:
    """The directory and search tables these queries name (the index version aside)."""
    names = set()
    for query in queries.captured_queries:
        for word in query["sql"].replace('"', " ").split():
            if word.startswith(("directory_", "search_")) and word != "search_indexversion":
                names.add(word)
    return names


@skipUnless(configured(), WHY_SKIPPED)
class ReplicaTests(TransactionTestCase):
    databases = {PRIMARY, REPLICA} if configured() else {PRIMARY}
    mirror: ClassVar[dict[str, Any]]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        # The test runner made the alias mirror the test database on the primary
        # (mend.lib.databases); point it at the replica's copy of that database instead.
        cls.mirror = connections[REPLICA].settings_dict
        real = {**settings.DATABASES[REPLICA], "NAME": connections[PRIMARY].settings_dict["NAME"]}
        point_replica_at(real)

    @classmethod
    def tearDownClass(cls) -> None:
        point_replica_at(cls.mirror)
        super().tearDownClass()

    def setUp(self) -> None:
        replica.forget()
        nearby.forget()
        self.addCleanup(wait_for_replica)  # never leave replay paused for the flush
        self.service = f.make_service("Near Counselling")
        f.place(self.service)
        index.rebuild_search_index(now=NOW)
        wait_for_replica()

    def rename_behind_the_index(self, name: str) -> None:
        """A change on the primary that leaves the index version as it is (nothing in Mend
        writes so; tests do, to make the paused replica answer visibly differently)."""
        Service.objects.filter(pk=self.service.pk).update(name=name)
        for document in SearchDocument.objects.all():
            document.body = document.body.replace("Near Counselling", name)
            document.save(update_fields=["body"])

    def api_names(self, url: str = NEAR) -> list[str]:
        r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        return [item["service"]["name"] for item in r.json()["contents"]]

    def test_the_find_help_pages_read_the_replica(self) -> None:
        pause_replay()
        self.rename_behind_the_index("Renamed On The Primary")
        with CaptureQueriesContext(connections[PRIMARY]) as primary:
            r = self.client.get("/help/", {"place": "62701", "radius_km": "10"})
            page = self.client.get(f"/help/service/{self.service.pk}/")
        self.assertEqual((r.status_code, page.status_code), (200, 200))
        for answer in (r, page):
            self.assertContains(answer, "Near Counselling")
            self.assertNotContains(answer, "Renamed On The Primary")
        self.assertEqual(tables_read(primary), set())
        self.assertEqual(Service.objects.get().name, "Renamed On The Primary")

    def test_the_hsds_api_reads_the_replica(self) -> None:
        pause_replay()
        self.rename_behind_the_index("Renamed On The Primary")
        with CaptureQueriesContext(connections[PRIMARY]) as primary:
            self.assertEqual(self.api_names(), ["Near Counselling"])
            services = self.client.get("/api/v1/hsds/services?postcode=62701")
            one = self.client.get(f"/api/v1/hsds/services/{self.service.pk}")
        self.assertEqual((services.status_code, one.status_code), (200, 200))
        self.assertEqual(
            [item["name"] for item in services.json()["contents"]], ["Near Counselling"]
        )
        self.assertEqual(one.json()["name"], "Near Counselling")
        self.assertEqual(tables_read(primary), set())

    def test_survivors_reads_and_every_write_stay_on_the_primary(self) -> None:
        pause_replay()
        alice = make_persona("alice")  # the paused replica has never heard of her
        self.client.force_login(alice)
        self.assertEqual(self.client.get("/help/", {"place": "62701"}).status_code, 200)
        self.assertEqual(self.client.get("/record/").status_code, 200)  # her session: primary
        with reading(REPLICA):
            self.assertEqual(router.db_for_read(User), PRIMARY)
            self.assertEqual(User.objects.get(username="alice"), alice)
            self.assertEqual(router.db_for_write(Service), PRIMARY)
            # The replica is read-only: this would fail there.
            Service.objects.filter(pk=self.service.pk).update(name="Written Anyway")
        self.assertEqual(Service.objects.get().name, "Written Anyway")

    def test_a_replica_behind_the_index_gives_way_to_the_primary_until_it_catches_up(
        self,
    ) -> None:
        pause_replay()
        added = f.make_service("Also Near")
        f.place(added, f.make_location(point=(39.79, -89.64)))
        index.rebuild_search_index([added.id], now=NOW)  # a new version: this process knows
        with CaptureQueriesContext(connections[REPLICA]) as behind:
            self.assertEqual(self.api_names(), ["Also Near", "Near Counselling"])
        self.assertEqual(tables_read(behind), set())
        wait_for_replica()
        with (
            CaptureQueriesContext(connections[REPLICA]) as caught_up,
            CaptureQueriesContext(connections[PRIMARY]) as primary,
        ):
            self.assertEqual(self.api_names(), ["Also Near", "Near Counselling"])
        # The page's own check of the index version (its documents come from the search
        # file, or in that query) is the replica's again; the primary is asked for no more
        # than its version (the lag rule's, at most once each half second).
        page_checks = [q for q in caught_up if q["sql"].startswith("SELECT -1, value")]
        self.assertEqual(len(page_checks), 1, caught_up.captured_queries)
        self.assertEqual(tables_read(primary), set())

    def test_a_write_by_another_process_is_noticed_within_a_second(self) -> None:
        start = time.monotonic()
        version.known(start, refresh=True)  # learned from the primary at start
        self.assertEqual(replica.choose_alias(start), REPLICA)
        pause_replay()
        IndexVersion.objects.update(value="0" * 32)  # as another server would: unheard here
        trusted = version.KNOWN_FOR_SECONDS
        self.assertEqual(replica.choose_alias(start + trusted), REPLICA)  # what it was told
        self.assertEqual(replica.choose_alias(start + trusted + 0.01), PRIMARY)  # behind

    def test_a_replica_that_is_down_gives_way_to_the_primary_and_is_logged_once(self) -> None:
        self.addCleanup(point_replica_at, connections[REPLICA].settings_dict)
        point_replica_at({**connections[REPLICA].settings_dict, "PORT": free_port()})
        with self.assertLogs("mend.search.replica", "WARNING") as logs:
            self.assertEqual(self.api_names(), ["Near Counselling"])
            r = self.client.get("/help/", {"place": "62701"})
            later = time.monotonic() + replica.RETRY_AFTER_SECONDS + 1
            self.assertEqual(replica.choose_alias(later), PRIMARY)  # tried again: still down
        self.assertContains(r, "Near Counselling")
        self.assertEqual(len(logs.records), 1, [record.message for record in logs.records])

    def test_a_replica_failing_during_a_read_gives_way_to_the_primary(self) -> None:
        tried: list[str] = []

        def read() -> bool:
            alias = read_alias()
            tried.append(alias)
            # The replica ends this connection mid-read, as a restart would.
            ending = "pg_terminate_backend(pg_backend_pid())" if alias == REPLICA else "true"
            with connections[alias].cursor() as cursor:
                cursor.execute(f"SELECT {ending}")
                return bool(cursor.fetchone()[0])

        with self.assertLogs("mend.search.replica", "WARNING"):
            self.assertTrue(replica.public_read(read))
        self.assertEqual(tried, [REPLICA, PRIMARY])

    def test_a_failure_of_the_primary_during_a_public_read_is_not_blamed_on_the_replica(
        self,
    ) -> None:
        def read() -> None:
            with connections[PRIMARY].cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")

        with self.assertRaises(OperationalError), self.assertNoLogs("mend.search.replica"):
            replica.public_read(read)
        connections[PRIMARY].close()  # as Django does after a request whose connection broke
        self.assertEqual(replica.choose_alias(), REPLICA)  # not taken for down
