"""Fixtures of the course tests: a catalogue with a course and lessons in the page tree."""

import pytest

from courses.models import CoursePage, CourseTopic, LessonPage

from .pages import add_course, add_lesson, text
from .videos import make_lecture_clip


@pytest.fixture
def topic(db) -> CourseTopic:
    return CourseTopic.objects.create(name="党史")


@pytest.fixture
def course(catalog, topic) -> CoursePage:
    """A course with two required lessons read for 30 s and one optional lesson."""
    course = add_course(catalog, topic=topic, credit_hours=2)
    add_lesson(
        course,
        "第一课 开天辟地",
        [text("<p>中国共产党的成立是开天辟地的大事变。</p>")],
        complete_read_seconds=30,
    )
    add_lesson(
        course,
        "第二课 改天换地",
        [text("<p>新中国的成立。</p>")],
        complete_read_seconds=30,
    )
    add_lesson(course, "延伸阅读", [text("<p>参考书目。</p>")], is_required=False)
    return course


@pytest.fixture
def lessons(course) -> list[LessonPage]:
    return list(course.lessons())


@pytest.fixture(scope="session")
def lecture_clip(tmp_path_factory):
    """A 30-second lecture clip made with ffmpeg (once per test session)."""
    return make_lecture_clip(tmp_path_factory.mktemp("lecture"))
