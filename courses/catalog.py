"""What the catalogue finds: live courses whose own text or any live lesson's text matches what
a member typed (the query is built by search.py)."""

from .models import CoursePage, LessonPage
from .search import search_query


def matching_course_ids(text: str) -> set[int]:
    """Ids of live courses whose own text or any live lesson's text matches `text`."""
    query = search_query(text)
    if query is None:
        return set()
    course_ids = {page.pk for page in CoursePage.objects.live().search(query)}
    lesson_paths = [page.path for page in LessonPage.objects.live().search(query)]
    if lesson_paths:
        parent_paths = {path[: -LessonPage.steplen] for path in lesson_paths}
        course_ids.update(
            CoursePage.objects.filter(path__in=parent_paths).values_list("pk", flat=True)
        )
    return course_ids
