"""The directory benchmark: import, then search, on SQLite and on PostgreSQL.

    MEND_ENV=test .venv/bin/python bench/directory.py [--rows 100000]

Runs ``bench/directory_import.py`` (HSDS import rate, target 2,000 services a second)
and then ``bench/directory_search.py`` (search latency per query shape, target p95 under
30 ms; the search API's throughput as a ratio of a trivial endpoint's, target 0.5), each
with ``--rows`` service-at-location rows on both databases. Exits non-zero if either
script reports a missed target. Figures and how they were taken: docs/performance.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    failed = 0
    for script in ("directory_import.py", "directory_search.py"):
        command = [sys.executable, str(HERE / script), "--rows", str(args.rows)]
        print(f"\n### {' '.join(command[1:])}", flush=True)
        failed |= subprocess.run(command, check=False).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
