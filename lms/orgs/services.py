"""Changes to the organisation structure that must keep history and admin access consistent."""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from lms.accounts.models import MemberProfile, User

from .models import MemberTransfer, OrgRole, PartyOrganization

# Wagtail admin groups that roles put people into; content permissions hang on these groups.
ROLE_ADMIN_GROUPS = {
    OrgRole.Kind.TRAINER: "讲师",
    OrgRole.Kind.REVIEWER: "审核员",
}


class TransferError(ValueError):
    """A transfer that cannot happen; the message says why, in the user's language."""


def record_arrivals(
    arrivals: Iterable[tuple[User, PartyOrganization]], *, by: User | None, reason: str = ""
) -> None:
    """The first line of each member's history: they joined the platform in an organisation
    (a transfer from nowhere). One insert for any number of members (bulk import)."""
    MemberTransfer.objects.bulk_create(
        MemberTransfer(
            member=member,
            from_organization=None,
            to_organization=organization,
            reason=reason,
            transferred_by=by,
        )
        for member, organization in arrivals
    )


@transaction.atomic
def transfer_member(
    member: User, to_organization: PartyOrganization, *, by: User | None, reason: str = ""
) -> MemberTransfer:
    """Move a member to another organisation (组织关系转接), keeping the history.

    Roles the member held in organisations that do not contain the new one end with the move
    (a branch secretary who leaves the branch is no longer its secretary); they are listed in
    the transfer record.
    """
    profile = (
        MemberProfile.objects.select_for_update().select_related("organization").get(user=member)
    )
    if profile.organization_id == to_organization.pk:
        raise TransferError(_("The member already belongs to %(org)s.") % {"org": to_organization})
    ended = []
    for role in OrgRole.objects.filter(user=member).select_related("organization"):
        if not role.organization.covers(to_organization):
            ended.append(
                {
                    "role": role.role,
                    "organization": role.organization.code,
                    "name": role.organization.name,
                }
            )
            role.delete()
    record = MemberTransfer.objects.create(
        member=member,
        from_organization=profile.organization,
        to_organization=to_organization,
        reason=reason,
        transferred_by=by,
        roles_ended=ended,
    )
    profile.organization = to_organization
    profile.save(update_fields=["organization", "updated_at"])
    member.__dict__.pop("_org_role_paths", None)
    return record


def grant_role(user: User, organization: PartyOrganization, role: str) -> OrgRole:
    """Give a role (idempotent); the post_save signal syncs the admin groups."""
    granted, _created = OrgRole.objects.get_or_create(
        user=user, organization=organization, role=role
    )
    user.__dict__.pop("_org_role_paths", None)
    return granted


def sync_admin_groups(user: User) -> None:
    """Put the user in the Wagtail groups of the roles they hold, and out of the others."""
    held = set(OrgRole.objects.filter(user=user).values_list("role", flat=True))
    for role, group_name in ROLE_ADMIN_GROUPS.items():
        group = ensure_admin_group(group_name)
        if role in held:
            user.groups.add(group)
        else:
            user.groups.remove(group)


def ensure_admin_group(name: str) -> Group:
    """The Wagtail group of a role, always able to open the admin.

    Other apps add their own permissions to these groups and may create them first, so the
    admin-access permission is checked every time, and made if missing (Wagtail creates it in a
    migration, not from a model, so a flushed database has none).
    """
    group, _created = Group.objects.get_or_create(name=name)
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    group.permissions.add(access_admin)
    return group
