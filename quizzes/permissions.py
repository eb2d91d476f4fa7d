"""Who may take, see and manage quizzes, question banks and leaderboards.

Organisation scoping itself is decided by `lms.orgs.permissions`; this module only applies it
to quizzes: a member takes the quizzes of the organisations they belong to (their branch and
its ancestors), and sees the leaderboards and contest rankings of the organisations visible
to them (those plus what their roles cover).

In the admin, question banks and quizzes belong to an organisation (a quiz's `managed_by`,
apart from its audience): trainers whose role covers it manage it (and a bank's questions),
trainers below it use it (draw questions from the bank, put the quiz in a lesson); one without
an organisation belongs to the whole platform (site admins manage it, every trainer uses it).
"""

from django.apps import AppConfig
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db.models import Q, QuerySet
from wagtail.permissions import register_permission_policy

from lms.accounts.models import User
from lms.orgs import permissions as org_permissions
from lms.orgs.models import OrgRole, PartyOrganization
from lms.orgs.policies import OrganizationOwnedPolicy
from lms.orgs.services import ROLE_ADMIN_GROUPS

from .models import Question, QuestionBank, Quiz

# What trainers (the 讲师 Wagtail group) may do in the admin: build banks and quizzes.
TRAINER_MODELS = ("questionbank", "question", "quiz")
TRAINER_ROLES = (OrgRole.Kind.TRAINER,)


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


# --- question banks and quizzes in the admin ------------------------------------------------


def _active(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active


def authoring_organizations(user: User | AnonymousUser) -> QuerySet[PartyOrganization]:
    """Organisations whose banks and quizzes the user manages (their trainer roles' subtrees)."""
    return org_permissions.covered_organizations(user, TRAINER_ROLES)


def may_author(user: User | AnonymousUser) -> bool:
    """Whether the user builds banks and quizzes at all (a trainer role, or a site admin)."""
    return _active(user) and (user.is_superuser or authoring_organizations(user).exists())


def default_owner(user: User) -> PartyOrganization | None:
    """The organisation a new bank or quiz belongs to when the trainer does not say."""
    return org_permissions.widest_organization_with_role(user, TRAINER_ROLES)


def _managed(user: User | AnonymousUser, queryset: QuerySet, owner_field: str) -> QuerySet:
    if not _active(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(**{f"{owner_field}__in": authoring_organizations(user)})


def _usable(user: User | AnonymousUser, queryset: QuerySet, owner_field: str) -> QuerySet:
    """What the user manages, what the organisations above their trainer roles own, and the
    platform's."""
    if not _active(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    above = org_permissions.organizations_above(user, TRAINER_ROLES)
    return queryset.filter(
        Q(**{f"{owner_field}__isnull": True})
        | Q(**{f"{owner_field}__in": authoring_organizations(user)})
        | Q(**{f"{owner_field}__in": above})
    )


def manageable_banks(user: User | AnonymousUser) -> QuerySet[QuestionBank]:
    """Banks the user may edit, delete, import into and add questions to."""
    return _managed(user, QuestionBank.objects.all(), "organization")


def usable_banks(user: User | AnonymousUser) -> QuerySet[QuestionBank]:
    """Banks the user may draw questions from into a quiz, and export."""
    return _usable(user, QuestionBank.objects.all(), "organization")


def manageable_questions(user: User | AnonymousUser) -> QuerySet[Question]:
    return _managed(user, Question.objects.all(), "bank__organization")


def usable_questions(user: User | AnonymousUser) -> QuerySet[Question]:
    return _usable(user, Question.objects.all(), "bank__organization")


def manageable_quizzes(user: User | AnonymousUser) -> QuerySet[Quiz]:
    """Quizzes the user may edit and delete (by the organisation that manages them, not by
    their audience)."""
    return _managed(user, Quiz.objects.all(), "managed_by")


def usable_quizzes(user: User | AnonymousUser) -> QuerySet[Quiz]:
    """Quizzes the user may put into a lesson."""
    return _usable(user, Quiz.objects.all(), "managed_by")


for _model, _owner_of, _manageable in (
    (QuestionBank, lambda bank: bank.organization, manageable_banks),
    (Question, lambda question: question.bank.organization, manageable_questions),
    (Quiz, lambda quiz: quiz.managed_by, manageable_quizzes),
):
    register_permission_policy(
        _model,
        OrganizationOwnedPolicy(
            _model, roles=TRAINER_ROLES, owner_of=_owner_of, manageable=_manageable
        ),
        exact_class=True,
    )
