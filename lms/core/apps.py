from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Platform core: home page, health check, audit log, middleware."""

    name = "lms.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the Wagtail permission policy)
