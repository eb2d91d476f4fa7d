"""Settings of the benchmarks: the test settings plus a URL map with a minimal baseline view."""

from lms.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
