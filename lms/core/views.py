"""Views of the platform core."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import run_checks


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """State of the database, the broker (a real round trip to a worker) and ffmpeg.

    200 only when every part is ok, 503 otherwise, so a load balancer can act on it.
    """
    checks = run_checks()
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503
    )
