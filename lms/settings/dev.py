"""Settings for `make run`: the embedded defaults, debug on, demo data allowed."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
DEMO_DATA_ALLOWED = True
# Static files come straight from the finders, so no collectstatic step is needed in dev.
WHITENOISE_USE_FINDERS = True
# Nothing is collected here; the folder only has to exist for WhiteNoise.
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
