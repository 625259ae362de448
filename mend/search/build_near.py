"""Build ``mend/search/_near`` (a place search's hot loop in C, ``_near.c``) beside its
source, for the Python that runs this script: ``make setup`` runs it.

    .venv/bin/python mend/search/build_near.py

Plain ``cc`` with the interpreter's own include folder and file suffix (``sysconfig``):
no build system to pin for one file. It compiles only when the source (or this script) is
newer than the module, and replaces the module whole (a rename), so a web process never
loads half a file. ``-ffp-contract=off``: no fused multiply-add, so the distances are the
same doubles as the SQL's and the Python loop's (``nearby``). Exits non-zero, with the
compiler's words, if the module cannot be built.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "_near.c"
FLAGS = (
    "-O2",
    "-fPIC",
    "-shared",
    "-std=c11",
    "-Wall",
    "-Wextra",
    "-ffp-contract=off",
    "-fno-fast-math",
)


def target() -> Path:
    return HERE / f"_near{sysconfig.get_config_var('EXT_SUFFIX')}"


def compiler() -> list[str]:
    """``$CC`` if set, else the compiler this Python was built with, else ``cc``."""
    named = os.environ.get("CC") or str(sysconfig.get_config_var("CC") or "cc")
    return shlex.split(named)[:1] or ["cc"]


def up_to_date(module: Path) -> bool:
    if not module.exists():
        return False
    built = module.stat().st_mtime
    return all(built >= p.stat().st_mtime for p in (SOURCE, Path(__file__)))


def main() -> int:
    module = target()
    if up_to_date(module):
        return 0
    partial = module.with_name(module.name + ".partial")
    include = sysconfig.get_paths()["include"]
    command = [*compiler(), *FLAGS, f"-I{include}", str(SOURCE), "-o", str(partial)]
    try:
        subprocess.run(command, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        partial.unlink(missing_ok=True)
        print(f"could not build {module.name}: {error}", file=sys.stderr)
        print("It needs a C compiler and Python's headers (gcc, python3-dev)", file=sys.stderr)
        return 1
    partial.replace(module)
    return 0


if __name__ == "__main__":
    sys.exit(main())
