"""Writes with side effects for the support directory (STYLE rule 4).

Bulk writes send no per-row model signals, so an import, a demo load and the admin's
saves announce the change (``mend.directory.signals.directory_changed``), and the search
index, listening, is rebuilt in the same transaction (``reindex=False`` skips it, for
benchmarks and for importing several files before one rebuild). This package never
imports ``mend.search``: the index sits above the directory (ADR 0010).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import translation

from mend.directory import demo, taxonomy
from mend.directory.hsds import checking, exporting, reading, spec, writing
from mend.directory.hsds.privacy import Privacy
from mend.directory.hsds.problems import Problems, Progress, Where
from mend.directory.models import (
    Attribute,
    Location,
    Organization,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from mend.directory.signals import announce_directory_changed

TAXONOMIES = {
    taxonomy.SERVICE_TYPE: ("Mend service types", "What kind of help a service gives."),
    taxonomy.ELIGIBILITY: ("Mend eligibility", "Who a service is for."),
    taxonomy.ACCESSIBILITY: ("Mend accessibility", "How a place or service is accessible."),
}
LINK_TYPES = {
    taxonomy.SERVICE_TYPE: "service_type",
    taxonomy.ELIGIBILITY: "eligibility",
    taxonomy.ACCESSIBILITY: "accessibility",
}


# --- the Mend taxonomy ------------------------------------------------------------------


def taxonomy_id(name: str) -> uuid.UUID:
    """A Mend taxonomy's stable id (terms have theirs in mend.directory.taxonomy)."""
    return uuid.uuid5(taxonomy.NAMESPACE, f"taxonomy:{name}")


def mend_taxonomy_ids() -> set[uuid.UUID]:
    return {taxonomy_id(name) for name in TAXONOMIES} | {t.id for t in taxonomy.ALL_TERMS}


def _spanish(text: Any) -> dict[str, dict[str, str]]:
    english = str(text)
    with translation.override("es"):
        spanish = str(text)
    return {"es": {"name": spanish}} if spanish != english else {}


@transaction.atomic
def ensure_mend_taxonomy() -> None:
    """Create or refresh the Mend taxonomies and their terms, with their stable ids.

    Idempotent; names come from mend/directory/taxonomy.py (English, with Spanish in
    ``translations`` where the catalogue has it)."""
    with translation.override("en"):
        taxonomies = [
            Taxonomy(
                id=taxonomy_id(name),
                name=title,
                description=description,
                uri=f"{taxonomy.PROFILE_URI}/taxonomies/{name}",
                version="1",
            )
            for name, (title, description) in TAXONOMIES.items()
        ]
        terms = [mend_term(term) for term in taxonomy.ALL_TERMS]
    writing.upsert(Taxonomy, taxonomies, ["name", "description", "uri", "version"])
    columns = ["code", "name", "description", "taxonomy", "taxonomy_detail_id", "language"]
    writing.upsert(TaxonomyTerm, terms, [*columns, "term_uri", "translations"])


def mend_term(term: taxonomy.Term) -> TaxonomyTerm:
    name = str(term.name)
    return TaxonomyTerm(
        id=term.id,
        code=term.code,
        name=name,
        description=name,
        taxonomy=term.taxonomy,
        taxonomy_detail_id=taxonomy_id(term.taxonomy),
        language="en",
        term_uri=f"{taxonomy.PROFILE_URI}/taxonomies/{term.taxonomy}/{term.code}",
        translations=_spanish(term.name),
    )


@transaction.atomic
def do_set_record_terms(
    link_entity: str, link_id: uuid.UUID, taxonomy_name: str, terms: Iterable[TaxonomyTerm]
) -> None:
    """Make the record's attributes in one Mend taxonomy exactly ``terms`` (the admin's
    service type, eligibility and accessibility boxes)."""
    wanted = {term.id: term for term in terms}
    current = Attribute.objects.filter(link_id=link_id, taxonomy_term__taxonomy=taxonomy_name)
    current.exclude(taxonomy_term_id__in=wanted).delete()
    have = set(current.values_list("taxonomy_term_id", flat=True))
    Attribute.objects.bulk_create(
        Attribute(
            link_id=link_id,
            link_entity=link_entity,
            link_type=LINK_TYPES.get(taxonomy_name, ""),
            taxonomy_term=term,
            label=term.name,
        )
        for term_id, term in wanted.items()
        if term_id not in have
    )


# --- import -----------------------------------------------------------------------------


@dataclass
class ImportReport:
    problems: Problems
    written: dict[str, writing.Written] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems.has_errors


def do_import_hsds(
    path: Path,
    *,
    kind: str | None = None,
    replace: bool = False,
    reindex: bool = True,
    progress: Progress | None = None,
    now: datetime,
) -> ImportReport:
    """Import an HSDS JSON file or CSV data package, all or nothing.

    Every problem in every record is reported; if any is an error, nothing is written.
    With ``replace``, the whole directory is replaced (in the same transaction). ``now``
    is when the search index's opening hours start."""
    problems = Problems()
    with writing.bulk_mode():
        records = reading.read_path(path, problems, kind, progress)
        return import_records(
            records, problems, replace=replace, reindex=reindex, progress=progress, now=now
        )


def do_import_hsds_document(
    document: Any,
    source: str,
    *,
    kind: str | None = None,
    replace: bool = False,
    reindex: bool = True,
    progress: Progress | None = None,
    now: datetime,
) -> ImportReport:
    """The same, for a JSON document already in memory (the demo directory uses it)."""
    problems = Problems()
    with writing.bulk_mode():
        records = reading.read_document(document, source, problems, kind)
        return import_records(
            records, problems, replace=replace, reindex=reindex, progress=progress, now=now
        )


