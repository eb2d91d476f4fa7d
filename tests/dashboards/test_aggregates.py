"""Dashboard numbers: exact for a known story, equal to the member-side rules for every member,
and a number of queries that does not grow with the number of members."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.enrolment import required_for
from courses.models import DailyStudyTime
from lms.accounts.models import MemberProfile
from lms.dashboards import aggregates, tasks
from lms.dashboards.models import FrozenWeek, OrganizationWeek
from quizzes.models import PointTotal
from tests.factories import make_member

from .conftest import enrol, study

pytestmark = pytest.mark.django_db


def test_a_general_branchs_numbers(org_tree, people, learning):
    numbers = aggregates.organization_numbers(org_tree["general_a"])
    history, rules = learning["history"].pk, learning["rules"].pk
    total = numbers.total

    assert (total.members, total.active, total.study_seconds) == (4, 2, 1800)
    assert (total.points_week, total.points_total, total.overdue_members) == (5, 10, 1)
    assert [r.course.pk for r in numbers.required] == [rules, history]  # earliest deadline first
    h, r = total.courses[history], total.courses[rules]
    assert (h.required, h.completed, h.in_progress, h.not_started, h.overdue) == (4, 1, 1, 2, 0)
    assert (r.required, r.completed, r.in_progress, r.not_started, r.overdue) == (2, 1, 0, 1, 1)
    assert h.rate == 25.0 and r.rate == 50.0
    assert total.completion_rate == pytest.approx(100 * 2 / 6, abs=0.1)

    by_name = {(g.organization.name, g.own_members): g for g in numbers.groups}
    assert list(by_name) == [("机关党总支", True), ("第一党支部", False), ("第二党支部", False)]
    own = by_name[("机关党总支", True)]  # the organiser belongs to the general branch itself
    a1 = by_name[("第一党支部", False)]
    a2 = by_name[("第二党支部", False)]
    assert (own.members, a1.members, a2.members) == (1, 2, 1)
    assert (a1.active, a1.study_seconds, a1.points_week, a1.overdue_members) == (1, 1800, 3, 1)
    assert (a2.active, a2.points_week, a2.courses[history].not_started) == (1, 2, 1)
    assert a2.courses[rules].required == 0  # 党章党规 is required of the first branch only


def test_a_branch_sees_requirements_from_above_and_its_own(org_tree, people, learning):
    numbers = aggregates.organization_numbers(org_tree["branch_a1"])

    assert numbers.total.members == 2
    assert {r.course.title for r in numbers.required} == {"党史学习教育", "党章党规专题"}
    assert [g.organization for g in numbers.groups] == [org_tree["branch_a1"]]


def test_children_without_members_are_listed_with_zeros(org_tree, people, learning):
    empty = org_tree["general_b"].add_child(code="T-EMPTY", name="新建党支部")

    numbers = aggregates.organization_numbers(
        org_tree["general_b"].__class__.objects.get(pk=org_tree["general_b"].pk)
    )

    names = {g.organization.name: g.members for g in numbers.groups}
    assert names == {"一线党支部": 1, empty.name: 0}


def test_every_members_requirements_agree_with_what_the_member_sees(org_tree, people, learning):
    """The dashboard's path arithmetic and the member-side rule (courses.enrolment.required_for)
    count the same members, completions and overdue courses."""
    numbers = aggregates.organization_numbers(org_tree["committee"], learning["day"])
    expected: dict[int, list[int]] = {}
    overdue_members = 0
    for profile in MemberProfile.objects.select_related("user"):
        statuses = required_for(profile.user)
        overdue_members += any(s.overdue for s in statuses.values())
        for course_id, status in statuses.items():
            counts = expected.setdefault(course_id, [0, 0, 0, 0])
            counts[0] += 1
            counts[1] += status.completed
            counts[2] += (
                not status.completed
                and status.enrollment is not None
                and status.enrollment.last_activity_at is not None
            )
            counts[3] += status.overdue

    got = {
        course_id: [c.required, c.completed, c.in_progress, c.overdue]
        for course_id, c in numbers.total.courses.items()
    }
    assert got == expected
    assert numbers.total.overdue_members == overdue_members == 1


def test_active_study_and_points_agree_with_the_rows(org_tree, people, learning):
    numbers = aggregates.organization_numbers(org_tree["committee"], learning["day"])
    week = learning["week"]
    week_days = (week, week + dt.timedelta(days=6))
    studied = set(
        DailyStudyTime.objects.filter(day__range=week_days, seconds__gt=0).values_list(
            "member_id", flat=True
        )
    )
    earned = set(
        PointTotal.objects.filter(period="week", start=week, points__gt=0).values_list(
            "member_id", flat=True
        )
    )

    assert numbers.total.members == MemberProfile.objects.count() == 6
    assert numbers.total.active == len(studied | earned) == 3
    assert numbers.total.study_seconds == 2400
    assert numbers.total.points_week == 5


def queries_for_dashboard(organization) -> int:
    with CaptureQueriesContext(connection) as captured:
        numbers = aggregates.organization_numbers(organization)
        aggregates.weekly_trend(numbers)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_members(org_tree, people, learning):
    tasks.freeze_finished_weeks()
    before = queries_for_dashboard(org_tree["committee"])
    for n in range(40):
        member = make_member(org_tree["branch_a2"], f"extra{n}")
        enrol(member, learning["history"], studied=n % 2 == 0)
        study(member, learning["day"], 60 * n + 1)

    assert queries_for_dashboard(org_tree["committee"]) == before
    assert aggregates.organization_numbers(org_tree["committee"]).total.members == 46


def test_finished_weeks_wait_for_the_freezing_job(org_tree, people, learning):
    numbers = aggregates.organization_numbers(org_tree["general_a"])

    trend = aggregates.weekly_trend(numbers)

    assert [p.pending for p in trend] == [True] * (aggregates.TREND_WEEKS - 1) + [False]
    assert trend[-1].active == 2
    assert not FrozenWeek.objects.exists()  # a dashboard never does the job's heavy work


def test_the_weekly_trend_reads_frozen_weeks_and_this_week_live(org_tree, people, learning):
    week = learning["week"]
    numbers = aggregates.organization_numbers(org_tree["general_a"])

    assert tasks.freeze_finished_weeks() == aggregates.TREND_WEEKS - 1  # the weekly job
    trend = aggregates.weekly_trend(numbers)

    assert len(trend) == aggregates.TREND_WEEKS
    assert [p.week for p in trend] == [
        week - dt.timedelta(weeks=n) for n in range(aggregates.TREND_WEEKS - 1, -1, -1)
    ]
    last_week, this_week = trend[-2], trend[-1]
    assert (last_week.active, last_week.study_seconds, last_week.points) == (1, 3600, 5)
    assert last_week.members == 4 and not last_week.current
    assert (this_week.active, this_week.study_seconds, this_week.points) == (2, 1800, 5)
    assert this_week.current
    assert not any(p.pending for p in trend)
    # Frozen once: the job finds nothing more to do.
    rows = OrganizationWeek.objects.count()
    assert tasks.freeze_finished_weeks() == 0
    assert aggregates.weekly_trend(numbers) == trend
    assert OrganizationWeek.objects.count() == rows


def test_only_finished_weeks_are_frozen(learning):
    assert not aggregates.freeze_week(learning["week"])
    assert not aggregates.freeze_week(learning["week"] - dt.timedelta(days=1))  # not a Monday
    assert aggregates.freeze_week(learning["week"] - dt.timedelta(weeks=1))
    assert not aggregates.freeze_week(learning["week"] - dt.timedelta(weeks=1))


def test_member_lines_of_a_page(org_tree, people, learning):
    profiles = list(
        aggregates.member_list(
            org_tree["branch_a1"], aggregates.required_courses(org_tree["branch_a1"])
        )
    )
    required = aggregates.required_courses(org_tree["branch_a1"])

    lines = {line.profile.real_name: line for line in aggregates.member_lines(profiles, required)}

    assert lines["刘洋"].study_minutes == 30
    assert (lines["刘洋"].points_week, lines["刘洋"].required, lines["刘洋"].completed) == (3, 2, 0)
    assert lines["刘洋"].overdue == 1 and lines["刘洋"].active
    assert (lines["张书记"].completed, lines["张书记"].overdue, lines["张书记"].active) == (
        2,
        0,
        False,
    )
    assert lines["张书记"].points_total == 5


def test_member_list_filters(org_tree, people, learning):
    required = aggregates.required_courses(org_tree["general_a"])

    def names(**kwargs):
        return [
            p.real_name for p in aggregates.member_list(org_tree["general_a"], required, **kwargs)
        ]

    assert names(show="inactive") == ["王总支", "张书记"]
    assert names(show="overdue") == ["刘洋"]
    assert names(query="陈") == ["陈静"]


def test_course_members_with_status_and_dates(org_tree, people, learning):
    required = aggregates.find_required_course(org_tree["general_a"], learning["history"].pk)

    members = aggregates.course_members(org_tree["general_a"], learning["history"], required)
    statuses = {m.real_name: m.status for m in members}
    completed = aggregates.course_members(
        org_tree["general_a"], learning["history"], required, status="completed"
    )
    total, groups = aggregates.course_counts_by_group(
        org_tree["general_a"], learning["history"], required
    )

    assert statuses == {
        "王总支": "not_started",
        "张书记": "completed",
        "刘洋": "in_progress",
        "陈静": "not_started",
    }
    assert [(m.real_name, m.completed_at is not None) for m in completed] == [("张书记", True)]
    assert (total.required, total.completed, total.in_progress) == (4, 1, 1)
    assert [(org.name, c.required) for org, c in groups] == [
        ("机关党总支", 1),
        ("第一党支部", 2),
        ("第二党支部", 1),
    ]


def test_an_elective_course_concerns_every_member_of_the_subtree(org_tree, people, learning):
    total, _groups = aggregates.course_counts_by_group(
        org_tree["committee"], learning["elective"], None
    )

    assert (total.required, total.in_progress, total.not_started) == (6, 1, 5)
