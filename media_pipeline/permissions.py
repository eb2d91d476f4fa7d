"""Who may upload, manage and watch lecture videos.

A video belongs to an organisation. Trainers manage the videos of the organisations their
trainer role covers (that subtree); members watch the videos of their own organisation and of
every organisation above it; holders of any role covering the video's organisation may watch
it too (reviewers preview lessons). A video without an organisation belongs to the whole
platform: every member may watch it, only site admins manage it. The organisation rule itself
comes from `lms.orgs.permissions`.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.permissions import register_permission_policy

from lms.accounts.models import User
from lms.orgs import permissions as org_permissions
from lms.orgs.models import OrgRole, PartyOrganization
from lms.orgs.policies import OrganizationOwnedPolicy

from .models import VideoAsset

TRAINER_ROLES = (OrgRole.Kind.TRAINER,)


def upload_organizations(user: User | AnonymousUser) -> QuerySet[PartyOrganization]:
    """Organisations a user may put videos in (their trainer roles' subtrees)."""
    return org_permissions.covered_organizations(user, TRAINER_ROLES)


def can_upload_videos(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or upload_organizations(user).exists()


def default_upload_organization(user: User) -> PartyOrganization | None:
    """Where an upload goes when the trainer does not say: the widest organisation they train
    (none for a site admin without a trainer role: the whole platform)."""
    return org_permissions.widest_organization_with_role(user, TRAINER_ROLES)


def manageable_videos(user: User | AnonymousUser) -> QuerySet[VideoAsset]:
    """Videos the user may edit, retry, delete and choose for a lesson."""
    if not user.is_authenticated or not user.is_active:
        return VideoAsset.objects.none()
    if user.is_superuser:
        return VideoAsset.objects.all()
    return VideoAsset.objects.filter(organization__in=upload_organizations(user))


def can_manage_video(user: User | AnonymousUser, video: VideoAsset) -> bool:
    return org_permissions.manages(user, video.organization, TRAINER_ROLES)


def can_watch_video(user: User | AnonymousUser, video: VideoAsset) -> bool:
    """Whether the user may play the video (and fetch its playlists, segments and captions)."""
    if not user.is_authenticated or not user.is_active:
        return False
    organization = video.organization
    if organization is None or user.is_superuser:
        return True
    own = user.organization
    if own is not None and organization.covers(own):
        return True
    return org_permissions.covers_organization(user, organization)


def watchable_videos(user: User | AnonymousUser) -> QuerySet[VideoAsset]:
    """The queryset form of `can_watch_video` (API lists)."""
    if not user.is_authenticated or not user.is_active:
        return VideoAsset.objects.none()
    if user.is_superuser:
        return VideoAsset.objects.all()
    q = Q(organization__isnull=True) | Q(
        organization__in=org_permissions.covered_organizations(user)
    )
    own = user.organization
    if own is not None:
        q |= Q(organization__in=[org.pk for org in own.ancestors_and_self()])
    return VideoAsset.objects.filter(q)


register_permission_policy(
    VideoAsset,
    OrganizationOwnedPolicy(
        VideoAsset,
        roles=TRAINER_ROLES,
        owner_of=lambda video: video.organization,
        manageable=lambda user: manageable_videos(user),
    ),
    exact_class=True,
)
