from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

from .converters import DatabaseIdConverter


class CoreConfig(AppConfig):
    """Platform core: home page, health check, audit log, middleware."""

    name = "lms.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the Wagtail permission policy)

        # Here rather than in a URL map: every map, Wagtail's admin hooks included, uses it.
        register_converter(DatabaseIdConverter, "id")
