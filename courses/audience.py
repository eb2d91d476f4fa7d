"""Who may see and take a course: the one place that applies a course's audience.

A course with no audience is for everyone. Otherwise it is for the members of the chosen
organisations and everything below them (the organisation tree's paths: an organisation
covers another when the other's path starts with its own). Site admins see every course.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from lms.accounts.models import User
from lms.orgs.models import PartyOrganization

from .models import CoursePage


def _own_line_paths(user: User) -> list[str]:
    """Paths of the user's organisation and its ancestors: the audiences that include them."""
    cache = user.__dict__.setdefault("_course_audience_paths", {})
    if "paths" not in cache:
        own = user.organization
        # A materialised path holds its ancestors' paths as prefixes, one step each.
        step = PartyOrganization.steplen
        cache["paths"] = (
            [own.path[:end] for end in range(step, len(own.path) + 1, step)] if own else []
        )
    return cache["paths"]


def audience_filter(user: User | AnonymousUser) -> Q:
    """A filter on CoursePage for the courses whose audience includes the user."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    everyone = ~Q(pk__in=CoursePage.audience.through.objects.values("coursepage_id"))
    paths = _own_line_paths(user)
    if not paths:
        return everyone
    return everyone | Q(
        pk__in=CoursePage.audience.through.objects.filter(partyorganization__path__in=paths).values(
            "coursepage_id"
        )
    )


def visible_courses(user: User | AnonymousUser) -> QuerySet[CoursePage]:
    """Live courses the user may see and take."""
    return CoursePage.objects.live().filter(audience_filter(user))


def can_view_course(user: User | AnonymousUser, course: CoursePage) -> bool:
    """Whether the course's audience includes the user (the page and API answer 404 if not)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    audience = CoursePage.audience.through.objects.filter(coursepage_id=course.pk)
    paths = set(audience.values_list("partyorganization__path", flat=True))
    return not paths or not paths.isdisjoint(_own_line_paths(user))


def audience_includes(course: CoursePage, organization: PartyOrganization) -> bool:
    """Whether the members of `organization` (and below) are all in the course's audience."""
    audience = list(course.audience.all())
    return not audience or any(org.covers(organization) for org in audience)
