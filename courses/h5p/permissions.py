"""Who may manage, use and download H5P activities in the admin.

An activity belongs to an organisation, like videos and question banks: trainers whose role
covers it manage it (open, try, edit, replace, delete, download the original .h5p); trainers
below it may put it in their lessons; one without an organisation is the platform's (site
admins manage it, every trainer may use it). Who may *play* one is not decided here: the
lesson page that shows it hands out the play grant (`courses.h5p.grants`). The organisation
rule itself is `lms.orgs.permissions`.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.permissions import register_permission_policy

from lms.accounts.models import User
from lms.orgs import permissions as org_permissions
from lms.orgs.models import OrgRole, PartyOrganization
from lms.orgs.policies import OrganizationOwnedPolicy

from .models import H5PPackage

TRAINER_ROLES = (OrgRole.Kind.TRAINER,)


def _active(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active


def upload_organizations(user: User | AnonymousUser) -> QuerySet[PartyOrganization]:
    """Organisations a user may put activities in (their trainer roles' subtrees)."""
    return org_permissions.covered_organizations(user, TRAINER_ROLES)


def default_organization(user: User) -> PartyOrganization | None:
    """Where a new activity goes unless the trainer says otherwise: the widest organisation
    they train (none for a site admin without a trainer role: the whole platform)."""
    return org_permissions.widest_organization_with_role(user, TRAINER_ROLES)


def manageable_packages(user: User | AnonymousUser) -> QuerySet[H5PPackage]:
    """Activities the user may open, edit, delete and download the original of."""
    if not _active(user):
        return H5PPackage.objects.none()
    if user.is_superuser:
        return H5PPackage.objects.all()
    return H5PPackage.objects.filter(organization__in=upload_organizations(user))


def usable_packages(user: User | AnonymousUser) -> QuerySet[H5PPackage]:
    """Activities the user may put into a lesson: theirs, those of the organisations above
    their trainer roles, and the platform's."""
    if not _active(user):
        return H5PPackage.objects.none()
    if user.is_superuser:
        return H5PPackage.objects.all()
    if not upload_organizations(user).exists():
        return H5PPackage.objects.none()
    return H5PPackage.objects.filter(
        Q(organization__isnull=True)
        | Q(organization__in=upload_organizations(user))
        | Q(organization__in=org_permissions.organizations_above(user, TRAINER_ROLES))
    )


def may_manage(user: User | AnonymousUser, package: H5PPackage) -> bool:
    """Whether the user may change the activity — and download its original: the .h5p holds
    every answer, so it is only for those who may replace it."""
    return org_permissions.manages(user, package.organization, TRAINER_ROLES)


register_permission_policy(
    H5PPackage,
    OrganizationOwnedPolicy(
        H5PPackage,
        roles=TRAINER_ROLES,
        owner_of=lambda package: package.organization,
        manageable=lambda user: manageable_packages(user),
    ),
    exact_class=True,
)
