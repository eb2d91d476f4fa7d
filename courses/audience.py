"""Who may see and take a course: the one place that applies a course's audience, as a
mixin of the course page and of its queryset (so this module needs no page model).

A course with no audience is for everyone. Otherwise it is for the members of the chosen
organisations and everything below them (the organisation tree's paths: an organisation
covers another when the other's path starts with its own). Site admins see every course.
"""

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from wagtail.query import PageQuerySet

from lms.accounts.models import User
from lms.orgs.models import PartyOrganization

if TYPE_CHECKING:  # a class of the stubs only: Django makes one per relation
    from django.db.models.fields.related_descriptors import ManyRelatedManager


def _own_line_paths(user: User) -> list[str]:
    """Paths of the user's organisation and its ancestors: the audiences that include them."""
    cache = user.__dict__.setdefault("_course_audience_paths", {})
    if "paths" not in cache:
        own = user.organization
        cache["paths"] = own.line_paths() if own else []
    return cache["paths"]


class AudienceQuerySet(PageQuerySet):
    """Courses by audience."""

    def visible_to(self, user: User | AnonymousUser) -> "AudienceQuerySet":
        """Live courses the user may see and take."""
        live = self.live()
        if not user.is_authenticated:
            return live.none()
        if user.is_superuser:
            return live
        through = self.model.audience.through
        everyone = ~Q(pk__in=through.objects.values("coursepage_id"))
        paths = _own_line_paths(user)
        if not paths:
            return live.filter(everyone)
        chosen = through.objects.filter(partyorganization__path__in=paths)
        return live.filter(everyone | Q(pk__in=chosen.values("coursepage_id")))


class HasAudience:
    """The course page's side of the rule."""

    # What the page model brings: its key and `CoursePage.audience` (a modelcluster
    # ParentalManyToManyField, a many-to-many manager on the instance). Its through model is
    # one Django creates at run time, with no class to name here.
    pk: Any
    audience: "ManyRelatedManager[PartyOrganization, Any]"

    def is_visible_to(self, user: User | AnonymousUser) -> bool:
        """Whether the course's audience includes the user (the page and API answer 404 if
        not)."""
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        audience = type(self).audience.through.objects.filter(coursepage_id=self.pk)
        paths = set(audience.values_list("partyorganization__path", flat=True))
        return not paths or not paths.isdisjoint(_own_line_paths(user))

    def audience_includes(self, organization: PartyOrganization) -> bool:
        """Whether the members of `organization` (and below) are all in the course's audience."""
        audience = list(self.audience.all())
        return not audience or any(org.covers(organization) for org in audience)
