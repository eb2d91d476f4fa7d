"""Completion rules: per lesson (reading time, opening, quiz, H5P), per course (all required
lessons), recorded once, with signals, study points and a certificate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses import signals
from courses.completion import update_course_completion, update_lesson_completion
from courses.enrolment import enroll
from courses.models import Certificate, Enrollment, LessonProgress
from courses.progress import record_heartbeat
from quizzes.models import PointEntry

from .pages import add_lesson, open_lesson, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(people, course):
    user = people["member_a1"]
    enroll(user, course)
    return user


def read_for(member, lesson, seconds: float):
    """The lesson page reports `seconds` on the page, in heartbeats 15 s apart."""
    start = timezone.now() - timedelta(seconds=seconds + 1)
    LessonProgress.objects.update_or_create(
        user=member, lesson=lesson, defaults={"last_heartbeat_at": start}
    )
    at = start
    result = None
    while at < start + timedelta(seconds=seconds):
        at = min(at + timedelta(seconds=15), start + timedelta(seconds=seconds))
        result = record_heartbeat(member, lesson, position=None, played=[], now=at)
    return result


def collect(signal):
    received = []

    def handler(sender, **kwargs):
        received.append(kwargs)

    signal.connect(handler, weak=False)
    return received, handler


def test_reading_long_enough_completes_the_lesson(
    member, lessons, django_capture_on_commit_callbacks
):
    first = lessons[0]
    assert not read_for(member, first, 20).completed
    with django_capture_on_commit_callbacks(execute=True):
        result = read_for(member, first, 15)
    assert result.completed
    assert LessonProgress.objects.get(user=member, lesson=first).completed_at is not None


def test_course_completes_when_every_required_lesson_is_done_once(
    member, course, lessons, point_rules, django_capture_on_commit_callbacks
):
    lessons_done, lesson_handler = collect(signals.lesson_completed)
    courses_done, course_handler = collect(signals.course_completed)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            read_for(member, lessons[0], 31)
        assert Enrollment.objects.get(user=member, course=course).completed_at is None
        with django_capture_on_commit_callbacks(execute=True):
            read_for(member, lessons[1], 31)
        enrollment = Enrollment.objects.get(user=member, course=course)
        completed_at = enrollment.completed_at
        assert completed_at is not None  # the optional third lesson is not needed

        # More study later changes nothing: the time is recorded once, signals went once.
        with django_capture_on_commit_callbacks(execute=True):
            read_for(member, lessons[1], 31)
            update_course_completion(member, course)
        enrollment.refresh_from_db()
        assert enrollment.completed_at == completed_at
    finally:
        signals.lesson_completed.disconnect(lesson_handler)
        signals.course_completed.disconnect(course_handler)

    assert [d["lesson"].pk for d in lessons_done] == [lessons[0].pk, lessons[1].pk]
    assert [d["course"].pk for d in courses_done] == [course.pk]
    certificate = Certificate.objects.get(user=member, course=course)
    assert certificate.holder_name == "刘洋"
    assert certificate.course_title == course.title
    # Study points, each under a stable key, once.
    keys = set(PointEntry.objects.filter(member=member).values_list("idempotency_key", flat=True))
    assert keys == {
        f"lesson_completed:{member.pk}:{lessons[0].pk}",
        f"lesson_completed:{member.pk}:{lessons[1].pk}",
        f"course_completed:{member.pk}:{course.pk}",
    }


def test_a_course_pays_its_own_completion_points(
    member, course, lessons, point_rules, django_capture_on_commit_callbacks
):
    course.completion_points = 8
    course.save_revision().publish()

    with django_capture_on_commit_callbacks(execute=True):
        read_for(member, lessons[0], 31)
        read_for(member, lessons[1], 31)

    entry = PointEntry.objects.get(idempotency_key=f"course_completed:{member.pk}:{course.pk}")
    assert entry.points == 8


def test_lesson_without_a_rule_completes_when_opened(client, member, course):
    lesson = add_lesson(course, "课前说明", [text("<p>欢迎学习。</p>")])
    client.force_login(member)

    assert client.get(lesson.url).status_code == 200
    assert not LessonProgress.objects.filter(user=member, lesson=lesson).exists()  # a GET

    open_lesson(client, lesson)

    assert LessonProgress.objects.get(user=member, lesson=lesson).completed_at is not None


def test_opening_a_lesson_without_enrolling_records_nothing(client, people, course, lessons):
    client.force_login(people["member_a2"])

    response = client.get(lessons[0].url)

    assert response.status_code == 200
    assert "尚未报名" in response.content.decode()
    assert not LessonProgress.objects.filter(user=people["member_a2"]).exists()


def test_rule_conditions_must_match_the_body(course):
    from django.core.exceptions import ValidationError

    lesson = add_lesson(course, "无视频", [text("<p>正文</p>")])
    lesson.complete_video_percent = 90
    lesson.complete_quiz = True
    with pytest.raises(ValidationError) as error:
        lesson.full_clean()
    assert {"complete_video_percent", "complete_quiz"} <= set(error.value.message_dict)


def test_reading_and_passing_the_quiz_completes_the_lesson(
    member, course, point_rules, django_capture_on_commit_callbacks
):
    from quizzes import services
    from tests.quizzes.factories import correct_answers, make_bank, make_quiz

    quiz = make_quiz(make_bank())
    lesson = add_lesson(
        course,
        "随堂测验",
        [text("<p>请先阅读，再答题。</p>"), ("quiz", {"quiz": quiz})],
        complete_quiz=True,
        complete_read_seconds=30,
    )
    read_for(member, lesson, 40)
    assert not update_lesson_completion(member, lesson)  # read, but the quiz is not passed

    attempt = services.start_attempt(member, quiz).attempt
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_attempt(member, attempt.pk, correct_answers(attempt))

    assert LessonProgress.objects.get(user=member, lesson=lesson).completed_at is not None


def test_completing_the_h5p_activity_completes_the_lesson(
    member, course, django_capture_on_commit_callbacks
):
    from courses.h5p import services
    from courses.h5p.models import H5PPackage, H5PPlay
    from courses.h5p.xapi import clean_statement

    package = H5PPackage.objects.create(
        title="党史知识连连看", file="h5p/packages/none.h5p", main_library="PartyMooc.Check 1.0"
    )
    lesson = add_lesson(course, "互动练习", [("h5p", {"package": package})], complete_h5p=True)
    assert not update_lesson_completion(member, lesson)

    iri = "http://testserver/h5p/activities/1"
    raw = {
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
        "object": {"id": iri, "objectType": "Activity"},
        "result": {"completion": True, "score": {"raw": 3, "max": 3}},
    }
    clean = clean_statement(raw, user=member, object_iri=iri, home_page="http://testserver/")
    play = H5PPlay.objects.create(
        key="lesson", user=member, package=package, opened_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.record_statement(member, package, clean, play)

    assert LessonProgress.objects.get(user=member, lesson=lesson).completed_at is not None
