"""Writes with side effects for training (STYLE rule 4): organisations, joining with a
code, the name on certificates, knowledge checks and completed paths. Every function takes
``now`` explicitly.

Guarantees: a code makes exactly one account, ever (the code is marked used in the same
transaction that creates the account; an expired or used code changes nothing); a check
is graded once (a submitted attempt is never re-graded); a completed path is recorded once
per set of module versions, and a certificate is asked for in the same transaction.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mend.accounts.actions import check_username, normalize_username
from mend.accounts.models import Role, User
from mend.crypto.certificates import TextProblem, printed, text_problem
from mend.lib import passphrase as passphrase_rule
from mend.lib.refusal import Refusal
from mend.training import access, certify, curriculum, grading, invitations
from mend.training.curriculum import Curriculum, LearningPath, Module
from mend.training.models import Attempt, Completion, Invitation, Membership, Organisation

MAX_CODES_AT_ONCE = 50


class JoinError(ValueError):
    """A refusal to join, shown beside the form field it concerns."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# --- organisations and invitations -----------------------------------------------------------


@transaction.atomic
def do_create_organisation(name: str, now: datetime) -> tuple[Organisation, str]:
    """A new organisation and the one-time code for its first administrator."""
    organisation = Organisation.objects.create(name=name.strip(), created_at=now)
    [code] = do_issue_invitations(organisation, None, 1, as_admin=True, now=now)
    return organisation, code


class TooManyCodes(Exception):
    """Issuing would leave more codes waiting than one organisation may have."""

    def __init__(self, room: int) -> None:
        super().__init__(f"{room} more codes may wait")
        self.room = max(room, 0)


def do_issue_invitations(
    organisation: Organisation, by: User | None, count: int, *, as_admin: bool, now: datetime
) -> list[str]:
    """``count`` one-time codes to join ``organisation``; returned once, stored as hashes.

    At most TRAINING_MAX_WAITING_CODES wait (unused, unexpired) for one organisation, or
    TooManyCodes: each makes an account, and an administrator's burst of posts made
    thousands (found by a review)."""
    if not 1 <= count <= MAX_CODES_AT_ONCE:
        raise ValueError(f"between 1 and {MAX_CODES_AT_ONCE} codes at once")
    codes = [invitations.new_code() for _ in range(count)]
    expires_at = now + timedelta(days=settings.TRAINING_INVITATION_DAYS)
    with transaction.atomic():
        # Locked, so that two posts at once cannot both pass the count below.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        waiting = Invitation.objects.filter(
            organisation=organisation, used_at=None, expires_at__gt=now
        ).count()
        if waiting + count > settings.TRAINING_MAX_WAITING_CODES:
            raise TooManyCodes(settings.TRAINING_MAX_WAITING_CODES - waiting)
        Invitation.objects.bulk_create(
            Invitation(
                code_hash=invitations.code_hash(code),
                organisation=organisation,
                as_admin=as_admin,
                created_by=by,
                created_at=now,
                expires_at=expires_at,
            )
            for code in codes
        )
    return codes


@dataclass(frozen=True)
class Joining:
    code: str
    username: str
    name: str
    passphrase: str


def check_joining(joining: Joining) -> str:
    """The normalised username, after checking every field; JoinError names the first wrong."""
    username = normalize_username(joining.username)
    try:
        check_username(username)
    except Refusal:
        raise JoinError(
            "username", _("A username has 3 to 40 letters, digits, dots, dashes or underscores.")
        ) from None
    if not joining.name.strip():
        raise JoinError("name", _("Write the name you want on your certificates."))
    if len(joining.passphrase) < passphrase_rule.MIN_LENGTH:
        raise JoinError(
            "passphrase", _("A passphrase has at least 12 characters: a few words work well.")
        )
    try:
        validate_password(joining.passphrase, User(username=username))
    except ValidationError as error:
        raise JoinError("passphrase", " ".join(error.messages)) from None
    return username


