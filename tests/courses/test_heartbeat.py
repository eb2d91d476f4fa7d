"""The heartbeat endpoint: unique watched seconds that seeking, replaying or inventing cannot
inflate, resume positions, reading time, and who may send one."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from courses import progress as progress_module
from courses.enrolment import enroll
from courses.models import LessonPage, LessonProgress, StudyClock

from .pages import add_course, add_lesson, text

pytestmark = pytest.mark.django_db

DURATION = 600.0


@pytest.fixture
def video_duration(monkeypatch):
    """The lesson's lecture video is ten minutes long (tests with real videos are in
    test_video_progress.py)."""
    monkeypatch.setattr(LessonPage, "video_duration", lambda lesson: DURATION)
    return DURATION


@pytest.fixture
def lesson(course, video_duration):
    return course.lessons().first()


@pytest.fixture
def member(people, course):
    user = people["member_a1"]
    enroll(user, course)
    return user


@pytest.fixture
def api(member):
    client = APIClient()
    client.force_authenticate(member)
    return client


def url(lesson) -> str:
    return f"/api/v1/lessons/{lesson.pk}/heartbeat/"


def seconds_ago(member, lesson, seconds: float) -> None:
    """Pretend the lesson page was opened `seconds` ago (and no heartbeat came since)."""
    when = timezone.now() - timedelta(seconds=seconds)
    LessonProgress.objects.update_or_create(
        user=member, lesson=lesson, defaults={"last_heartbeat_at": when}
    )
    StudyClock.objects.update_or_create(
        member=member,
        defaults={
            "last_video_heartbeat_at": when,
            "video_allowance": progress_module.TOLERANCE_SECONDS,
        },
    )


def beat(api, lesson, played, position=None, after=None, member=None):
    if after is not None:
        seconds_ago(member, lesson, after)
    body = {"played": played}
    if position is not None:
        body["position"] = position
    return api.post(url(lesson), body, format="json")


def test_played_seconds_are_credited_and_resume_position_stored(api, member, lesson):
    response = beat(api, lesson, [[0, 15]], position=15, after=15, member=member)

    assert response.status_code == 200
    data = response.json()
    assert data.pop("read_seconds") == pytest.approx(15, abs=3)
    assert data == {
        "unique_watched_seconds": 15.0,
        "percent": 2.5,
        "completed": False,
        "resume_position": 15.0,
    }


def test_seeking_ahead_credits_only_what_was_played(api, member, lesson):
    beat(api, lesson, [[0, 10]], position=10, after=12, member=member)
    # The member jumps to 500 s and plays 10 s there: the skipped part earns nothing.
    data = beat(api, lesson, [[500, 510]], position=510, after=12, member=member).json()

    assert data["unique_watched_seconds"] == 20.0
    assert data["resume_position"] == 510.0


def test_rewatching_adds_nothing(api, member, lesson):
    beat(api, lesson, [[0, 14]], position=14, after=15, member=member)
    data = beat(api, lesson, [[0, 14]], position=14, after=15, member=member).json()

    assert data["unique_watched_seconds"] == 14.0


def test_an_hour_claimed_in_ten_seconds_credits_at_most_double_the_wall_time(api, member, lesson):
    data = beat(api, lesson, [[0, 3600]], position=3600, after=10, member=member).json()

    assert data["unique_watched_seconds"] <= 10 * 2 + progress_module.TOLERANCE_SECONDS + 0.5
    assert data["resume_position"] == DURATION  # clipped to the video


def test_many_small_claims_cannot_beat_the_budget(api, member, lesson):
    played = [[i * 10, i * 10 + 10] for i in range(50)]
    started = timezone.now()
    data = beat(api, lesson, played, position=500, after=10, member=member).json()
    # The budget is the wall time that really passed (10 s, plus however slow this machine is
    # today) at twice the playback rate — never the 500 s claimed.
    elapsed = 10 + (timezone.now() - started).total_seconds()

    budget = elapsed * progress_module.MAX_PLAYBACK_RATE + progress_module.TOLERANCE_SECONDS
    assert 10 * 2 <= data["unique_watched_seconds"] <= budget


def test_replayed_heartbeat_credits_nothing_more(api, member, lesson):
    body = {"played": [[0, 15]], "position": 15}
    seconds_ago(member, lesson, 15)
    first = api.post(url(lesson), body, format="json").json()
    replays = [api.post(url(lesson), body, format="json").json() for _ in range(3)]

    assert first["unique_watched_seconds"] == 15.0
    assert {r["unique_watched_seconds"] for r in replays} == {15.0}


def test_a_flood_of_heartbeats_cannot_outrun_the_clock(api, member, lesson):
    seconds_ago(member, lesson, 5)
    started = timezone.now()
    for n in range(40):  # each claims three new seconds, far faster than they can be played
        data = api.post(url(lesson), {"played": [[n * 3, n * 3 + 3]]}, format="json").json()
    elapsed = (timezone.now() - started).total_seconds() + 5

    limit = elapsed * progress_module.MAX_PLAYBACK_RATE + progress_module.TOLERANCE_SECONDS
    assert data["unique_watched_seconds"] <= limit + 0.5


def test_first_heartbeat_without_an_opened_page_credits_nothing(api, member, lesson):
    data = api.post(url(lesson), {"played": [[0, 15]], "position": 15}, format="json").json()

    assert data["unique_watched_seconds"] == 0
    assert data["resume_position"] == 15.0


def test_the_pages_first_beacon_starts_the_clock_and_its_get_writes_nothing(client, member, lesson):
    client.force_login(member)
    assert client.get(lesson.url).status_code == 200
    assert not LessonProgress.objects.filter(user=member).exists()  # GET writes nothing
    api = APIClient()
    api.force_authenticate(member)
    opened = api.post(url(lesson), {"played": [], "opened": True}, format="json")
    assert opened.status_code == 200
    seconds_ago(member, lesson, 12)  # twelve seconds later the player reports

    data = api.post(url(lesson), {"played": [[0, 12]], "position": 12}, format="json").json()

    assert data["unique_watched_seconds"] == 12.0


def test_out_of_range_reversed_and_overlapping_intervals(api, member, lesson):
    played = [[-30, 5], [20, 10], [3, 8], [595, 900]]
    data = beat(api, lesson, played, position=-5, after=15, member=member).json()

    assert data["unique_watched_seconds"] == 13.0  # [0, 8] and [595, 600]
    assert data["resume_position"] == 0.0


def test_malformed_heartbeats_are_refused_with_a_message(api, lesson):
    for body in ({"played": "lots"}, {"played": [[1, 2, 3]]}, {"position": "x", "played": []}):
        response = api.post(url(lesson), body, format="json")
        assert response.status_code == 400
        assert "心跳" in response.json()["detail"]
    response = api.post(url(lesson), "{", content_type="application/json")
    assert response.status_code == 400
    assert not LessonProgress.objects.filter(unique_watched_seconds__gt=0).exists()


def test_page_heartbeats_count_reading_time_but_leave_the_video_budget(api, member, lesson):
    seconds_ago(member, lesson, 15)
    reading = api.post(url(lesson), {"played": []}, format="json").json()
    assert reading["read_seconds"] == pytest.approx(15, abs=3)
    # The player reports 15 s played since its own last report, a moment after the page did.
    data = api.post(url(lesson), {"played": [[0, 15]], "position": 15}, format="json").json()

    assert data["unique_watched_seconds"] == 15.0


def test_long_silence_is_not_credited_as_reading(api, member, lesson):
    seconds_ago(member, lesson, 3 * 3600)
    data = api.post(url(lesson), {"played": []}, format="json").json()

    assert data["read_seconds"] == progress_module.MAX_HEARTBEAT_GAP_SECONDS


def test_not_enrolled_member_is_refused_and_nothing_recorded(people, course, video_duration):
    lesson = course.lessons().first()
    api = APIClient()
    api.force_authenticate(people["member_a2"])

    response = api.post(url(lesson), {"played": [[0, 10]], "position": 10}, format="json")

    assert response.status_code == 403
    assert "报名" in response.json()["detail"]
    assert not LessonProgress.objects.filter(user=people["member_a2"]).exists()


def test_lesson_of_a_course_the_member_cannot_see_is_404(people, catalog, org_tree):
    hidden = add_course(catalog, "机关专题", audience=[org_tree["general_b"]])
    lesson = add_lesson(hidden, "第一课", [text("<p>内容</p>")])
    api = APIClient()
    api.force_authenticate(people["member_a1"])

    response = api.post(url(lesson), {"played": [[0, 10]], "position": 10}, format="json")

    assert response.status_code == 404


def test_anonymous_heartbeat_is_refused(lesson):
    response = APIClient().post(url(lesson), {"played": [[0, 10]]}, format="json")
    assert response.status_code in (401, 403)


def test_session_heartbeat_needs_the_csrf_token(member, lesson):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = browser.post(url(lesson), {"played": []}, content_type="application/json")
    assert response.status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_heartbeats_lose_nothing(people, course, video_duration):
    """Two heartbeats for different parts of the video arrive at the same moment: both count."""
    if connection.vendor != "postgresql":
        pytest.skip("real row-lock concurrency needs PostgreSQL (SQLite serialises writers)")
    member = people["member_a1"]
    enroll(member, course)
    lesson = course.lessons().first()
    seconds_ago(member, lesson, 40)
    barrier = threading.Barrier(2)
    results = []

    def send(start):
        client = APIClient()
        client.force_authenticate(member)
        barrier.wait()
        played = [[start, start + 15]]
        results.append(client.post(url(lesson), {"played": played}, format="json").status_code)
        connection.close()

    threads = [threading.Thread(target=send, args=(s,)) for s in (0, 100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert results == [200, 200]
    progress = LessonProgress.objects.get(user=member, lesson=lesson)
    # The second writer waited for the first one's lock and added to its intervals instead of
    # overwriting them; 40 s of wall time allow both 15 s claims.
    assert progress.watched == [[0.0, 15.0], [100.0, 115.0]]
    assert progress.unique_watched_seconds == 30.0


def test_each_new_minute_watched_earns_video_points_once(
    api, member, lesson, django_capture_on_commit_callbacks
):
    from importlib import import_module

    from django.apps import apps

    from quizzes.models import PointEntry

    import_module("quizzes.migrations.0002_default_point_rules").create_rules(apps, None)
    with django_capture_on_commit_callbacks(execute=True):
        beat(api, lesson, [[0, 50]], position=50, after=30, member=member)
        beat(api, lesson, [[50, 125]], position=125, after=40, member=member)
        beat(api, lesson, [[0, 125]], position=125, after=60, member=member)  # watched again

    keys = PointEntry.objects.filter(
        member=member, idempotency_key__startswith="video_minutes:"
    ).values_list("idempotency_key", flat=True)
    assert sorted(keys) == [
        f"video_minutes:{member.pk}:{lesson.pk}:1",
        f"video_minutes:{member.pk}:{lesson.pk}:2",
    ]


def test_lessons_playing_at_once_share_one_allowance(people, catalog, video_duration):
    """Five lessons open in five tabs, each player claiming twice the wall time: together
    they are credited what one member can have played, not five times that."""
    course = add_course(catalog, "五课同开")
    lessons = [add_lesson(course, f"第{n}课", [text("<p>内容</p>")]) for n in range(1, 6)]
    member = people["member_a1"]
    enroll(member, course)
    api = APIClient()
    api.force_authenticate(member)
    for lesson in lessons:
        opened = api.post(url(lesson), {"played": [], "opened": True}, format="json")
        assert opened.status_code == 200
    started = timezone.now()
    StudyClock.objects.filter(member=member).update(
        last_video_heartbeat_at=started - timedelta(seconds=10)
    )

    for lesson in lessons:
        response = api.post(url(lesson), {"played": [[0, 20]], "position": 20}, format="json")
        assert response.status_code == 200
    elapsed = 10 + (timezone.now() - started).total_seconds()

    credited = sum(
        LessonProgress.objects.filter(user=member).values_list("unique_watched_seconds", flat=True)
    )
    limit = elapsed * progress_module.MAX_PLAYBACK_RATE + progress_module.TOLERANCE_SECONDS
    assert 20 <= credited <= limit + 0.5


def test_a_lesson_without_a_video_credits_no_played_time(
    client, people, catalog, django_capture_on_commit_callbacks, point_rules
):
    from quizzes.models import PointEntry

    course = add_course(catalog, "只有文字")
    lesson = add_lesson(course, "第一课", [text("<p>没有视频的一课</p>")])
    member = people["member_a1"]
    enroll(member, course)
    seconds_ago(member, lesson, 60)
    api = APIClient()
    api.force_authenticate(member)

    with django_capture_on_commit_callbacks(execute=True):
        data = api.post(url(lesson), {"played": [[0, 120]], "position": 120}, format="json").json()

    assert data["unique_watched_seconds"] == 0
    assert data["resume_position"] == 0
    assert data["read_seconds"] == pytest.approx(60, abs=3)  # reading still counts
    assert not PointEntry.objects.filter(idempotency_key__startswith="video_minutes:").exists()
