"""WSGI entry point for gunicorn.

In production the deploy system checks run once here, before the first request, and a
failing check stops the process: an insecure configuration never serves anyone.
"""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mend.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (needs the app registry loaded above)
from django.core.management import call_command  # noqa: E402

if settings.PRODUCTION:
    call_command("check", deploy=True, fail_level="WARNING")
