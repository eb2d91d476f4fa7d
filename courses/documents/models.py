"""The document model of the site (WAGTAILDOCS_DOCUMENT_MODEL): Wagtail's, owned by an
organisation like videos and question banks, so trainers manage only their own."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document


class CourseDocument(AbstractDocument):
    """Slides, reading material and forms that lessons offer for download.

    Who may manage, choose and read one is `courses.documents.permissions`; the file is served
    only by Wagtail's document view (`/documents/<id>/<name>`), never from the media folder.
    """

    organization = models.ForeignKey(
        "orgs.PartyOrganization",
        on_delete=models.PROTECT,
        # Blank for Wagtail's multiple uploader, which creates the document before its form
        # is filled in; the admin form requires one from trainers.
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("organisation"),
        help_text=_(
            "Trainers of this organisation and of those above it manage the document; "
            "trainers below it may put it in their lessons. Empty: the platform's, managed by "
            "site admins."
        ),
    )

    admin_form_fields = (*Document.admin_form_fields, "organization")

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")
