"""The Wagtail permission policy for what an organisation owns (videos, question banks,
questions, quizzes): answered from organisation roles, not Django permissions, so a role is
all a trainer needs. The rule itself is `lms.orgs.permissions.manages`."""

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from django.db.models import Model, Q, QuerySet
from wagtail.permission_policies import BasePermissionPolicy

from lms.accounts.models import User

from . import permissions
from .models import PartyOrganization

ModelT = TypeVar("ModelT", bound=Model)


class OrganizationOwnedPolicy(BasePermissionPolicy, Generic[ModelT]):
    """Holders of `roles` (and site admins) may work with the model at all; on one object, if
    their role covers its owner (`owner_of(instance)`; None: the platform's, site admins
    only). `manageable(user)` is the queryset form of the same rule."""

    def __init__(
        self,
        model: type[ModelT],
        *,
        roles: Iterable[str],
        owner_of: Callable[[ModelT], PartyOrganization | None],
        manageable: Callable[[User], QuerySet[ModelT]],
    ) -> None:
        super().__init__(model)
        self.roles = tuple(roles)
        self.owner_of = owner_of
        self.manageable = manageable

    def _may_work(self, user) -> bool:
        if not user.is_authenticated or not user.is_active:
            return False
        return user.is_superuser or permissions.covered_organizations(user, self.roles).exists()

    def user_has_permission(self, user, action):
        return self._may_work(user)

    def user_has_any_permission(self, user, actions):
        return self._may_work(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return permissions.manages(user, self.owner_of(instance), self.roles)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.manageable(user)

    def users_with_any_permission(self, actions):
        return User.objects.filter(
            Q(is_superuser=True) | Q(org_roles__role__in=self.roles), is_active=True
        ).distinct()

    def users_with_any_permission_for_instance(self, actions, instance):
        owner = self.owner_of(instance)
        if owner is None:
            return User.objects.filter(is_superuser=True, is_active=True)
        line = [org.pk for org in owner.ancestors_and_self()]
        return User.objects.filter(
            Q(is_superuser=True)
            | Q(org_roles__role__in=self.roles, org_roles__organization__in=line),
            is_active=True,
        ).distinct()
