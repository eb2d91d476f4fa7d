from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    """Templates and static files of every page, and the per-site theme settings."""

    name = "themes"
    verbose_name = _("Themes")
