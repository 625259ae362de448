"""Training's tables: organisations and their learners, invitation codes, check attempts.

The content itself (modules, banks, paths) is in files (mend.training.curriculum); rows
name a module or path by its stable id and record the module's version.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Organisation(models.Model):
    """A police force, hospital, school or employer whose people take the training."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A learner account's place in its one organisation (``is_admin`` for its
    administrator); or, without an organisation, a counselor's or facilitator's place in
    training: she takes her role's path with her staff account, and no organisation's
    dashboard lists her (docs/training.md, "Staff")."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="training_membership",
    )
    #: Empty for Mend's counselors and facilitators (mend.training.access.find_membership).
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    is_admin = models.BooleanField(default=False)
    #: The name she chose for her certificates (no legal name or email is asked).
    name = models.CharField(max_length=120)
    joined_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation or 'Mend staff'})"


class Invitation(models.Model):
    """A one-time code that lets one person join an organisation (mend.lib.codes).

    Only a keyed hash of the code is kept (mend.training.invitations.code_hash).
    """

    code_hash = models.CharField(max_length=64, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    as_admin = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation {self.code_hash[:8]}… ({'used' if self.used_at else 'unused'})"


class Attempt(models.Model):
    """One knowledge check of one module: what was drawn, what was answered, the grade.

    ``drawn`` keeps the items' ids in the order shown and each item's options in the order
    shown ([{"id": ..., "options": [original indexes]}]), so a reload shows the same check
    and the grade can be reproduced. ``answers`` holds each response as original option
    indexes (null: unanswered); ``results`` whether each item was right. A retry is a new
    attempt; a submitted attempt never changes.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_attempts"
    )
    module_id = models.CharField(max_length=64)
    module_version = models.PositiveIntegerField()
    drawn = models.JSONField()
    answers = models.JSONField(null=True, blank=True)
    results = models.JSONField(null=True, blank=True)
    score = models.PositiveIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["learner", "module_id"], name="attempt_learner_module")]

    def __str__(self) -> str:
        return f"check of {self.module_id} v{self.module_version} ({self.score})"


class Completion(models.Model):
    """A learner passed every module of a path, at the versions recorded in ``modules``
    ([[module id, version], ...]). A module whose version has since been raised makes
    the completion due for re-certification."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_completions"
    )
    path_id = models.CharField(max_length=64)
    modules = models.JSONField()
    completed_at = models.DateTimeField()
    #: The certificate issued for it (mend.certificates), once that app is installed.
    certificate_id = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["learner", "path_id"], name="completion_learner_path")]

    def __str__(self) -> str:
        return f"{self.path_id} completed {self.completed_at:%Y-%m-%d}"
