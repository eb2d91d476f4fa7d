"""Who may manage and choose documents (who may read one is reading.py).

A document belongs to an organisation, like videos and question banks: trainers whose role
covers it manage it (edit, replace, delete); trainers below it may put it in their lessons
(the chooser); one without an organisation is the platform's (site admins manage it, every
trainer may use it).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.models import Collection
from wagtail.permissions import register_permission_policy

from lms.accounts.models import User
from lms.orgs import permissions as org_permissions
from lms.orgs.models import OrgRole, PartyOrganization
from lms.orgs.policies import OrganizationOwnedPolicy

from .models import CourseDocument

TRAINER_ROLES = (OrgRole.Kind.TRAINER,)


def _active(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active


def upload_organizations(user: User | AnonymousUser) -> QuerySet[PartyOrganization]:
    """Organisations a user may put documents in (their trainer roles' subtrees)."""
    return org_permissions.covered_organizations(user, TRAINER_ROLES)


def default_organization(user: User) -> PartyOrganization | None:
    """Where a new document goes unless the trainer says otherwise: the widest organisation
    they train (none for a site admin without a trainer role: the whole platform)."""
    return org_permissions.widest_organization_with_role(user, TRAINER_ROLES)


def manageable_documents(user: User | AnonymousUser) -> QuerySet[CourseDocument]:
    """Documents the user may edit, replace and delete."""
    if not _active(user):
        return CourseDocument.objects.none()
    if user.is_superuser:
        return CourseDocument.objects.all()
    return CourseDocument.objects.filter(organization__in=upload_organizations(user))


def usable_documents(user: User | AnonymousUser) -> QuerySet[CourseDocument]:
    """Documents the user may put into a lesson: theirs, those of the organisations above
    their trainer roles, and the platform's."""
    if not _active(user):
        return CourseDocument.objects.none()
    if user.is_superuser:
        return CourseDocument.objects.all()
    if not upload_organizations(user).exists():
        return CourseDocument.objects.none()
    return CourseDocument.objects.filter(
        Q(organization__isnull=True)
        | Q(organization__in=upload_organizations(user))
        | Q(organization__in=org_permissions.organizations_above(user, TRAINER_ROLES))
    )


class DocumentPermissionPolicy(OrganizationOwnedPolicy[CourseDocument]):
    """The organisation rule for Wagtail's document views: "choose" (the chooser) covers the
    documents the trainer may use, every other action those they manage. Collections are
    folders here, not permissions: whoever works with documents may file them in any."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "choose":
            return usable_documents(user).filter(pk=instance.pk).exists()
        return super().user_has_permission_for_instance(user, action, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if set(actions) <= {"choose"}:
            return usable_documents(user)
        return manageable_documents(user)

    def collections_user_has_any_permission_for(self, user, actions):
        if not self._may_work(user):
            return Collection.objects.none()
        return Collection.objects.all()

    def collections_user_has_permission_for(self, user, action):
        return self.collections_user_has_any_permission_for(user, [action])


register_permission_policy(
    CourseDocument,
    DocumentPermissionPolicy(
        CourseDocument,
        roles=TRAINER_ROLES,
        owner_of=lambda document: document.organization,
        manageable=lambda user: manageable_documents(user),
    ),
    exact_class=True,
)
