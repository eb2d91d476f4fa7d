"""Study points: one ledger entry per key, caps per day and week, Shanghai days, totals,
append-only corrections — and the same under twenty simultaneous requests."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import close_old_connections, connection

from quizzes import points
from quizzes.models import AppendOnlyError, DailyRulePoints, PointEntry, PointRule, PointTotal

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment in Shanghai time."""
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=SHANGHAI)


def test_an_award_writes_one_entry_and_the_totals(people, point_rules):
    member = people["member_a1"]

    entry = points.award_points(
        member, points.COURSE_COMPLETED, "course:7", "course_completed:x:7", at=at("2026-11-18")
    )

    assert entry.points == 5
    assert entry.day == dt.date(2026, 11, 18)
    totals = dict(PointTotal.objects.filter(member=member).values_list("period", "start"))
    assert totals == {
        "day": dt.date(2026, 11, 18),
        "week": dt.date(2026, 11, 16),  # the Monday
        "month": dt.date(2026, 11, 1),
        "year": dt.date(2026, 1, 1),
        "all": points.ALL_TIME_START,
    }
    assert set(PointTotal.objects.filter(member=member).values_list("points", flat=True)) == {5}


def test_the_same_key_awards_once(people, point_rules):
    member = people["member_a1"]

    first = points.award_points(member, points.LESSON_COMPLETED, "lesson:1", "k:lesson:1")
    second = points.award_points(member, points.LESSON_COMPLETED, "lesson:1", "k:lesson:1")

    assert first is not None and second is None
    assert PointEntry.objects.filter(member=member).count() == 1
    assert points.total_points(member) == 1


def test_the_daily_cap_stops_awards_and_grants_what_is_left(people, point_rules):
    member = people["member_a1"]
    PointRule.objects.filter(code=points.COURSE_COMPLETED).update(points=4, daily_cap=10)
    day = at("2026-11-18")

    granted = [
        points.award_points(member, points.COURSE_COMPLETED, f"course:{n}", f"c:{n}", at=day)
        for n in range(4)
    ]

    assert [e.points if e else None for e in granted] == [4, 4, 2, None]
    assert points.total_points(member) == 10
    # the next day starts again
    assert (
        points.award_points(
            member, points.COURSE_COMPLETED, "course:9", "c:9", at=at("2026-11-19")
        ).points
        == 4
    )


def test_the_weekly_cap_holds_across_days_and_resets_on_monday(people, point_rules):
    member = people["member_a1"]  # special quiz: 10 a day, at most 20 a week

    def award(day, n):
        return points.award_points(member, points.SPECIAL_QUIZ, f"q:{n}", f"sq:{n}", at=at(day))

    assert award("2026-11-16", 1).points == 10  # Monday
    assert award("2026-11-16", 2) is None  # daily cap
    assert award("2026-11-17", 3).points == 10
    assert award("2026-11-18", 4) is None  # weekly cap
    assert award("2026-11-22", 5) is None  # Sunday, same week
    assert award("2026-11-23", 6).points == 10  # next Monday


def test_a_source_may_set_its_own_points_but_the_rule_still_caps_them(people, point_rules):
    member = people["member_a1"]
    PointRule.objects.filter(code=points.COURSE_COMPLETED).update(points=5, daily_cap=10)
    day = at("2026-11-18")

    big = points.award_points(member, points.COURSE_COMPLETED, "c:1", "own:1", points=8, at=day)
    rest = points.award_points(member, points.COURSE_COMPLETED, "c:2", "own:2", points=8, at=day)
    none = points.award_points(member, points.COURSE_COMPLETED, "c:3", "own:3", points=8, at=day)

    assert (big.points, rest.points, none) == (8, 2, None)
    PointRule.objects.filter(code=points.COURSE_COMPLETED).update(enabled=False)
    off = points.award_points(member, points.COURSE_COMPLETED, "c:4", "own:4", points=8)
    assert off is None


def test_today_is_the_date_in_shanghai(people, point_rules):
    member = people["member_a1"]
    late_evening = dt.datetime(2026, 11, 21, 15, 59, tzinfo=dt.UTC)  # 23:59 in Shanghai
    after_midnight = dt.datetime(2026, 11, 21, 16, 1, tzinfo=dt.UTC)  # 00:01 on the 22nd

    first = points.award_points(member, points.DAILY_LOGIN, "login", "login:1", at=late_evening)
    second = points.award_points(member, points.DAILY_LOGIN, "login", "login:2", at=after_midnight)

    assert first.day == dt.date(2026, 11, 21)
    assert second is not None and second.day == dt.date(2026, 11, 22)


