"""Every member's notifications (/notifications/)."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from lms.accounts.requests import AuthenticatedHttpRequest

from .models import Notification
from .services import mark_read


def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The member's notifications, newest first; showing them marks them read."""
    page = Paginator(
        Notification.objects.filter(recipient=request.user).select_related("sent_by"), 20
    ).get_page(request.GET.get("page"))
    unread = [n.pk for n in page if n.read_at is None]
    # Marked before rendering, so the navigation's unread count already leaves them out; the
    # page still highlights them (the objects on it were read before the update).
    mark_read(unread)
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread": set(unread), "nav_section": "me"},
    )
