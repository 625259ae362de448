"""Check that the search bench's generator writes the same data: dump what it generates.

    DATABASE_URL=sqlite:////tmp/a.sqlite3 MEND_ENV=test .venv/bin/python \
        bench/directory_search_same.py --rows 2000 [--script OLD.py] --out DUMP

Runs ``generate()`` of ``bench/directory_search.py`` (or of ``--script``, say an older
copy from ``git show``) into a fresh database, then writes every directory table, rows in
key order, to ``--out`` and prints its SHA-256: two generators that draw the same random
numbers in the same order give the same file. ``uuid.uuid4`` (which the generator uses
for child rows, outside its seeded generator) is replaced by a seeded one for the run, so
that those ids compare too.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import random
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--script", type=Path, default=ROOT / "bench" / "directory_search.py")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mend.settings")
    import django
    from django.apps import apps
    from django.conf import settings

    django.setup()
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)
    spec = importlib.util.spec_from_file_location("generator", args.script)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {args.script}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    seeded = random.Random(1)
    uuid.uuid4 = lambda: uuid.UUID(int=seeded.getrandbits(128), version=4)
    module.generate(args.rows)
    digest = dump(args.out)
    print(f"{args.script.name} at {args.rows:,} rows: sha256 {digest}")


def dump(out: Path) -> str:
    """Every directory table, its columns by name and its rows in key order."""
    from django.apps import apps
    from django.db import connection

    with out.open("w", encoding="utf-8") as handle, connection.cursor() as cursor:
        for model in apps.get_app_config("directory").get_models():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 (a model's table)
            names = [column[0] for column in cursor.description]
            handle.write(f"== {model._meta.db_table} {names}\n")
            for row in cursor.fetchall():
                handle.write(f"{row!r}\n")
    return hashlib.sha256(out.read_bytes()).hexdigest()


if __name__ == "__main__":
    main()
