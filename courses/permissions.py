"""Who may work on a course in the Wagtail admin.

A course is managed by an organisation (`CoursePage.managed_by`, apart from its audience):
trainers and reviewers whose role covers it edit, move, copy and delete it and its lessons and
add lessons to it; a course managed by no organisation is the site admins'. Wagtail's page
permissions (granted to the 讲师 and 审核员 groups on each catalogue, see workflow.py) still
decide what kind of work each may do — trainers cannot publish — and `wagtail_hooks.py` (the
editor) and `CourseReviewTask` (approving) ask this module which courses they may do it on.
Who may *take* a course is audience.py.
"""

from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.models import Page

from lms.accounts.models import User
from lms.orgs import permissions as org_permissions
from lms.orgs.models import OrgRole, PartyOrganization

from .models import CoursePage

COURSE_ROLES = (OrgRole.Kind.TRAINER, OrgRole.Kind.REVIEWER)


def course_organizations(user: User | AnonymousUser) -> QuerySet[PartyOrganization]:
    """Organisations whose courses the user works on (their trainer and reviewer subtrees)."""
    return org_permissions.covered_organizations(user, COURSE_ROLES)


def default_course_owner(user: User) -> PartyOrganization | None:
    return org_permissions.widest_organization_with_role(user, COURSE_ROLES)


def course_of(page: Page) -> CoursePage | None:
    """The course a page is or belongs to (a lesson's course); None for other pages."""
    return CoursePage.objects.ancestor_of(page, inclusive=True).first()


def may_manage_course(user: User | AnonymousUser, course: CoursePage) -> bool:
    return org_permissions.manages(user, course.managed_by, COURSE_ROLES)


def may_work_on(user: User | AnonymousUser, page: Page) -> bool:
    """Whether the user may work on this page as far as course ownership goes (pages outside
    courses are left to Wagtail's permissions)."""
    if user.is_authenticated and user.is_superuser:
        return True
    course = course_of(page)
    return course is None or may_manage_course(user, course)


def unmanaged_courses(user: User | AnonymousUser) -> QuerySet[CoursePage]:
    """Courses the user may not work on (hidden from their page explorer)."""
    if user.is_authenticated and user.is_superuser:
        return CoursePage.objects.none()
    return CoursePage.objects.exclude(managed_by__in=course_organizations(user))


def pages_of_unmanaged_courses(user: User | AnonymousUser) -> list[str]:
    """Ids (as Wagtail's workflow states keep them, text) of the courses the user may not work
    on and of their lessons: kept off their review list."""
    paths = list(unmanaged_courses(user).values_list("path", flat=True))
    if not paths:
        return []
    pages = Page.objects.filter(reduce(or_, (Q(path__startswith=path) for path in paths)))
    return [str(pk) for pk in pages.values_list("pk", flat=True)]
