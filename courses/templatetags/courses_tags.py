"""Template tags other templates use to show learning: the catalogue link in the navigation
and the home page's "继续学习" (resume where you left off)."""

from django import template
from django.http import HttpRequest

from ..completion import progress_by_course
from ..models import CatalogPage, CoursePage, Enrollment

register = template.Library()

CONTINUE_LEARNING_COUNT = 3


@register.simple_tag(takes_context=True)
def catalog_url(context) -> str:
    """URL of the site's course catalogue ("" when there is none)."""
    request: HttpRequest | None = context.get("request")
    catalog = CatalogPage.objects.live().order_by("path").first()
    if catalog is None:
        return ""
    return catalog.get_url(request) or ""


@register.inclusion_tag("courses/includes/continue_learning.html", takes_context=True)
def continue_learning(context) -> dict:
    """The member's most recently studied unfinished courses, each with the lesson to resume."""
    request = context["request"]
    user = request.user
    enrollments = list(
        Enrollment.objects.filter(
            user=user,
            completed_at__isnull=True,
            course__in=CoursePage.objects.visible_to(user),
        )
        .select_related("course", "last_lesson")
        .order_by("-last_activity_at", "-enrolled_at")[:CONTINUE_LEARNING_COUNT]
    )
    progress = progress_by_course(user, [e.course for e in enrollments])
    return {
        "request": request,
        "items": [
            {
                "enrollment": e,
                "course": e.course,
                "lesson": e.last_lesson if e.last_lesson and e.last_lesson.live else None,
                "progress": progress.get(e.course_id, (0, 0)),
            }
            for e in enrollments
        ],
        "catalog_url": catalog_url(context),
    }