def do_join(joining: Joining, now: datetime) -> User:
    """Create a learner account in the code's organisation and use the code up, together."""
    username = check_joining(joining)
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(code_hash=invitations.code_hash(joining.code), used_at=None, expires_at__gt=now)
            .first()
        )
        if invitation is None:
            raise JoinError("code", _("This code is not valid. Check it, or ask for a new one."))
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    username=username, password=joining.passphrase, role=Role.LEARNER
                )
        except IntegrityError:
            raise JoinError("username", _("This username is taken. Choose another.")) from None
        Membership.objects.create(
            user=user,
            organisation_id=invitation.organisation_id,
            is_admin=invitation.as_admin,
            name=joining.name.strip(),
            joined_at=now,
        )
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
    return user


# --- the name on her certificates ------------------------------------------------------------


@transaction.atomic
def do_set_certificate_name(user: User, name: str, now: datetime) -> Membership:
    """Keep the name ``user`` chose for her certificates, on her own membership and no
    other: Membership's key is her account, so this finds the one she has (a learner's, in
    her organisation, whose dashboard and CSV show the new name from now on) or, for a
    counselor or facilitator naming herself the first time, makes hers without an
    organisation (no dashboard lists her). Only the name changes, never her organisation
    or whether she administers it. The caller has let ``user`` through
    access.get_own_membership (so a learner always has her membership already) and checked
    that the signer accepts the name (forms.CertificateNameForm).

    Certificates already issued keep the name they were signed with. A certificate she
    earned while her name was one the signer refuses (do_complete_paths issued none) is
    issued now, in this name.

    Two posts at once (a double click) keep one membership with the name: the second finds
    the row the first made and updates it (update_or_create retries its lookup when the
    insert hits the unique user), instead of failing."""
    membership, _created = Membership.objects.update_or_create(
        user=user,
        defaults={"name": name.strip()},
        create_defaults={"name": name.strip(), "organisation": None, "joined_at": now},
    )
    do_complete_paths(user, now, curriculum.current())
    return membership


# --- knowledge checks ------------------------------------------------------------------------


def open_attempt(user: User, module: Module) -> Attempt | None:
    return (
        Attempt.objects.filter(
            learner=user,
            module_id=module.id,
            module_version=module.version,
            submitted_at=None,
        )
        .order_by("-started_at")
        .first()
    )


def do_start_check(
    user: User, module: Module, now: datetime, rng: random.Random | None = None
) -> Attempt:
    """The learner's open check of ``module``, or a new one with a fresh draw. A retry after
    a submitted check is always a new attempt with a new draw."""
    existing = open_attempt(user, module)
    if existing is not None:
        return existing
    drawn = grading.draw(module, settings.TRAINING_CHECK_ITEMS, rng or secrets.SystemRandom())
    return Attempt.objects.create(
        learner=user,
        module_id=module.id,
        module_version=module.version,
        drawn=[d.to_json() for d in drawn],
        started_at=now,
    )


def drawn_items(attempt: Attempt) -> list[grading.Drawn]:
    return [grading.Drawn.from_json(data) for data in attempt.drawn]


def do_submit_check(
    attempt: Attempt,
    module: Module,
    form: Mapping[str, Sequence[str]],
    now: datetime,
    content: Curriculum | None = None,
) -> Attempt:
    """Grade and store the answers; on a pass, record any path this completes. A submitted
    attempt is returned unchanged (a second post of the same form grades nothing)."""
    drawn = drawn_items(attempt)
    responses = {d.id: grading.read_response(module.items[d.id], form) for d in drawn}
    result = grading.grade(module, drawn, responses, settings.TRAINING_PASS_PERCENT)
    graded = {
        "answers": {key: list(value) if value else None for key, value in responses.items()},
        "results": result.results,
        "score": result.score,
        "passed": result.passed,
        "submitted_at": now,
    }
    with transaction.atomic():
        # Only an attempt still open is graded: two posts of one form grade it once.
        if not Attempt.objects.filter(pk=attempt.pk, submitted_at=None).update(**graded):
            attempt.refresh_from_db()
            return attempt
        for field, value in graded.items():
            setattr(attempt, field, value)
        if result.passed:
            do_complete_paths(attempt.learner, now, content or curriculum.current())
    return attempt


# --- completions -----------------------------------------------------------------------------


