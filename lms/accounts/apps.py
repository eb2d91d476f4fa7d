from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    """Users, member profiles, logins, API tokens and bulk import of members."""

    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    default = True

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the Wagtail permission policy)


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin with the platform's account rules: a new account gets a random
    initial password (`views.admin_users`), an admin's reset makes the member choose their own."""

    user_viewset = "lms.accounts.views.admin_users.UserViewSet"
