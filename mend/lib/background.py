"""Queueing background work with the transaction that asks for it (Django's tasks
framework; `manage.py db_worker` runs the queue)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.tasks import Task, TaskResultStatus
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def enqueue_in_transaction(task: Task[..., Any], *args: Any) -> None:
    """Queue a task so that it happens if and only if this transaction commits.

    The database-backed queue (production) writes the task row in this very transaction: it
    commits with the change, or not at all, at the cost of no extra commit. Any other backend
    is handed the task after commit, when a worker can see what the task needs.
    """
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def enqueue_at(task: Task[..., Any], when: datetime, *args: Any) -> bool:
    """Queue a task to run at `when`, with this transaction, on a queue that can wait
    (production's); the tests' immediate queue cannot, and then nothing is queued: False.
    A task queued so must be idempotent and backed by a command for the operator, since a
    queue that was emptied forgets it."""
    if not task.get_backend().supports_defer:
        return False
    enqueue_in_transaction(task.using(run_after=when), *args)
    return True


def ensure_queued(task: Task[..., Any]) -> bool:
    """Queue `task` now unless a run of it is waiting already (a daily task that queues
    itself again: calling this at each deployment never makes a second chain); True if
    this queued one."""
    if isinstance(task.get_backend(), DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=task.module_path, status=TaskResultStatus.READY
        )
        if waiting.exists():
            return False
    task.enqueue()
    return True
