"""Dashboard server time and query count for organisations of 1k, 10k and 100k members.

Builds, in a scratch SQLite database (or the PostgreSQL one in DATABASE_URL, which is emptied
first), a committee with 10 general branches × 10 branches, three published courses (one
required of the whole committee, due in ten days; one of five general branches, overdue; one
of ten branches) and grows it to each size in turn: members with enrolments of their required
courses (a third completed, a third studying), twelve weeks of study days and weekly points
(about two study days a week for 60 % of members). Rows go in with bulk inserts, so 100k
members build in a few minutes.

For each size it requests, through Django's test client (the whole server side: view,
queries, template), the committee's dashboard, a general branch's and a branch's, a required
course's first page of members, the member list and the completion API; prints the best time
of REPEAT and the query count. The query count must be the same at every size. Freezing the
trend's finished weeks (the weekly job's work, in the worker) is timed apart, and with
--exports the two Excel exports of the committee (the worker's job, run in-process here).

    .venv/bin/python bench/dashboard/run.py                       # SQLite, temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pm_dashboards \\
        .venv/bin/python bench/dashboard/run.py [--explain] [--exports]
    BENCH_SIZES=1000,10000 .venv/bin/python bench/dashboard/run.py
"""

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from bench import harness

harness.setup("bench-dashboard")

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

SIZES = tuple(int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(","))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
WEEKS = 12
BATCH = 10_000


def insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain multi-row INSERTs: the bench's own bulk loader (no model instances)."""
    names = ", ".join(columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 — fixed names
                rows[start : start + BATCH],
            )


class World:
    """The organisation, its courses, and the members added so far."""

    def __init__(self) -> None:
        from wagtail.models import Locale, Page

        from courses.models import CatalogPage, CoursePage, LessonPage, RequiredCourseAssignment
        from lms.accounts.models import User
        from lms.orgs.models import PartyOrganization

        call_command("flush", interactive=False, verbosity=0)
        locale = Locale.objects.first() or Locale.objects.create(language_code="zh-hans")
        root = Page.add_root(title="Root", slug="root", locale=locale)
        catalog = root.add_child(instance=CatalogPage(title="课程中心", slug="courses"))
        self.courses = []
        for title in ("党史学习教育", "党章党规专题", "基层党务工作实务"):
            catalog.refresh_from_db()
            course = catalog.add_child(instance=CoursePage(title=title, summary="学习。"))
            for n in (1, 2):
                course.refresh_from_db()
                course.add_child(instance=LessonPage(title=f"第{n}课", complete_read_seconds=60))
            self.courses.append(course)
        self.committee = PartyOrganization.add_root(code="B", name="党委", kind="committee")
        self.generals, self.branches = [], []
        for g in range(10):
            self.committee.refresh_from_db()
            general = self.committee.add_child(
                code=f"B-{g}", name=f"党总支{g}", kind="general_branch"
            )
            self.generals.append(general)
            for b in range(10):
                general.refresh_from_db()
                self.branches.append(general.add_child(code=f"B-{g}-{b}", name=f"党支部{g}-{b}"))
        for org in (self.committee, *self.generals, *self.branches):
            org.refresh_from_db()
        self.today = timezone.localdate()
        self.week = self.today - dt.timedelta(days=self.today.weekday())
        history, rules, practice = self.courses
        # (course, organisation) → deadline; which members each covers follows from the paths.
        self.assignments = [
            (history, self.committee, self.today + dt.timedelta(days=10)),
            *((rules, general, self.today - dt.timedelta(days=3)) for general in self.generals[:5]),
            *(
                (practice, branch, self.today + dt.timedelta(days=30))
                for branch in self.branches[::10]
            ),
        ]
        for course, organization, deadline in self.assignments:
            RequiredCourseAssignment.objects.create(
                course=course, organization=organization, deadline=deadline
            )
        self.admin = User.objects.create_superuser("bench-admin", password="x")
        self.members = 0
        self.rng = random.Random(20261121)  # reproducible bench data

    def grow(self, size: int) -> None:
        """Add members up to `size`, with their enrolments, study days and points."""
        from courses.models import DailyStudyTime, Enrollment
        from lms.accounts.models import MemberProfile, User
        from lms.accounts.names import name_sort_key
        from quizzes.models import PointTotal

        rng, now = self.rng, timezone.now()
        first = self.members
        User.objects.bulk_create(
            [User(username=f"m{i}", password="!") for i in range(first, size)], batch_size=5000
        )
        users = list(
            User.objects.filter(username__startswith="m")
            .exclude(profile__isnull=False)
            .values_list("pk", flat=True)
        )
        profiles, enrolments, study, points = [], [], [], []
        for n, user_id in enumerate(users):
            branch = self.branches[(first + n) % len(self.branches)]
            name = f"成员{first + n}"
            profiles.append(
                MemberProfile(
                    user_id=user_id,
                    real_name=name,
                    name_sort_key=name_sort_key(name),  # as save() would
                    organization=branch,
                )
            )
            for course, organization, _deadline in self.assignments:
                if not branch.path.startswith(organization.path):
                    continue
                luck = rng.random()
                completed = now - dt.timedelta(days=rng.randrange(1, 60)) if luck < 0.33 else None
                studied = completed or (now - dt.timedelta(days=rng.randrange(0, 30)))
                enrolments.append(
                    (
                        user_id,
                        course.pk,
                        "assigned",
                        now - dt.timedelta(days=70),
                        completed,
                        studied if luck < 0.66 else None,
                    )
                )
            total = 0
            for w in range(WEEKS):
                week = self.week - dt.timedelta(weeks=w)
                if rng.random() < 0.6:
                    days = rng.sample(range(7), rng.randrange(1, 4))
                    for d in days:
                        day = week + dt.timedelta(days=d)
                        if day <= self.today:
                            study.append((user_id, day, 60.0 * rng.randrange(5, 90)))
                    earned = rng.randrange(1, 60)
                    total += earned
                    points.append((user_id, "week", week, earned))
            if total:
                points.append((user_id, "all", dt.date(2000, 1, 1), total))
        with transaction.atomic():
            MemberProfile.objects.bulk_create(profiles, batch_size=5000)
            insert(
                Enrollment._meta.db_table,
                (
                    "user_id",
                    "course_id",
                    "source",
                    "enrolled_at",
                    "completed_at",
                    "last_activity_at",
                ),
                enrolments,
            )
            insert(
                DailyStudyTime._meta.db_table,
                ("member_id", "day", "seconds"),
                study,
            )
            # Earlier sizes' members keep their all-time rows; new members bring their own.
            insert(PointTotal._meta.db_table, ("member_id", "period", "start", "points"), points)
        self.members = size
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


