"""Background jobs of the dashboards (Celery, queue "default"): exports, reminders, and
freezing finished weeks. Enqueue functions run the job after the current transaction commits;
jobs take ids and check the state again, because a job can run late or twice."""

import datetime as dt
import logging
from functools import partial

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from lms.accounts.models import User
from lms.core.days import today
from lms.orgs.models import PartyOrganization

from .models import Export

logger = logging.getLogger(__name__)

PROGRESS_STEP = 5  # percent between two progress writes


# --- exports ---------------------------------------------------------------------------------


def enqueue_export(export: Export) -> None:
    export_id = export.pk
    transaction.on_commit(lambda: build_export.delay(export_id))


@shared_task(bind=True, acks_late=True, max_retries=2, default_retry_delay=10)
def build_export(self, export_id: int) -> int:
    """Write an export's workbook, reporting progress as it goes; returns members written."""
    from .exports import write_export

    export = (
        Export.objects.select_related("organization", "requested_by").filter(pk=export_id).first()
    )
    if export is None or export.status == Export.Status.DONE:
        return 0
    Export.objects.filter(pk=export_id).update(status=Export.Status.RUNNING, progress=0, error="")
    shown = {"percent": 0}

    def progress(done: int, total: int) -> None:
        percent = min(99, done * 100 // max(total, 1))
        if percent - shown["percent"] >= PROGRESS_STEP:
            shown["percent"] = percent
            Export.objects.filter(pk=export_id).update(progress=percent, rows=done)

    try:
        with translation.override(export.language):
            name, rows = write_export(export, progress)
    except Exception as exc:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc) from exc
        logger.exception("export %s failed", export_id)
        with translation.override(export.language):
            error = gettext("The report could not be written. Please ask for it again.")
        Export.objects.filter(pk=export_id).update(
            status=Export.Status.FAILED, error=error, finished_at=timezone.now()
        )
        return 0
    Export.objects.filter(pk=export_id).update(
        status=Export.Status.DONE,
        progress=100,
        rows=rows,
        file=name,
        finished_at=timezone.now(),
    )
    return rows


@shared_task
def delete_old_exports() -> int:
    """Daily (beat): exports hold members' personal data, so files and rows older than
    DASHBOARDS_EXPORT_DAYS are deleted (the audit log keeps who exported what); returns how
    many."""
    cutoff = timezone.now() - dt.timedelta(days=settings.DASHBOARDS_EXPORT_DAYS)
    old = list(Export.objects.filter(created_at__lt=cutoff))
    for export in old:
        if export.file:
            export.file.delete(save=False)
    Export.objects.filter(pk__in=[export.pk for export in old]).delete()
    return len(old)


# --- reminders -------------------------------------------------------------------------------


def enqueue_course_reminders(organization: PartyOrganization, course_id: int, by: User) -> None:
    """Remind, in the background, the organisation's members behind on a required course."""
    org_id, by_id = organization.pk, by.pk
    transaction.on_commit(lambda: remind_course_members.delay(org_id, course_id, by_id))


@shared_task(acks_late=True)
def remind_course_members(org_id: int, course_id: int, by_id: int | None) -> int:
    """A branch head's reminder: every member of the subtree behind on the course, at most
    once a week each; returns how many were reminded now."""
    from .aggregates import find_required_course, week_of
    from .reminders import remind_behind

    organization = PartyOrganization.objects.filter(pk=org_id).first()
    if organization is None:
        return 0
    required = find_required_course(organization, course_id)
    if required is None:  # the requirement was withdrawn meanwhile
        return 0
    sent_by = User.objects.filter(pk=by_id).first() if by_id else None
    created = remind_behind(required, sent_by=sent_by)
    week = week_of(today())
    transaction.on_commit(lambda: send_reminder_emails.delay(course_id, week.isoformat()))
    return created


@shared_task
def send_weekly_reminders() -> int:
    """Weekly (beat): remind members behind on required courses due within
    DASHBOARDS_REMINDER_DAYS or overdue; returns how many were reminded."""
    from .aggregates import week_of
    from .reminders import due_courses, remind_behind

    day = today()
    created = 0
    for required, parts in due_courses(day):
        created += remind_behind(required, parts, day=day)
        course_id, week = required.course.pk, week_of(day).isoformat()
        transaction.on_commit(partial(send_reminder_emails.delay, course_id, week))
    return created


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=60)
def send_reminder_emails(self, course_id: int, week: str) -> int:
    """E-mail a course's reminders of one week (ISO date of its Monday) not mailed yet."""
    from .reminders import email_reminders

    try:
        return email_reminders(course_id, dt.date.fromisoformat(week))
    except Exception as exc:
        raise self.retry(exc=exc) from exc


# --- weekly trend ----------------------------------------------------------------------------


FREEZE_LOCK = "dashboards:freeze-enqueued"


def enqueue_week_freezing() -> bool:
    """Ask the worker to freeze the trend's finished weeks (a head asked for them on a
    dashboard); at most once every few minutes, however many ask meanwhile."""
    if not cache.add(FREEZE_LOCK, True, timeout=300):
        return False
    transaction.on_commit(freeze_finished_weeks.delay)
    return True


@shared_task(acks_late=True)
def freeze_finished_weeks() -> int:
    """Hourly (beat), and when a head asks for it: freeze the trend's finished weeks not
    frozen yet; returns how many."""
    from .aggregates import freeze_missing_weeks, trend_weeks, week_of

    return freeze_missing_weeks(trend_weeks(week_of(today())))