def _renewed(
    user: User, content: Curriculum, path: LearningPath, latest: Completion, now: datetime
) -> bool:
    """Whether a path completed before at these versions is renewed now: its certificate
    has expired or expires within the renewal notice, and every module was passed again
    after that completion (old passes do not renew a certificate)."""
    return certify.renewable(latest.certificate_id, now) and _passed_since(
        user, content, path, latest.completed_at
    )


def _retaken(
    user: User, content: Curriculum, path: LearningPath, bar: certify.RevocationBar
) -> bool:
    """Whether she earns a path whose latest certificate was revoked: never by passing the
    checks again (the person revoked cannot undo it, not even after a module is raised),
    until an operator allows a retake; then by passing every module after that."""
    return bar.lifted_at is not None and _passed_since(user, content, path, bar.lifted_at)


def _passed_since(user: User, content: Curriculum, path: LearningPath, since: datetime) -> bool:
    """Every module of the path, at its current version, passed after ``since``."""
    again = Attempt.objects.filter(learner=user, passed=True, submitted_at__gt=since).values_list(
        "module_id", "module_version"
    )
    return set(path_versions(content, path)) <= set(again)


def passed_versions(user: User) -> dict[str, set[int]]:
    """module id -> the versions of it the learner has passed."""
    passed: dict[str, set[int]] = {}
    rows = Attempt.objects.filter(learner=user, passed=True).values_list(
        "module_id", "module_version"
    )
    for module_id, version in rows:
        passed.setdefault(module_id, set()).add(version)
    return passed


def path_versions(content: Curriculum, path: LearningPath) -> list[tuple[str, int]]:
    return [(module_id, content.modules[module_id].version) for module_id in path.modules]


def is_complete(content: Curriculum, path: LearningPath, passed: dict[str, set[int]]) -> bool:
    return content.ready(path) and all(
        version in passed.get(module_id, set())
        for module_id, version in path_versions(content, path)
    )


def certificate_name_problem(name: str) -> TextProblem | None:
    """Why the certificate signer would refuse ``name``, or None if it signs it: the
    signer's own rule (mend.crypto.certificates.text_problem) on the name as it is signed.
    The forms apply it before a name is kept; do_complete_paths before it issues."""
    return text_problem(printed(name))


def do_complete_paths(user: User, now: datetime, content: Curriculum) -> list[Completion]:
    """Record each path that the learner has now passed at its current module versions
    and ask for its certificate: once per set of versions, and again (a renewal) when the
    certificate of that completion has expired or expires soon and every module of the path
    was passed again since.

    A name the signer refuses (kept before the forms applied its rule) issues nothing and
    records no completion: her passes stay (the caller's transaction is not undone), her
    pages tell her to correct the name, and the certificate is issued once she has
    (do_set_certificate_name calls this again)."""
    # Locked first: two checks submitted at once that together complete a path each saw
    # only its own pass on PostgreSQL, and neither certified it; the second now waits and
    # then reads both. Read afresh (user.training_membership may hold an older name).
    membership = Membership.objects.select_for_update().filter(user=user).first()
    passed = passed_versions(user)
    made = []
    for path in content.paths.values():
        if not access.may_hold(membership, path) or not is_complete(content, path, passed):
            continue
        versions = [list(pair) for pair in path_versions(content, path)]
        earlier = Completion.objects.filter(learner=user, path_id=path.id).order_by("completed_at")
        latest = next((c for c in reversed(list(earlier)) if c.modules == versions), None)
        bar = certify.revocation_bar(user, path.id)
        if bar.barred:
            if not _retaken(user, content, path, bar):
                continue
        elif latest is not None and not _renewed(user, content, path, latest, now):
            continue
        assert membership is not None  # may_hold: a path she may hold is hers to hold
        name = membership.name
        if certificate_name_problem(name) is not None:
            continue
        certificate_id = certify.issue(
            holder=user,
            name=name,
            path_id=path.id,
            path_title=path.title,
            modules=path_versions(content, path),
            now=now,
        )
        completion = Completion.objects.create(
            learner=user,
            path_id=path.id,
            modules=versions,
            completed_at=now,
            certificate_id=certificate_id,
        )
        made.append(completion)
    return made
