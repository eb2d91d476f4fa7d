"""Background jobs of the courses app (Celery, queue "default")."""

from celery import shared_task
from django.db import transaction

from .enrolment import enroll_assignment_members
from .models import RequiredCourseAssignment


def enqueue_assignment_enrolment(assignment: RequiredCourseAssignment) -> None:
    """Enrol the assignment's members in the background once the assignment is committed."""
    assignment_id = assignment.pk
    transaction.on_commit(lambda: enrol_required_course.delay(assignment_id))


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def enrol_required_course(self, assignment_id: int) -> int:
    """Enrol every member of an assignment's subtree; a no-op for those already enrolled."""
    assignment = (
        RequiredCourseAssignment.objects.select_related("organization")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:  # withdrawn before the job ran
        return 0
    try:
        return enroll_assignment_members(assignment)
    except Exception as exc:
        raise self.retry(exc=exc) from exc


@shared_task
def sync_required_enrolments() -> int:
    """Periodic safety net: enrol members who arrived in a required subtree by a path that
    sends no signal (bulk import)."""
    return sum(
        enroll_assignment_members(assignment)
        for assignment in RequiredCourseAssignment.objects.select_related("organization")
    )
