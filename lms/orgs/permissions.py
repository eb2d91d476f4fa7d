"""Organisation scoping: the one place that decides whose records a user may see.

A role held in an organisation covers that organisation and everything below it. Views, the
API and reports call these functions; none re-implements the rule.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from lms.accounts.models import MemberProfile, User

from .models import OrgRole, PartyOrganization

# Roles that manage members: they see member records, personal data included.
MEMBER_RECORD_ROLES = (OrgRole.Kind.BRANCH_HEAD, OrgRole.Kind.ORGANISER)
ALL_ROLES = tuple(OrgRole.Kind)


def _role_paths(user: User | AnonymousUser, roles: Iterable[str]) -> list[str]:
    if not user.is_authenticated:
        return []
    cache = user.__dict__.setdefault("_org_role_paths", {})
    key = tuple(sorted(roles))
    if key not in cache:
        paths = sorted(
            OrgRole.objects.filter(user=user, role__in=key).values_list(
                "organization__path", flat=True
            )
        )
        # Drop paths already covered by a shorter one: fewer OR terms in every query.
        minimal: list[str] = []
        for path in paths:
            if not any(path.startswith(kept) for kept in minimal):
                minimal.append(path)
        cache[key] = minimal
    return cache[key]


def _path_filter(paths: list[str], relation: str) -> Q:
    return PartyOrganization.in_any_subtree(paths, relation)


def covered_organizations(
    user: User | AnonymousUser, roles: Iterable[str] = ALL_ROLES
) -> QuerySet[PartyOrganization]:
    """Organisations (whole subtrees) the user's roles of these kinds cover."""
    if user.is_authenticated and user.is_superuser:
        return PartyOrganization.objects.all()
    paths = _role_paths(user, roles)
    if not paths:
        return PartyOrganization.objects.none()
    return PartyOrganization.objects.filter(_path_filter(paths, ""))


def organizations_above(
    user: User | AnonymousUser, roles: Iterable[str] = ALL_ROLES
) -> QuerySet[PartyOrganization]:
    """The organisations in which the user holds roles of these kinds and all their ancestors:
    the line whose shared material (question banks) the user may draw on, not manage."""
    if user.is_authenticated and user.is_superuser:
        return PartyOrganization.objects.all()
    prefixes = {
        line for path in _role_paths(user, roles) for line in PartyOrganization.line_of_path(path)
    }
    return PartyOrganization.objects.filter(path__in=prefixes)


def covers_organization(
    user: User | AnonymousUser, organization: PartyOrganization, roles: Iterable[str] = ALL_ROLES
) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    return any(organization.path.startswith(p) for p in _role_paths(user, roles))


def covered_member_profiles(
    user: User | AnonymousUser, roles: Iterable[str] = MEMBER_RECORD_ROLES
) -> QuerySet[MemberProfile]:
    """Member profiles in the subtrees the user's member-managing roles cover."""
    if user.is_authenticated and user.is_superuser:
        return MemberProfile.objects.all()
    paths = _role_paths(user, roles)
    if not paths:
        return MemberProfile.objects.none()
    return MemberProfile.objects.filter(_path_filter(paths, "organization"))


def can_view_member_record(
    viewer: User | AnonymousUser, member: User, roles: Iterable[str] = MEMBER_RECORD_ROLES
) -> bool:
    """Whether `viewer` may see `member`'s record, personal data included.

    Yes for the member themself, site admins, and holders of a member-managing role in an
    organisation that contains the member's organisation.
    """
    if not viewer.is_authenticated:
        return False
    if viewer.pk == member.pk or viewer.is_superuser:
        return True
    organization = member.organization
    return organization is not None and covers_organization(viewer, organization, roles)


def visible_organizations(user: User | AnonymousUser) -> QuerySet[PartyOrganization]:
    """What a user may see of the tree: everything their roles cover, plus their own branch
    and its ancestors (a member knows which organisations they belong to)."""
    if not user.is_authenticated:
        return PartyOrganization.objects.none()
    if user.is_superuser:
        return PartyOrganization.objects.all()
    q = Q(pk__in=covered_organizations(user).values("pk"))
    own = user.organization
    if own is not None:
        q |= Q(pk__in=[org.pk for org in own.ancestors_and_self()])
    return PartyOrganization.objects.filter(q)


def widest_organization_with_role(user: User, roles: Iterable[str]) -> PartyOrganization | None:
    """The highest organisation in which the user holds one of these roles: where what they
    create belongs when they do not say (none for a site admin without such a role)."""
    held = PartyOrganization.objects.filter(roles__user=user, roles__role__in=roles)
    return held.order_by("depth", "path").first()


def manages(
    user: User | AnonymousUser, owner: PartyOrganization | None, roles: Iterable[str]
) -> bool:
    """Whether the user may change what `owner` owns (a bank, a quiz, a course): site admins,
    and holders of these roles in the owner or above it. Nothing owned by no organisation
    (the platform's) is anyone's but the site admins'."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return owner is not None and covers_organization(user, owner, roles)


def covers_whole_tree(user: User | AnonymousUser, roles: Iterable[str]) -> bool:
    """Whether the user's roles of these kinds cover every organisation (site admins, and
    holders of such a role in each top-level committee): only then is "everyone" — an
    audience left empty — inside what they may aim a course or a quiz at."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roots = set(PartyOrganization.get_root_nodes().values_list("path", flat=True))
    return roots <= set(_role_paths(user, roles))  # a root is covered by a role in it only