def import_records(
    records: Sequence[reading.Read],
    problems: Problems,
    *,
    replace: bool,
    reindex: bool,
    progress: Progress | None,
    now: datetime,
) -> ImportReport:
    # Reading errors do not stop the checks: the report should name every problem.
    lookup = after_replace_lookup if replace else writing.existing_ids
    checked = checking.check(records, problems, lookup, progress)
    if problems.has_errors:
        return ImportReport(problems)
    # Checked outside the transaction, so that on SQLite other writers (sessions) wait
    # only for the writing. If the directory changed in between so that a hard reference
    # no longer resolves, the database refuses the commit and nothing is written.
    try:
        with transaction.atomic():
            written = write_checked(checked, replace=replace, progress=progress)
            if reindex:
                # The index listens (mend.directory.signals): it is rebuilt inside
                # this transaction, so an import and its index commit together.
                announce_directory_changed(None, now=now)
    except IntegrityError as error:
        problems.error(Where("database", "commit"), "", f"refused the import: {error}")
        return ImportReport(problems)
    return ImportReport(problems, written)


def write_checked(
    checked: checking.Checked, *, replace: bool, progress: Progress | None
) -> dict[str, writing.Written]:
    if replace:
        writing.delete_directory()
    written = writing.write(checked, progress)
    if replace:
        ensure_mend_taxonomy()
    return written


def do_refresh_search_index(service_ids: Iterable[uuid.UUID], *, now: datetime) -> None:
    """Announce an edit of these services (the admin's saves), so that the search index
    rebuilds their rows in the same transaction (``mend.directory.signals``)."""
    ids = list(service_ids)
    if ids:
        announce_directory_changed(ids, now=now)


def after_replace_lookup(table: str, ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """After --replace only the Mend taxonomy (restored by code) exists beside the import."""
    if table in ("taxonomy", "taxonomy_term"):
        return ids & mend_taxonomy_ids()
    return set()


# --- the demo directory -----------------------------------------------------------------


class DemoError(RuntimeError):
    """The demo directory was not loaded; the message says why."""


class DirectoryNotEmpty(DemoError):
    """Not loaded because the directory already holds services: nothing is wrong."""


@transaction.atomic
def do_load_demo(
    seed: int = demo.SEED,
    progress: Progress | None = None,
    *,
    now: datetime,
    replace: bool = False,
) -> ImportReport:
    """Load the fictional demo directory, into an empty directory only.

    With ``replace``, reload it over an earlier demo: every record whose id is in the demo
    range is deleted and imported again (editors' changes to demo records are lost: that
    is what replacing asks for). Records of anyone else are never touched: if one refers
    to a demo record, so that deleting the demo would take it along, nothing is replaced.
    Raises DemoError, having written nothing, when the demo cannot be loaded."""
    ensure_mend_taxonomy()
    if not replace and not directory_is_empty():
        raise DirectoryNotEmpty(
            "The directory already holds services: the demo was not loaded. "
            "'load_demo --replace' reloads the demo's own records and touches no others."
        )
    if tied := records_tied_to_demo():
        raise DemoError(
            "These records are not part of the demo but refer to demo records, so the "
            "demo was not replaced: " + ", ".join(tied)
        )
    delete_demo()
    report = do_import_hsds_document(demo.build(seed), "demo", progress=progress, now=now)
    if not report.ok:
        raise DemoError("\n".join(str(problem) for problem in report.problems.errors))
    return report


def directory_is_empty() -> bool:
    """No organisation, service or location yet (the Mend taxonomy is always there)."""
    return not any(m.objects.exists() for m in (Organization, Service, Location))


def records_tied_to_demo(most: int = 10) -> list[str]:
    """Up to ``most`` records outside the demo range whose references point into it, as
    "table id" (for example an editor's service added to a demo organisation)."""
    in_demo = {"gte": demo.FIRST_ID, "lte": demo.LAST_ID}
    found: list[str] = []
    for table in spec.TABLES:
        model = table.model
        for fk in model._meta.concrete_fields:
            if not isinstance(fk, models.ForeignKey):
                continue
            pointing = {f"{fk.attname}__{op}": value for op, value in in_demo.items()}
            rows = model._default_manager.filter(**pointing).exclude(
                pk__gte=demo.FIRST_ID, pk__lte=demo.LAST_ID
            )
            found += [f"{table.name} {pk}" for pk in rows.values_list("pk", flat=True)[:most]]
    return found[:most]


def delete_demo() -> None:
    for table in reversed(spec.TABLES):
        manager = table.model._default_manager
        manager.filter(pk__gte=demo.FIRST_ID, pk__lte=demo.LAST_ID).delete()


# --- export -----------------------------------------------------------------------------


@dataclass
class ExportReport:
    path: Path
    format: str
    include_private: bool
    counts: dict[str, int]
    withheld: Counter[str]


def do_export_hsds(
    path: Path,
    *,
    format: str | None = None,
    shape: str = "services",
    include_private: bool = False,
    progress: Progress | None = None,
) -> ExportReport:
    """Export the directory. Public by default: hidden and on-request addresses, with
    their positions, directions and identifiers, are withheld (hsds/privacy.py).
    ``include_private`` is for an operator's full backup, never for publication."""
    chosen = format or ("json" if path.suffix.lower() == ".json" else "csv")
    privacy = Privacy.load(include_private)
    if chosen == "json":
        counts = exporting.export_json(path, shape, privacy, progress)
    else:
        counts = exporting.export_csv(path, privacy, progress)
    return ExportReport(path, chosen, include_private, counts, privacy.withheld)
