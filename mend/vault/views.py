"""Vault pages ("Keep a record"). Each serves HTML and one module under static/js/vault/
that opens and writes the records in the browser through mend.vault.api; the server
never sees a record's words. Record pages load the record through the access helper, so
anyone but its owner gets 404 before any script runs."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from mend.accounts.pages import render_survivor_page
from mend.accounts.security import WASM_CSP, survivor_script_page
from mend.vault import access
from mend.vault import receipts as server_receipts
from mend.vault.fields import GROUPS, field_labels
from mend.vault.strings import messages


def page(
    request: HttpRequest,
    template: str,
    script: str,
    record_id: str | None = None,
    **context: object,
) -> HttpResponse:
    return render_survivor_page(
        request,
        f"vault/{template}",
        f"vault/{script}",
        strings=messages(),
        config={"fields": field_labels(), "record_id": record_id},
        context={"record_id": record_id, **context},
    )


def record_page(
    request: HttpRequest, record_id: UUID, template: str, script: str, **context: object
) -> HttpResponse:
    record = access.get_record_for_user(request.user, record_id)
    return page(request, template, script, str(record.id), **context)


@survivor_script_page
def record_list(request: HttpRequest) -> HttpResponse:
    return page(request, "list.html", "list.js")


@survivor_script_page
def new_record(request: HttpRequest) -> HttpResponse:
    return page(request, "form.html", "form.js", groups=GROUPS)


@survivor_script_page
def record_detail(request: HttpRequest, record_id: UUID) -> HttpResponse:
    return record_page(request, record_id, "record.html", "record.js")


@survivor_script_page
def edit_record(request: HttpRequest, record_id: UUID) -> HttpResponse:
    return record_page(request, record_id, "form.html", "form.js", groups=GROUPS)


@survivor_script_page
def print_record(request: HttpRequest, record_id: UUID) -> HttpResponse:
    return record_page(request, record_id, "print.html", "print.js")


@survivor_script_page
def print_all(request: HttpRequest) -> HttpResponse:
    return page(request, "print.html", "print.js")


@survivor_script_page
def export(request: HttpRequest) -> HttpResponse:
    return page(request, "export.html", "export.js")


@survivor_script_page
def import_bundle(request: HttpRequest) -> HttpResponse:
    return page(request, "import.html", "import.js")


@require_GET
@csp_override(WASM_CSP)
def check_receipt(request: HttpRequest) -> HttpResponse:
    """Public on purpose: anyone (a lawyer, a court) can check a receipt here, offline too."""
    key = server_receipts.public_key().hex()
    return render_survivor_page(
        request,
        "vault/check_receipt.html",
        "vault/check-receipt.js",
        strings=messages(),
        config={"public_key": key},
        context={"public_key": key},
    )
