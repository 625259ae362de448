"""Training benchmark (issue 14): server time to grade a knowledge check.

    .venv/bin/python bench/training.py [--learners 500] [--history 20000] [--checks 400]
    .venv/bin/python -m mend.lib.pgtemp -- .venv/bin/python bench/training.py   # PostgreSQL

The content is the two fixture modules of mend/training/tests/content (10 items a bank,
8 drawn a check, as the real banks will be). A fresh database (SQLite in /tmp unless
DATABASE_URL says otherwise) holds LEARNERS learners of one organisation and HISTORY
submitted attempts; then CHECKS checks are started (not timed) and submitted (timed):

1. the whole request, POST /training/checks/<id>/ through Django's test client in this
   process (session, CSRF middleware, reading the form, grading, one transaction that
   stores the answers and, on a pass, looks for a completed path and records it); half the
   checks pass, so half of them also complete a path. Target: p95 < 20 ms.
2. grading alone (mend.training.grading.grade on a drawn check), for reference.

Figures go in docs/performance.md, section "Training". Exits non-zero if a target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="mend-bench-training-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ["MEND_ENV"] = "test"
os.environ["DJANGO_SETTINGS_MODULE"] = "mend.settings"
os.environ["TRAINING_CONTENT_DIR"] = str(ROOT / "mend" / "training" / "tests" / "content")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from mend.accounts.models import Role, User  # noqa: E402
from mend.training import actions, curriculum, grading  # noqa: E402
from mend.training.models import Attempt, Membership, Organisation  # noqa: E402
from mend.training.tests.helpers import answer_form  # noqa: E402

TARGET_P95_MS = 20.0
WARM_UP = 20
UNUSABLE = "!"  # Django's marker for "no password": bulk-made accounts cannot log in


def seed(learners: int, history: int) -> list[User]:
    now = timezone.now()
    organisation = Organisation.objects.create(name="Bench Police", created_at=now)
    users = User.objects.bulk_create(
        User(username=f"learner{i}", password=UNUSABLE, role=Role.LEARNER) for i in range(learners)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=organisation, name=f"Learner {i}", joined_at=now)
        for i, u in enumerate(users)
    )
    content = curriculum.current()
    modules = list(content.modules.values())
    rng = random.Random(1)
    rows = []
    for _ in range(history):
        module = rng.choice(modules)
        drawn = grading.draw(module, 8, rng)
        results = {d.id: rng.random() < 0.8 for d in drawn}
        rows.append(
            Attempt(
                learner=rng.choice(users),
                module_id=module.id,
                module_version=module.version,
                drawn=[d.to_json() for d in drawn],
                answers={d.id: [0] for d in drawn},
                results=results,
                score=sum(results.values()),
                passed=sum(results.values()) >= 7,
                started_at=now,
                submitted_at=now,
            )
        )
    Attempt.objects.bulk_create(rows, batch_size=2000)
    return users


def time_requests(users: list[User], checks: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each submission (CPU: this process only, so on
    a machine shared with other work it shows the request's own cost)."""
    content = curriculum.current()
    modules = list(content.modules.values())
    rng = random.Random(2)
    timings, cpu = [], []
    for number in range(checks + WARM_UP):
        user = rng.choice(users)
        module = rng.choice(modules)
        attempt = actions.do_start_check(user, module, timezone.now(), rng)
        client = Client()
        client.force_login(user)
        data = answer_form(module, attempt, wrong=0 if number % 2 == 0 else len(attempt.drawn))
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.post(f"/training/checks/{attempt.id}/", data)
        elapsed = (time.perf_counter() - start) * 1000
        used = (time.process_time() - start_cpu) * 1000
        assert response.status_code == 302, response.status_code
        if number >= WARM_UP:
            timings.append(elapsed)
            cpu.append(used)
    return timings, cpu


def time_grading(repeats: int) -> list[float]:
    module = curriculum.current().modules["listening"]
    rng = random.Random(3)
    timings = []
    for _ in range(repeats):
        drawn = grading.draw(module, 8, rng)
        responses = {d.id: module.items[d.id].answer for d in drawn}
        start = time.perf_counter()
        grading.grade(module, drawn, responses, 80)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--history", type=int, default=20_000)
    parser.add_argument("--checks", type=int, default=400)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    users = seed(args.learners, args.history)
    requests, cpu = time_requests(users, args.checks)
    graded = time_grading(10_000)
    met = p95(requests) < TARGET_P95_MS
    load = os.getloadavg()[0]
    print(
        f"database: {connection.vendor}; {args.learners} learners, {args.history} stored "
        f"checks; load average {load:.1f} on {os.cpu_count()} cores"
    )
    print("| measured | p50 | p95 | mean | target (p95) | result |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    print(
        f"| submitting a check (whole request, {args.checks}) | "
        f"{statistics.median(requests):.1f} ms | {p95(requests):.1f} ms | "
        f"{statistics.fmean(requests):.1f} ms | < {TARGET_P95_MS:.0f} ms | "
        f"{'met' if met else 'MISSED'} |"
    )
    print(
        f"| the same, CPU time of this process | {statistics.median(cpu):.1f} ms | "
        f"{p95(cpu):.1f} ms | {statistics.fmean(cpu):.1f} ms | - | - |"
    )
    print(
        f"| grading alone (10,000) | {statistics.median(graded) * 1000:.0f} µs | "
        f"{p95(graded) * 1000:.0f} µs | {statistics.fmean(graded) * 1000:.0f} µs | - | - |"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
