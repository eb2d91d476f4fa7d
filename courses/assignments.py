"""Required courses (必修课) as branch heads assign them: to which subtrees, with which deadline,
and how far their members are. The member's side is enrolment.py."""

from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lms.accounts.models import MemberProfile, User
from lms.core import days
from lms.orgs import permissions
from lms.orgs.models import PartyOrganization

from .enrolment import EnrolmentError
from .models import CoursePage, Enrollment, RequiredCourseAssignment
from .tasks import enqueue_assignment_enrolment


def can_assign(user: User, organization: PartyOrganization) -> bool:
    """Branch heads and organisers assign required courses within the subtrees their roles
    cover; site admins anywhere."""
    return permissions.covers_organization(user, organization, permissions.MEMBER_RECORD_ROLES)


def assignable_organizations(user: User) -> QuerySet[PartyOrganization]:
    return permissions.covered_organizations(user, permissions.MEMBER_RECORD_ROLES)


def assign_required_course(
    by: User, course: CoursePage, organization: PartyOrganization, deadline: date
) -> RequiredCourseAssignment:
    """Make `course` required for `organization`'s whole subtree with a deadline.

    Current members are enrolled by a background job after commit (a subtree may hold many
    thousands); members who join later are enrolled when they arrive.
    """
    if not can_assign(by, organization):
        raise EnrolmentError(_("You cannot assign courses to this organisation."))
    if not course.live:
        raise EnrolmentError(_("Only published courses can be required."))
    if not course.audience_includes(organization):
        raise EnrolmentError(
            _("The course's audience does not include every member of %(org)s.")
            % {"org": organization}
        )
    if deadline < days.today():
        raise EnrolmentError(_("The deadline is in the past."))
    with transaction.atomic():
        assignment, created = RequiredCourseAssignment.objects.get_or_create(
            course=course,
            organization=organization,
            defaults={"deadline": deadline, "assigned_by": by},
        )
        if not created:
            assignment.deadline = deadline
            assignment.save(update_fields=["deadline"])
        enqueue_assignment_enrolment(assignment)
    return assignment


def assignment_counts(assignment: RequiredCourseAssignment) -> dict[str, int]:
    """Members of the subtree, how many completed, how many are overdue."""
    members = MemberProfile.objects.filter(assignment.organization.in_subtree()).values("user_id")
    enrollments = Enrollment.objects.filter(course_id=assignment.course_id, user_id__in=members)
    total = members.count()
    completed = enrollments.filter(completed_at__isnull=False).count()
    return {
        "members": total,
        "completed": completed,
        "overdue": total - completed if assignment.is_overdue() else 0,
    }


def visible_assignments(user: User) -> QuerySet[RequiredCourseAssignment]:
    """Assignments in the subtrees the user's member-managing roles cover."""
    organizations = assignable_organizations(user)
    return RequiredCourseAssignment.objects.filter(organization__in=organizations).select_related(
        "course", "organization", "assigned_by"
    )
