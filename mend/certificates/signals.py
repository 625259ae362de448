"""Signals of the certificates app, for apps above it (it imports none of them).

`certificate_issued` is sent inside the transaction that stores a new certificate, with
`certificate=` the stored Certificate. Escrow listens: a counselor who has just been
certified may take the groups that waited for one (mend.escrow.tasks).

`certificate_revoked` is sent inside the transaction that revokes a certificate, with
`certificate=` the revoked Certificate. Escrow listens: a counselor who no longer holds a
current certificate gives back her open groups, which go to a certified colleague.
"""

from __future__ import annotations

from django.dispatch import Signal

certificate_issued = Signal()
certificate_revoked = Signal()
