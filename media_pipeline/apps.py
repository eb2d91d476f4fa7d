from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaPipelineConfig(AppConfig):
    """Lecture videos: upload, probe, one-pass HLS ladder, posters, captions, the player."""

    name = "media_pipeline"
    verbose_name = _("Lecture videos")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import permissions, signals  # noqa: F401  (Wagtail permission policy, receivers)
