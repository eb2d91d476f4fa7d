"""Request-wide policies: which language, which input is refused outright, who must log in,
which CSP applies."""

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


class LanguageMiddleware:
    """Simplified Chinese unless the person chose otherwise.

    Unlike Django's LocaleMiddleware, a browser's Accept-Language does not switch the site to
    English: the organisation's language is the default, and a member picks English with the
    language switcher (a cookie). API clients, which set Accept-Language on purpose, get it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if language is None and request.path_info.startswith("/api/"):
            language = _supported(translation.get_language_from_request(request))
        language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        return response


class NulCharacterMiddleware:
    """A NUL character (`%00`) in the path or a query parameter is refused with a 400.

    No text a person types holds one, and PostgreSQL cannot compare text with it, so a search
    for `?q=%00` failed with a server error in every view that filters on what it was given.
    Form fields and API serializers refuse NUL already; this covers what views read directly.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        values = (value for _name, values in request.GET.lists() for value in values)
        if "\x00" in request.path_info or any("\x00" in value for value in values):
            reason = _("The address contains a NUL character; remove it and try again.")
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": reason}, status=400)
            return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a logged-in member, except the listed path prefixes.

    This is an internal platform of party organisations: nothing is public by accident. The
    API authenticates by token, the Wagtail admin has its own login, the health check is
    for machines.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(tuple(settings.LOGIN_EXEMPT_PATH_PREFIXES)):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def _absolute_source(request: HttpRequest, prefix: str) -> str:
    if prefix.startswith(("http://", "https://")):
        return prefix
    return request.build_absolute_uri(prefix)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict site policy everywhere, a relaxed one for the Wagtail admin's inline code.

    In both, scripts and workers load only from the configured URL prefixes of the site
    (settings.CSP_SCRIPT_PREFIXES, CSP_ADMIN_SCRIPT_PREFIXES), never from the whole origin:
    CSP has no path-only source, so each prefix is written out with the request's origin.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        prefixes = settings.CSP_SCRIPT_PREFIXES
        if request.path_info.startswith("/admin/"):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN
            prefixes = settings.CSP_ADMIN_SCRIPT_PREFIXES
        sources = [_absolute_source(request, prefix) for prefix in prefixes]
        update = dict(parts.update or {})
        for directive in ("script-src", "worker-src"):
            update[directive] = [*update.get(directive, ()), *sources]
        parts.update = update
        return parts
