"""Test and demo helpers: give a staff member the certificate she needs to be assigned cases."""

from __future__ import annotations

import unittest
from datetime import datetime
from unittest import mock

from django.utils import timezone

from mend.accounts.models import User
from mend.certificates import actions, paths
from mend.certificates.models import Certificate


def certify(user: User, *, path_id: str | None = None, now: datetime | None = None) -> Certificate:
    """A current certificate of `path_id` (her role's staff path unless told) for `user`, recording
    every module of the path at its current version.

    Issued at the real time unless `now` is given: callers whose clock runs free (the
    escrow's tasks read timezone.now()) then hold a certificate that is current whatever
    the day the tests run.
    """
    path_id = path_id or paths.PATH_FOR_ROLE.get(user.role, paths.COUNSELOR_PATH)
    versions = paths.module_versions(path_id) or {"demo-module": 1}
    return actions.issue(
        holder=user,
        name=user.get_full_name() or user.get_username(),
        path_id=path_id,
        path_title=path_id,
        modules=sorted(versions.items()),
        now=now or timezone.now(),
    )


def raise_a_module(case: unittest.TestCase, path_id: str) -> None:
    """For the rest of ``case``: ``path_id`` has a module at a version no certificate
    issued so far records (as when the curriculum raises one), so that every one of them
    stops counting; the curriculum's own versions come back after ``case``."""
    patcher = mock.patch.dict(paths._providers, {path_id: lambda: {"demo-module": 2}})
    patcher.start()
    case.addCleanup(patcher.stop)
