"""Logging in and out, changing passwords, and what a locked-out login sees."""

import time

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from ..forms import LoginForm
from ..models import User

# An imported member who has just typed the initial password is not asked for it again when
# choosing their own (first login), for this long after logging in.
FRESH_INITIAL_LOGIN_SECONDS = 15 * 60
SESSION_INITIAL_LOGIN = "accounts_initial_login_at"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.user.must_change_password:
            self.request.session[SESSION_INITIAL_LOGIN] = time.time()
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def _just_logged_in_with_the_initial_password(self) -> bool:
        started = self.request.session.get(SESSION_INITIAL_LOGIN)
        user = self.request.user
        return (
            isinstance(user, User)
            and user.must_change_password
            and started is not None
            and time.time() - started < FRESH_INITIAL_LOGIN_SECONDS
        )

    def get_form_class(self):
        if self._just_logged_in_with_the_initial_password():
            return SetPasswordForm
        return super().get_form_class()

    def form_valid(self, form):
        self.request.session.pop(SESSION_INITIAL_LOGIN, None)
        response = super().form_valid(form)
        if self.request.user.must_change_password:
            self.request.user.must_change_password = False
            self.request.user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetConfirmView):
    """The one-time link a branch head or an admin made (credentials.reset_link): the member
    chooses a new password, is logged in, and the link is spent."""

    template_name = "accounts/password_reset.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("Your new password is set."))
        return response


def lockout_message() -> str:
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed login attempts. This account is locked for %(minutes)d minutes; "
        "try again later or ask your organisation's administrator."
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """What django-axes answers once a username/IP pair is locked out (HTTP 429)."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=429)
    return render(request, "accounts/locked_out.html", {"message": lockout_message()}, status=429)