def test_disabled_and_unknown_rules_award_nothing(people, point_rules):
    member = people["member_a1"]
    PointRule.objects.filter(code=points.LIVE_ATTENDED).update(enabled=False)

    assert points.award_points(member, points.LIVE_ATTENDED, "live:1", "live:1") is None
    assert points.award_points(member, "no_such_rule", "x", "x:1") is None
    assert not PointEntry.objects.exists()


def test_todays_progress_lists_every_enabled_rule_with_its_cap(people, point_rules):
    member = people["member_a1"]
    for n in range(3):
        points.award_points(member, points.DAILY_QUIZ_CORRECT, "quiz", f"dq:{n}")

    progress = {row["rule"]: row for row in points.todays_progress(member)}

    assert progress[points.DAILY_QUIZ_CORRECT]["points"] == 3
    assert progress[points.DAILY_QUIZ_CORRECT]["daily_cap"] == 5
    assert progress[points.DAILY_QUIZ_CORRECT]["name"] == "每日答题"
    assert progress[points.DAILY_LOGIN]["points"] == 0
    assert set(progress) == set(points.RULE_CODES)


def test_the_ledger_is_append_only_and_corrections_are_new_entries(people, point_rules):
    member, secretary = people["member_a1"], people["secretary_a1"]
    entry = points.award_points(
        member, points.COURSE_COMPLETED, "course:1", "cc:1", at=at("2026-11-02")
    )

    entry.points = 100
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()

    correction = points.correct_points(entry, -5, note="重复计分", by=secretary)

    assert PointEntry.objects.filter(member=member).count() == 2
    assert PointEntry.objects.get(pk=entry.pk).points == 5  # the original is untouched
    assert correction.points == -5 and correction.corrects_id == entry.pk
    assert correction.day == dt.date(2026, 11, 2)  # counted where the original was
    assert points.total_points(member) == 0
    assert (
        PointTotal.objects.get(member=member, period="month", start=dt.date(2026, 11, 1)).points
        == 0
    )
    with pytest.raises(ValueError):
        points.correct_points(entry, -1, note="再扣", by=secretary)


def test_period_points_read_the_totals(people, point_rules):
    member = people["member_a1"]
    points.award_points(member, points.COURSE_COMPLETED, "c", "c:1", at=at("2026-10-30"))
    points.award_points(member, points.COURSE_COMPLETED, "c", "c:2", at=at("2026-11-02"))
    points.award_points(member, points.COURSE_COMPLETED, "c", "c:3", at=at("2026-11-03"))

    found = points.period_points(member, ["day", "week", "month", "year"], dt.date(2026, 11, 3))

    assert found == {"day": 5, "week": 10, "month": 10, "year": 15}


# --- real concurrency --------------------------------------------------------------------------


def _at_once(count: int, work) -> list:
    """Run `work(n)` in `count` threads released together; each thread has its own database
    connection, as twenty web requests would."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list = []

    def run(n):
        try:
            barrier.wait()
            results[n] = work(n)
        except Exception as exc:  # reported below, with the thread that raised it
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


needs_postgres = pytest.mark.skipif(
    "sqlite" in connection.vendor,
    reason="SQLite runs one writer at a time (IMMEDIATE transactions): there is no race to "
    "lose; the row lock this tests exists for PostgreSQL",
)


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_requests_with_one_key_write_one_entry(people, point_rules):
    member = people["member_a1"]

    results = _at_once(
        20,
        lambda n: points.award_points(
            member, points.LESSON_COMPLETED, "lesson:5", f"lesson_completed:{member.pk}:5"
        ),
    )

    assert sum(r is not None for r in results) == 1
    assert PointEntry.objects.filter(member=member).count() == 1
    assert points.total_points(member) == 1


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_requests_never_pass_the_daily_cap(people, point_rules):
    member = people["member_a1"]  # lesson completed: 1 point each, 6 a day

    results = _at_once(
        20,
        lambda n: points.award_points(
            member, points.LESSON_COMPLETED, f"lesson:{n}", f"lesson_completed:{member.pk}:{n}"
        ),
    )

    assert sum(r is not None for r in results) == 6
    assert PointEntry.objects.filter(member=member).count() == 6
    assert DailyRulePoints.objects.get(member=member).points == 6
    assert set(PointTotal.objects.filter(member=member).values_list("points", flat=True)) == {6}


@pytest.mark.django_db(transaction=True)
def test_simultaneous_awards_are_serialised_on_either_database(people, point_rules):
    """The same race on whichever database the suite runs on: SQLite's IMMEDIATE
    transactions make each award wait for the one before."""
    member = people["member_a2"]

    results = _at_once(
        8,
        lambda n: points.award_points(
            member, points.LESSON_COMPLETED, f"lesson:{n % 4}", f"lc:{member.pk}:{n % 4}"
        ),
    )

    assert sum(r is not None for r in results) == 4
    assert points.total_points(member) == 4
