from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Branch-head dashboards: numbers of an organisation's subtree, exports, reminders."""

    name = "lms.dashboards"
    label = "dashboards"
    verbose_name = _("Organisation dashboards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import notices  # noqa: F401  (registers how a course reminder reads)
