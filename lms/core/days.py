"""The platform's calendar: what "today" and "the day of this moment" mean.

Study time, points, deadlines, reminders and exports count in the platform's time zone
(TIME_ZONE, Asia/Shanghai), whatever the server's clock zone or a request's active zone: a
member studying at 07:30 in Beijing studies "today", not on UTC's yesterday.
"""

import datetime as dt

from django.utils import timezone


def day_of(at: dt.datetime) -> dt.date:
    """The calendar day `at` falls on in the platform's time zone."""
    return timezone.localdate(at, timezone.get_default_timezone())


def today() -> dt.date:
    """Today in the platform's time zone."""
    return day_of(timezone.now())
