"""The suite's shared fixtures, by area in tests/fixtures/: organisations and people, a real
Celery worker process, the Wagtail site, Playwright driving Debian's chromium.

Tests run on the embedded defaults (SQLite file, filesystem broker) or, when DATABASE_URL /
CELERY_BROKER_URL are set, on PostgreSQL and Redis — the same tests either way.
"""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
# thread with a running loop unless told this is fine (it is: the loop is Playwright's).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = [
    "tests.fixtures.people",
    "tests.fixtures.worker",
    "tests.fixtures.site",
    "tests.fixtures.browser",
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: the daily-login check, throttles and the trend's
    freezing lock remember users and organisations, and ids repeat between tests. Only this
    xdist worker's keys are removed: on Redis `cache.clear()` is FLUSHDB, which would empty
    the other workers' cache in the middle of their tests."""
    from django.core.cache import cache

    if hasattr(cache, "delete_pattern"):  # django-redis: keys under this worker's prefix
        cache.delete_pattern("*")
    else:  # the local-memory cache belongs to this process alone
        cache.clear()
