"""Wagtail admin for members (site admins): member records and bulk import."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_urls
from .models import MemberProfile


class MemberIndexView(IndexView):
    default_ordering = "name_sort_key"  # by pinyin (names.py), as Chinese readers expect


class MemberProfileViewSet(ModelViewSet):
    """Member records. The organisation is changed by a transfer (with history), not here."""

    model = MemberProfile
    pk_path_converter = "id"  # lms/core/converters.py: an impossible id is a 404
    icon = "user"
    menu_label = _("Members")
    menu_order = 240
    add_to_admin_menu = True
    index_view_class = MemberIndexView
    list_display = [
        Column("real_name", label=_("real name"), sort_key="name_sort_key"),
        "user",
        "organization",
        "category",
        "position",
    ]
    list_filter = ["category", "organization"]
    search_fields = ["real_name", "phone", "user__username"]
    panels = [
        FieldPanel("real_name"),
        FieldPanel("gender"),
        FieldPanel("phone"),
        FieldPanel("category"),
        FieldPanel("joined_party_on"),
        FieldPanel("birth_date"),
        FieldPanel("position"),
    ]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_member_admin():
    return MemberProfileViewSet("members")


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("import/", include(admin_urls, namespace="accounts_admin"))]


@hooks.register("register_settings_menu_item")
def register_import_menu_item():
    return AdminOnlyMenuItem(
        _("Bulk import"), reverse("accounts_admin:import"), icon_name="download", order=50
    )
