"""The numbers of an organisation's subtree: the one module that aggregates for dashboards,
the completion API and exports.

Every number is an aggregate query (or a sum of maintained totals), never one query per
member, so a dashboard costs the same number of queries for a branch of thirty members and
a committee of a hundred thousand:

- this week's activity and the required courses of the subtree, grouped by child organisation,
  come from ONE query over the subtree's member profiles, joined to this week's study time
  (`courses.DailyStudyTime`), this week's and all-time points (`quizzes.PointTotal`) and one
  enrolment per required course;
- the weekly trend sums `OrganizationWeek` rows, each organisation's own members' numbers of
  a finished week, frozen once the week is over (`freeze_week`);
- member lists are paginated; the numbers of one page of members are a few grouped queries.

Days and weeks are calendar days in Asia/Shanghai; a week starts on Monday.

Live-lecture attendance (党课) is not recorded yet. When it is, it joins the same way as study
time: one more LEFT JOIN of the week's attendance in `_activity_query` (a column of
`GroupNumbers`, a tile and a column on the dashboard), one more column of `OrganizationWeek`
for the trend, and one more part of `MemberRecord`.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Substr

from courses.completion import progress_by_course
from courses.enrolment import required_for
from courses.models import (
    CoursePage,
    DailyStudyTime,
    Enrollment,
    RequiredCourseAssignment,
)
from courses.status import (
    CourseStatus,
    deadline_passed,
    is_overdue,
    status_expression,
    status_of,
    status_sql,
)
from lms.accounts.models import MemberProfile, User
from lms.core import days
from lms.orgs.models import PartyOrganization
from quizzes.models import Attempt, PointEntry, PointTotal
from quizzes.points import ALL_TIME_START, period_points, period_start

from .models import FrozenWeek, OrganizationWeek

STEPLEN = PartyOrganization.steplen
TREND_WEEKS = 12


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week containing `day`."""
    return period_start(PointTotal.Period.WEEK, day)


# --- "active this week": studied on a lesson page or earned points (any rule) that week ------
# The one rule, in the three forms the numbers need, side by side.


def is_active(study_seconds: float, points: int) -> bool:
    """A member with this week's study seconds and points."""
    return study_seconds > 0 or points > 0


def active_sql(study_seconds: str, points: str) -> str:
    """SQL true for a member whose week's study seconds and points are these columns (NULL
    when the member has none)."""
    return f"(COALESCE({study_seconds}, 0) > 0 OR COALESCE({points}, 0) > 0)"


def active_this_week_q(week: dt.date) -> Q:
    """Member profiles of members who studied or earned points in the week starting `week`."""
    studied = DailyStudyTime.objects.filter(
        member_id=OuterRef("user_id"),
        day__gte=week,
        day__lte=week + dt.timedelta(days=6),
        seconds__gt=0,
    )
    earned = PointTotal.objects.filter(
        member_id=OuterRef("user_id"), period=PointTotal.Period.WEEK, start=week, points__gt=0
    )
    return Q(Exists(studied)) | Q(Exists(earned))


# --- required courses -------------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementPart:
    """The part of the subtree (an organisation path) a required-course assignment covers,
    and its deadline."""

    path: str
    deadline: dt.date


@dataclass
class RequiredCourse:
    """A course required of some members of the subtree: which parts, and by when. A member
    covered by several assignments of the course keeps the earliest deadline."""

    course: CoursePage
    parts: list[RequirementPart] = field(default_factory=list)

    @property
    def deadline(self) -> dt.date:
        return min(part.deadline for part in self.parts)

    def overdue_parts(self, day: dt.date) -> list[RequirementPart]:
        """Parts whose deadline has passed on `day`."""
        return [part for part in self.parts if deadline_passed(part.deadline, day)]

    def deadline_for(self, organization_path: str) -> dt.date | None:
        """The deadline of a member of this organisation; None when not required of them."""
        deadlines = [p.deadline for p in self.parts if organization_path.startswith(p.path)]
        return min(deadlines) if deadlines else None


