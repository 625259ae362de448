"""The Mend taxonomy as bit masks, so an entry's types, eligibility and accessibility are
three integer columns filtered with ``&`` in SQL (no join, no subquery per row).

Bit positions follow the order of the tuples in ``mend.directory.taxonomy``: new codes
must be appended there, never inserted or reordered (or the index rebuilt at once).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mend.directory import taxonomy

TYPE = "type"
ELIGIBILITY = "eligibility"
ACCESSIBILITY = "accessibility"

BITS: dict[str, dict[str, int]] = {
    TYPE: {t.code: 1 << n for n, t in enumerate(taxonomy.SERVICE_TYPES)},
    ELIGIBILITY: {t.code: 1 << n for n, t in enumerate(taxonomy.ELIGIBILITIES)},
    ACCESSIBILITY: {t.code: 1 << n for n, t in enumerate(taxonomy.ACCESSIBILITY_FEATURES)},
}
KIND_BY_TAXONOMY = {
    taxonomy.SERVICE_TYPE: TYPE,
    taxonomy.ELIGIBILITY: ELIGIBILITY,
    taxonomy.ACCESSIBILITY: ACCESSIBILITY,
}


def mask(kind: str, codes: Iterable[str]) -> int:
    """The bits of ``codes`` (unknown codes have none)."""
    table = BITS[kind]
    value = 0
    for code in codes:
        value |= table.get(code, 0)
    return value


def decode(kind: str, value: int) -> list[str]:
    """The codes set in ``value``, in taxonomy order."""
    return [code for code, bit in BITS[kind].items() if value & bit]


def words(values: Iterable[str]) -> str:
    """Codes as a space-delimited column (" en es "), so ``contains " es "`` matches one."""
    unique = sorted({value for value in values if value})
    return f" {' '.join(unique)} " if unique else ""


@dataclass(frozen=True)
class Codes:
    """The taxonomy filters of a search as masks: any of ``any_types``; all of the rest."""

    any_types: int = 0
    all_types: int = 0
    eligibility: int = 0
    accessibility: int = 0
    languages: tuple[str, ...] = ()

    def accept(self, types: int, eligibility: int, accessibility: int, languages: str) -> bool:
        """Whether an entry with these columns passes (as ``database.with_codes`` in SQL)."""
        return (
            (not self.any_types or types & self.any_types != 0)
            and types & self.all_types == self.all_types
            and eligibility & self.eligibility == self.eligibility
            and accessibility & self.accessibility == self.accessibility
            and all(f" {code} " in languages for code in self.languages)
        )
