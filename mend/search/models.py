"""The search index: denormalised rows rebuilt from the HSDS tables (ADR 0003).

Nothing here is a source of truth; ``mend.search.index`` can drop and rebuild it all.
The index holds coordinates of hidden and on-request locations only snapped to a coarse
grid (see ``drafts.coarse``), and nothing in it is ever output as an address, a position
or a distance for them: ``address_public`` says which rows may show a distance.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from django.db import models
from django.db.models import QuerySet
from django.db.models.deletion import Collector


class HoursProfile(models.Model):
    """One distinct set of opening hours in one time zone, shared by every entry that
    has exactly those hours, so open intervals are computed and stored once per set."""

    key = models.CharField(max_length=64, unique=True)  # sha256 of zone + rules
    time_zone = models.CharField(max_length=64)
    rules = models.JSONField(default=list)  # canonical rules, to recompute the intervals
    computed_from = models.DateTimeField(null=True)
    computed_until = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.time_zone} {self.key[:8]}"


class OpenInterval(models.Model):
    """A UTC interval during which a profile is open. None is longer than a day, so
    "open at t" is one index range: t - 1 day < opens_at <= t < closes_at."""

    profile = models.ForeignKey(HoursProfile, on_delete=models.CASCADE, related_name="intervals")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["opens_at", "closes_at", "profile"])]

    def __str__(self) -> str:
        return f"{self.opens_at:%Y-%m-%d %H:%M} - {self.closes_at:%Y-%m-%d %H:%M}"


def cascade_renewing_version(
    collector: Collector, field: models.Field[Any, Any], sub_objs: QuerySet[Any], using: str
) -> None:
    """CASCADE, and in the same transaction give the index a new version. A service,
    location or organisation deleted anywhere (the admin, a shell, an import) takes its
    entries with it, and every process's in-memory copy (``mend.search.nearby``) must
    notice, or it goes on counting entries that no longer exist. Django calls this only
    when there are entries to delete."""
    models.CASCADE(collector, field, sub_objs, using)
    version = IndexVersion._meta.get_field("value")
    collector.add_field_update(version, uuid4().hex, IndexVersion.objects.using(using).all())


class SearchEntry(models.Model):
    """One service at one location, or one remote (phone/online) service."""

    service = models.ForeignKey(
        "directory.Service", on_delete=cascade_renewing_version, related_name="+"
    )
    # No index of their own: nothing searches by them, and each index slows the rebuild.
    service_at_location = models.ForeignKey(
        "directory.ServiceAtLocation",
        null=True,
        on_delete=cascade_renewing_version,
        related_name="+",
        db_index=False,
    )
    # Copies of the service's organization and the service at location's location
    # (filters read in the row): no database constraint of their own. The constraints on
    # ``service`` and ``service_at_location`` already refuse an entry whose service or
    # place went (deleting an organization or a location deletes those first), and each
    # check cost PostgreSQL a locked read at the commit of every entry written: about 2 of
    # the 8.5 million checks of a rebuild at a million (docs/performance.md, "Session 15").
    # Django still deletes an entry with either (``on_delete``).
    location = models.ForeignKey(
        "directory.Location",
        null=True,
        on_delete=cascade_renewing_version,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=cascade_renewing_version,
        related_name="+",
        db_constraint=False,
    )
    sort_name = models.CharField(max_length=255, db_index=True)
    # Exact for public addresses; grid-snapped for hidden/on-request ones; NULL if remote.
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    address_public = models.BooleanField(default=False)
    remote = models.BooleanField(default=False)
    free = models.BooleanField(default=False)
    # Not indexed on its own: "open now" must filter the rows the position index found,
    # not drive the query from the (few, large) groups of entries sharing one profile.
    # No database constraint either: without the index, PostgreSQL checked each deleted
    # profile against every entry (a scan of the table per profile: 105 s of a rebuild at
    # a million). The indexer keeps it whole: it deletes only the profiles no entry uses,
    # in the write that holds the version row (``changes.begin``).
    hours = models.ForeignKey(
        HoursProfile,
        null=True,
        on_delete=models.SET_NULL,
        related_name="entries",
        db_index=False,
        db_constraint=False,
    )
    # Normalised words of the name, organisation and service types, space-delimited, so
    # relevance can favour title matches without another join.
    title_words = models.TextField(default="")
    # Filters read in the row itself (no join, no subquery): Mend taxonomy codes as bit
    # masks (mend.search.codes), and ISO 639-1 languages / served US states as
    # space-delimited words (" en es ", " IL US ").
    type_bits = models.IntegerField(default=0)
    eligibility_bits = models.IntegerField(default=0)
    accessibility_bits = models.IntegerField(default=0)
    languages = models.CharField(max_length=255, default="")
    areas = models.CharField(max_length=255, default="")  # remote services only

    class Meta:
        verbose_name_plural = "search entries"
        # (remote, areas): "near here OR remote" uses an index on each side (multi-index
        # OR), and the served-state check on remote rows is read from that index alone.
        indexes = [
            models.Index(fields=["latitude", "longitude"]),
            models.Index(fields=["remote", "areas"]),
        ]

    def __str__(self) -> str:
        return self.sort_name


class SearchText(models.Model):
    """An entry's normalised words (see ``mend.search.text``), space-delimited, in the
    database's own full-text index (``mend.search.fulltext``, ADR 0017): on SQLite this
    table is an FTS5 table whose ``rowid`` is the entry's id, on PostgreSQL a narrow table
    of the entry id and a ``tsvector`` with a GIN index. Django creates a plain table and
    ``fulltext.ensure_table`` turns it into that; a cascade deletes its rows as any
    other's."""

    entry = models.OneToOneField(
        SearchEntry,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="text",
        db_column="rowid",  # FTS5's own name for it; PostgreSQL takes it as a plain name
        db_constraint=False,  # as an entry's terms (EntryTerm); FTS5 can have none
    )
    words = models.TextField()

    def __str__(self) -> str:
        return f"words of entry {self.pk}"


