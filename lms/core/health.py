"""Health checks of the real parts the platform needs: database, task broker + worker, ffmpeg.

Each check returns a `Check`; `run_checks()` runs all of them. Used by `GET /healthz` and by
`manage.py healthcheck`.
"""

import shutil
import subprocess
import time
from dataclasses import asdict, dataclass

from celery.exceptions import TimeoutError as ResultTimeout
from django.conf import settings
from django.db import connection


@dataclass
class Check:
    ok: bool
    detail: str
    seconds: float


def _timed(fn) -> Check:
    started = time.monotonic()
    try:
        ok, detail = fn()
    except Exception as exc:  # a health check reports every failure, it never raises
        ok, detail = False, f"{type(exc).__name__}: {exc}"
    return Check(ok=ok, detail=detail, seconds=round(time.monotonic() - started, 3))


def check_database() -> Check:
    def probe():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, connection.vendor

    return _timed(probe)


def check_broker(timeout: float | None = None) -> Check:
    """A real round trip: a task goes through the broker, a worker runs it, the answer returns."""
    from .tasks import ping

    timeout = settings.HEALTHCHECK_TIMEOUT_SECONDS if timeout is None else timeout

    def probe():
        result = ping.apply_async(queue="default", expires=timeout)
        try:
            answer = result.get(timeout=timeout, propagate=True)
        except ResultTimeout:
            return False, f"no worker answered within {timeout:g} s"
        return answer == "pong", f"worker {answer!r} via {_broker_name()}"

    return _timed(probe)


def _broker_name() -> str:
    return settings.CELERY_BROKER_URL.split("://", 1)[0]


def check_ffmpeg() -> Check:
    def probe():
        found = {}
        for name in (settings.FFMPEG_BINARY, settings.FFPROBE_BINARY):
            path = shutil.which(name)
            if path is None:
                return False, f"{name} not found on PATH"
            out = subprocess.run(  # noqa: S603 — fixed binary from settings, no shell
                [path, "-hide_banner", "-version"], capture_output=True, text=True, timeout=10
            )
            if out.returncode != 0:
                return False, f"{name} -version exited {out.returncode}"
            found[name] = out.stdout.split("\n", 1)[0]
        return True, found[settings.FFMPEG_BINARY]

    return _timed(probe)


def run_checks() -> dict[str, dict]:
    checks = {
        "database": check_database(),
        "broker": check_broker(),
        "ffmpeg": check_ffmpeg(),
    }
    return {name: asdict(check) for name, check in checks.items()}
