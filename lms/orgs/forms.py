"""Forms of the organisations app, and the rule every audience field follows."""

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User

from . import permissions
from .models import PartyOrganization


class TransferForm(forms.Form):
    """Move a member to another organisation (组织关系转接)."""

    to_organization = forms.ModelChoiceField(
        label=_("New organisation"), queryset=PartyOrganization.objects.order_by("path")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


def limit_audience(field: forms.ModelChoiceField, user: User | None, roles: Iterable[str]) -> None:
    """Make an audience field (who may take a course or a quiz, `ModelChoiceField` or
    `ModelMultipleChoiceField`) offer and accept only the organisations the user's roles of
    these kinds cover, the way what they own is limited: a trainer of one branch cannot open
    a quiz to another branch's members. "Everyone" (the field left empty) reaches further
    than that unless the roles cover the whole tree, so the field is then required. Site
    admins are not limited."""
    if user is None or user.is_superuser:
        return
    roles = tuple(roles)
    field.queryset = permissions.covered_organizations(user, roles).order_by("path")
    field.error_messages["invalid_choice"] = _(
        "Only organisations your role covers can be the audience."
    )
    if not permissions.covers_whole_tree(user, roles):
        field.required = True
        field.error_messages["required"] = _(
            "Choose the audience: everyone is more than your role covers."
        )
