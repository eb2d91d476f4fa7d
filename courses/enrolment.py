"""Enrolment and required courses (必修课) as the member meets them: who takes which course, and
by when. Assigning required courses is assignments.py."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from lms.accounts.models import MemberProfile, User
from lms.orgs.models import PartyOrganization

from .models import CoursePage, Enrollment, LessonPage, RequiredCourseAssignment
from .status import CourseStatus, completed_on_time, is_overdue, status_of

ENROL_BATCH_SIZE = 2000


class EnrolmentError(ValueError):
    """An enrolment or assignment that cannot happen; the message says why."""


def enroll(
    user: User, course: CoursePage, source: str = Enrollment.Source.SELF
) -> tuple[Enrollment, bool]:
    """Enrol the member (idempotent); returns (enrolment, created). Refused when the course is
    not live or its audience does not include the member."""
    if not course.live or not course.is_visible_to(user):
        raise EnrolmentError(_("This course is not open to you."))
    enrollment, created = Enrollment.objects.get_or_create(
        user=user, course=course, defaults={"source": source}
    )
    return enrollment, created


def may_watch(user: User, lesson: LessonPage) -> bool:
    """Whether the user may have the lesson's media (signed video URLs, downloads): enrolled in
    its live course, which they may see; or working on the course (a trainer's or reviewer's
    preview, drafts included); or a site admin."""
    course = lesson.course
    if course is None or not user.is_authenticated:
        return False
    if user.is_superuser or course.is_managed_by(user):
        return True
    return (
        lesson.live
        and course.live
        and course.is_visible_to(user)
        and Enrollment.objects.filter(user=user, course=course).exists()
    )


# --- required courses ------------------------------------------------------------------------


def enroll_assignment_members(assignment: RequiredCourseAssignment) -> int:
    """Enrol every member of the assignment's subtree not enrolled yet; returns how many.

    Set-based (one query for who is missing, inserts in batches), so it costs the same per
    member whatever the subtree's size. Safe to run again at any time.
    """
    members = MemberProfile.objects.filter(assignment.organization.in_subtree()).values_list(
        "user_id", flat=True
    )
    missing = members.exclude(
        user_id__in=Enrollment.objects.filter(course_id=assignment.course_id).values("user_id")
    )
    created = 0
    batch: list[Enrollment] = []
    for user_id in missing.iterator(chunk_size=ENROL_BATCH_SIZE):
        batch.append(
            Enrollment(
                user_id=user_id,
                course_id=assignment.course_id,
                source=Enrollment.Source.ASSIGNED,
            )
        )
        if len(batch) >= ENROL_BATCH_SIZE:
            Enrollment.objects.bulk_create(batch, ignore_conflicts=True)
            created += len(batch)
            batch = []
    if batch:
        Enrollment.objects.bulk_create(batch, ignore_conflicts=True)
        created += len(batch)
    return created


def assignments_covering(organization: PartyOrganization | None):
    """Required-course assignments whose subtree contains `organization`."""
    if organization is None:
        return RequiredCourseAssignment.objects.none()
    return RequiredCourseAssignment.objects.filter(organization__path__in=organization.line_paths())


def enroll_in_required_courses(user: User) -> int:
    """Enrol a member in every course required of their organisation (on joining it or
    transferring into it); returns how many new enrolments."""
    course_ids = set(
        assignments_covering(user.organization)
        .filter(course__live=True)
        .values_list("course_id", flat=True)
    )
    course_ids -= set(
        Enrollment.objects.filter(user=user, course_id__in=course_ids).values_list(
            "course_id", flat=True
        )
    )
    Enrollment.objects.bulk_create(
        [
            Enrollment(user=user, course_id=course_id, source=Enrollment.Source.ASSIGNED)
            for course_id in course_ids
        ],
        ignore_conflicts=True,
    )
    return len(course_ids)


@dataclass
class RequiredStatus:
    """A required course as one member sees it."""

    assignment: RequiredCourseAssignment
    enrollment: Enrollment | None

    @property
    def status(self) -> str:
        enrollment = self.enrollment
        if enrollment is None:
            return status_of(None, None)
        return status_of(enrollment.completed_at, enrollment.last_activity_at)

    @property
    def completed(self) -> bool:
        return self.status == CourseStatus.COMPLETED

    @property
    def overdue(self) -> bool:
        return is_overdue(self.status, self.assignment.deadline)

    @property
    def completed_late(self) -> bool:
        enrollment = self.enrollment
        return (
            enrollment is not None
            and self.completed
            and not completed_on_time(enrollment.completed_at, self.assignment.deadline)
        )


def required_for(user: User) -> dict[int, RequiredStatus]:
    """Course id → the member's required-course status (the earliest deadline when several
    organisations on their line require the same course)."""
    statuses: dict[int, RequiredStatus] = {}
    assignments = (
        assignments_covering(user.organization)
        .filter(course__live=True)
        .select_related("course", "organization")
        .order_by("deadline")
    )
    enrollments = {
        e.course_id: e
        for e in Enrollment.objects.filter(
            user=user, course_id__in=[a.course_id for a in assignments]
        )
    }
    for assignment in assignments:
        statuses.setdefault(
            assignment.course_id,
            RequiredStatus(assignment, enrollments.get(assignment.course_id)),
        )
    return statuses
