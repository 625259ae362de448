"""Validating API responses against the published HSDS 3.1 compiled JSON schemas."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker

# The shared data sits beside the repository (../shared), as in CI.
SCHEMAS = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "hsds-3.1" / "schema"


@cache
def validator(name: str) -> Draft202012Validator:
    # Taxonomies have no compiled schema; theirs stand alone.
    folder = SCHEMAS if name in ("taxonomy", "taxonomy_term") else SCHEMAS / "compiled"
    schema = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def problems(name: str, document: Any) -> list[str]:
    """Every way ``document`` breaks the HSDS schema ``name`` (empty when it is valid)."""
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(name).iter_errors(document)]


PAGE_FIELDS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


def declared_problems(openapi: dict[str, Any], component: str, document: Any) -> list[str]:
    """Every way ``document`` breaks the schema that our own OpenAPI document declares
    for ``component``, formats included (``time``, ``date``, ``date-time``...), checked
    strictly as JSON Schema defines them (RFC 3339), as a client's generated code would."""
    schema = {"$ref": f"#/components/schemas/{component}", "components": openapi["components"]}
    checker = jsonschema_rs.validator_for(schema, validate_formats=True)
    return [f"{list(e.instance_path)}: {e.message}" for e in checker.iter_errors(document)]
