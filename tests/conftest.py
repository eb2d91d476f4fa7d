"""Fixtures every test area uses: organisations and members, a real Celery worker process,
and Playwright driving Debian's chromium.

Tests run on the embedded defaults (SQLite file, filesystem broker) or, when DATABASE_URL /
CELERY_BROKER_URL are set, on PostgreSQL and Redis — the same tests either way.
"""

import os
import subprocess
import sys
import threading
import time
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings

from lms.orgs.models import OrgRole
from lms.orgs.services import grant_role

from .factories import PASSWORD, OrganizationFactory, make_member

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
# thread with a running loop unless told this is fine (it is: the loop is Playwright's).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


# --- organisations and people ---------------------------------------------------------------


@pytest.fixture
def org_tree(db):
    """A committee with two general branches and three branches::

    committee
    ├── general_a
    │   ├── branch_a1
    │   └── branch_a2
    └── general_b
        └── branch_b1
    """
    from lms.orgs.models import PartyOrganization

    committee = OrganizationFactory(name="测试党委", kind=PartyOrganization.Kind.COMMITTEE)
    general_a = OrganizationFactory(
        name="机关党总支", kind=PartyOrganization.Kind.GENERAL_BRANCH, parent=committee
    )
    general_b = OrganizationFactory(
        name="生产党总支", kind=PartyOrganization.Kind.GENERAL_BRANCH, parent=committee
    )
    tree = {
        "committee": committee,
        "general_a": general_a,
        "general_b": general_b,
        "branch_a1": OrganizationFactory(name="第一党支部", parent=general_a),
        "branch_a2": OrganizationFactory(name="第二党支部", parent=general_a),
        "branch_b1": OrganizationFactory(name="一线党支部", parent=general_b),
    }
    for org in tree.values():
        org.refresh_from_db()
    return tree


@pytest.fixture
def trainer_a(org_tree):
    """A trainer of the general branch 机关党总支 (and so of its branches)."""
    user = make_member(org_tree["general_a"], "trainer_a", real_name="周讲师")
    grant_role(user, org_tree["general_a"], OrgRole.Kind.TRAINER)
    return user


@pytest.fixture
def people(org_tree):
    """Members and role holders in `org_tree`; every password is `tests.factories.PASSWORD`."""
    secretary = make_member(org_tree["branch_a1"], "secretary_a1", real_name="张书记")
    grant_role(secretary, org_tree["branch_a1"], OrgRole.Kind.BRANCH_HEAD)
    general_head = make_member(org_tree["general_a"], "head_general_a", real_name="王总支")
    grant_role(general_head, org_tree["general_a"], OrgRole.Kind.ORGANISER)
    trainer = make_member(org_tree["committee"], "trainer_c", real_name="李讲师")
    grant_role(trainer, org_tree["committee"], OrgRole.Kind.TRAINER)
    return {
        "secretary_a1": secretary,
        "head_general_a": general_head,
        "trainer": trainer,
        "member_a1": make_member(
            org_tree["branch_a1"], "member_a1", real_name="刘洋", phone="13800000001"
        ),
        "member_a2": make_member(
            org_tree["branch_a2"], "member_a2", real_name="陈静", phone="13800000002"
        ),
        "member_b1": make_member(
            org_tree["branch_b1"], "member_b1", real_name="赵敏", phone="13800000003"
        ),
    }


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def point_rules(db):
    """The default study-point rules, by code. A quizzes migration makes them, but
    transactional tests truncate every table, so tests that award points ask for this."""
    from django.apps import apps

    from quizzes.models import PointRule

    if not PointRule.objects.exists():
        import_module("quizzes.migrations.0002_default_point_rules").create_rules(apps, None)
    return {rule.code: rule for rule in PointRule.objects.all()}


# --- a real Celery worker -------------------------------------------------------------------


