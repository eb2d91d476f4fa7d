"""Building course page trees in tests."""

from courses.models import CatalogPage, CoursePage, LessonPage


def add_course(catalog: CatalogPage, title: str = "党史学习教育", **fields) -> CoursePage:
    audience = fields.pop("audience", ())
    course = catalog.add_child(
        instance=CoursePage(
            title=title,
            summary=fields.pop("summary", "学习党的百年奋斗历程。"),
            **fields,
        )
    )
    if audience:
        course.audience.set(audience)
        course.save_revision().publish()
    return course


def add_lesson(course: CoursePage, title: str, body=(), **fields) -> LessonPage:
    return course.add_child(instance=LessonPage(title=title, body=list(body), **fields))


def text(html: str) -> tuple[str, str]:
    return ("text", html)


def open_lesson(client, lesson: LessonPage):
    """Open a lesson page as a browser does: the GET, then the page's first beacon (lesson.js
    posts `opened`, which starts the lesson's clocks). Returns the page's response."""
    page = client.get(lesson.url)
    if page.status_code == 200 and page.context["heartbeat_url"]:
        beacon = client.post(
            page.context["heartbeat_url"],
            {"played": [], "opened": True},
            content_type="application/json",
        )
        assert beacon.status_code == 200, beacon.content
    return page
