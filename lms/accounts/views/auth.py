"""Logging in and out, changing passwords, and what a locked-out login sees."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from ..forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.user.must_change_password:
            self.request.user.must_change_password = False
            self.request.user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("Your password has been changed."))
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