class WorkerProcess:
    """A `celery worker` subprocess on the test database and the configured broker."""

    def __init__(self, queues: str = "default,transcode,live", concurrency: int = 1) -> None:
        self.queues = queues
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None
        self.log_path = Path(settings.VAR_DIR) / "test-worker.log"

    def start(self, timeout: float = 60) -> None:
        from django.db import connection

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lms.settings.test",
            "LMS_WORKER_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        }
        celery = Path(sys.executable).with_name("celery")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                str(celery),
                "-A",
                "lms",
                "worker",
                "--queues",
                self.queues,
                "--concurrency",
                str(self.concurrency),
                "--loglevel",
                "INFO",
                "--hostname",
                f"test-{os.getpid()}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=settings.BASE_DIR,
            start_new_session=True,
        )
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float) -> None:
        from lms.core.health import check_broker

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited; see {self.log_path}")
            if check_broker(timeout=2).ok:
                return
        raise RuntimeError(f"celery worker not ready after {timeout:g} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool), as a crash or OOM would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 9)
            self.process.wait()
        self.process = None


def _purge_broker() -> None:
    from lms.celery import app

    with app.connection_for_write() as conn:
        for queue in app.conf.task_queues:
            try:
                queue(conn.default_channel).purge()
            except Exception:  # noqa: S110 — a queue that does not exist yet has nothing to purge
                pass


@pytest.fixture
def celery_worker(transactional_db):
    """A real worker process for the duration of one test (the database is transactional so the
    worker sees committed rows). Yields the `WorkerProcess`; the test may kill and restart it."""
    _purge_broker()
    worker = WorkerProcess()
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()


# --- a real browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def site(db):
    """The Wagtail site tree. Migrations make it, but transactional tests truncate every table
    (and --reuse-db keeps that state between runs), so tests that need pages ask for this."""
    from .utils import ensure_site

    return ensure_site()


@pytest.fixture
def catalog(site):
    """The course catalogue (课程中心) under the home page."""
    from courses.models import CatalogPage

    return site.add_child(instance=CatalogPage(title="课程中心", slug="courses"))


@pytest.fixture
def login(live_server, page, site):
    """`login(username)` logs in through the real login form and returns the Playwright page."""

    def _login(username: str, password: str = PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return _login


class _CountingApp:
    """Wraps the live server's WSGI app to know how many requests it is handling, and to turn
    requests away once a test is over."""

    def __init__(self, app) -> None:
        self.app = app
        self.in_flight = 0
        self.last_seen = time.monotonic()
        self.closed = False
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self._lock:
            if self.closed:  # a closed page's late beacon: the test and its data are gone
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                return [b"the test is over"]
            self.in_flight += 1
            self.last_seen = time.monotonic()
        try:
            return self.app(environ, start_response)
        finally:
            with self._lock:
                self.in_flight -= 1
                self.last_seen = time.monotonic()

    def close_when_quiet(self, quiet: float = 0.4, timeout: float = 15) -> None:
        """Wait until no request is in flight and none came for `quiet` seconds, then refuse
        the rest (in the same step, so none slips in between)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                quiet_now = not self.in_flight and time.monotonic() - self.last_seen >= quiet
                if quiet_now or time.monotonic() >= deadline:
                    self.closed = True
                    return
            time.sleep(0.05)


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


@pytest.fixture(autouse=True)
def _let_the_closing_page_finish(request):
    """A page that closes still sends what it sends on `pagehide` (the player's last
    heartbeat). Wait until the live server has handled it, then turn away what comes later
    (a beacon can arrive after any wait), before the database is emptied: a request and
    PostgreSQL's TRUNCATE deadlock, the flush fails and the next test starts on this one's
    rows. This fixture is set up before `page`, so it is torn down after the page closes and
    before the database is flushed."""
    if "live_server" not in request.fixturenames:
        yield
        return
    httpd = request.getfixturevalue("live_server").thread.httpd  # one for the whole session
    app = httpd.get_app()
    if not isinstance(app, _CountingApp):
        app = _CountingApp(app)
        httpd.set_app(app)
    app.closed = False  # open again for this test
    yield
    if "page" not in request.fixturenames:
        return
    app.close_when_quiet()
    _end_other_sessions()


def _end_other_sessions() -> None:
    """On PostgreSQL, end what other connections to the test database are still doing (a
    request the live server was still serving when the wait above gave up): their locks
    would deadlock the TRUNCATE. Idle connections hold no locks and are left alone."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND state <> 'idle'"
        )


@pytest.fixture(autouse=True)
def _browser_console(request):
    """What the page said in its console and what it threw: shown with a failing browser
    test, since a flaky failure in CI leaves nothing else to read."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    lines: list[str] = []
    page.on("console", lambda message: lines.append(f"console.{message.type}: {message.text}"))
    page.on("pageerror", lambda error: lines.append(f"pageerror: {error}"))
    page.on("requestfailed", lambda r: lines.append(f"failed: {r.method} {r.url} {r.failure}"))
    request.node.browser_console = lines
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    lines = getattr(item, "browser_console", None)
    if report.failed and lines:
        report.sections.append(("browser console", "\n".join(lines[-200:])))


_reruns: list = []


def pytest_runtest_logreport(report):
    if report.outcome == "rerun":
        _reruns.append(report)


def pytest_terminal_summary(terminalreporter):
    """A test that passed on its rerun still failed once: say how, so flakes get fixed."""
    for report in _reruns:
        terminalreporter.write_sep("-", f"failed before its rerun: {report.nodeid}")
        terminalreporter.write_line(str(report.longrepr)[-3000:])
        for title, text in report.sections:
            if title == "browser console":
                terminalreporter.write_line(f"browser console:\n{text[-3000:]}")


def pytest_collection_modifyitems(config, items):
    """Browser tests are marked `browser`, so they can be selected or left out with -m. They
    get one rerun as a safety net: a rerun is listed in the summary (RERUN) with how its first
    try failed, and a test that fails twice fails."""
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=1))
