"""Where a member is with a course: the one definition of not started / in progress /
completed, of overdue, and of completed on time — in the three forms the platform needs
(a value from an enrolment's fields, an ORM expression, SQL conditions over an enrolment row),
kept side by side so they cannot drift apart.

- completed: the enrolment has a completion time;
- in progress: not completed, and the member has studied in the course (a last activity);
- not started: neither (or no enrolment at all);
- overdue: not completed and the deadline has passed — the whole deadline day (in the
  platform's calendar, lms.core.days) still counts as on time;
- completed on time: completed on or before the deadline day.
"""

import datetime as dt

from django.db.models import Case, Q, Value, When

from lms.core import days


class CourseStatus:
    """The statuses, as stored in annotations and sent by the API."""

    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    OVERDUE = "overdue"  # a filter: not completed, and the deadline has passed

    CHOICES = (COMPLETED, IN_PROGRESS, NOT_STARTED, OVERDUE)


def status_of(completed_at: dt.datetime | None, last_activity_at: dt.datetime | None) -> str:
    """The status of an enrolment with these fields (both None: no enrolment)."""
    if completed_at is not None:
        return CourseStatus.COMPLETED
    if last_activity_at is not None:
        return CourseStatus.IN_PROGRESS
    return CourseStatus.NOT_STARTED


def status_expression(enrolment: str) -> Case:
    """The same as an ORM expression, `enrolment` being the lookup of the enrolment row."""
    return Case(
        When(**{f"{enrolment}__completed_at__isnull": False}, then=Value(CourseStatus.COMPLETED)),
        When(
            **{f"{enrolment}__last_activity_at__isnull": False},
            then=Value(CourseStatus.IN_PROGRESS),
        ),
        default=Value(CourseStatus.NOT_STARTED),
    )


def completed_q(enrolment: str) -> Q:
    """Rows whose enrolment (at the lookup `enrolment`) is completed."""
    return Q(**{f"{enrolment}__completed_at__isnull": False})


def status_sql(alias: str) -> dict[str, str]:
    """SQL conditions over an enrolment row aliased `alias` (LEFT JOINed: NULLs mean no
    enrolment): "completed", "not_completed" and "in_progress"."""
    return {
        "completed": f"{alias}.completed_at IS NOT NULL",
        "not_completed": f"{alias}.completed_at IS NULL",
        "in_progress": f"{alias}.completed_at IS NULL AND {alias}.last_activity_at IS NOT NULL",
    }


def deadline_passed(deadline: dt.date, day: dt.date | None = None) -> bool:
    """Whether `deadline` is behind `day` (today by default); the deadline day is on time."""
    return deadline < (day or days.today())


def is_overdue(status: str, deadline: dt.date | None, day: dt.date | None = None) -> bool:
    """Whether a course with this status and deadline (None: not required) is overdue."""
    return (
        deadline is not None and status != CourseStatus.COMPLETED and deadline_passed(deadline, day)
    )


def completed_on_time(completed_at: dt.datetime | None, deadline: dt.date | None) -> bool:
    """Whether a completion came on or before the deadline day (no deadline: always)."""
    if completed_at is None:
        return False
    return deadline is None or not deadline_passed(deadline, days.day_of(completed_at))
