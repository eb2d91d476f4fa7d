"""Views of the platform core."""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import run_checks

logger = logging.getLogger(__name__)


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


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the theme's icon."""
    return redirect(static("themes/favicon.svg"), permanent=True)


# --- error pages: in Chinese (the user's language), with the site's navigation ----------------


def _error_page(request: HttpRequest, status: int, heading: str, explanation: str) -> HttpResponse:
    try:
        return render(
            request,
            "error.html",
            {"heading": heading, "explanation": explanation},
            status=status,
        )
    except Exception:  # the page must come out even when what it shows around itself fails
        logger.exception("the %s page could not be rendered", status)
        return HttpResponse(f"<h1>{heading}</h1><p>{explanation}</p>", status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        404,
        _("Page not found"),
        _(
            "The page does not exist, or you may not see it. Check the address, or start again "
            "from the home page."
        ),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        403,
        _("Not allowed"),
        _("You may not do this. If you think you should, ask your branch secretary."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        500,
        _("Something went wrong"),
        _(
            "The platform could not finish this request. Nothing you entered was lost: please try "
            "again in a moment. If it keeps happening, tell the platform's administrator."
        ),
    )
