from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, member profiles, logins and bulk import of members."""

    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the Wagtail permission policy)
