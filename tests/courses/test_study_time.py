"""Study time per member per day: what the heartbeat credits as time on lesson pages, on the
member's Shanghai calendar day, never more than the clock has run, in the same transaction as
the lesson's progress."""

from datetime import UTC, datetime, timedelta

import pytest
from rest_framework.test import APIClient

from courses import progress as progress_module
from courses.enrolment import enroll
from courses.models import DailyStudyTime, LessonProgress
from courses.progress import record_heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(people, course):
    user = people["member_a1"]
    enroll(user, course)
    return user


def study_days(member) -> dict:
    return dict(DailyStudyTime.objects.filter(member=member).values_list("day", "seconds"))


def test_page_heartbeats_become_the_members_study_time_of_the_day(member, lessons):
    lesson = lessons[0]
    opened = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    record_heartbeat(member, lesson, position=None, played=[], opened=True, now=opened)
    for seconds in (15, 30, 45):
        record_heartbeat(
            member, lesson, position=None, played=[], now=opened + timedelta(seconds=seconds)
        )

    assert study_days(member) == {datetime(2026, 11, 20).date(): 45.0}


def test_the_day_is_the_calendar_day_in_shanghai(member, lessons):
    lesson = lessons[0]
    # 23:59:50 on the 20th in Shanghai, then 00:00:10 on the 21st (16:00 UTC on the 20th).
    opened = datetime(2026, 11, 20, 15, 59, 40, tzinfo=UTC)
    record_heartbeat(member, lesson, position=None, played=[], opened=True, now=opened)
    record_heartbeat(member, lesson, position=None, played=[], now=opened + timedelta(seconds=10))
    record_heartbeat(member, lesson, position=None, played=[], now=opened + timedelta(seconds=30))

    assert study_days(member) == {
        datetime(2026, 11, 20).date(): 10.0,
        datetime(2026, 11, 21).date(): 20.0,
    }


def test_two_lessons_open_at_once_count_the_clock_only_once(member, lessons):
    first, second = lessons[0], lessons[1]
    start = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    record_heartbeat(member, first, position=None, played=[], opened=True, now=start)
    record_heartbeat(
        member, second, position=None, played=[], opened=True, now=start + timedelta(seconds=2)
    )
    # Both tabs report every 10 s for a minute: each lesson counts its own reading time...
    for tick in range(1, 7):
        for lesson, offset in ((first, 0), (second, 2)):
            at = start + timedelta(seconds=tick * 10 + offset)
            record_heartbeat(member, lesson, position=None, played=[], now=at)

    read = sum(LessonProgress.objects.filter(user=member).values_list("read_seconds", flat=True))
    assert read == pytest.approx(120)
    # ...but the member studied for 62 seconds of wall time, not 120.
    assert study_days(member) == {start.date(): pytest.approx(62)}


def test_a_long_silence_is_not_study_time(member, lessons):
    lesson = lessons[0]
    opened = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    record_heartbeat(member, lesson, position=None, played=[], opened=True, now=opened)
    record_heartbeat(member, lesson, position=None, played=[], now=opened + timedelta(hours=3))

    assert study_days(member) == {opened.date(): progress_module.MAX_HEARTBEAT_GAP_SECONDS}


def test_the_study_time_is_written_in_the_heartbeats_transaction(member, lessons, monkeypatch):
    lesson = lessons[0]
    opened = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    record_heartbeat(member, lesson, position=None, played=[], opened=True, now=opened)

    def completion_fails(*args, **kwargs):
        raise RuntimeError("completion could not be evaluated")

    monkeypatch.setattr("courses.completion.update_lesson_completion", completion_fails)
    with pytest.raises(RuntimeError):
        record_heartbeat(
            member, lesson, position=None, played=[], now=opened + timedelta(seconds=20)
        )

    assert study_days(member) == {}
    assert LessonProgress.objects.get(user=member, lesson=lesson).read_seconds == 0


def test_the_heartbeat_endpoint_credits_study_time_only_to_enrolled_members(
    member, people, lessons
):
    lesson = lessons[0]
    outsider = people["member_a2"]
    for user in (member, outsider):
        LessonProgress.objects.create(
            user=user,
            lesson=lesson,
            last_heartbeat_at=progress_module.timezone.now() - timedelta(seconds=20),
        )
        api = APIClient()
        api.force_authenticate(user)
        api.post(f"/api/v1/lessons/{lesson.pk}/heartbeat/", {"played": []}, format="json")

    assert sum(study_days(member).values()) == pytest.approx(20, abs=3)
    assert study_days(outsider) == {}
