from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Courses as Wagtail pages, enrolment, learning progress, required courses, certificates."""

    name = "courses"
    label = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The receivers, and the member views that answer the page models' `page_context`.
        from . import receivers, views  # noqa: F401
