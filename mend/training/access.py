"""Who may see what in training: one door per protected thing (STYLE rule 5).

- An organisation's dashboard, its learners' progress and its CSV: only that
  organisation's administrators (``get_organisation_for_admin``). Everyone else gets 404:
  another organisation's administrator, its own learners, survivors, and every staff role,
  the operator's admin included (organisations are created from the command line).
- A knowledge-check attempt: only the learner who took it (``get_attempt_for_learner``).
- Lessons and paths are open to everyone; checks need a learner account.

Not protected: the operator with database access can read progress; progress is not
survivor data and holds no answer text, only option numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from mend.accounts.models import User
from mend.accounts.roles import is_learner
from mend.training import curriculum
from mend.training.curriculum import LearningPath, Module
from mend.training.models import Attempt, Completion, Membership, Organisation

AnyUser = AbstractBaseUser | AnonymousUser


def find_membership(user: AnyUser) -> Membership | None:
    """The learner's membership; None for anyone who is not a learner of an organisation."""
    if not is_learner(user):
        return None
    assert isinstance(user, User)
    membership = Membership.objects.select_related("organisation").filter(user=user).first()
    if membership is not None:
        membership.user = user  # already loaded: spares a query (fills user.training_membership)
    return membership


def get_membership(user: AnyUser) -> Membership:
    """The signed-in learner's membership; 404 for anyone who is not a learner."""
    membership = find_membership(user)
    if membership is None:
        raise Http404
    return membership


def get_organisation_for_admin(user: AnyUser, organisation_id: UUID) -> Organisation:
    membership = get_membership(user)
    if not membership.is_admin or membership.organisation_id != organisation_id:
        raise Http404
    return membership.organisation


def get_attempt_for_learner(user: AnyUser, attempt_id: UUID) -> Attempt:
    membership = get_membership(user)
    attempt = Attempt.objects.filter(pk=attempt_id, learner=membership.user).first()
    if attempt is None:
        raise Http404
    attempt.learner = membership.user
    return attempt


def get_module(module_id: str) -> Module:
    module = curriculum.current().modules.get(module_id)
    if module is None:
        raise Http404
    return module


def get_path(path_id: str) -> LearningPath:
    learning_path = curriculum.current().paths.get(path_id)
    if learning_path is None:
        raise Http404
    return learning_path


# Reads behind the dashboard: callers have already passed get_organisation_for_admin.


def members_of(organisation: Organisation) -> list[Membership]:
    """The organisation's people, by name (for its administrators' dashboard and CSV)."""
    return list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("name", "user__username")
    )


def passed_modules(user_ids: Iterable[object]) -> Iterator[tuple[object, str, int]]:
    """(learner id, module id, module version) of every passed check of these learners."""
    return iter(
        Attempt.objects.filter(learner_id__in=list(user_ids), passed=True).values_list(
            "learner_id", "module_id", "module_version"
        )
    )


def completions_of(user_ids: Iterable[object]) -> list[Completion]:
    """These learners' completed paths, oldest first."""
    return list(Completion.objects.filter(learner_id__in=list(user_ids)).order_by("completed_at"))


def submitted_results(module_id: str | None) -> Iterator[object]:
    """The graded results of every submitted check (of one module, if given), for item
    statistics: option numbers only, no learner named."""
    attempts = Attempt.objects.filter(submitted_at__isnull=False)
    if module_id:
        attempts = attempts.filter(module_id=module_id)
    return attempts.values_list("results", flat=True).iterator()
