"""Forms of the organisations app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PartyOrganization


class TransferForm(forms.Form):
    """Move a member to another organisation (组织关系转接)."""

    to_organization = forms.ModelChoiceField(
        label=_("New organisation"), queryset=PartyOrganization.objects.order_by("path")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
