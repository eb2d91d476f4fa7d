"""The site's home page and the audit log."""

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The root page of a site: what a member sees first after logging in."""

    welcome = RichTextField(
        _("welcome text"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )

    content_panels = [*Page.content_panels, FieldPanel("welcome")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        context["profile"] = getattr(user, "profile", None) if user.is_authenticated else None
        context["nav_section"] = "home"
        return context


class AuditEntry(models.Model):
    """Who did what to whose data, and when: exports and views of member records.

    Append-only: entries are written by `record_audit` and never edited.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    target = models.CharField(_("target"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "orgs.PartyOrganization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation scope"),
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"
