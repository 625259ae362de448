"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit log.

TRUNCATE stays possible (it needs the table owner's rights, and Django's test flush uses
it). SQLite has no separate owner: the embedded file is the application's, so there the
guard is the model's (mend.audit.models) and a trigger would only break test flushes.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

POSTGRES = [
    "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$;",
    "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditlog "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER audit_append_only ON audit_auditlog;",
    "DROP FUNCTION audit_append_only();",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES}),
            _run({"postgresql": POSTGRES_REVERSE}),
        )
    ]
