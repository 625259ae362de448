"""Training pages for everyone, for learners and for Mend's staff: paths, modules with their
lessons and practice scenarios, knowledge checks, and the name printed on her certificates.
Plain forms, graded on the server: no page needs JavaScript. Lessons are open to all; a
check needs a learner account (views_org: joining), or a counselor's or facilitator's,
signed in at the staff sign-in with her second factor, for the modules of her role's path
(mend.training.access).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mend.accounts.models import User
from mend.accounts.roles import holds_staff_key
from mend.accounts.security import keep_alive
from mend.training import access, actions, curriculum, progress
from mend.training.curriculum import LearningPath
from mend.training.display import check_view, lesson_views, practice_view
from mend.training.forms import CertificateNameForm
from mend.training.models import Membership


def training_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A training page; it restarts a counselor's or facilitator's idle clock, which
    otherwise ends the session VAULT_IDLE_SECONDS after the last workspace page, midway
    through the path."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if holds_staff_key(request.user):
            keep_alive(request)
        return view(request, *args, **kwargs)

    return wrapper


def _membership(request: HttpRequest) -> Membership | None:
    return access.find_membership(request.user)


def _staff_path(request: HttpRequest) -> LearningPath | None:
    """The path of a counselor or facilitator signed in with her second factor."""
    path_id = access.staff_path_id(request.user)
    return curriculum.current().paths.get(path_id) if path_id else None


def _name_refused(membership: Membership | None) -> bool:
    """Whether the name kept for her certificates is one the signer refuses (kept before
    the forms applied its rule): no certificate is issued with it, so her pages say so."""
    return membership is not None and actions.certificate_name_problem(membership.name) is not None


def _progress(membership: Membership | None) -> dict[str, progress.PathStatus]:
    if membership is None:
        return {}
    [row] = progress.progress_of([membership], curriculum.current(), timezone.now())
    return {status.path.id: status for status in row.paths}


@require_GET
@training_page
def home(request: HttpRequest) -> HttpResponse:
    content = curriculum.current()
    membership = _membership(request)
    statuses = _progress(membership)
    paths = [
        {"path": p, "ready": content.ready(p), "status": statuses.get(p.id)}
        for p in content.paths.values()
    ]
    context = {
        "paths": paths,
        "membership": membership,
        "modules": content.ordered_modules(),
        "staff_path": _staff_path(request),
    }
    return render(request, "training/home.html", context)


@require_GET
@training_page
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
        "name_refused": _name_refused(membership),
        "staff_path": _staff_path(request),
    }
    return render(request, "training/path.html", context)


@require_GET
@training_page
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
        "staff_path": _staff_path(request),
        "may_take_check": access.may_take_check(request.user, module.id),
        "open_attempt": actions.open_attempt(user, module) if user else None,
        "passed": user is not None
        and module.version in actions.passed_versions(user).get(module.id, set()),
    }
    return render(request, "training/module.html", context)


@require_POST
@training_page
def start_check(request: HttpRequest, module_id: str) -> HttpResponse:
    module = access.get_module(module_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), "training:login")
    membership = access.get_membership_for_check(request.user, module)
    if membership is None:  # staff: the name for her certificate first, then the check
        return redirect(f"{reverse('training:name')}?module={module.id}")
    attempt = actions.do_start_check(membership.user, module, timezone.now())
    return redirect("training:attempt", attempt.id)


@require_http_methods(["GET", "POST"])
@training_page
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
    membership = _membership(request)
    context = {
        "attempt": attempt,
        "module": module,
        "check": check_view(module, attempt),
        "pass_percent": settings.TRAINING_PASS_PERCENT,
        "membership": membership,
        "name_refused": bool(attempt.passed) and _name_refused(membership),
    }
    return render(request, "training/attempt.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@training_page
def certificate_name(request: HttpRequest) -> HttpResponse:
    """The signed-in person changes the name printed on her own certificates, and only hers
    (access.get_own_membership): a learner the name she gave on joining, a counselor or
    facilitator the one she chose here (asked before her first check). 404 for everyone
    else. Certificates already issued keep their name; a refused name corrected issues the
    certificate she earned (actions.do_set_certificate_name)."""
    membership = access.get_own_membership(request.user)
    assert isinstance(request.user, User)
    initial = {"name": membership.name if membership else ""}
    # A kept name the signer refuses is shown with what to change in it, before any post.
    refused = {"name": membership.name} if membership and _name_refused(membership) else None
    form = CertificateNameForm(
        request.POST if request.method == "POST" else refused, initial=initial
    )
    module = curriculum.current().modules.get(request.GET.get("module", ""))
    if request.method == "POST" and form.is_valid():
        actions.do_set_certificate_name(request.user, form.cleaned_data["name"], timezone.now())
        return redirect("training:module", module.id) if module else redirect("training:home")
    context = {
        "form": form,
        "membership": membership,
        "learner": membership is not None and membership.organisation_id is not None,
        "module": module,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "training/name.html", context, status=status)