def required_courses(organization: PartyOrganization) -> list[RequiredCourse]:
    """The live courses required of members of the organisation's subtree, earliest deadline
    first: assignments made on the organisation or above it cover the whole subtree;
    assignments below it cover their own subtree."""
    path = organization.path
    assignments = (
        RequiredCourseAssignment.objects.filter(course__live=True)
        .filter(Q(organization__path__in=organization.line_paths()) | organization.in_subtree())
        .select_related("course", "organization")
        .order_by("deadline", "pk")
    )
    by_course: dict[int, RequiredCourse] = {}
    for assignment in assignments:
        part_path = max(path, assignment.organization.path, key=len)
        required = by_course.setdefault(assignment.course_id, RequiredCourse(assignment.course))
        required.parts.append(RequirementPart(part_path, assignment.deadline))
    return list(by_course.values())


def find_required_course(organization: PartyOrganization, course_id: int) -> RequiredCourse | None:
    return next((r for r in required_courses(organization) if r.course.pk == course_id), None)


# --- this week's numbers, by child organisation -------------------------------------------------


@dataclass
class CourseCounts:
    """Members a course is required of, and where they are with it."""

    required: int = 0
    completed: int = 0
    in_progress: int = 0
    overdue: int = 0

    @property
    def not_started(self) -> int:
        return self.required - self.completed - self.in_progress

    @property
    def rate(self) -> float | None:
        """Share completed, 0–100; None when nobody is required to take it."""
        return round(100 * self.completed / self.required, 1) if self.required else None

    def add(self, other: "CourseCounts") -> None:
        self.required += other.required
        self.completed += other.completed
        self.in_progress += other.in_progress
        self.overdue += other.overdue


@dataclass
class ActivityNumbers:
    """A week's numbers of some members: one row of the activity query."""

    members: int = 0
    active: int = 0
    study_seconds: float = 0.0
    points_week: int = 0
    points_total: int = 0
    overdue_members: int = 0
    courses: dict[int, CourseCounts] = field(default_factory=dict)

    @property
    def study_hours(self) -> float:
        return round(self.study_seconds / 3600, 1)

    @property
    def active_rate(self) -> float | None:
        return round(100 * self.active / self.members, 1) if self.members else None

    @property
    def completion_rate(self) -> float | None:
        """Required courses completed, as a share of (member, required course) pairs."""
        required = sum(c.required for c in self.courses.values())
        completed = sum(c.completed for c in self.courses.values())
        return round(100 * completed / required, 1) if required else None

    def add(self, other: "ActivityNumbers") -> None:
        self.members += other.members
        self.active += other.active
        self.study_seconds += other.study_seconds
        self.points_week += other.points_week
        self.points_total += other.points_total
        self.overdue_members += other.overdue_members
        for course_id, counts in other.courses.items():
            self.courses.setdefault(course_id, CourseCounts()).add(counts)


@dataclass(kw_only=True)
class GroupNumbers(ActivityNumbers):
    """This week's numbers of a group of members: one child organisation's subtree, the
    organisation's own members, or the whole subtree."""

    organization: PartyOrganization
    own_members: bool = False  # the members of the organisation itself, not of a child


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _like_any(column: str, paths: list[str], params: list) -> str:
    """SQL true when `column` starts with one of the paths (params appended)."""
    if not paths:
        return "1 = 0"
    params.extend(f"{path}%" for path in paths)
    return "(" + " OR ".join(f"{column} LIKE %s" for _path in paths) + ")"


