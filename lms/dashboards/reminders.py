"""Reminders of required courses: who is behind, and the rule that each member gets at most
one reminder per course and week — in the app, and by e-mail when they have an address.

Reminders are notifications with a unique (member, course, week): sending again in the same
week (the weekly job, a branch head's button pressed twice, a task delivered twice) creates
nothing new. E-mails are claimed row by row before they are sent, so none goes out twice.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from courses.models import CoursePage, Enrollment, RequiredCourseAssignment
from lms.accounts.models import MemberProfile, User
from lms.core.days import today
from lms.notifications.models import Notification
from lms.notifications.services import notify_each
from lms.orgs.models import PartyOrganization

from .aggregates import RequiredCourse, RequirementPart, week_of
from .notices import COURSE_REMINDER, reminder_key

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
EMAIL_BATCH_SIZE = 200


def members_behind(course: CoursePage, parts: list[RequirementPart]) -> QuerySet[MemberProfile]:
    """Members under these parts of the tree who have not completed the course."""
    if not parts:
        return MemberProfile.objects.none()
    under = PartyOrganization.in_any_subtree(part.path for part in parts)
    completed = Enrollment.objects.filter(course=course, completed_at__isnull=False)
    return MemberProfile.objects.filter(under).exclude(user_id__in=completed.values("user_id"))


def remind_behind(
    required: RequiredCourse,
    parts: list[RequirementPart] | None = None,
    *,
    sent_by: User | None = None,
    day: dt.date | None = None,
) -> int:
    """Remind the members under `parts` (default: everyone the course is required of) who
    have not completed it and have not been reminded of it this week; returns how many were
    reminded. Each reminder carries the member's own deadline."""
    day = day or today()
    week = week_of(day)
    course = required.course
    key = reminder_key(course.pk, week)
    already = Notification.objects.filter(key=key).values("recipient_id")
    members = (
        members_behind(course, required.parts if parts is None else parts)
        .exclude(user_id__in=already)
        .values_list("user_id", "organization__path")
        .order_by("user_id")
    )

    def reminders():
        for user_id, path in members.iterator(chunk_size=BATCH_SIZE):
            deadline = required.deadline_for(path)
            params = {"course": course.pk, "course_title": course.title, "week": week.isoformat()}
            yield user_id, {**params, "deadline": deadline.isoformat() if deadline else None}

    return notify_each(reminders(), COURSE_REMINDER, key=key, sent_by=sent_by)


def due_courses(day: dt.date | None = None) -> list[tuple[RequiredCourse, list[RequirementPart]]]:
    """Live required courses with an assignment whose deadline is at most
    DASHBOARDS_REMINDER_DAYS away or has passed: the course with all its assignments (for
    each member's deadline) and the parts whose members are due a reminder."""
    day = day or today()
    horizon = day + dt.timedelta(days=settings.DASHBOARDS_REMINDER_DAYS)
    due_ids = (
        RequiredCourseAssignment.objects.filter(course__live=True, deadline__lte=horizon)
        .values_list("course_id", flat=True)
        .distinct()
    )
    by_course: dict[int, RequiredCourse] = {}
    for assignment in (
        RequiredCourseAssignment.objects.filter(course_id__in=due_ids)
        .select_related("course", "organization")
        .order_by("deadline", "pk")
    ):
        required = by_course.setdefault(assignment.course_id, RequiredCourse(assignment.course))
        required.parts.append(RequirementPart(assignment.organization.path, assignment.deadline))
    return [
        (required, [part for part in required.parts if part.deadline <= horizon])
        for required in by_course.values()
    ]


def email_reminders(course_id: int, week: dt.date) -> int:
    """E-mail the course's reminders of that week not mailed yet to members with an address;
    returns how many were sent. Each batch is claimed (marked mailed) in its own transaction
    before sending, skipping rows another worker holds, and released if sending fails."""
    if not settings.DASHBOARDS_REMINDER_EMAIL:
        return 0
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(key=reminder_key(course_id, week), emailed_at__isnull=True)
                .exclude(recipient__email="")
                .select_related("recipient")
                .order_by("pk")[:EMAIL_BATCH_SIZE]
            )
            if not batch:
                return sent
            ids = [n.pk for n in batch]
            Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())
        try:
            with translation.override(settings.LANGUAGE_CODE):
                messages = [_email(notification) for notification in batch]
            get_connection().send_messages(messages)
        except Exception:
            Notification.objects.filter(pk__in=ids).update(emailed_at=None)
            raise
        sent += len(batch)


def _email(notification: Notification) -> EmailMessage:
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + (notification.url or "/")
    greeting = gettext("Hello %(name)s,") % {"name": notification.recipient.display_name}
    body = f"{greeting}\n\n{notification.message}\n\n{link}\n"
    return EmailMessage(notification.title, body, to=[notification.recipient.email])
