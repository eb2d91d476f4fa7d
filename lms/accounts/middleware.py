"""Accounts that must choose a new password (imported ones) are sent to do so first."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

ALLOWED_PREFIXES = (
    "/accounts/password/",
    "/accounts/logout/",
    "/static/",
    "/api/",
    "/healthz",
    "/i18n/",
)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path_info.startswith(ALLOWED_PREFIXES)
        ):
            messages.info(request, _("Please choose your own password before you continue."))
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)
