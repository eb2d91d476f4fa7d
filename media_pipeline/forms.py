"""The admin form for lecture videos: upload (or replace) the file, where it belongs, captions."""

import posixpath

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from lms.core.uploads import LimitedFileInput

from . import permissions, services


class VideoAssetForm(WagtailAdminModelForm):
    """Offers only the organisations the trainer trains; a new or replaced file is checked and
    queued for transcoding once saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        field = self.fields["organization"]
        if user is not None and not user.is_superuser:
            field.queryset = permissions.upload_organizations(user).order_by("path")
            field.required = True
            field.empty_label = None
            if not self.instance.pk:
                field.initial = permissions.default_upload_organization(user)
        else:
            field.queryset = field.queryset.order_by("path")
        original = self.fields["original"]
        # The stored original is never served, so no link to it (no "currently" widget): its
        # name is enough. A file over the limit is refused in the browser when chosen.
        original.widget = LimitedFileInput(
            settings.VIDEO_MAX_UPLOAD_BYTES, attrs={"accept": "video/*,audio/*"}
        )
        if self.instance.pk:
            original.required = False
            original.help_text = _(
                "Current file: %(name)s. Leave empty to keep it; a new file is converted again."
            ) % {"name": posixpath.basename(self.instance.original.name)}

    def clean_original(self):
        upload = self.cleaned_data.get("original")
        if upload and "original" in self.changed_data:
            services.validate_upload(upload)
        return upload

    def save(self, commit=True):
        replaced = "original" in self.changed_data
        if not self.instance.pk and self.for_user is not None:
            self.instance.uploaded_by = self.for_user
        video = super().save(commit=commit)
        if commit and replaced:
            services.enqueue_transcode(video)
        return video
