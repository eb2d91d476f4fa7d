"""A file input that knows the largest file it may take, so the browser can refuse a file
that is too large the moment it is chosen, before gigabytes travel to be turned away.

The server still checks (the form's clean method, the web server's body limit): this only
spares the wait. `themes/static/themes/js/upload-limit.js` does the browser's part.
"""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext


class LimitedFileInput(forms.FileInput):
    def __init__(self, max_bytes: int, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.max_bytes = max_bytes

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-max-bytes": str(self.max_bytes),
                # Translators: {size} is replaced in the browser by the chosen file's size.
                "data-too-large": gettext(
                    "This file is {size}; at most %(limit)s may be uploaded. Choose a smaller file."
                )
                % {"limit": filesizeformat(self.max_bytes)},
            }
        )
        return context