def _activity_query(
    group_sql: str,
    group_params: list,
    scope_path: str | None,
    week: dt.date,
    required: list[RequiredCourse],
    day: dt.date,
    *,
    all_time: bool = True,
) -> tuple[str, list]:
    """One query: member profiles (of the scope's subtree, or everyone) grouped by
    `group_sql`, with per group: members, active members, seconds studied and points in the
    week starting `week`, all-time points (unless `all_time` is off), and per required
    course: members it is required of, completed, in progress, overdue on `day`; and members
    overdue on any course.

    "Active" means studied on a lesson page or earned points (any rule) that week. "In
    progress" means enrolled, not completed, and studied at some point.
    """
    adapt = connection.ops.adapt_datefield_value
    profile, org, study, points, enrolment = (
        _table(MemberProfile),
        _table(PartyOrganization),
        _table(DailyStudyTime),
        _table(PointTotal),
        _table(Enrollment),
    )
    select = [f"{group_sql} AS grp"]
    select_params: list = list(group_params)
    select += [
        "COUNT(*)",
        f"SUM(CASE WHEN {active_sql('st.seconds', 'pw.points')} THEN 1 ELSE 0 END)",
        "COALESCE(SUM(st.seconds), 0)",
        "COALESCE(SUM(pw.points), 0)",
        "COALESCE(SUM(pa.points), 0)" if all_time else "0",
    ]
    joins: list[str] = []
    join_params: list = []
    late_terms: list[str] = []
    late_params: list = []
    for i, item in enumerate(required):
        alias = f"e{i}"
        status = status_sql(alias)
        joins.append(
            f"LEFT JOIN {enrolment} {alias} ON {alias}.user_id = p.user_id "
            f"AND {alias}.course_id = %s"
        )
        join_params.append(item.course.pk)
        is_required = _like_any("o.path", [part.path for part in item.parts], select_params)
        select.append(f"SUM(CASE WHEN {is_required} THEN 1 ELSE 0 END)")
        is_required = _like_any("o.path", [part.path for part in item.parts], select_params)
        select.append(f"SUM(CASE WHEN {is_required} AND {status['completed']} THEN 1 ELSE 0 END)")
        is_required = _like_any("o.path", [part.path for part in item.parts], select_params)
        select.append(f"SUM(CASE WHEN {is_required} AND {status['in_progress']} THEN 1 ELSE 0 END)")
        overdue_paths = [part.path for part in item.overdue_parts(day)]
        is_late = _like_any("o.path", overdue_paths, select_params)
        select.append(f"SUM(CASE WHEN {is_late} AND {status['not_completed']} THEN 1 ELSE 0 END)")
        if overdue_paths:
            late_terms.append(
                f"({_like_any('o.path', overdue_paths, late_params)} AND {status['not_completed']})"
            )
    if late_terms:
        select.append(f"SUM(CASE WHEN {' OR '.join(late_terms)} THEN 1 ELSE 0 END)")
        select_params += late_params
    else:
        select.append("0")

    week_end = week + dt.timedelta(days=6)
    study_params: list = [adapt(week), adapt(week_end)]
    study_scope = ""
    if scope_path is not None:
        # Only the subtree's rows are summed (a small branch in a big platform reads little).
        study_scope = (
            f" AND d.member_id IN (SELECT p2.user_id FROM {profile} p2 "  # noqa: S608
            f"JOIN {org} o2 ON o2.id = p2.organization_id WHERE o2.path LIKE %s)"
        )
        study_params.append(f"{scope_path}%")
    where, where_params = "", []
    if scope_path is not None:
        where, where_params = "WHERE o.path LIKE %s", [f"{scope_path}%"]
    all_time_join, all_time_params = "", []
    if all_time:
        all_time_join = (
            f"LEFT JOIN {points} pa ON pa.member_id = p.user_id AND pa.period = %s "
            f"AND pa.start = %s "
        )
        all_time_params = [PointTotal.Period.ALL.value, adapt(ALL_TIME_START)]
    # Only table names (from the models) and fixed fragments are formatted into the SQL;
    # every value is a parameter.
    sql = (
        f"SELECT {', '.join(select)} "  # noqa: S608
        f"FROM {profile} p JOIN {org} o ON o.id = p.organization_id "
        f"LEFT JOIN (SELECT d.member_id, SUM(d.seconds) AS seconds FROM {study} d "
        f"WHERE d.day >= %s AND d.day <= %s{study_scope} GROUP BY d.member_id) st "
        f"ON st.member_id = p.user_id "
        f"LEFT JOIN {points} pw ON pw.member_id = p.user_id AND pw.period = %s "
        f"AND pw.start = %s "
        f"{all_time_join}{' '.join(joins)} {where} GROUP BY grp"
    )
    params = [
        *select_params,
        *study_params,
        PointTotal.Period.WEEK.value,
        adapt(week),
        *all_time_params,
        *join_params,
        *where_params,
    ]
    return sql, params


