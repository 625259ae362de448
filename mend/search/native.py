"""The search's loops in C (``_near.c``, built by ``make setup``), or None for each when
the module is not built: their Python loops answer then, the same results a little slower
(docs/performance.md). The Python loops are the reference; tests compare the two."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

log = logging.getLogger(__name__)


def _module() -> Any:
    try:
        return importlib.import_module("mend.search._near")
    except ImportError:
        log.warning("mend.search._near is not built (make setup): the search's loops run in Python")
        return None


_NEAR = _module()

# located(keys, starts, members, member points, rows, wanted keys, box, circle)
LOCATED: Callable[..., tuple[bytes, bytes]] | None = _NEAR.located if _NEAR else None
# documents(pk, starts, blob, wanted ids)
DOCUMENTS: Callable[[Any, Any, Any, Sequence[int]], list[str | None]] | None = (
    _NEAR.documents if _NEAR else None
)
# nearest(pk, sort_name, string starts, blob, located rows, distances, offset, end)
NEAREST: Callable[..., list[tuple[int, str, float | None]] | None] | None = (
    _NEAR.nearest if _NEAR else None
)
