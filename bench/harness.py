"""What every benchmark needs: a scratch database, a party organisation of N members, timing
with query counts, and a real gunicorn server under load from threads.

Benchmarks are scripts that print ratios and counts measured in one run; none is a test.
`setup()` must run before any model is imported:

    from bench import harness
    harness.setup("bench-heartbeat")          # scratch ./var, Django ready
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "bench.settings"


def setup(prefix: str) -> None:
    """Point the embedded defaults at a temporary folder (SQLite there unless DATABASE_URL is
    set), start Django with the bench settings and migrate."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("LMS_VAR_DIR", tempfile.mkdtemp(prefix=f"{prefix}-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def database_name() -> str:
    from django.conf import settings
    from django.db import connection

    return f"{connection.vendor} ({settings.DATABASES['default']['NAME']})"


# --- the organisation ---------------------------------------------------------------------


def build_tree(generals: int = 10, branches_each: int = 10):
    """An empty database's party committee with `generals` general branches of
    `branches_each` branches; returns (committee, general branches, branches)."""
    from lms.accounts.models import MemberProfile, User
    from lms.orgs.models import OrgRole, PartyOrganization

    MemberProfile.objects.all().delete()
    OrgRole.objects.all().delete()
    User.objects.all().delete()
    PartyOrganization.objects.all().delete()
    committee = PartyOrganization.add_root(code="B", name="党委", kind="committee")
    general_list, branch_list = [], []
    for g in range(generals):
        committee.refresh_from_db()
        general = committee.add_child(code=f"B-{g}", name=f"党总支{g}", kind="general_branch")
        general_list.append(general)
        for b in range(branches_each):
            general.refresh_from_db()
            branch_list.append(general.add_child(code=f"B-{g}-{b}", name=f"党支部{g}-{b}"))
    return committee, general_list, branch_list


def bulk_members(count: int, branches: list, batch_size: int = 5000) -> list:
    """`count` users with member profiles spread evenly over `branches`, in bulk."""
    from lms.accounts.models import MemberProfile, User
    from lms.accounts.names import name_sort_key

    users = User.objects.bulk_create(
        [User(username=f"m{i}", password="!") for i in range(count)], batch_size=batch_size
    )
    if users and users[0].pk is None:  # backends that do not return ids
        users = list(User.objects.filter(username__startswith="m").order_by("pk"))
    MemberProfile.objects.bulk_create(
        [
            MemberProfile(
                user=u,
                real_name=f"成员{i}",
                name_sort_key=name_sort_key(f"成员{i}"),  # as save() would
                organization=branches[i % len(branches)],
            )
            for i, u in enumerate(users)
        ],
        batch_size=batch_size,
    )
    return users


# --- timing ---------------------------------------------------------------------------------


def best_time(fn: Callable[[], object], repeat: int = 5) -> tuple[float, int]:
    """Best wall time of `repeat` calls, in seconds, and the queries one call makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    best, queries = float("inf"), 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - started)
        queries = len(captured)
    return best, queries


# --- a real server under load ---------------------------------------------------------------

MINIMAL_PATH = "/api/bench/minimal/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(workers: int = 2) -> Iterator[int]:
    """The site (plus the minimal baseline view) on gunicorn, the production server; yields
    its port and stops it afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "django.core.wsgi:get_wsgi_application()",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


Request = tuple[str, str, dict]  # (API token, path, JSON body)


def requests_per_second(
    port: int, clients: list[Iterator[Request]], seconds: float, *, warm_up: bool = False
) -> float:
    """POST what each client yields, one thread per client, for `seconds`; every answer must
    be 200. A client that runs out of requests is an error, except while warming up (each
    gunicorn worker loads the whole site on its first requests)."""
    counts = [0] * len(clients)
    errors: list[str] = []
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        for token, path, body in clients[index]:
            if time.monotonic() >= stop:
                return
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request(
                "POST",
                path,
                body=json.dumps(body),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Token {token}",
                    "Host": "localhost",
                },
            )
            response = connection.getresponse()
            answer = response.read()
            connection.close()
            if response.status != 200:
                errors.append(f"{path}: HTTP {response.status} {answer[:200]!r}")
                return
            counts[index] += 1
        if not warm_up and time.monotonic() < stop:
            errors.append("a client ran out of prepared requests: prepare more")

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(errors[0])
    return sum(counts) / (time.monotonic() - started)


def minimal_requests(token: str) -> Iterator[Request]:
    """Endless requests to the baseline: a minimal Django JSON view behind the same middleware."""
    while True:
        yield token, MINIMAL_PATH, {}
