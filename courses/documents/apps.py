from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourseDocumentsConfig(AppConfig):
    """Documents of lessons (Wagtail's document model, owned by an organisation)."""

    name = "courses.documents"
    label = "course_documents"
    verbose_name = _("Course documents")
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (the Wagtail permission policy)
