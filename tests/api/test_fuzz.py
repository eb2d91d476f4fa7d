"""Schemathesis over the API's own OpenAPI schema: requests generated from /api/schema/ —
valid ones, and ones that break it (wrong types, boundary and out-of-range numbers, odd text,
missing fields) — sent to the application as a member, a trainer and a branch head of the
demo site. No answer may be a server error (5xx).

Ids in paths and query parameters are drawn half the time from the rows the demo site has, so
requests reach the views' work and not only their 404. The run is bounded (`FUZZ_EXAMPLES`
cases per operation and phase, derandomized so CI sends the same cases every time);
`make fuzz` runs this module alone with more cases and a fresh seed, to explore further.
"""

import io
import os
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from courses.h5p.models import H5PPackage
from courses.models import CoursePage, LessonPage
from lms.accounts.models import User
from lms.orgs.demo import DEMO_PASSWORD
from lms.orgs.models import PartyOrganization
from media_pipeline.models import VideoAsset
from quizzes.models import Attempt, Quiz
from tests.utils import ensure_site

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
EXPLORE = os.environ.get("FUZZ_EXPLORE", "") == "1"

pytestmark = pytest.mark.fuzz

# Demo accounts that have set their password (an account that must still change it gets no
# token): the member studies, the trainer manages videos, banks and quizzes, the branch head
# reads her members' records and completion.
CALLERS = ("member", "trainer", "secretary")

# What each id parameter names, by its name in the paths and queries of the schema.
ID_SOURCES = {
    "course_id": CoursePage,
    "course": CoursePage,
    "lesson_id": LessonPage,
    "org_id": PartyOrganization,
    "org": PartyOrganization,
    "user_id": User,
    "quiz_id": Quiz,
    "attempt_id": Attempt,
    "package_id": H5PPackage,
    "video_id": VideoAsset,
}

# Logging out (and out everywhere) would end the callers' tokens for every operation after it.
SKIPPED_PATHS = r"/auth/logout"


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker) -> Iterator[dict[str, str]]:
    """The demo site, built once for the module and committed (each operation's test then
    runs in a transaction rolled back after it), and an API token for each caller, asked for
    as a client does. The tables are emptied afterwards, as a transactional test leaves
    them.

    Like Django's test client, the application keeps its database connection between
    requests here: closing it would end the test's transaction."""
    with django_db_blocker.unblock():
        ensure_site()
        call_command("load_demo_data", stdout=io.StringIO())
        client = Client()
        found = {}
        for username in CALLERS:
            response = client.post(
                "/api/v1/auth/token/",
                {"username": username, "password": DEMO_PASSWORD},
                content_type="application/json",
            )
            assert response.status_code == 200, response.content
            found[username] = response.json()["token"]
        # After the test client's requests: it connects these again when it is done.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            yield found
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
            call_command("flush", interactive=False, verbosity=0)


def _with_real_ids(values: dict) -> st.SearchStrategy[dict]:
    """The generated values, or the same with each id parameter replaced by an id the demo
    site has (read when drawn: the rows exist only once the test runs)."""
    known = {name: model for name, model in ID_SOURCES.items() if name in (values or {})}
    if not known:
        return st.just(values)
    real = st.fixed_dictionaries(
        {
            name: st.sampled_from(list(model.objects.values_list("pk", flat=True)) or [1])
            for name, model in known.items()
        }
    )
    return st.one_of(st.just(values), real.map(lambda ids: {**values, **ids}))


schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler()).exclude(
    path_regex=SKIPPED_PATHS
)
schema.hook("flatmap_path_parameters")(lambda context, values: _with_real_ids(values))
schema.hook("flatmap_query")(lambda context, values: _with_real_ids(values))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not EXPLORE,
    database=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
def test_no_request_makes_the_api_fail(case, tokens, db):
    for token in tokens.values():
        response = case.call(headers={"Authorization": f"Token {token}"})
        case.validate_response(response, checks=[not_a_server_error])
