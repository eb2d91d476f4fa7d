"""Wagtail admin for the organisation tree and roles (site admins)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import DeleteView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from lms.accounts.models import MemberProfile, User

from .models import MemberTransfer, OrgRole, PartyOrganization


class OrganizationForm(WagtailAdminModelForm):
    """Places a new organisation in the tree under the chosen parent (none: a new root)."""

    parent = forms.ModelChoiceField(
        label=_("Parent organisation"),
        queryset=PartyOrganization.objects.order_by("path"),
        required=False,
        help_text=_("Leave empty for a top-level party committee."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Moving a subtree is a deliberate act with consequences for every member in it;
            # it is not done by editing a form field.
            self.fields["parent"].disabled = True
            self.fields["parent"].initial = self.instance.get_parent()
            self.fields["parent"].help_text = _("The place in the tree cannot be changed here.")

    def save(self, commit=True):
        if self.instance.pk:
            return super().save(commit=commit)
        parent = self.cleaned_data.get("parent")
        instance = self.instance
        fields = {f: getattr(instance, f) for f in ("name", "code", "kind", "short_name")}
        if parent is None:
            self.instance = PartyOrganization.add_root(**fields)
        else:
            parent.refresh_from_db()
            self.instance = parent.add_child(**fields)
        return self.instance


class OrganizationDeleteView(DeleteView):
    """Refuses, with the reason, to delete an organisation whose subtree still has members or
    a transfer history: members must be transferred first, and history is never destroyed."""

    def form_valid(self, form):
        organization = self.object
        members = MemberProfile.objects.filter(organization.in_subtree()).count()
        history = MemberTransfer.objects.filter(
            organization.in_subtree("from_organization")
            | organization.in_subtree("to_organization")
        ).exists()
        if members or history:
            if members:
                message = _(
                    "%(org)s (with the organisations below it) still has %(count)d members; "
                    "transfer them to another organisation first."
                ) % {"org": self.object, "count": members}
            else:
                message = _(
                    "%(org)s has a record of member transfers, which is kept; it cannot be deleted."
                ) % {"org": self.object}
            messages.error(self.request, message)
            return redirect(self.edit_url_name, self.object.pk)
        return super().form_valid(form)


class OrganizationViewSet(ModelViewSet):
    pk_path_converter = "id"  # lms/core/converters.py: an impossible id is a 404
    model = PartyOrganization
    delete_view_class = OrganizationDeleteView
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 100
    add_to_admin_menu = False
    ordering = ["path"]
    search_fields = ["name", "code"]
    list_filter = ["kind"]
    edit_handler = ObjectList(
        [
            FieldPanel("parent"),
            FieldPanel("name"),
            FieldPanel("short_name"),
            FieldPanel("code"),
            FieldPanel("kind"),
        ],
        base_form_class=OrganizationForm,
    )

    @property
    def list_display(self):
        return [
            Column("tree_name", label=_("Name"), accessor=_tree_name),
            "code",
            "kind",
        ]


def _tree_name(org: PartyOrganization):
    return format_html("{}{}", "\u3000" * (org.depth - 1), org.name)


class RoleForm(WagtailAdminModelForm):
    """Grant a role by typing the username (a select of 100k users would be unusable)."""

    username = forms.CharField(label=_("Username"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["username"].initial = self.instance.user.username

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        try:
            self.instance.user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise forms.ValidationError(
                _("No user is called %(name)s.") % {"name": username}
            ) from None
        return username


class RoleViewSet(ModelViewSet):
    pk_path_converter = "id"  # lms/core/converters.py: an impossible id is a 404
    model = OrgRole
    icon = "user"
    menu_label = _("Roles")
    menu_order = 110
    add_to_admin_menu = False
    list_display = ["user", "organization", "role", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__profile__real_name", "organization__name"]
    edit_handler = ObjectList(
        [FieldPanel("username"), FieldPanel("organization"), FieldPanel("role")],
        base_form_class=RoleForm,
    )


class OrganizationGroup(ViewSetGroup):
    menu_label = _("Organisations")
    menu_icon = "group"
    menu_order = 250
    items = (OrganizationViewSet("organizations"), RoleViewSet("org_roles"))


@hooks.register("register_admin_viewset")
def register_organization_admin():
    return OrganizationGroup()
