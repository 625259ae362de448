"""What the directory tells the packages above it (docs/adr/0010-package-layout.md).

The directory knows nothing of who listens: ``mend.search`` connects its index to
``directory_changed`` in its ``AppConfig.ready()``. Django sends signals synchronously,
in the sender's thread and transaction, so a listener's writes commit or roll back with
the change it hears of, and an error in a listener reaches the sender (``send``, not
``send_robust``): a write whose index could not follow is refused as a whole.

Deletes are not announced here: the index's own foreign keys renew it on delete
(``mend.search.models.cascade_renewing_version``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from django.dispatch import Signal

# Sent with ``service_ids`` (a list of service ids, or None for "the whole directory")
# and ``now`` (when the index's opening-hours window starts).
directory_changed = Signal()


def announce_directory_changed(service_ids: Iterable[uuid.UUID] | None, *, now: datetime) -> None:
    """Tell every listener, before returning, that these services (or all) changed."""
    ids = None if service_ids is None else list(service_ids)
    directory_changed.send(sender=announce_directory_changed, service_ids=ids, now=now)
