"""Mend's one settings module, driven by the environment.

``MEND_ENV`` is ``production`` unless set. Production has no secret defaults, DEBUG is
off unless set, and mend/checks.py refuses insecure combinations at start-up.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from mend.lib.databases import parse_url, replica_database
from mend.lib.env import (
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    environment,
    search_file_dir,
)

BASE_DIR = Path(__file__).resolve().parent.parent
MEND_ENV = environment()
PRODUCTION = MEND_ENV == "production"
TESTING = MEND_ENV == "test"

DEBUG = env_bool("DEBUG", default=False)
# The development key is only ever used outside production (env_secret enforces it).
SECRET_KEY = env_secret("SECRET_KEY", dev_default="dev-only-insecure-key-" + "x" * 40)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mend",
    "mend.accounts",
    "mend.directory",
    "mend.search",
    "mend.findhelp",
    "mend.vault",
    "django_tasks_db",
    "mend.audit",
    "mend.escrow",
    "mend.training",
    "mend.leave",
    "mend.certificates",
    "mend.counselor",
    "mend.dialogue",
]

MIDDLEWARE = [
    "mend.middleware.HeadAsGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # First after the security headers: refuses an oversized body (413) before the session,
    # CSRF or multipart parsing reads a byte of it.
    "mend.middleware.BodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "mend.middleware.TimeZoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "mend.middleware.PrivacyHeadersMiddleware",
]

ROOT_URLCONF = "mend.urls"
WSGI_APPLICATION = "mend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mend.context_processors.site",
            ],
        },
    },
]

# SQLite by default (embedded, zero set-up); PostgreSQL when DATABASE_URL says so.
DATABASES: dict[str, dict[str, Any]] = {
    "default": parse_url(
        "DATABASE_URL",
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'mend.sqlite3'}",
        env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
# An optional PostgreSQL streaming replica for the public directory's and search's reads
# only; everything else, and every write, stays on the primary (mend.lib.replica,
# docs/deployment.md). A malformed or unusable DATABASE_REPLICA_URL stops the start-up.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = replica_database(
        env_str("DATABASE_REPLICA_URL"), DATABASES["default"], env_int("DATABASE_CONN_MAX_AGE", 60)
    )
DATABASE_ROUTERS = ["mend.lib.replica.ReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database needs its folder; a fresh clone has none until first use.
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer commits; IMMEDIATE avoids
        # "database is locked" upgrades in the middle of a write transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Connections are kept (DATABASE_CONN_MAX_AGE, as for PostgreSQL): opening the file
    # and setting the pragmas on every request cost more than a place search itself.

# The search copy that every web process of a machine maps read-only (mend.search.searchfile,
# ADR 0018): a folder on this machine's own disk, writable by the web processes, which write
# the file there when the index changes too much for their overlay. No default in
# production (mend/checks.py refuses to start without it); var/search in development.
SEARCH_FILE_DIR = env_str("SEARCH_FILE_DIR") or search_file_dir(
    MEND_ENV, BASE_DIR, env_str("DATABASE_URL")
)
# Web processes write the file in a thread of their own while the database answers.
SEARCH_FILE_IN_BACKGROUND = env_bool("SEARCH_FILE_IN_BACKGROUND", default=MEND_ENV != "test")
# Processes that draft a full search-index rebuild's entries while it writes them
# (mend.search.workers): one a core where there are several, none (all here) on one.
CORES = os.cpu_count() or 1
SEARCH_INDEX_WORKERS = env_int("SEARCH_INDEX_WORKERS", CORES if CORES > 1 else 0)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Fast hashing in tests only; production keeps Django's default (PBKDF2 / Argon2).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS: list[Path] = []  # each app keeps its own catalogue in <app>/locale/
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "var" / "static")
STATICFILES_DIRS: list[Path] = []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "mend.lib.storage.StaticStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, serve straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
WHITENOISE_MIMETYPES = {".wasm": "application/wasm", ".mjs": "text/javascript"}

# Security headers, set by the app itself (STYLE rule 7).
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin: other sites never learn which page someone came from, while our own forms
# keep a real Origin header (under no-referrer Chromium sends "Origin: null" on form posts,
# which Django's CSRF check rightly refuses).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=PRODUCTION)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)
if env_bool("BEHIND_TLS_PROXY", default=PRODUCTION):
    # The TLS proxy in front of gunicorn tells us the original scheme.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)

# A strict CSP: our own origin only, nonces for the few inline scripts, no eval.
# Pages that run libsodium's WebAssembly add 'wasm-unsafe-eval' with csp_override.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Quick exit: where "Exit this page" goes, per language (ARCHITECTURE section 6).
# Authenticator apps show this beside the staff member's name (otpauth:// issuer).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Mend")

# National help lines on the home page and beside empty results (mend/directory/hotlines.py);
# empty: the file shipped with Mend (hotlines.SHIPPED).
HOTLINES_FILE = env_str("HOTLINES_FILE")
HOTLINE_COUNTRY = env_str("HOTLINE_COUNTRY", "US")

QUICK_EXIT_URLS = {
    "en": env_str("QUICK_EXIT_URL_EN", "https://www.bbc.co.uk/weather"),
    "es": env_str("QUICK_EXIT_URL_ES", "https://www.eltiempo.es/"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Request bodies are never logged; django.request logs only method, path and status.
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- Vault: survivor accounts and the encrypted record (issue 4, docs/adr/0004-vault.md) ---
# Ed25519 seed (64 hex characters) that signs a receipt for every saved version. Production
# refuses to start without it (env_secret), and mend.checks refuses the development value.
DEV_RECEIPT_SIGNING_KEY = "6d656e642d6465762d6f6e6c792d72656365697074732d6b65792d2d2d2d2d2d"
RECEIPT_SIGNING_KEY = env_secret("RECEIPT_SIGNING_KEY", dev_default=DEV_RECEIPT_SIGNING_KEY)
# After this long without activity the browser wipes the keys and the session ends.
VAULT_IDLE_SECONDS = env_int("VAULT_IDLE_MINUTES", 15) * 60
# The page warns this long before the idle sign-out and offers "Stay signed in".
VAULT_IDLE_WARNING_SECONDS = 120
VAULT_MAX_ATTACHMENT_BYTES = env_int("VAULT_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
VAULT_MAX_RECORD_BYTES = 1024 * 1024  # one saved version's ciphertext (text only)
VAULT_MAX_ATTACHMENTS_PER_SAVE = 5
VAULT_MAX_ATTACHMENTS_PER_RECORD = 20
# Storage per account: the sum of every stored version's and file's ciphertext (saves and
# imports beyond it are refused with 413 quota_exceeded).
VAULT_QUOTA_BYTES = env_int("VAULT_QUOTA_BYTES", 256 * 1024 * 1024)
# (saves, window in seconds) and (imported records, window) per account.
RATE_LIMIT_VAULT_SAVE_ACCOUNT = (120, 60 * 60)
RATE_LIMIT_VAULT_IMPORT_ACCOUNT = (1000, 60 * 60)
# The most any request body may hold, except the vault's save and import, whose limits are
# derived from the settings above (mend.vault.actions.body_limits). Checked on Content-Length
# by mend.middleware.BodyLimitMiddleware before anything reads the body; Django's own limit
# on form and JSON bodies read into memory (DATA_UPLOAD_MAX_MEMORY_SIZE) is the same. The
# proxy in front needs a body limit at least as high as the largest (README, Production).
REQUEST_MAX_BODY_BYTES = env_int("REQUEST_MAX_BODY_BYTES", 2621440)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BODY_BYTES
# (attempts, window in seconds), counted in the database so they hold across processes.
# Belt and braces: the TOTP device admin is unregistered anyway (mend.accounts.admin).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
RATE_LIMIT_LOGIN_USERNAME = (10, 15 * 60)
RATE_LIMIT_LOGIN_IP = (50, 15 * 60)
RATE_LIMIT_SIGNUP_IP = (20, 60 * 60)
# The table mend.lib.ratelimit counts in, named as AUTH_USER_MODEL is: lib imports no app
# (docs/adr/0010-package-layout.md).
RATE_LIMIT_WINDOW_MODEL = "accounts.RateLimitWindow"
# How many proxies in front of Mend append to X-Forwarded-For (0: none; the limits by
# address then use the connection's address). See mend.lib.ratelimit.client_address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Deleted means gone: SQLite overwrites the freed space instead of leaving it readable.
    DATABASES["default"]["OPTIONS"]["init_command"] += " PRAGMA secure_delete=ON;"

# --- Escrow: "Find others, safely" (issue 5, docs/escrow.md, docs/adr/0005-escrow.md) ---
# The VOPRF key's 32-byte seed (64 hex characters). Losing it orphans every stored entry;
# changing it is a migration (docs/escrow.md, "Key loss and rotation"). mend.checks refuses
# the development values in production.
DEV_ESCROW_OPRF_SEED = "6d656e642d6465762d6f6e6c792d657363726f772d6f7072662d736565642d2d"
ESCROW_OPRF_SEED = env_secret("ESCROW_OPRF_SEED", dev_default=DEV_ESCROW_OPRF_SEED)
# 32 bytes (64 hex) keying the hash of verified addresses and the at-rest message key.
DEV_ESCROW_SERVER_KEY = "6d656e642d6465762d6f6e6c792d657363726f772d7365727665722d6b65792d"
ESCROW_SERVER_KEY = env_secret("ESCROW_SERVER_KEY", dev_default=DEV_ESCROW_SERVER_KEY)
# The operator's Ed25519 public key (64 hex): it endorses the first counselor key
# (`manage.py endorse_counselor_key`; docs/adr/0007-counselor-key-endorsement.md). Its seed
# stays off the server. Development and tests use a public development seed, which
# mend.checks refuses in production, as it refuses a missing key.
DEV_ESCROW_OPERATOR_SEED = "6d656e642d6465762d6f6e6c792d657363726f772d6f70657261746f722d6b21"
DEV_ESCROW_OPERATOR_PUBLIC_KEY = "ee0e8b311c7fcee0cd8e939d2e4cf67b51fd4172053bb62f8c50fe68ca61db46"
ESCROW_OPERATOR_PUBLIC_KEY = env_str(
    "ESCROW_OPERATOR_PUBLIC_KEY", "" if PRODUCTION else DEV_ESCROW_OPERATOR_PUBLIC_KEY
)
# How many different survivors must name the same person before a counselor sees anything.
ESCROW_THRESHOLD = env_int("ESCROW_THRESHOLD", 2)
ESCROW_MAX_ENTRIES = 20  # per account, waiting or matched
ESCROW_MAX_IDENTIFIERS = 5  # per entry
ESCROW_MAX_ENTRY_BYTES = 64 * 1024
# (evaluations, window in seconds): OPRF per account and for the whole site; codes by email.
RATE_LIMIT_ESCROW_OPRF_ACCOUNT = (30, 24 * 60 * 60)
RATE_LIMIT_ESCROW_OPRF_GLOBAL = (2000, 60 * 60)
RATE_LIMIT_ESCROW_CODE_ACCOUNT = (5, 60 * 60)
# Mails to one mailbox (its key: dots and tags do not count), whichever accounts ask: one
# person with several accounts must not flood an address, or tell its employer about Mend.
RATE_LIMIT_ESCROW_CODE_MAILBOX = (5, 24 * 60 * 60)
RATE_LIMIT_ESCROW_VERIFY_ACCOUNT = (10, 60 * 60)
RATE_LIMIT_ESCROW_MESSAGE_ACCOUNT = (60, 60 * 60)  # messages sent, survivors and counselors
# Restorative dialogue (mend.dialogue): invitation codes a lead makes, codes tried by an
# address (each guess of a code counts), and items sent per account.
RATE_LIMIT_DIALOGUE_INVITE_ACCOUNT = (5, 24 * 60 * 60)
RATE_LIMIT_DIALOGUE_JOIN_IP = (10, 60 * 60)
RATE_LIMIT_DIALOGUE_ITEM_ACCOUNT = (60, 60 * 60)
DIALOGUE_INVITATION_DAYS = 14
#: Monitoring of an accountability plan ends by default a year after it began (RESTORE, A.1).
DIALOGUE_MONITORING_DAYS = 365
#: Each dialogue asks for facilitators' time and her strength: a few at once, not dozens.
DIALOGUE_OPEN_CASES_MAX = 3
#: A closed case's words (every item, sealed or not, and its invitations) are deleted this
#: many days after it closed: long enough for her to keep a copy, no longer ("minimal
#: retention", reference A). The case's dates, stage and closure reason stay.
DIALOGUE_CLOSED_KEEP_DAYS = env_int("DIALOGUE_CLOSED_KEEP_DAYS", default=90, minimum=1)
ESCROW_CODE_MINUTES = 15
# Notices and counselor assignment run in the background: `manage.py db_worker` (make run).
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend",
    }
}
# Verification codes only; the mail never says what it is for beyond "your Mend code".
# Tests swap in the in-memory mailer; development prints mails to the console.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend"
        if PRODUCTION
        else "django.core.mail.backends.console.EmailBackend",
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_secret("EMAIL_HOST_PASSWORD", dev_default="")
            if env_str("EMAIL_HOST_USER")
            else "",
            "use_tls": env_bool("EMAIL_USE_TLS", default=PRODUCTION),
        }
        if PRODUCTION
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mend <no-reply@localhost>")

# --- Training (issue 14, docs/training.md) ---
# The curriculum's files (modules, question banks, paths.toml), checked when first read.
TRAINING_CONTENT_DIR = Path(
    env_str("TRAINING_CONTENT_DIR") or BASE_DIR / "mend" / "training" / "content"
)
# Items drawn from a module's bank for one knowledge check, and the pass mark in percent.
TRAINING_CHECK_ITEMS = env_int("TRAINING_CHECK_ITEMS", 8)
TRAINING_PASS_PERCENT = 80
# Days an organisation's invitation code stays usable.
TRAINING_INVITATION_DAYS = env_int("TRAINING_INVITATION_DAYS", 30)
# Codes one organisation may have waiting (unused, unexpired): each makes an account.
TRAINING_MAX_WAITING_CODES = env_int("TRAINING_MAX_WAITING_CODES", 500)
# (attempts, window in seconds): learner sign-in per username and per address, joining with
# a code per address.
RATE_LIMIT_TRAINING_LOGIN_USERNAME = (10, 15 * 60)
RATE_LIMIT_TRAINING_LOGIN_IP = (50, 15 * 60)
RATE_LIMIT_TRAINING_JOIN_IP = (20, 60 * 60)
# --- Certificates: training certificates (issue 14, docs/adr/0013-certificates.md) ---
# Ed25519 seed (64 hex characters) that signs training certificates and the published list
# of revoked ones. Its own key, not the receipts' (ADR 0013): a certificate outlives many
# receipts' keys and is checked by strangers for years. Production refuses to start without
# it (env_secret), and mend.checks refuses the development value.
DEV_CERTIFICATE_SIGNING_KEY = "6d656e642d6465762d6f6e6c792d6365727469666963617465732d6b65792d2d"
CERTIFICATE_SIGNING_KEY = env_secret(
    "CERTIFICATE_SIGNING_KEY", dev_default=DEV_CERTIFICATE_SIGNING_KEY
)
