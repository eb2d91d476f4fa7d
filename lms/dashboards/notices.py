"""How a required-course reminder reads (a notification kind, lms.notifications): its title and
text in the reader's language — the member's own deadline decides the tone — and its link to the
course."""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext

from courses.models import CoursePage
from courses.status import deadline_passed
from lms.core import days
from lms.notifications.kinds import register
from lms.notifications.models import Notification

COURSE_REMINDER = "course_reminder"


def reminder_key(course_id: int, week: dt.date) -> str:
    """At most one reminder per member, course and week."""
    return f"{COURSE_REMINDER}:{course_id}:{week.isoformat()}"


def _course(notification: Notification) -> CoursePage | None:
    course_id = notification.params.get("course")
    return CoursePage.objects.filter(pk=course_id).first() if course_id else None


def _title(notification: Notification) -> str:
    return gettext("Required course: %(course)s") % {
        "course": notification.params.get("course_title", "")
    }


def _message(notification: Notification) -> str:
    deadline = notification.params.get("deadline")
    if not deadline:
        return gettext("Please complete this required course.")
    due = dt.date.fromisoformat(deadline)
    shown = date_format(due, "DATE_FORMAT")
    if deadline_passed(due, days.day_of(notification.created_at)):
        return gettext(
            "The deadline (%(deadline)s) has passed. Please complete the course as soon as you can."
        ) % {"deadline": shown}
    return gettext("Please complete the course by %(deadline)s.") % {"deadline": shown}


def _url(notification: Notification) -> str:
    course = _course(notification)
    return course.url if course is not None and course.live else ""


register(COURSE_REMINDER, title=_title, message=_message, url=_url)
