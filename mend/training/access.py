"""Who may see what in training: one door per protected thing (STYLE rule 5).

- An organisation's dashboard, its learners' progress and its CSV: only that
  organisation's administrators (``get_organisation_for_admin``). Everyone else gets 404:
  another organisation's administrator, its own learners, survivors, and every staff role,
  the operator's admin included (organisations are created from the command line).
- A knowledge-check attempt: only the person who took it (``get_attempt_for_learner``),
  and for staff only while its module is on her role's path.
- Lessons and paths are open to everyone. Checks need a learner account (any module), or
  a counselor's or facilitator's account signed in with her second factor: the modules of
  her role's path only (``get_membership_for_check``). A supervisor, an editor, an admin,
  and staff without their second factor in this session take no check.
- A staff member's training has no organisation: no organisation's administrator sees it.
- The name printed on certificates (/training/name/): only her own, ever
  (``get_own_membership``): a learner's, of her one organisation (Membership's key is her
  account, so there is no other), or a counselor's or facilitator's, signed in with her
  second factor. The page names no one else's membership, so an organisation's
  administrator changes her own name there and nobody else's; everyone else gets 404.

Not protected: the operator with database access can read progress; progress is not
survivor data and holds no answer text, only option numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from mend.accounts.models import User
from mend.accounts.roles import is_counselor, is_facilitator, is_learner
from mend.training import certify, curriculum
from mend.training.curriculum import LearningPath, Module
from mend.training.models import Attempt, Completion, Membership, Organisation

#: The audience of Mend's own staff paths (content/paths.toml).
STAFF_AUDIENCE = "staff"

AnyUser = AbstractBaseUser | AnonymousUser


def staff_path_id(user: AnyUser) -> str | None:
    """The path a counselor or facilitator, signed in with her second factor, trains for
    (her role's, mend.certificates.paths.PATH_FOR_ROLE); None for everyone else."""
    if not (is_counselor(user) or is_facilitator(user)):
        return None
    assert isinstance(user, User)
    return certify.path_for_role(user.role)


def find_membership(user: AnyUser) -> Membership | None:
    """The learner's membership, or the staff member's (no organisation) once she chose the
    name for her certificate; None for anyone else."""
    if not isinstance(user, User):
        return None
    if is_learner(user):
        found = Membership.objects.select_related("organisation").filter(user=user)
    elif staff_path_id(user) is not None:
        found = Membership.objects.filter(user=user, organisation=None)
    else:
        return None
    membership = found.first()
    if membership is not None:
        membership.user = user  # already loaded: spares a query (fills user.training_membership)
    return membership


def get_membership(user: AnyUser) -> Membership:
    """The signed-in learner's or staff member's membership; 404 for anyone else."""
    membership = find_membership(user)
    if membership is None:
        raise Http404
    return membership


def may_take_check(user: AnyUser, module_id: str) -> bool:
    """A learner may take any module's check; a counselor or facilitator only those of her
    role's path; nobody else any."""
    path_id = staff_path_id(user)
    if path_id is None:
        return is_learner(user)
    learning_path = curriculum.current().paths.get(path_id)
    return learning_path is not None and module_id in learning_path.modules


def may_hold(membership: Membership | None, path: LearningPath) -> bool:
    """Whether a path certifies this person: Mend's own staff paths certify Mend's staff
    only (a membership without an organisation). An outside learner whose own path holds
    every module of one (employers: the counselors'; education: the facilitators') never
    gets a Mend staff certificate, nor sees those paths in her progress."""
    return path.audience != STAFF_AUDIENCE or (
        membership is not None and membership.organisation_id is None
    )


def get_own_membership(user: AnyUser) -> Membership | None:
    """The signed-in person's own place in training: a learner's membership (she has one,
    in her organisation), or a counselor's or facilitator's, signed in with her second
    factor (None until she has chosen the name for her certificate). 404 for everyone
    else: visitors, survivors, other staff, and a learner account without a membership."""
    membership = find_membership(user)
    if membership is None and staff_path_id(user) is None:
        raise Http404
    return membership


def get_membership_for_check(user: AnyUser, module: Module) -> Membership | None:
    """Who takes ``module``'s check. None: a counselor or facilitator who may take it but
    has not chosen the name for her certificate yet. 404 for everyone who may not."""
    if not may_take_check(user, module.id):
        raise Http404
    return get_own_membership(user)


def get_organisation_for_admin(user: AnyUser, organisation_id: UUID) -> Organisation:
    membership = get_membership(user)
    organisation = membership.organisation  # None for staff: no organisation is theirs
    if not membership.is_admin or organisation is None or organisation.id != organisation_id:
        raise Http404
    return organisation


def get_attempt_for_learner(user: AnyUser, attempt_id: UUID) -> Attempt:
    """Her own attempt, of a module whose check she may take now (a staff member whose role
    changed keeps her attempts, but opens only those of her new role's path)."""
    membership = get_membership(user)
    attempt = Attempt.objects.filter(pk=attempt_id, learner=membership.user).first()
    if attempt is None or not may_take_check(user, attempt.module_id):
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
