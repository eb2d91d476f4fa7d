"""Template tags of the dashboards: the member's unread notifications (home page, and their
number on the navigation's "Me")."""

from django import template

from ..models import Notification

register = template.Library()

SHOWN = 20


@register.simple_tag
def unread_notifications(user) -> list[Notification]:
    """The member's unread notifications, newest first (at most 20)."""
    if not user.is_authenticated:
        return []
    return list(
        Notification.objects.filter(recipient=user, read_at__isnull=True).select_related("course")[
            :SHOWN
        ]
    )


@register.simple_tag
def unread_notification_count(user) -> int:
    """How many notifications the member has not read yet (one indexed count)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
