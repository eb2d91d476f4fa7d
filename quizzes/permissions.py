"""Who may take, see and manage quizzes and leaderboards.

Organisation scoping itself is decided by `lms.orgs.permissions`; this module only applies it
to quizzes: a member takes the quizzes of the organisations they belong to (their branch and
its ancestors), and sees the leaderboards and contest rankings of the organisations visible
to them (those plus what their roles cover).
"""

from django.apps import AppConfig
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db.models import Q, QuerySet

from lms.accounts.models import User
from lms.orgs import permissions as org_permissions
from lms.orgs.models import OrgRole, PartyOrganization
from lms.orgs.services import ROLE_ADMIN_GROUPS

from .models import Quiz

# What trainers (the 讲师 Wagtail group) may do in the admin: build banks and quizzes.
TRAINER_MODELS = ("questionbank", "question", "quiz")


def may_take(user: User | AnonymousUser, quiz: Quiz) -> bool:
    """Whether the user may start the quiz (window and attempts aside): a quiz held for an
    organisation is open to members of its subtree only."""
    if not user.is_authenticated:
        return False
    if quiz.organization_id is None:
        return True
    own = user.organization
    return own is not None and quiz.organization.covers(own)


def takeable_quizzes(user: User) -> QuerySet[Quiz]:
    """Active quizzes the user may take (their organisation's line, or no organisation)."""
    own = user.organization
    belongs = [org.pk for org in own.ancestors_and_self()] if own is not None else []
    return Quiz.objects.filter(Q(organization__isnull=True) | Q(organization__in=belongs)).filter(
        is_active=True
    )


def may_view_results(user: User | AnonymousUser, quiz: Quiz) -> bool:
    """Contest rankings: for those who may take it and for roles that cover its organisation."""
    if may_take(user, quiz):
        return True
    return quiz.organization_id is not None and org_permissions.covers_organization(
        user, quiz.organization
    )


def may_view_leaderboard(user: User | AnonymousUser, organization: PartyOrganization) -> bool:
    """Members see the boards of organisations they belong to; roles add what they cover."""
    return org_permissions.visible_organizations(user).filter(pk=organization.pk).exists()


def leaderboard_organizations(user: User) -> QuerySet[PartyOrganization]:
    return org_permissions.visible_organizations(user).order_by("path")


def grant_trainer_permissions(app_config: AppConfig, using: str = "default", **kwargs) -> None:
    """Give the trainer group the right to manage question banks, questions and quizzes."""
    # This receiver may run before auth's own post_migrate receiver has made our permissions.
    create_permissions(app_config, verbosity=0, using=using)
    group, _created = Group.objects.get_or_create(name=ROLE_ADMIN_GROUPS[OrgRole.Kind.TRAINER])
    codenames = [
        f"{action}_{model}"
        for model in TRAINER_MODELS
        for action in ("add", "change", "delete", "view")
    ]
    group.permissions.add(
        *Permission.objects.filter(
            Q(content_type__app_label="quizzes", codename__in=codenames)
            | Q(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    )
