"""The member's own page (我的)."""

from django.http import HttpResponse
from django.shortcuts import render

from lms.accounts.requests import AuthenticatedHttpRequest
from lms.orgs.models import OrgRole


def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "profile": getattr(user, "profile", None),
            "roles": OrgRole.objects.filter(user=user).select_related("organization"),
            "transfers": user.transfers.select_related("from_organization", "to_organization")[:20],
            "nav_section": "me",
        },
    )
