"""Who may take, see and manage quizzes, question banks and leaderboards.

Organisation scoping itself is decided by `lms.orgs.permissions`; this module only applies it
to quizzes: a member takes the quizzes of the organisations they belong to (their branch and
its ancestors), and sees the leaderboards and contest rankings of the organisations visible
to them (those plus what their roles cover). A question bank belongs to an organisation:
trainers whose role covers it manage it and its questions, trainers below it draw questions
from it; a bank without an organisation belongs to the whole platform (site admins manage it,
every trainer may draw from it).
"""

from django.apps import AppConfig
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db.models import Q, QuerySet
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from lms.accounts.models import User
from lms.orgs import permissions as org_permissions
from lms.orgs.models import OrgRole, PartyOrganization
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


# --- question banks -------------------------------------------------------------------------


def _active(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active


def authoring_organizations(user: User | AnonymousUser) -> QuerySet[PartyOrganization]:
    """Organisations whose question banks the user manages (their trainer roles' subtrees)."""
    return org_permissions.covered_organizations(user, TRAINER_ROLES)


def may_author(user: User | AnonymousUser) -> bool:
    """Whether the user builds question banks at all (a trainer role, or a site admin)."""
    return _active(user) and (user.is_superuser or authoring_organizations(user).exists())


def default_bank_organization(user: User) -> PartyOrganization | None:
    """Where a new bank goes when the trainer does not say: the widest organisation they
    train (none for a site admin without a trainer role: the whole platform)."""
    trained = org_permissions.organizations_with_role(user, OrgRole.Kind.TRAINER)
    return trained.order_by("depth", "path").first()


def manageable_banks(user: User | AnonymousUser) -> QuerySet[QuestionBank]:
    """Banks the user may edit, delete, import into and add questions to."""
    if not _active(user):
        return QuestionBank.objects.none()
    if user.is_superuser:
        return QuestionBank.objects.all()
    return QuestionBank.objects.filter(organization__in=authoring_organizations(user))


def usable_banks(user: User | AnonymousUser) -> QuerySet[QuestionBank]:
    """Banks the user may draw questions from into a quiz and export: those they manage, those
    of the organisations above their trainer roles, and the platform's."""
    if not _active(user):
        return QuestionBank.objects.none()
    if user.is_superuser:
        return QuestionBank.objects.all()
    return QuestionBank.objects.filter(
        Q(organization__isnull=True)
        | Q(organization__in=authoring_organizations(user))
        | Q(organization__in=org_permissions.organizations_above(user, TRAINER_ROLES))
    )


def can_manage_bank(user: User | AnonymousUser, bank: QuestionBank) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return bank.organization_id is not None and org_permissions.covers_organization(
        user, bank.organization, TRAINER_ROLES
    )


def manageable_questions(user: User | AnonymousUser) -> QuerySet[Question]:
    return Question.objects.filter(bank__in=manageable_banks(user))


def usable_questions(user: User | AnonymousUser) -> QuerySet[Question]:
    return Question.objects.filter(bank__in=usable_banks(user))


class BankPermissionPolicy(BasePermissionPolicy):
    """The Wagtail admin asks this policy about banks and questions; it answers from trainer
    roles and the bank's organisation, not from Django permissions."""

    def __init__(self, model, bank_of, manageable) -> None:
        super().__init__(model)
        self.bank_of = bank_of
        self.manageable = manageable

    def user_has_permission(self, user, action):
        return may_author(user)

    def user_has_any_permission(self, user, actions):
        return may_author(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return can_manage_bank(user, self.bank_of(instance))

    def instances_user_has_any_permission_for(self, user, actions):
        return self.manageable(user)

    def users_with_any_permission(self, actions):
        return User.objects.filter(
            Q(is_superuser=True) | Q(org_roles__role__in=TRAINER_ROLES), is_active=True
        ).distinct()

    def users_with_any_permission_for_instance(self, actions, instance):
        organization = self.bank_of(instance).organization
        if organization is None:
            return User.objects.filter(is_superuser=True, is_active=True)
        line = [org.pk for org in organization.ancestors_and_self()]
        return User.objects.filter(
            Q(is_superuser=True)
            | Q(org_roles__role__in=TRAINER_ROLES, org_roles__organization__in=line),
            is_active=True,
        ).distinct()


register_permission_policy(
    QuestionBank,
    BankPermissionPolicy(QuestionBank, lambda bank: bank, manageable_banks),
    exact_class=True,
)
register_permission_policy(
    Question,
    BankPermissionPolicy(Question, lambda question: question.bank, manageable_questions),
    exact_class=True,
)
