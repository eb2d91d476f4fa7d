"""Demo history for the dashboards: eight weeks of study time for the demo members (the days
they earned points, plus older weeks), two more required courses of the secretary's general
branch (one due in five days, one overdue) with members at every stage, a reminder sent by the
secretary, and the finished weeks frozen so the trend shows at once."""

import datetime as dt
import random

from django.utils import timezone

from courses.completion import update_course_completion
from courses.enrolment import enroll_assignment_members
from courses.models import (
    CoursePage,
    DailyStudyTime,
    Enrollment,
    LessonProgress,
    RequiredCourseAssignment,
)
from lms.accounts.models import User
from lms.core.days import today
from lms.orgs.models import PartyOrganization
from quizzes import points
from quizzes.models import DailyRulePoints

from .aggregates import find_required_course, freeze_missing_weeks, trend_weeks, week_of
from .models import FrozenWeek, OrganizationWeek
from .reminders import remind_behind

HISTORY_WEEKS = 8
# How keen each branch is: the share of weeks a member studies at all.
KEEN = {"DEMO-Z1-D1": 0.85, "DEMO-Z1-D2": 0.6, "DEMO-Z1-D3": 0.45}
DEFAULT_KEEN = 0.35


def build(stdout=None) -> bool:
    """Add the history once; False when it exists (or the demo organisation does not)."""
    committee = PartyOrganization.objects.filter(code="DEMO").first()
    if committee is None or DailyStudyTime.objects.filter(member__username="member").exists():
        return False
    rng = random.Random(20261121)  # noqa: S311 — reproducible demo data, not secrets
    day = today()
    members = list(
        User.objects.filter(committee.in_subtree("profile__organization"))
        .select_related("profile__organization")
        .order_by("pk")
    )
    rows = _study_history(members, rng, day)
    _required_courses(rng, day)
    weeks = trend_weeks(week_of(day))
    # Weeks frozen before this history existed would hide it.
    OrganizationWeek.objects.filter(week__in=weeks).delete()
    FrozenWeek.objects.filter(week__in=weeks).delete()
    freeze_missing_weeks(weeks)
    if stdout is not None:
        stdout.write(f"  study days: {rows}, frozen weeks: {len(weeks)}")
    return True


def _study_history(members: list[User], rng: random.Random, day: dt.date) -> int:
    """Study time on the days members earned points (the quizzes demo made the last two
    weeks), and in the older weeks a few study days with their login points."""
    first = week_of(day) - dt.timedelta(weeks=HISTORY_WEEKS - 1)
    earned: dict[int, set[dt.date]] = {}
    for member_id, points_day in DailyRulePoints.objects.filter(
        member__in=members, day__gte=first, rule__code=points.DAILY_LOGIN
    ).values_list("member_id", "day"):
        earned.setdefault(member_id, set()).add(points_day)
    rows = []
    for member in members:
        keen = KEEN.get(member.profile.organization.code, DEFAULT_KEEN)
        days = set(earned.get(member.pk, ()))
        recent = min(days, default=day)
        week = first
        while week < recent:
            if rng.random() < keen:
                for offset in rng.sample(range(7), rng.randrange(1, 4)):
                    study_day = week + dt.timedelta(days=offset)
                    if study_day < recent:
                        days.add(study_day)
                        at = timezone.make_aware(dt.datetime.combine(study_day, dt.time(20)))
                        points.award_points(
                            member,
                            points.DAILY_LOGIN,
                            "",
                            points.point_key(points.DAILY_LOGIN, member.pk, study_day.isoformat()),
                            at=at,
                        )
            week += dt.timedelta(weeks=1)
        for study_day in sorted(days):
            if study_day <= day:
                rows.append(
                    DailyStudyTime(
                        member=member,
                        day=study_day,
                        seconds=60 * rng.randrange(8, 75),
                    )
                )
    DailyStudyTime.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _required_courses(rng: random.Random, day: dt.date) -> None:
    """党史学习教育 required of 机关党总支 within five days, 新时代党的创新理论学习 of the
    secretary's branch three days ago; a few members studying or done; the secretary reminds
    those behind on the overdue one."""
    general = PartyOrganization.objects.filter(code="DEMO-Z1").first()
    branch = PartyOrganization.objects.filter(code="DEMO-Z1-D1").first()
    secretary = User.objects.filter(username="secretary").first()
    history = CoursePage.objects.live().filter(title="党史学习教育").first()
    theory = CoursePage.objects.live().filter(title="新时代党的创新理论学习").first()
    if None in (general, branch, history, theory):
        return
    now = timezone.now()
    for course, organization, deadline in (
        (history, general, day + dt.timedelta(days=5)),
        (theory, branch, day - dt.timedelta(days=3)),
    ):
        assignment, _created = RequiredCourseAssignment.objects.get_or_create(
            course=course,
            organization=organization,
            defaults={"deadline": deadline, "assigned_by": secretary},
        )
        enroll_assignment_members(assignment)
        # As if the course had been required five weeks ago.
        RequiredCourseAssignment.objects.filter(pk=assignment.pk).update(
            created_at=now - dt.timedelta(weeks=5)
        )
        Enrollment.objects.filter(course=course, enrolled_at__gte=now).update(
            enrolled_at=now - dt.timedelta(weeks=5)
        )
        lessons = list(course.lessons().filter(is_required=True))
        for enrolment in Enrollment.objects.filter(
            course=course, last_activity_at__isnull=True
        ).select_related("user"):
            luck = rng.random()
            when = now - dt.timedelta(days=rng.randrange(1, 15), hours=rng.randrange(12))
            # The demo member stays behind, so that he finds a reminder.
            if luck < 0.35 and enrolment.user.username != "member":
                for lesson in lessons:
                    LessonProgress.objects.update_or_create(
                        user=enrolment.user,
                        lesson=lesson,
                        defaults={"read_seconds": 120, "completed_at": when},
                    )
                update_course_completion(enrolment.user, course, now=when)
            if luck < 0.7:
                LessonProgress.objects.get_or_create(
                    user=enrolment.user, lesson=lessons[0], defaults={"read_seconds": 40}
                )
                Enrollment.objects.filter(pk=enrolment.pk).update(
                    last_lesson=lessons[0], last_activity_at=when
                )
    required = find_required_course(branch, theory.pk)
    if required is not None:
        remind_behind(required, sent_by=secretary, day=day)
