"""Item statistics for content maintainers: how each question performs.

Per item, over every submitted check that drew it: how many answered it (``attempts``),
the proportion right (``difficulty``, the classical p value), and how well it separates
strong from weak learners (``discrimination``: the point-biserial correlation between
being right on this item and the proportion right on the *other* items of the same
check, so an item does not correlate with itself). Items are flagged as maintainers
usually read these figures: too few answers to judge, very hard (p < 0.30), very easy
(p > 0.95), weak (discrimination < 0.20) and negative (strong learners get it wrong more
often than weak ones: check the answer key).

Reads only ``Attempt.results``: no learner is named.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MIN_ATTEMPTS = 30
HARD, EASY, WEAK = 0.30, 0.95, 0.20


@dataclass
class ItemStats:
    item_id: str
    right: list[bool] = field(default_factory=list)
    rest: list[float] = field(default_factory=list)

    @property
    def attempts(self) -> int:
        return len(self.right)

    @property
    def difficulty(self) -> float | None:
        return sum(self.right) / len(self.right) if self.right else None

    @property
    def discrimination(self) -> float | None:
        return point_biserial(self.right, self.rest)

    def flags(self, min_attempts: int = MIN_ATTEMPTS) -> list[str]:
        if self.attempts < min_attempts:
            return ["too few answers"]
        found = []
        p, r = self.difficulty, self.discrimination
        if p is not None and p < HARD:
            found.append("very hard")
        if p is not None and p > EASY:
            found.append("very easy")
        if r is not None and r < 0:
            found.append("negative: check the answer key")
        elif r is not None and r < WEAK:
            found.append("weak")
        return found


def point_biserial(right: list[bool], rest: list[float]) -> float | None:
    """Correlation of a 0/1 variable with a continuous one; None when either is constant."""
    n = len(right)
    ones = [y for x, y in zip(right, rest, strict=True) if x]
    zeros = [y for x, y in zip(right, rest, strict=True) if not x]
    if not ones or not zeros:
        return None
    mean = sum(rest) / n
    spread = math.sqrt(sum((y - mean) ** 2 for y in rest) / n)
    if spread == 0:
        return None
    p = len(ones) / n
    return (sum(ones) / len(ones) - sum(zeros) / len(zeros)) / spread * math.sqrt(p * (1 - p))


def item_statistics(checks: Iterable[Mapping[str, bool]]) -> dict[str, ItemStats]:
    """Statistics per item from each submitted check's results ({item id: right})."""
    stats: dict[str, ItemStats] = {}
    for results in checks:
        if len(results) < 2:
            continue
        total = sum(results.values())
        for item_id, ok in results.items():
            entry = stats.setdefault(item_id, ItemStats(item_id))
            entry.right.append(bool(ok))
            entry.rest.append((total - ok) / (len(results) - 1))
    return stats
