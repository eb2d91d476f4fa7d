from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    """The party organisation tree, roles held in it, and member transfers."""

    name = "lms.orgs"
    label = "orgs"
    verbose_name = _("Party organisations")

    def ready(self) -> None:
        from . import signals  # noqa: F401
