"""Who may read (download) a document: what reading its course needs. A member reads it when a
live lesson of a course they may see uses it; whoever may use it (permissions.py), or works on a
course whose lessons use it (previews), reads it too. Which lessons use a document comes from
Wagtail's reference index (one indexed lookup), not from scanning lesson bodies."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ReferenceIndex

from courses.models import CoursePage, LessonPage
from courses.permissions import course_organizations
from lms.accounts.models import User

from .models import CourseDocument
from .permissions import usable_documents


def _lessons_using(document: CourseDocument) -> list[tuple[str, bool]]:
    """(path, live) of the lessons whose body uses the document."""
    ids = ReferenceIndex.get_references_to(document).filter(
        content_type=ContentType.objects.get_for_model(LessonPage)
    )
    lesson_ids = {int(pk) for pk in ids.values_list("object_id", flat=True)}
    if not lesson_ids:
        return []
    return list(LessonPage.objects.filter(pk__in=lesson_ids).values_list("path", "live"))


def may_read_document(user: User | AnonymousUser, document: CourseDocument) -> bool:
    """Whether the user may download the document (`/documents/<id>/<name>`)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if usable_documents(user).filter(pk=document.pk).exists():
        return True
    lessons = _lessons_using(document)
    if not lessons:
        return False
    step = CoursePage.steplen
    live_courses = {path[:-step] for path, live in lessons if live}
    if live_courses and CoursePage.objects.visible_to(user).filter(path__in=live_courses).exists():
        return True
    all_courses = {path[:-step] for path, _live in lessons}
    return CoursePage.objects.filter(
        path__in=all_courses, managed_by__in=course_organizations(user)
    ).exists()
