"""A system check that refuses to start with broken training content (fails closed).

It runs with every ``manage.py`` command that checks (runserver, migrate, check) and in
production at start-up (mend/wsgi.py runs every check), so a content file that breaks the
format stops a deployment instead of a learner's page.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import Error, register

from mend.training import curriculum

MOST_REPORTED = 20


@register()
def check_training_content(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[Error]:
    directory = Path(settings.TRAINING_CONTENT_DIR)
    if not (directory / "modules").is_dir() and not (directory / "paths.toml").is_file():
        return [
            Error(f"TRAINING_CONTENT_DIR has no training content: {directory}", id="training.E001")
        ]
    try:
        curriculum.load(directory)
    except curriculum.ContentError as error:
        return [
            Error(f"Training content: {problem}", id="training.E002")
            for problem in error.problems[:MOST_REPORTED]
        ]
    return []
