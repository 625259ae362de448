"""Whether this Mend offers the dialogue at all.

A survivor who asks for a dialogue waits for a supervisor to assign her case to a
facilitator holding a current certificate of the facilitators' training path and a staff
key that a counselor (or the operator) vouched for, without which no party's browser
writes to her (docs/dialogue.md). Where nobody could do either (a deployment without a restorative
programme, or whose facilitators' certificates have all lapsed) asking would open a case
that nobody ever takes: so the pages say that it is not offered here, and asking is
refused (503 ``not_offered``), as "Find others, safely" refuses entries while no counselor
can receive them. Cases already open are not touched: their team can still be changed.
"""

from __future__ import annotations

from datetime import datetime

from mend.accounts.models import Role, User
from mend.certificates import paths
from mend.certificates.access import staff_holder_ids
from mend.escrow import trust


def offered(now: datetime) -> bool:
    """An active supervisor to assign cases, and an active facilitator who can take one."""
    supervisors = User.objects.filter(role=Role.SUPERVISOR, is_active=True)
    facilitators = User.objects.filter(
        role=Role.FACILITATOR,
        is_active=True,
        id__in=staff_holder_ids(paths.FACILITATOR_PATH, now),
    )
    return (
        supervisors.exists()
        and facilitators.exists()
        and facilitators.filter(id__in=trust.vouched_holder_ids()).exists()
    )
