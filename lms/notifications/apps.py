from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Messages to one member (reminders, notices, answers), in the foundation so that every
    feature can send them; each feature registers how its kind of message reads (kinds.py)."""

    name = "lms.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"