def measure(client: Client, url: str) -> tuple[float, int]:
    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return harness.best_time(get, REPEAT)


def explain(world: World) -> None:
    """PostgreSQL's plans of the dashboard's two big queries at the current size."""
    from lms.core import days
    from lms.dashboards import aggregates

    required = aggregates.required_courses(world.committee)
    week = aggregates.week_of(days.today())
    sql, params = aggregates._activity_query(
        "SUBSTR(o.path, 1, %s)",
        [len(world.committee.path) + aggregates.STEPLEN],
        world.committee.path,
        week,
        required,
        days.today(),
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        print("\n".join(row[0] for row in cursor.fetchall()))
        trend = (
            aggregates.OrganizationWeek.objects.filter(
                organization__path__startswith=world.committee.path
            )
            .values("week")
            .annotate(members=aggregates.Sum("members"))
        )
        print(trend.explain(analyze=True))


def main() -> None:
    from lms.dashboards.models import Export, FrozenWeek, OrganizationWeek
    from lms.dashboards.tasks import build_export, freeze_finished_weeks

    print(f"database: {harness.database_name()}")
    world = World()
    client = Client()
    client.force_login(world.admin)
    general, branch = world.generals[0], world.branches[0]
    overdue_course = world.courses[1]
    pages = {
        "committee dashboard": f"/dashboards/orgs/{world.committee.pk}/",
        "general branch dashboard": f"/dashboards/orgs/{general.pk}/",
        "branch dashboard": f"/dashboards/orgs/{branch.pk}/",
        "course members, 1st page": f"/dashboards/orgs/{world.committee.pk}/courses/"
        f"{overdue_course.pk}/?status=overdue",
        "member list, 1st page": f"/dashboards/orgs/{world.committee.pk}/members/",
        "completion API": f"/api/v1/orgs/{world.committee.pk}/completion/"
        f"?course={world.courses[0].pk}",
    }
    results = {}
    for size in SIZES:
        started = time.perf_counter()
        world.grow(size)
        print(f"\nbuilt {size} members in {time.perf_counter() - started:.1f} s")
        OrganizationWeek.objects.all().delete()
        FrozenWeek.objects.all().delete()
        started = time.perf_counter()
        freeze_finished_weeks()
        print(
            f"{size:>7} members | weekly job, freezing {WEEKS - 1} finished weeks: "
            f"{time.perf_counter() - started:.2f} s (in the worker, never in a request)"
        )
        results[size] = {name: measure(client, url) for name, url in pages.items()}
        for name, (seconds, queries) in results[size].items():
            print(f"{size:>7} members | {name:<26} {seconds * 1000:8.1f} ms  {queries:3d} queries")
        if "--exports" in sys.argv:
            for kind in ("completion", "points"):
                export = Export.objects.create(
                    requested_by=world.admin, organization=world.committee, kind=kind
                )
                started = time.perf_counter()
                build_export(export.pk)
                export.refresh_from_db()
                print(
                    f"{size:>7} members | {kind} export (worker job): "
                    f"{time.perf_counter() - started:.1f} s, {export.rows} rows, {export.status}"
                )
        if "--explain" in sys.argv and connection.vendor == "postgresql" and size == SIZES[-1]:
            explain(world)
    print()
    small, large = SIZES[0], SIZES[-1]
    for name in results[small]:
        a, b = results[small][name], results[large][name]
        same = "same" if a[1] == b[1] else "DIFFERENT"
        print(
            f"{name:<26} time {large // 1000}k/{small // 1000}k = {b[0] / a[0]:5.1f}×  "
            f"query count {same} ({a[1]} / {b[1]})"
        )


if __name__ == "__main__":
    main()