def _run_activity_query(
    sql: str, params: list, required: list[RequiredCourse]
) -> dict[Any, ActivityNumbers]:
    results: dict[Any, ActivityNumbers] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            key, members, active, seconds, points_week, points_total, *rest = row
            numbers = ActivityNumbers(
                members=members,
                active=int(active or 0),
                study_seconds=float(seconds or 0),
                points_week=int(points_week or 0),
                points_total=int(points_total or 0),
                overdue_members=int(rest[-1] or 0),
            )
            for i, item in enumerate(required):
                numbers.courses[item.course.pk] = CourseCounts(
                    *(int(v or 0) for v in rest[4 * i : 4 * i + 4])
                )
            results[key] = numbers
    return results


@dataclass
class OrganizationNumbers:
    """This week's numbers of a subtree: in total, and for each child organisation (and the
    organisation's own members, when it has any)."""

    organization: PartyOrganization
    day: dt.date
    week: dt.date
    required: list[RequiredCourse]
    total: GroupNumbers
    groups: list[GroupNumbers]


def organization_numbers(
    organization: PartyOrganization, day: dt.date | None = None
) -> OrganizationNumbers:
    """Members, active members, study time and points of this week, all-time points, and
    the required courses' completion, for the subtree and for each child organisation."""
    day = day or days.today()
    week = week_of(day)
    required = required_courses(organization)
    sql, params = _activity_query(
        "SUBSTR(o.path, 1, %s)",
        [len(organization.path) + STEPLEN],
        organization.path,
        week,
        required,
        day,
    )
    by_path = _run_activity_query(sql, params, required)
    children = {child.path: child for child in organization.get_children()}
    groups: list[GroupNumbers] = []
    total = GroupNumbers(organization=organization)
    for course in required:
        total.courses[course.course.pk] = CourseCounts()
    for path in sorted(by_path):
        numbers = GroupNumbers(
            organization=children.get(path, organization), own_members=path == organization.path
        )
        numbers.add(by_path[path])
        groups.append(numbers)
        total.add(numbers)
    # Children without members still appear, with zeros.
    for path, child in children.items():
        if path not in by_path:
            groups.append(GroupNumbers(organization=child))
    groups.sort(key=lambda g: (not g.own_members, g.organization.path))
    return OrganizationNumbers(organization, day, week, required, total, groups)


# --- weekly trend ----------------------------------------------------------------------------


def freeze_week(week: dt.date) -> bool:
    """Write every organisation's own members' numbers of a finished week (once; False when
    the week was frozen already or is not over). Members count for the organisation they
    belong to when the week is frozen: normally just after it ends (the weekly job)."""
    if week_of(week) != week or week >= week_of(days.today()):
        return False
    sql, params = _activity_query("p.organization_id", [], None, week, [], week, all_time=False)
    try:
        with transaction.atomic():
            FrozenWeek.objects.create(week=week)
            rows = _run_activity_query(sql, params, [])
            OrganizationWeek.objects.bulk_create(
                [
                    OrganizationWeek(
                        organization_id=org_id,
                        week=week,
                        members=n.members,
                        active_members=n.active,
                        study_seconds=n.study_seconds,
                        points=n.points_week,
                    )
                    for org_id, n in rows.items()
                ],
                batch_size=1000,
            )
    except IntegrityError:
        return False  # frozen meanwhile by someone else
    return True


def freeze_missing_weeks(weeks: list[dt.date]) -> int:
    """Freeze those of the finished weeks that are not frozen yet; returns how many."""
    done = set(FrozenWeek.objects.filter(week__in=weeks).values_list("week", flat=True))
    return sum(freeze_week(week) for week in weeks if week not in done)


@dataclass
class WeekPoint:
    """One week of a subtree's trend; the numbers of a finished week not frozen yet are None
    (the freezing job is on its way)."""

    week: dt.date
    members: int | None
    active: int | None
    study_seconds: float | None
    points: int | None
    current: bool = False

    @property
    def pending(self) -> bool:
        return self.members is None

    @property
    def study_hours(self) -> float | None:
        return None if self.study_seconds is None else round(self.study_seconds / 3600, 1)

    @property
    def active_rate(self) -> float | None:
        if not self.members or self.active is None:
            return None
        return round(100 * self.active / self.members, 1)


def trend_weeks(week: dt.date, weeks: int = TREND_WEEKS) -> list[dt.date]:
    """The finished weeks of a trend ending with the week starting `week`, oldest first."""
    return [week - dt.timedelta(weeks=n) for n in range(weeks - 1, 0, -1)]


