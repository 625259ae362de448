"""gunicorn config for the crash test: the worker stops in the middle of a save.

After the new RecordVersion row is written (inside the save's transaction, before the
attachments and the record's new version number), it writes a marker file and sleeps, so
the test can SIGKILL the server at exactly that point. Test-only: production code has no
hook for this; the signal handler is connected here, in the worker, by gunicorn.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

timeout = 300


def post_worker_init(worker: Any) -> None:
    from django.db.models.signals import post_save

    from mend.vault.models import RecordVersion

    marker = Path(os.environ["MEND_CRASH_MARKER"])

    def pause(sender: Any, instance: RecordVersion, created: bool, **kwargs: Any) -> None:
        if created and instance.version >= 2:
            marker.write_text(str(os.getpid()))
            time.sleep(120)

    post_save.connect(pause, sender=RecordVersion, weak=False)
