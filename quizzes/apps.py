from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes and study points")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import daily_login  # noqa: F401  (counts token clients' visits: a receiver)
        from .permissions import grant_trainer_permissions

        # Model permissions exist only after migrate has run (and again after a test flush).
        post_migrate.connect(grant_trainer_permissions, sender=self)
