"""The member's unread notifications (home page) and their number (the navigation's 我的)."""

from django import template

from ..models import Notification
from ..services import unread

register = template.Library()

SHOWN = 20


@register.simple_tag
def unread_notifications(user) -> list[Notification]:
    """The member's unread notifications, newest first (at most 20)."""
    if not user.is_authenticated:
        return []
    return list(unread(user)[:SHOWN])


@register.simple_tag
def unread_notification_count(user) -> int:
    """How many notifications the member has not read yet (one indexed count)."""
    if not user.is_authenticated:
        return 0
    return unread(user).count()