def weekly_trend(numbers: OrganizationNumbers, weeks: int = TREND_WEEKS) -> list[WeekPoint]:
    """The subtree's last `weeks` weeks, oldest first: finished weeks from their frozen rows
    (two small queries), this week from `numbers`. Freezing is the weekly job's work and is
    never done here: it reads every member's rows of a week."""
    past = trend_weeks(numbers.week, weeks)
    frozen = set(FrozenWeek.objects.filter(week__in=past).values_list("week", flat=True))
    rows = {
        row["week"]: row
        for row in OrganizationWeek.objects.filter(numbers.organization.in_subtree(), week__in=past)
        .values("week")
        .annotate(
            members_sum=Sum("members"),
            active_sum=Sum("active_members"),
            seconds_sum=Sum("study_seconds"),
            points_sum=Sum("points"),
        )
    }
    trend = []
    for week in past:
        if week not in frozen:
            trend.append(WeekPoint(week, None, None, None, None))
            continue
        row: Mapping[str, Any] = rows.get(week, {})
        trend.append(
            WeekPoint(
                week=week,
                members=row.get("members_sum") or 0,
                active=row.get("active_sum") or 0,
                study_seconds=row.get("seconds_sum") or 0.0,
                points=row.get("points_sum") or 0,
            )
        )
    total = numbers.total
    trend.append(
        WeekPoint(
            numbers.week,
            total.members,
            total.active,
            total.study_seconds,
            total.points_week,
            current=True,
        )
    )
    return trend


# --- members of a course, members of a subtree -----------------------------------------------


def subtree_members(organization: PartyOrganization) -> QuerySet[MemberProfile]:
    return MemberProfile.objects.filter(organization.in_subtree())


def course_population(
    organization: PartyOrganization, course: CoursePage, required: RequiredCourse | None
) -> QuerySet[MemberProfile]:
    """Members of the subtree the course concerns: those it is required of, or, for a course
    nobody in the subtree is required to take, every member."""
    members = subtree_members(organization)
    if required is not None:
        members = members.filter(
            PartyOrganization.in_any_subtree([part.path for part in required.parts])
        )
    return members


def with_course_status(members: QuerySet[MemberProfile], course: CoursePage) -> QuerySet:
    """Annotate each member with their enrolment in the course and a `status`."""
    return members.annotate(
        enrolment=FilteredRelation(
            "user__enrollments", condition=Q(user__enrollments__course_id=course.pk)
        ),
        status=status_expression("enrolment"),
    )


def course_counts_by_group(
    organization: PartyOrganization,
    course: CoursePage,
    required: RequiredCourse | None,
    day: dt.date | None = None,
) -> tuple[CourseCounts, list[tuple[PartyOrganization, CourseCounts]]]:
    """The course's completion in the subtree and in each child organisation: one query."""
    day = day or days.today()
    overdue_paths = [part.path for part in required.overdue_parts(day)] if required else []
    rows = (
        with_course_status(course_population(organization, course, required), course)
        .annotate(group=Substr("organization__path", 1, len(organization.path) + STEPLEN))
        .values("group")
        .annotate(
            required_count=Count("pk"),
            completed_count=Count("pk", filter=Q(status=CourseStatus.COMPLETED)),
            in_progress_count=Count("pk", filter=Q(status=CourseStatus.IN_PROGRESS)),
            overdue_count=Count(
                "pk",
                filter=PartyOrganization.in_any_subtree(overdue_paths)
                & ~Q(status=CourseStatus.COMPLETED),
            ),
        )
        .order_by("group")
    )
    children = {child.path: child for child in organization.get_children()}
    total = CourseCounts()
    groups = []
    for row in rows:
        counts = CourseCounts(
            row["required_count"],
            row["completed_count"],
            row["in_progress_count"],
            row["overdue_count"],
        )
        total.add(counts)
        groups.append((children.get(row["group"], organization), counts))
    return total, groups


