"""The admin form of documents (WAGTAILDOCS_DOCUMENT_FORM_BASE): a document goes only into
an organisation the trainer's role covers."""

from typing import Any

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from . import permissions


class CourseDocumentForm(BaseDocumentForm):
    """A trainer picks one of the organisations their role covers, the widest preselected; a
    site admin may leave it empty for a document of the whole platform.

    Wagtail's multiple uploader creates each document from the file alone before showing
    its form: such an upload goes into the widest organisation, to be changed in that form.
    """

    # A Django form's data (request.POST, or empty when unbound), which Wagtail's untyped
    # base class leaves unknown.
    data: MultiValueDict[str, Any]

    def __init__(self, *args, **kwargs) -> None:
        user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        if "organization" not in self.fields:
            return
        field = self.fields["organization"]
        field.queryset = field.queryset.order_by("path")
        if user is None or user.is_superuser:
            return
        field.queryset = permissions.upload_organizations(user).order_by("path")
        field.required = True
        field.empty_label = None
        field.error_messages["invalid_choice"] = _(
            "Choose an organisation your trainer role covers."
        )
        widest = permissions.default_organization(user)
        if not self.instance.pk and self.initial.get("organization") is None:
            self.initial["organization"] = widest
        key = self.add_prefix("organization")
        if self.is_bound and key not in self.data and widest is not None:
            self.data = self.data.copy()
            self.data[key] = widest.pk
