"""Who may work on a course in the Wagtail admin, as a mixin of the course page and of its
queryset (so this module needs no page model).

A course is managed by an organisation (`CoursePage.managed_by`, apart from its audience):
trainers and reviewers whose role covers it edit, move, copy and delete it and its lessons and
add lessons to it; a course managed by no organisation is the site admins'. Wagtail's page
permissions (granted to the 讲师 and 审核员 groups on each catalogue, see workflow.py) still
decide what kind of work each may do — trainers cannot publish — and `wagtail_hooks.py` (the
editor) and `CourseReviewTask` (approving) ask `CoursePage.may_work_on` which courses they may
do it on. Who may *take* a course is audience.py.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from wagtail.query import PageQuerySet

from lms.accounts.models import User
from lms.orgs import permissions as org_permissions
from lms.orgs.models import OrgRole, PartyOrganization

COURSE_ROLES = (OrgRole.Kind.TRAINER, OrgRole.Kind.REVIEWER)


def course_organizations(user: User | AnonymousUser) -> QuerySet[PartyOrganization]:
    """Organisations whose courses the user works on (their trainer and reviewer subtrees)."""
    return org_permissions.covered_organizations(user, COURSE_ROLES)


def default_course_owner(user: User) -> PartyOrganization | None:
    return org_permissions.widest_organization_with_role(user, COURSE_ROLES)


class ManagedQuerySet(PageQuerySet):
    """Courses by who manages them."""

    def unmanaged_by(self, user: User | AnonymousUser) -> "ManagedQuerySet":
        """Courses the user may not work on (hidden from their page explorer)."""
        if user.is_authenticated and user.is_superuser:
            return self.none()
        return self.exclude(managed_by__in=course_organizations(user))


class ManagedByOrganization:
    """The course page's side of the rule."""

    managed_by: PartyOrganization | None  # `CoursePage.managed_by`

    def is_managed_by(self, user: User | AnonymousUser) -> bool:
        """Whether the user's trainer or reviewer role covers the course's organisation."""
        return org_permissions.manages(user, self.managed_by, COURSE_ROLES)
