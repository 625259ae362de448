"""What a search answers: one page of results, in the HSDS ``Page`` envelope.

The answering paths fill in the ids of the page's rows; ``mend.search.query`` adds the
``Hit``s that a results page shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from uuid import UUID

from mend.search import gazetteer
from mend.search.models import SearchEntry
from mend.search.params import Resolved


@dataclass
class Hit:
    """One result. ``distance_km`` is None unless the address is public."""

    entry: SearchEntry
    distance_km: float | None = None
    open_now: bool | None = None  # None: we do not know the hours
    types: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


@dataclass
class SearchResult:
    hits: list[Hit]
    total_items: int
    page_number: int
    per_page: int
    place: gazetteer.Place | None = None
    radius_km: float | None = None
    sort: str = "name"
    service_ids: list[UUID] = field(default_factory=list)  # by_service: the page's services
    entry_ids: list[int] = field(default_factory=list)
    # Answered from this process's copy of the index without checking that it is current
    # (search_services(..., verify_later=True)): its version, for the caller to check.
    unverified_version: str = ""

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total_items / self.per_page))

    @property
    def size(self) -> int:
        return len(self.service_ids) if self.service_ids else len(self.entry_ids)

    @property
    def first_page(self) -> bool:
        return self.page_number == 1

    @property
    def last_page(self) -> bool:
        return self.page_number >= self.total_pages

    @property
    def empty(self) -> bool:
        return self.total_items == 0

    def envelope(self) -> dict[str, int | bool]:
        """The HSDS Page fields (the caller adds ``contents``)."""
        return {
            "total_items": self.total_items,
            "total_pages": self.total_pages,
            "page_number": self.page_number,
            "size": self.size,
            "first_page": self.first_page,
            "last_page": self.last_page,
            "empty": self.empty,
        }


def empty_result(r: Resolved) -> SearchResult:
    return SearchResult(
        hits=[],
        total_items=0,
        page_number=r.params.page,
        per_page=r.params.per_page,
        place=r.place,
        radius_km=r.radius_km if r.place else None,
        sort=r.sort,
    )
