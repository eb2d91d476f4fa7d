"""Fixtures of the dashboard tests: two courses required in `org_tree` (one due in three days,
one overdue), members at every stage of them, study time and points this week and before."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import DailyStudyTime, Enrollment, RequiredCourseAssignment
from lms.core.days import today
from lms.dashboards.aggregates import week_of
from quizzes.points import award_points
from tests.courses.pages import add_course, add_lesson, text


def _course(catalog, title: str):
    course = add_course(catalog, title)
    add_lesson(course, "第一课", [text("<p>学习。</p>")], complete_read_seconds=30)
    return course


@pytest.fixture
def courses(catalog) -> dict:
    return {
        "history": _course(catalog, "党史学习教育"),
        "rules": _course(catalog, "党章党规专题"),
        "elective": _course(catalog, "新时代理论学习"),
    }


def study(member, day: dt.date, seconds: float) -> None:
    DailyStudyTime.objects.create(member=member, day=day, seconds=seconds)


def points(member, day: dt.date, correct: int, key: str) -> None:
    """Daily-quiz points earned on `day` (awarded through the real ledger)."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    award_points(member, "daily_quiz_correct", "每日答题", key, events=correct, at=at)


def enrol(member, course, *, studied=False, completed=False) -> Enrollment:
    now = timezone.now()
    return Enrollment.objects.create(
        user=member,
        course=course,
        source=Enrollment.Source.ASSIGNED,
        last_activity_at=now if (studied or completed) else None,
        completed_at=now if completed else None,
    )


@pytest.fixture
def learning(org_tree, people, courses, point_rules) -> dict:
    """What happened in `org_tree`:

    - 党史学习教育 is required of general_a (due in 3 days): secretary_a1 completed it,
      member_a1 is studying it, member_a2 has not started, head_general_a was never enrolled.
    - 党章党规专题 is required of branch_a1 (deadline yesterday): secretary_a1 completed it,
      member_a1 has not (overdue).
    - This week member_a1 studied 30 min and earned 3 points, member_a2 earned 2 points only,
      member_b1 studied 10 min; last week secretary_a1 studied an hour.
    """
    day = today()
    week = week_of(day)
    history, rules = courses["history"], courses["rules"]
    RequiredCourseAssignment.objects.create(
        course=history, organization=org_tree["general_a"], deadline=day + dt.timedelta(days=3)
    )
    RequiredCourseAssignment.objects.create(
        course=rules, organization=org_tree["branch_a1"], deadline=day - dt.timedelta(days=1)
    )
    enrol(people["secretary_a1"], history, completed=True)
    enrol(people["member_a1"], history, studied=True)
    enrol(people["member_a2"], history)
    enrol(people["secretary_a1"], rules, completed=True)
    enrol(people["member_a1"], rules)
    enrol(people["member_b1"], courses["elective"], studied=True)

    study(people["member_a1"], day, 1800)
    study(people["member_b1"], week, 600)
    study(people["secretary_a1"], week - dt.timedelta(days=3), 3600)
    points(people["member_a1"], week, 3, "t:a1")
    points(people["member_a2"], day, 2, "t:a2")
    points(people["secretary_a1"], week - dt.timedelta(days=2), 5, "t:s-last-week")
    return {"day": day, "week": week, **courses}
