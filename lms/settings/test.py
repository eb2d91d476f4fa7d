"""Settings for the test suite: embedded defaults, unless the environment says otherwise.

CI runs the suite twice: once like this, once with DATABASE_URL (PostgreSQL) and
CELERY_BROKER_URL/CACHE_URL (Redis) set.
"""

import os
from pathlib import Path

# Under pytest-xdist every test process gets its own ./var/<worker> (SQLite database,
# filesystem broker, media) and its own Redis key prefix, so the Celery worker a test process
# starts only ever sees that process's tasks and rows. Set before base reads LMS_VAR_DIR; the
# worker subprocess inherits both variables and lands in the same place.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER:
    _var = os.environ.get("LMS_VAR_DIR") or str(Path(__file__).resolve().parents[2] / "var")
    if Path(_var).name != XDIST_WORKER:
        os.environ["LMS_VAR_DIR"] = str(Path(_var) / XDIST_WORKER)

from .base import *  # noqa: E402, F403
from .base import (  # noqa: E402
    CACHES,
    CELERY_BROKER_TRANSPORT_OPTIONS,
    CELERY_BROKER_URL,
    DATABASES,
    VAR_DIR,
    env,
)

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
DEMO_DATA_ALLOWED = True
# speed; never in prod (the initial passwords' own hasher stays, so imported accounts log in)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "lms.accounts.hashers.InitialPasswordHasher",
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
# Nothing is collected here; the folder only has to exist for WhiteNoise.
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"

# The worker process started by tests/conftest.py is told which database the test run
# created, so it reads and writes the same rows as the test.
_worker_db = env.str("LMS_WORKER_DATABASE_NAME", default="")
if _worker_db:
    DATABASES["default"]["NAME"] = _worker_db
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so a separate worker process can open it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}

if XDIST_WORKER and CELERY_BROKER_URL.startswith("redis"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "global_keyprefix": f"{XDIST_WORKER}:",
    }
if XDIST_WORKER:
    CACHES["default"]["KEY_PREFIX"] = XDIST_WORKER
