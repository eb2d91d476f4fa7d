from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class H5PConfig(AppConfig):
    """H5P packages: strict validation, isolated playback, xAPI capture, completion."""

    name = "courses.h5p"
    label = "h5p"
    verbose_name = _("H5P activities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import permissions, receivers  # noqa: F401  (Wagtail permission policy, receivers)
