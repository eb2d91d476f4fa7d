"""Forms of the accounts app."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from lms.core.uploads import LimitedFileInput


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Note that the password is case-sensitive."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none"}
        )


class ImportForm(forms.Form):
    """Upload of an organisations or members file, checked (dry run) or imported."""

    KIND_CHOICES = [("organizations", _("Organisations")), ("members", _("Members"))]

    kind = forms.ChoiceField(label=_("What to import"), choices=KIND_CHOICES)
    file = forms.FileField(
        label=_("File"), help_text=_("An .xlsx or .csv file laid out like the template.")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget = LimitedFileInput(
            settings.IMPORT_MAX_UPLOAD_BYTES, attrs={"accept": ".xlsx,.csv"}
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.")
                % {"mb": settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return upload