def course_members(
    organization: PartyOrganization,
    course: CoursePage,
    required: RequiredCourse | None,
    *,
    status: str = "",
    query: str = "",
    day: dt.date | None = None,
) -> QuerySet:
    """The members the course concerns in the subtree, with their enrolment dates and status,
    filtered by status and a name search; ordered by organisation and name (paginate it)."""
    members = with_course_status(course_population(organization, course, required), course)
    if status == CourseStatus.OVERDUE:
        paths = (
            [part.path for part in required.overdue_parts(day or days.today())] if required else []
        )
        members = members.filter(PartyOrganization.in_any_subtree(paths)).exclude(
            status=CourseStatus.COMPLETED
        )
    elif status in CourseStatus.CHOICES:
        members = members.filter(status=status)
    if query:
        members = members.filter(Q(real_name__icontains=query) | Q(user__username__icontains=query))
    return (
        members.select_related("organization", "user")
        .annotate(
            enrolled_at=F("enrolment__enrolled_at"),
            last_studied_at=F("enrolment__last_activity_at"),
            completed_at=F("enrolment__completed_at"),
        )
        .order_by("organization__path", "name_sort_key", "real_name", "pk")
    )


class MemberFilter:
    """Filters of a subtree's member list."""

    INACTIVE = "inactive"  # neither studied nor earned points this week
    OVERDUE = "overdue"  # behind on a required course whose deadline has passed

    CHOICES = (INACTIVE, OVERDUE)


def overdue_q(required: list[RequiredCourse], day: dt.date) -> Q:
    """Members behind on at least one required course whose deadline has passed."""
    terms = []
    for item in required:
        paths = [part.path for part in item.overdue_parts(day)]
        if paths:
            completed = Enrollment.objects.filter(
                user_id=OuterRef("user_id"), course_id=item.course.pk, completed_at__isnull=False
            )
            terms.append(PartyOrganization.in_any_subtree(paths) & ~Q(Exists(completed)))
    return reduce(or_, terms) if terms else Q(pk__in=[])


def member_list(
    organization: PartyOrganization,
    required: list[RequiredCourse],
    *,
    show: str = "",
    query: str = "",
    day: dt.date | None = None,
) -> QuerySet[MemberProfile]:
    """The subtree's members, filtered; ordered by organisation and name (paginate it)."""
    day = day or days.today()
    members = subtree_members(organization).select_related("organization", "user")
    if show == MemberFilter.INACTIVE:
        members = members.exclude(active_this_week_q(week_of(day)))
    elif show == MemberFilter.OVERDUE:
        members = members.filter(overdue_q(required, day))
    if query:
        members = members.filter(Q(real_name__icontains=query) | Q(user__username__icontains=query))
    return members.order_by("organization__path", "name_sort_key", "real_name", "pk")


@dataclass
class MemberLine:
    """One member in a member list, with this week's numbers."""

    profile: MemberProfile
    study_seconds: float = 0.0
    points_week: int = 0
    points_total: int = 0
    last_studied_at: dt.datetime | None = None
    required: int = 0
    completed: int = 0
    overdue: int = 0

    @property
    def study_minutes(self) -> int:
        return round(self.study_seconds / 60)

    @property
    def active(self) -> bool:
        return is_active(self.study_seconds, self.points_week)


def member_lines(
    profiles: list[MemberProfile], required: list[RequiredCourse], day: dt.date | None = None
) -> list[MemberLine]:
    """This week's study time and points, all-time points, when they last studied and their
    required courses, for one page of members: three queries whatever the page holds."""
    day = day or days.today()
    week = week_of(day)
    lines = {p.user_id: MemberLine(p) for p in profiles}
    ids = list(lines)
    for member_id, seconds in (
        DailyStudyTime.objects.filter(
            member_id__in=ids, day__gte=week, day__lte=week + dt.timedelta(days=6)
        )
        .values("member_id")
        .annotate(total=Sum("seconds"))
        .values_list("member_id", "total")
    ):
        lines[member_id].study_seconds = seconds or 0.0
    for member_id, period, points in PointTotal.objects.filter(
        Q(period=PointTotal.Period.WEEK, start=week)
        | Q(period=PointTotal.Period.ALL, start=ALL_TIME_START),
        member_id__in=ids,
    ).values_list("member_id", "period", "points"):
        if period == PointTotal.Period.WEEK:
            lines[member_id].points_week = points
        else:
            lines[member_id].points_total = points
    completed: set[tuple[int, int]] = set()
    for member_id, course_id, completed_at, last_activity_at in Enrollment.objects.filter(
        user_id__in=ids
    ).values_list("user_id", "course_id", "completed_at", "last_activity_at"):
        line = lines[member_id]
        if last_activity_at is not None and (
            line.last_studied_at is None or last_activity_at > line.last_studied_at
        ):
            line.last_studied_at = last_activity_at
        if completed_at is not None:
            completed.add((member_id, course_id))
    for member_id, line in lines.items():
        for item in required:
            deadline = item.deadline_for(line.profile.organization.path)
            if deadline is None:
                continue
            line.required += 1
            if (member_id, item.course.pk) in completed:
                line.completed += 1
            elif deadline_passed(deadline, day):
                line.overdue += 1
    return [lines[p.user_id] for p in profiles]


