"""WSGI entry point for gunicorn.

In production the deploy system checks run once here, before the first request, and a
failing check stops the process: an insecure configuration never serves anyone. Then the
process maps the machine's search file for place searches (``mend.search.nearby``), or
starts writing it in the background if the machine has none at the current version (one
worker writes; the database answers place searches until the file is there).
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

from django.db import connections  # noqa: E402

from mend.search import nearby  # noqa: E402

nearby.warm()
connections.close_all()  # a server that forks after loading this must not share them
