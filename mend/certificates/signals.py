"""Signals of the certificates app, for apps above it (it imports none of them).

`certificate_issued` is sent inside the transaction that stores a new certificate, with
`certificate=` the stored Certificate. Escrow listens: a counselor who has just been
certified may take the groups that waited for one (mend.escrow.tasks).
"""

from __future__ import annotations

from django.dispatch import Signal

certificate_issued = Signal()