# --- one member's record -------------------------------------------------------------------------


@dataclass
class CourseLine:
    """One course of a member's record."""

    course: CoursePage
    enrollment: Enrollment
    lessons_done: int
    lessons_required: int
    deadline: dt.date | None  # when the course is required of them
    status: str

    @property
    def overdue(self) -> bool:
        return is_overdue(self.status, self.deadline)


@dataclass
class MemberRecord:
    """What a branch head reads about one member: courses, quizzes, points, study time.

    Live lectures (党课) will add their attendance as one more part of the record."""

    member: User
    day: dt.date
    courses: list[CourseLine]
    attempts: list
    attempts_submitted: int
    attempts_passed: int
    points: dict[str, int]
    ledger: list
    study_days: list[tuple[dt.date, float]]
    study_seconds_week: float
    study_seconds_total: float

    @property
    def study_hours_total(self) -> float:
        return round(self.study_seconds_total / 3600, 1)

    @property
    def study_minutes_week(self) -> int:
        return round(self.study_seconds_week / 60)


RECORD_DAYS = 28
RECORD_ROWS = 20


def member_record(member: User, day: dt.date | None = None) -> MemberRecord:
    """A member's courses (progress, deadlines), their latest quiz attempts, points in each
    period with the latest ledger lines, and study time per day of the last four weeks."""
    day = day or days.today()
    week = week_of(day)
    enrollments = list(
        Enrollment.objects.filter(user=member)
        .select_related("course")
        .order_by("completed_at", "-last_activity_at", "-enrolled_at")
    )
    progress = progress_by_course(member, [e.course for e in enrollments])
    required = required_for(member)
    courses = []
    for enrollment in enrollments:
        done, total = progress.get(enrollment.course_id, (0, 0))
        requirement = required.get(enrollment.course_id)
        courses.append(
            CourseLine(
                enrollment.course,
                enrollment,
                done,
                total,
                requirement.assignment.deadline if requirement else None,
                status_of(enrollment.completed_at, enrollment.last_activity_at),
            )
        )
    attempts = Attempt.objects.filter(member=member, submitted_at__isnull=False)
    counts = attempts.aggregate(submitted=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
    first_day = day - dt.timedelta(days=RECORD_DAYS - 1)
    per_day = dict(
        DailyStudyTime.objects.filter(member=member, day__gte=first_day, day__lte=day).values_list(
            "day", "seconds"
        )
    )
    study_days = [
        (first_day + dt.timedelta(days=n), per_day.get(first_day + dt.timedelta(days=n), 0.0))
        for n in range(RECORD_DAYS)
    ]
    return MemberRecord(
        member=member,
        day=day,
        courses=courses,
        attempts=list(attempts.select_related("quiz").order_by("-submitted_at")[:RECORD_ROWS]),
        attempts_submitted=counts["submitted"],
        attempts_passed=counts["passed"],
        points=period_points(member, [p.value for p in PointTotal.Period], day),
        ledger=list(
            PointEntry.objects.filter(member=member)
            .select_related("rule")
            .order_by("-created_at", "-pk")[:RECORD_ROWS]
        ),
        study_days=study_days,
        study_seconds_week=sum(seconds for d, seconds in study_days if d >= week),
        study_seconds_total=DailyStudyTime.objects.filter(member=member).aggregate(
            total=Sum("seconds")
        )["total"]
        or 0.0,
    )