class EntryTerm(models.Model):
    """A taxonomy term of any taxonomy (Mend's or an imported one) attached by an HSDS
    attribute to an entry's service, location or service at location, with the term's
    taxonomy, so the API's ``taxonomy_term_id`` and ``taxonomy_id`` are exact matches on
    an index. A table of its own, not tokens: a word can never match a term id, and a
    text search can never match one by prefix."""

    # No database constraint (nor on a document's or the words' entry): the indexer
    # writes an entry's terms, document and words with it, in the write that holds the
    # version row, and Django deletes them with it (``on_delete``); PostgreSQL's check of
    # each at the commit was 4.4 million locked reads of a rebuild at a million.
    entry = models.ForeignKey(
        SearchEntry, on_delete=models.CASCADE, related_name="terms", db_constraint=False
    )
    term_id = models.UUIDField()
    taxonomy_id = models.UUIDField(null=True)  # None: the term is unknown or has no taxonomy

    class Meta:
        indexes = [
            models.Index(fields=["term_id", "entry"]),
            models.Index(fields=["taxonomy_id", "entry"]),
        ]

    def __str__(self) -> str:
        return f"term {self.term_id} of entry {self.entry_id}"


class SearchDocument(models.Model):
    """The HSDS API's list item for an entry's service at location (JSON, addresses
    already withheld when not public), written by the indexer so that a page of results
    is one query. A table of its own: inside SearchEntry it made every scan of the index
    read ten times the bytes."""

    entry = models.OneToOneField(
        SearchEntry,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="document",
        db_constraint=False,  # as an entry's terms (EntryTerm)
    )
    body = models.TextField()

    def __str__(self) -> str:
        return f"document of entry {self.pk}"


class IndexVersion(models.Model):
    """One row whose value changes with every write to the index, so each process can
    tell whether its in-memory copy (``mend.search.nearby``) is current. Random, not a
    counter: a rolled-back write restores the old value, and a counter could then be
    reused for different rows."""

    value = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.value


class IndexChange(models.Model):
    """What a write to some services' index rows changed, so that a process with a
    search file of an older version (``mend.search.searchfile``) can catch up by reading
    the changed entries alone (``mend.search.changes``). Each such write adds one header
    row (``entry_id`` None) naming the version it replaced, and one row per entry it
    removed or added. A version with no header (a full rebuild, a cascade) breaks the
    chain: processes then write the file again."""

    version = models.CharField(max_length=32)
    previous = models.CharField(max_length=32, default="")
    entry_id = models.BigIntegerField(null=True)
    added = models.BooleanField(default=False)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["version"]), models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{self.version} entry {self.entry_id}"
