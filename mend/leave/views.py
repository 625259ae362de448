"""The leave pages (/leave/): what leave is and the checker, the letter, the table of
rules, the open-data file and the employer's policy builder.

The checker and the letter run in her browser (static/js/leave/): these views send the
page and the words, never receive what she types. Their forms are sent nowhere: the button
is rendered disabled and only the page script enables it (and then answers the form itself),
so without JavaScript no click or Enter sends them; and these views answer GET alone (405 to
anything else) and read no field of a request. The policy builder is for employers
and is not sensitive, so it is a plain GET form answered by the server.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from mend.accounts.pages import page_config
from mend.accounts.roles import is_survivor
from mend.accounts.security import WASM_CSP, keep_alive
from mend.leave import display, rules, strings
from mend.leave.forms import PolicyForm
from mend.leave.policy import build_policy
from mend.lib import runtime


def _choices() -> list[tuple[str, str]]:
    names = {code: display.text(j["name"]) for code, j in rules.all_rules().items()}
    return sorted(names.items(), key=lambda item: item[1])


def _script_page(
    request: HttpRequest,
    template: str,
    script: str,
    config: dict[str, Any] | None = None,
    **extra: Any,
) -> HttpResponse:
    """A page whose script does the work in the browser; `config` adds to its settings
    (the idle clock's, on the survivor's letter page)."""
    own = config or {}
    config = {
        "language": display.language(),
        "api": "/api/v1/",
        "today": timezone.now().date().isoformat(),
        **own,
        "urls": {
            "login": reverse("accounts:login"),
            "rules": reverse("leave:rules"),
            **own.get("urls", {}),
        },
    }
    context: dict[str, Any] = {
        "page_script": f"js/leave/{script}",
        "mend_config": config,
        "mend_strings": runtime.page_strings(strings.page_strings()),
        "jurisdictions": _choices(),
        **extra,
    }
    return render(request, template, context)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _script_page(request, "leave/home.html", "checker.js")


@require_GET
def letter(request: HttpRequest) -> HttpResponse:
    """Open to everyone with the site's strict CSP. Only a signed-in survivor's page may
    save the letter to her record, which runs libsodium's WebAssembly in her browser: her
    response alone carries the CSP that allows it (csp_override sets the policy of the
    response it decorates, so it is applied to her view only)."""
    if is_survivor(request.user):
        return _survivor_letter(request)
    return _script_page(request, "leave/letter.html", "letter.js", can_save=False)


@csp_override(WASM_CSP)
def _survivor_letter(request: HttpRequest) -> HttpResponse:
    """Her letter page runs the vault's idle clock (the warning, the sign-out, her letter
    kept locked in the tab): loading it restarts the server's clock, as every vault page."""
    keep_alive(request)
    return _script_page(
        request, "leave/letter.html", "letter.js", config=page_config(request), can_save=True
    )


@require_GET
def rules_table(request: HttpRequest) -> HttpResponse:
    return render(request, "leave/rules.html", {"rows": display.rows(timezone.now())})


@require_GET
def rules_json(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(rules.open_data_bytes(), content_type="application/json")
    response.headers["Content-Disposition"] = 'inline; filename="mend-leave-rules.json"'
    response.headers["Link"] = f'<{rules.LICENCE["url"]}>; rel="license"'
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data, no credentials
    return response


@require_GET
def rules_schema(request: HttpRequest) -> HttpResponse:
    """The JSON Schema the open-data file's jurisdictions follow (named in the file)."""
    response = HttpResponse(rules.SCHEMA_PATH.read_bytes(), content_type="application/schema+json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def policy(request: HttpRequest) -> HttpResponse:
    form = PolicyForm(request.GET or None, choices=_choices())
    if not request.GET:
        return render(request, "leave/policy.html", {"form": form})
    if not form.is_valid():
        return render(request, "leave/policy.html", {"form": form}, status=400)
    built = build_policy(form.cleaned_data["j"], timezone.now().date(), display.language())
    clauses = built.clauses
    context = {
        "form": form,
        "policy": built,
        "notice_text": strings.NOTICE[clauses["notice"].value] if "notice" in clauses else "",
        "documentation_text": (
            strings.DOCUMENTATION[clauses["documentation"].value]
            if "documentation" in clauses
            else ""
        ),
    }
    if form.cleaned_data["download"]:
        response = render(request, "leave/policy_document.html", context)
        response.headers["Content-Disposition"] = 'attachment; filename="leave-policy.html"'
        return response
    return render(request, "leave/policy.html", context)
