"""The admin form that uploads an H5P package: nothing is stored unless it passes validation,
and it goes only into an organisation the trainer's role covers."""

import shutil

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from lms.core.uploads import LimitedFileInput

from . import permissions
from .services import PreparedPackage, prepare_upload, save_package
from .validation import PackageError


class H5PPackageForm(WagtailAdminModelForm):
    """Upload (or replace) an .h5p file; its title defaults to the one in h5p.json. A trainer
    picks one of the organisations their role covers (the widest preselected); a site admin
    may leave it empty for one of the whole platform."""

    prepared: PreparedPackage | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._limit_organization()
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use the title inside the H5P file.")
        self.fields["file"].widget = LimitedFileInput(
            settings.H5P_MAX_UPLOAD_BYTES, attrs={"accept": ".h5p"}
        )
        if self.instance.pk:
            self.fields["file"].required = False
            self.fields["file"].help_text = _(
                "Choose a new .h5p file only to replace the activity; members' results are kept."
            )

    def _limit_organization(self) -> None:
        field = self.fields["organization"]
        user = self.for_user
        if user is None or user.is_superuser:
            field.queryset = field.queryset.order_by("path")
            return
        field.queryset = permissions.upload_organizations(user).order_by("path")
        field.required = True
        field.empty_label = None
        field.error_messages["invalid_choice"] = _(
            "Choose an organisation your trainer role covers."
        )
        if not self.instance.pk and self.initial.get("organization") is None:
            self.initial["organization"] = permissions.default_organization(user)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            try:
                self.prepared = prepare_upload(upload)
            except PackageError as error:
                raise forms.ValidationError(error.messages) from None
        elif not self.instance.pk:
            raise forms.ValidationError(_("Choose an .h5p file."))
        return upload

    def save(self, commit: bool = True):
        package = super().save(commit=False)
        if package.uploaded_by_id is None and self.for_user is not None:
            package.uploaded_by = self.for_user
        if self.prepared is None:
            if commit:
                package.save()
            return package
        return save_package(package, self.prepared, self.cleaned_data["file"])

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors and self.prepared is not None:
            # Another field is wrong: the unpacked upload will not be used.
            shutil.rmtree(self.prepared.staging, ignore_errors=True)
            self.prepared = None
