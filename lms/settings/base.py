"""Settings shared by every environment.

Values come from environment variables (12-factor) with embedded defaults that need no
server: SQLite in ./var, a Celery broker on the filesystem, local-memory cache, media in
./var/media. `production.py` tightens what must not have a default.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE

from lms.core.converters import MAX_DATABASE_ID

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("LMS_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # the platform
    "lms.core",
    "lms.accounts",
    "lms.orgs",
    "lms.notifications",
    "lms.api",
    "themes",
    "quizzes",
    "media_pipeline",
    "courses",
    "courses.h5p",
    "courses.documents",
    "lms.dashboards",
    # Wagtail
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "lms.accounts.apps.WagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # libraries
    "treebeard",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "axes",
    "csp",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.core.middleware.LanguageMiddleware",
    "lms.core.middleware.NulCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lms.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lms.accounts.middleware.PasswordChangeRequiredMiddleware",
    "quizzes.daily_login.DailyLoginMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lms.core.middleware.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # last, so that it sees the outcome of every authentication attempt
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "themes" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "themes.context_processors.theme",
            ],
        },
    },
]

# --- data -----------------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server and the Celery worker read while the other writes; IMMEDIATE
    # transactions take the write lock up front, so concurrent writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _cache_url:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": _cache_url,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- accounts and security ------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    # AxesStandaloneBackend refuses a locked-out login before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # Random initial passwords only (lms/accounts/hashers.py); upgraded at the first login.
    "lms.accounts.hashers.InitialPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:login"
# Paths that answer without a session: they authenticate otherwise (token, Wagtail's own
# login) or are public by nature (health check, static files).
LOGIN_EXEMPT_PATH_PREFIXES = [
    "/api/",
    "/admin/",
    "/healthz",
    "/static/",
    "/i18n/",
    "/favicon.ico",
    "/accounts/reset/",  # the one-time link of a member who forgot their password
]

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lms.accounts.views.auth.lockout_response"
# The client's address, for throttling, comes from the connection unless a header set by the
# proxy in front is named here (behind nginx: `proxy_set_header X-Real-IP $remote_addr;` and
# CLIENT_IP_HEADER=X-Real-IP). Never trusted by default: a client can send any header.
# django-ipware reads it; it also falls back to the connection's address.
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="")
AXES_IPWARE_META_PRECEDENCE_ORDER = [
    *(["HTTP_" + CLIENT_IP_HEADER.upper().replace("-", "_")] if CLIENT_IP_HEADER else []),
    "REMOTE_ADDR",
]

# Initial passwords of new accounts wait this long for their one download.
ACCOUNTS_PASSWORD_SHEET_HOURS = env.int("ACCOUNTS_PASSWORD_SHEET_HOURS", default=24)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Old browsers get DENY; modern ones obey CSP frame-ancestors 'self' below, which lets our own
# pages frame each other (Wagtail's preview marks its views SAMEORIGIN too; H5P plays in frames).
X_FRAME_OPTIONS = "DENY"

# Scripts (and workers) come only from the URL prefixes in CSP_SCRIPT_PREFIXES (below, with
# the static files; lms.core.middleware writes them out with the request's origin) and from
# inline code with the request's nonce — never from the whole origin ('self'): uploaded H5P
# libraries are served on this origin too (/h5p/p/…) and may run only inside the sandboxed
# player, whose own policy lists them (courses.h5p.views.frame_policy).
# Where signed media comes from when not from this origin (see "static and media" below).
MEDIA_DELIVERY_BASE = env.str("MEDIA_DELIVERY_BASE", default="").rstrip("/")
_MEDIA_ORIGIN = [MEDIA_DELIVERY_BASE] if MEDIA_DELIVERY_BASE else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:", "blob:", *_MEDIA_ORIGIN],
        "media-src": ["'self'", "blob:", *_MEDIA_ORIGIN],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", *_MEDIA_ORIGIN],
        "worker-src": ["blob:"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
# The Wagtail admin ships inline scripts and styles of its own; it gets a policy that allows
# them but still forbids loading anything from another origin.
CONTENT_SECURITY_POLICY_ADMIN = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
}

# --- i18n -----------------------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "lms" / "locale"]

# --- static and media -----------------------------------------------------------------------

STATIC_URL = "/static/"
# Where scripts may come from (see CONTENT_SECURITY_POLICY): the static files, and for the
# Wagtail admin its translation catalogue too.
CSP_SCRIPT_PREFIXES = [STATIC_URL]
CSP_ADMIN_SCRIPT_PREFIXES = [STATIC_URL, "/admin/jsi18n/"]
STATIC_ROOT = BASE_DIR / "static_collected"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries are served straight from node_modules (installed from package-lock.json),
# each under a stable prefix, so nothing vendored is committed.
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/hls", NODE_MODULES / "hls.js" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/h5p", NODE_MODULES / "h5p-standalone" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
# Signed, expiring media URLs (media_pipeline/delivery.py): served from MEDIA_SIGNED_URL by the
# app (SERVE_MEDIA) or by nginx's secure_link with the same secret (`manage.py media_nginx_config`),
# optionally on another origin (MEDIA_DELIVERY_BASE, e.g. https://media.example.cn behind a CDN).
MEDIA_SIGNED_URL = env.str("MEDIA_SIGNED_URL", default="/files/")
MEDIA_URL_SECRET = env.str("MEDIA_URL_SECRET", default="")  # empty: derived from SECRET_KEY
MEDIA_URL_TTL = env.int("MEDIA_URL_TTL", default=4 * 3600)  # seconds; players renew before
# The signature is the access check: any client fetches signed paths with no session.
LOGIN_EXEMPT_PATH_PREFIXES = [*LOGIN_EXEMPT_PATH_PREFIXES, MEDIA_SIGNED_URL]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Celery ---------------------------------------------------------------------------------
# One app (lms/celery.py). The embedded default broker is kombu's filesystem transport, so
# `make run` starts a real worker with no broker server; at scale set CELERY_BROKER_URL to
# Redis or RabbitMQ.

CELERY_BROKER_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost/")
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND",
    default=(
        CELERY_BROKER_URL
        if CELERY_BROKER_URL.startswith("redis")
        else f"file://{CELERY_BROKER_DIR / 'results'}"
    ),
)
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    # The filesystem transport has no fanout for remote control and no event stream.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- REST API -------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lms.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "lms.api.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_VERSIONING_CLASS": None,
}
# API tokens (django-rest-knox): hashed, one per client of a user, ending after API_TOKEN_DAYS.
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105  (a model name)
# knox's own migrations create its AuthToken table although our model replaces it (they do
# not mark it swappable); without migrations Django skips the swapped model, so the unused
# table (and its foreign key to the users, which blocked PostgreSQL's TRUNCATE) is never made.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_DAYS", default=30)),
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Party MOOC API",
    "DESCRIPTION": "JSON API of the 党建慕课 platform for the web player, mobile clients and xAPI.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["lms.api.schema.only_versioned_api"],
    # <id:…> (lms/core/converters.py): say what it accepts, so clients and the fuzz test know.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_DATABASE_ID}
    },
}

# --- Wagtail --------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "党建慕课"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
# Documents belong to organisations (courses/documents): who may manage, choose and read one
# is checked by its policy and before each download; files are always streamed by the
# document view (never a redirect to a storage URL anyone could reuse), never served as media.
WAGTAILDOCS_DOCUMENT_MODEL = "course_documents.CourseDocument"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "courses.documents.forms.CourseDocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- the platform ---------------------------------------------------------------------------

FFMPEG_BINARY = env.str("FFMPEG_BINARY", default="ffmpeg")
FFPROBE_BINARY = env.str("FFPROBE_BINARY", default="ffprobe")
HEALTHCHECK_TIMEOUT_SECONDS = env.float("HEALTHCHECK_TIMEOUT_SECONDS", default=5.0)
# Accounts (lms/accounts/): initial passwords past their download time and expired API tokens
# are deleted.
CELERY_BEAT_SCHEDULE["accounts-delete-expired-credentials"] = {
    "task": "lms.accounts.tasks.delete_expired_credentials",
    "schedule": timedelta(hours=1),
}
# Largest member/organisation import file accepted.
IMPORT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
IMPORT_MAX_ROWS = 100_000

# H5P activities (courses/h5p). Unpacked packages live outside MEDIA_ROOT: only the H5P views
# serve them, with headers that keep third-party content away from the session. The limits
# are checked against the zip's directory and enforced again while unpacking.
H5P_CONTENT_ROOT = Path(env.str("H5P_CONTENT_ROOT", default=str(VAR_DIR / "h5p")))
H5P_MAX_UPLOAD_BYTES = env.int("H5P_MAX_UPLOAD_BYTES", default=100 * 1024 * 1024)
H5P_MAX_UNPACKED_BYTES = env.int("H5P_MAX_UNPACKED_BYTES", default=300 * 1024 * 1024)
H5P_MAX_FILE_BYTES = env.int("H5P_MAX_FILE_BYTES", default=100 * 1024 * 1024)
H5P_MAX_FILES = env.int("H5P_MAX_FILES", default=3000)
H5P_MAX_COMPRESSION_RATIO = env.int("H5P_MAX_COMPRESSION_RATIO", default=100)
# How long the play grant a lesson page gives lasts: the right to load the activity's files
# and to send statements for it.
H5P_PLAY_GRANT_MAX_AGE = timedelta(hours=env.int("H5P_PLAY_GRANT_HOURS", default=12))
# A completion counts only this long after the player opened (its load under the grant);
# an earlier completing statement is refused with a retry time (the player sends it again).
H5P_MIN_PLAY_SECONDS = env.int("H5P_MIN_PLAY_SECONDS", default=10)
H5P_XAPI_MAX_BYTES = 64 * 1024
H5P_XAPI_RATE = env.str("H5P_XAPI_RATE", default="240/min")
# The isolated player and its files answer without the session, to a valid grant in the path.
LOGIN_EXEMPT_PATH_PREFIXES = [*LOGIN_EXEMPT_PATH_PREFIXES, "/h5p/p/"]
CELERY_BEAT_SCHEDULE["h5p-forget-old-openings"] = {
    "task": "courses.h5p.tasks.forget_old_openings",
    "schedule": crontab(minute=15, hour=4),
}

# Lecture videos (media_pipeline/). Uploads are streamed to disk, never held in memory; the
# limit is checked before anything is stored (mirror it in the proxy's client_max_body_size).
VIDEO_MAX_UPLOAD_BYTES = env.int("VIDEO_MAX_UPLOAD_MB", default=4096) * 1024 * 1024
# The HLS ladder: short side of the picture (height of a landscape video, width of a portrait
# one) and the most video kbit/s a rung may use. Rungs above the source are left out.
VIDEO_LADDER = [(1080, 4500), (720, 2500), (480, 1000), (360, 600)]
VIDEO_AUDIO_KBPS = 96
# Capped CRF: still lecture slides cost little, motion is held under the cap; unlike a bitrate
# target it is also repeatable, so a job that runs twice publishes identical files.
VIDEO_CRF = 23
VIDEO_X264_PRESET = env.str("VIDEO_X264_PRESET", default="veryfast")
VIDEO_MAX_FPS = 30
VIDEO_SEGMENT_SECONDS = 4
VIDEO_KEYFRAME_SECONDS = 2
# Scrub-preview thumbnails: long side in pixels, tiled 10 × 10 per sprite sheet.
VIDEO_THUMBNAIL_SIZE = 160
# ffmpeg may run this many times the video's duration (plus a margin) before it is stopped.
VIDEO_TIMEOUT_FACTOR = env.float("VIDEO_TIMEOUT_FACTOR", default=10.0)
VIDEO_TIMEOUT_MARGIN_SECONDS = 300
VIDEO_PROBE_TIMEOUT_SECONDS = 60
# A job that reported nothing for this long is taken as dead (its worker was killed) and is
# queued again by the sweeper; after this many starts it fails instead of looping.
VIDEO_STALL_SECONDS = env.int("VIDEO_STALL_SECONDS", default=120)
VIDEO_MAX_ATTEMPTS = 3
CELERY_BEAT_SCHEDULE["media-pipeline-sweep-stalled-videos"] = {
    "task": "media_pipeline.tasks.sweep_stalled_videos",
    "schedule": timedelta(minutes=1),
}

# Courses and learning progress (courses/). Certificates embed this TrueType CJK font
# (reportlab cannot embed the CFF-based Noto CJK fonts); anyone may check a certificate.
COURSES_CERTIFICATE_FONT = env.str(
    "COURSES_CERTIFICATE_FONT", default="/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
)
LOGIN_EXEMPT_PATH_PREFIXES = [*LOGIN_EXEMPT_PATH_PREFIXES, "/certificates/verify/"]
CELERY_BEAT_SCHEDULE["courses-sync-required-enrolments"] = {
    "task": "courses.tasks.sync_required_enrolments",
    "schedule": timedelta(hours=1),
}
# Quizzes and study points (quizzes/): placing points once a contest has closed.
CELERY_BEAT_SCHEDULE["quizzes-award-contest-placings"] = {
    "task": "quizzes.tasks.award_due_contest_placings",
    "schedule": timedelta(minutes=10),
}

# Branch-head dashboards (lms/dashboards/). Exports are kept outside MEDIA_ROOT (only the
# download view hands them out, to whoever asked); web and workers must share the folder.
DASHBOARDS_EXPORT_ROOT = Path(env.str("DASHBOARDS_EXPORT_ROOT", default=str(VAR_DIR / "exports")))
# Members behind on a required course whose deadline is this close (or past) are reminded
# once a week; by e-mail too when they have an address and this is on.
DASHBOARDS_REMINDER_DAYS = env.int("DASHBOARDS_REMINDER_DAYS", default=7)
DASHBOARDS_REMINDER_EMAIL = env.bool("DASHBOARDS_REMINDER_EMAIL", default=True)
CELERY_BEAT_SCHEDULE["dashboards-weekly-reminders"] = {
    "task": "lms.dashboards.tasks.send_weekly_reminders",
    "schedule": crontab(minute=0, hour=9, day_of_week="mon"),
}
# Exports hold personal data: they are deleted after this many days.
DASHBOARDS_EXPORT_DAYS = env.int("DASHBOARDS_EXPORT_DAYS", default=7)
CELERY_BEAT_SCHEDULE["dashboards-delete-old-exports"] = {
    "task": "lms.dashboards.tasks.delete_old_exports",
    "schedule": crontab(minute=30, hour=3),
}
# A finished week's numbers are frozen once (weekly trends read them): just after it ends,
# and every hour any week still missing (a platform down on Monday night, a fresh install);
# when none is missing the job is one query.
CELERY_BEAT_SCHEDULE["dashboards-freeze-weeks"] = {
    "task": "lms.dashboards.tasks.freeze_finished_weeks",
    "schedule": crontab(minute=5),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
