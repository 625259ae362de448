"""The directory benchmark: every figure of issue 15, on SQLite and on PostgreSQL.

    MEND_ENV=test .venv/bin/python bench/directory.py [--rows 100000] [--data DIR]

Runs, each with ``--rows`` service-at-location rows on both databases:

- ``bench/directory_import.py``: the HSDS import rate (target 5,000 services a second);
- ``bench/directory_search.py``: the full index rebuild rate (target 2,000 entries a
  second, timed on its own), search latency per query shape (place searches p95 under
  30 ms, text near a place under 50 ms, nationwide text under 100 ms), and the search
  API's throughput as a ratio of a trivial endpoint's (target 0.7, median of three
  rounds);
- ``bench/directory_memory.py`` when it exists: the shared search copy's memory per extra
  web process and how soon a change is searchable. Without that script those figures
  are not measured, which counts as a miss.

``--data DIR`` keeps the generated databases in DIR and reuses them on the next run with
the same ``--rows`` (a million rows take a while to generate). Each script prints its
figures beside their targets; this one exits non-zero if any script reports a miss.
Figures and how they were taken: docs/performance.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MEMORY = "directory_memory.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--data", type=Path, help="keep and reuse generated databases here")
    args = parser.parse_args()
    reuse = ["--data", str(args.data)] if args.data else []
    runs = [("directory_import.py", []), ("directory_search.py", reuse)]
    if (HERE / MEMORY).exists():
        runs.append((MEMORY, []))
    failed = []
    for script, extra in runs:
        command = [sys.executable, str(HERE / script), "--rows", str(args.rows), *extra]
        print(f"\n### {' '.join(command[1:])}", flush=True)
        if subprocess.run(command, check=False).returncode:
            failed.append(script)
    if not (HERE / MEMORY).exists():
        print(f"\nNOT MEASURED: memory per worker and searchable within 1 s (no bench/{MEMORY})")
        failed.append(MEMORY)
    print("\n" + (f"TARGETS MISSED in {', '.join(failed)}" if failed else "every target met"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
