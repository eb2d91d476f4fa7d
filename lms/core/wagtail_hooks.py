"""Wagtail admin: the audit log, read-only, for site admins; the upload size check of every
admin page; the way back to the member pages."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from .models import AuditEntry


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    menu_order = 900
    add_to_settings_menu = True
    list_display = ["at", "actor", "action", "target", "organization", "ip_address"]
    list_filter = ["action"]
    search_fields = ["action", "target", "actor__username"]
    form_fields: list[str] = []
    copy_view_enabled = False
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_audit_log():
    return AuditEntryViewSet("audit_log")


@hooks.register("insert_global_admin_js")
def upload_limit_js():
    # Refuses a too large file as soon as it is chosen (inputs from lms/core/uploads.py).
    return format_html('<script src="{}" defer></script>', static("themes/js/upload-limit.js"))


@hooks.register("register_admin_menu_item")
def back_to_the_site():
    """The way back from the admin to the member pages (返回前台), first in the menu."""
    return MenuItem(_("Back to the site"), "/", icon_name="home", order=-100)
