"""Training pages for everyone and for learners: paths, modules with their lessons and
practice scenarios, and knowledge checks. Plain forms, graded on the server: no page needs
JavaScript. Lessons are open to all; a check needs a learner account (views_org: joining).
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mend.training import access, actions, curriculum, progress
from mend.training.display import check_view, lesson_views, practice_view
from mend.training.models import Membership


def _membership(request: HttpRequest) -> Membership | None:
    return access.find_membership(request.user)


def _progress(membership: Membership | None) -> dict[str, progress.PathStatus]:
    if membership is None:
        return {}
    [row] = progress.progress_of([membership], curriculum.current(), timezone.now())
    return {status.path.id: status for status in row.paths}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    content = curriculum.current()
    membership = _membership(request)
    statuses = _progress(membership)
    paths = [
        {"path": p, "ready": content.ready(p), "status": statuses.get(p.id)}
        for p in content.paths.values()
    ]
    return render(
        request,
        "training/home.html",
        {"paths": paths, "membership": membership, "modules": content.ordered_modules()},
    )


@require_GET
def path_page(request: HttpRequest, path_id: str) -> HttpResponse:
    learning_path = access.get_path(path_id)
    content = curriculum.current()
    membership = _membership(request)
    passed = actions.passed_versions(membership.user) if membership else {}
    modules = [
        {
            "id": module_id,
            "module": content.modules.get(module_id),
            "passed": module_id in content.modules
            and content.modules[module_id].version in passed.get(module_id, set()),
        }
        for module_id in learning_path.modules
    ]
    context = {
        "learning_path": learning_path,
        "modules": modules,
        "ready": content.ready(learning_path),
        "status": _progress(membership).get(learning_path.id),
        "membership": membership,
    }
    return render(request, "training/path.html", context)


@require_GET
def module_page(request: HttpRequest, module_id: str) -> HttpResponse:
    module = access.get_module(module_id)
    membership = _membership(request)
    user = membership.user if membership else None
    context = {
        "module": module,
        "lessons": lesson_views(module),
        "practice": practice_view(module, request.GET),
        "pass_percent": settings.TRAINING_PASS_PERCENT,
        "membership": membership,
        "open_attempt": actions.open_attempt(user, module) if user else None,
        "passed": user is not None
        and module.version in actions.passed_versions(user).get(module.id, set()),
    }
    return render(request, "training/module.html", context)


@require_POST
def start_check(request: HttpRequest, module_id: str) -> HttpResponse:
    module = access.get_module(module_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), "training:login")
    membership = access.get_membership(request.user)
    attempt = actions.do_start_check(membership.user, module, timezone.now())
    return redirect("training:attempt", attempt.id)


@require_http_methods(["GET", "POST"])
def attempt_page(request: HttpRequest, attempt_id: UUID) -> HttpResponse:
    attempt = access.get_attempt_for_learner(request.user, attempt_id)
    module = access.get_module(attempt.module_id)
    if attempt.module_version != module.version and attempt.submitted_at is None:
        # The module changed while the check was open (its items may be gone): the module
        # page offers a new check of the current version; this one is never graded.
        return redirect("training:module", module.id)
    if request.method == "POST" and attempt.submitted_at is None:
        # Every value of each field (a QueryDict's get() would give only the last one).
        form = dict(request.POST.lists())
        actions.do_submit_check(attempt, module, form, timezone.now())
        return redirect("training:attempt", attempt.id)
    context = {
        "attempt": attempt,
        "module": module,
        "check": check_view(module, attempt),
        "pass_percent": settings.TRAINING_PASS_PERCENT,
    }
    return render(request, "training/attempt.html", context)
