"""What the service page answers for each status (mend.directory.models.PUBLIC_STATUSES):
every record opened by id must answer alike (mend/findhelp/access.py)."""

from __future__ import annotations

from mend.directory.models import ServiceStatus

ANSWER_BY_STATUS = (
    (ServiceStatus.ACTIVE, 200),
    (ServiceStatus.TEMPORARILY_CLOSED, 200),
    (ServiceStatus.INACTIVE, 404),
    (ServiceStatus.DEFUNCT, 404),
)
