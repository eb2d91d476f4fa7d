"""Excel workbooks of an organisation's subtree: the completion matrix (members × required
courses) and study points. Written by the export job, streamed (openpyxl's write-only mode)
one page of members at a time, so a hundred thousand members never sit in memory at once.

Every row goes through `_row` (and headings through `_bold`): names, courses and
organisations are typed by people, and one named `=HYPERLINK(…)` must show as that text in
the branch head's spreadsheet, not run as a formula (`lms.core.tabular.safe_cell`)."""

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from courses.models import DailyStudyTime, Enrollment
from courses.status import deadline_passed
from lms.accounts.models import MemberProfile
from lms.core.days import day_of, today
from lms.core.tabular import safe_cell
from lms.orgs.models import PartyOrganization
from quizzes.models import PointTotal
from quizzes.points import ALL_TIME_START, period_start

from .aggregates import (
    RequiredCourse,
    organization_numbers,
    required_courses,
    subtree_members,
    week_of,
)
from .models import Export

CHUNK_SIZE = 2000
Progress = Callable[[int, int], None]


def _member_chunks(organization: PartyOrganization) -> Iterator[list[MemberProfile]]:
    members = (
        subtree_members(organization)
        .select_related("organization", "user")
        .order_by("organization__path", "name_sort_key", "real_name", "pk")
    )
    chunk: list[MemberProfile] = []
    for profile in members.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(profile)
        if len(chunk) == CHUNK_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _row(values: Iterable) -> list:
    """A row as written: text that a spreadsheet would run as a formula stays text."""
    return [safe_cell(value) for value in values]


def _bold(sheet, values: list) -> list:
    cells = []
    for value in _row(values):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _title(sheet, organization: PartyOrganization, report: str) -> None:
    written = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    sheet.append(_bold(sheet, [f"{organization.breadcrumb} · {report}"]))
    sheet.append(_row([_("Exported at %(time)s") % {"time": written}]))


def _member_columns(profile: MemberProfile) -> list:
    return [
        profile.real_name,
        profile.user.username,
        profile.organization.name,
        profile.get_category_display(),
    ]


def _member_headers() -> list[str]:
    return [_("Real name"), _("Username"), _("Organisation"), _("Category")]


def completion_status(
    completed_at: dt.datetime | None,
    studied: bool,
    deadline: dt.date | None,
    day: dt.date,
) -> str:
    """One cell of the completion matrix, as a branch head reads it."""
    if deadline is None:
        return _("Not required")
    if completed_at is not None:
        return _("Completed %(date)s") % {"date": day_of(completed_at).isoformat()}
    if deadline_passed(deadline, day):
        return _("Overdue")
    return _("In progress") if studied else _("Not started")


def write_completion(export: Export, path: Path, progress: Progress) -> int:
    """Members × required courses, with a summary sheet; returns how many members."""
    organization, day = export.organization, today()
    required = required_courses(organization)
    total = subtree_members(organization).count()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Completion"))
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["C"].width = 22
    _title(sheet, organization, _("Required-course completion"))
    headers = _member_headers()
    for item in required:
        headers.append(
            _("%(course)s (due %(date)s)")
            % {"course": item.course.title, "date": item.deadline.isoformat()}
        )
    headers += [_("Completed / required"), _("Overdue courses")]
    sheet.append(_bold(sheet, headers))

    written = 0
    course_ids = [item.course.pk for item in required]
    for chunk in _member_chunks(organization):
        enrolments = {
            (user_id, course_id): (completed_at, last_activity_at)
            for user_id, course_id, completed_at, last_activity_at in Enrollment.objects.filter(
                user_id__in=[p.user_id for p in chunk], course_id__in=course_ids
            ).values_list("user_id", "course_id", "completed_at", "last_activity_at")
        }
        for profile in chunk:
            row = _member_columns(profile)
            done = due = late = 0
            for item in required:
                deadline = item.deadline_for(profile.organization.path)
                completed_at, studied = enrolments.get(
                    (profile.user_id, item.course.pk), (None, None)
                )
                row.append(completion_status(completed_at, studied is not None, deadline, day))
                if deadline is not None:
                    due += 1
                    done += completed_at is not None
                    late += completed_at is None and deadline_passed(deadline, day)
            row += [f"{done}/{due}", late]
            sheet.append(_row(row))
        written += len(chunk)
        progress(written, total)

    _completion_summary(workbook, organization, required)
    workbook.save(path)
    return written


def _completion_summary(
    workbook: Workbook, organization: PartyOrganization, required: list[RequiredCourse]
) -> None:
    sheet = workbook.create_sheet(_("Summary"))
    sheet.column_dimensions["A"].width = 30
    _title(sheet, organization, _("Required-course completion"))
    sheet.append(
        _bold(
            sheet,
            [
                _("Course"),
                _("Deadline"),
                _("Required of"),
                _("Completed"),
                _("In progress"),
                _("Not started"),
                _("Overdue"),
                _("Completion rate (%)"),
            ],
        )
    )
    totals = organization_numbers(organization).total.courses
    for item in required:
        counts = totals[item.course.pk]
        sheet.append(
            _row(
                [
                    item.course.title,
                    item.deadline.isoformat(),
                    counts.required,
                    counts.completed,
                    counts.in_progress,
                    counts.not_started,
                    counts.overdue,
                    counts.rate,
                ]
            )
        )


def write_points(export: Export, path: Path, progress: Progress) -> int:
    """Each member's points this week, month, year and in all, and this week's study time;
    returns how many members."""
    organization, day = export.organization, today()
    periods = [
        (PointTotal.Period.WEEK, period_start(PointTotal.Period.WEEK, day)),
        (PointTotal.Period.MONTH, period_start(PointTotal.Period.MONTH, day)),
        (PointTotal.Period.YEAR, period_start(PointTotal.Period.YEAR, day)),
        (PointTotal.Period.ALL, ALL_TIME_START),
    ]
    lookup = Q()
    for period, start in periods:
        lookup |= Q(period=period, start=start)
    week = week_of(day)
    total = subtree_members(organization).count()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Points"))
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["C"].width = 22
    _title(sheet, organization, _("Study points and study time"))
    sheet.append(
        _bold(
            sheet,
            [
                *_member_headers(),
                _("Points this week"),
                _("Points this month"),
                _("Points this year"),
                _("Points in all"),
                _("Study minutes this week"),
            ],
        )
    )
    written = 0
    for chunk in _member_chunks(organization):
        ids = [p.user_id for p in chunk]
        points = {
            (member_id, period): value
            for member_id, period, value in PointTotal.objects.filter(
                lookup, member_id__in=ids
            ).values_list("member_id", "period", "points")
        }
        minutes = dict(
            DailyStudyTime.objects.filter(
                member_id__in=ids, day__gte=week, day__lte=week + dt.timedelta(days=6)
            )
            .values("member_id")
            .annotate(total=Sum("seconds"))
            .values_list("member_id", "total")
        )
        for profile in chunk:
            sheet.append(
                _row(
                    [
                        *_member_columns(profile),
                        *(points.get((profile.user_id, period), 0) for period, _start in periods),
                        round((minutes.get(profile.user_id) or 0) / 60),
                    ]
                )
            )
        written += len(chunk)
        progress(written, total)
    workbook.save(path)
    return written


# By the kind's value, as `Export.kind` holds it.
WRITERS: dict[str, Callable[[Export, Path, Progress], int]] = {
    Export.Kind.COMPLETION: write_completion,
    Export.Kind.POINTS: write_points,
}


def write_export(export: Export, progress: Progress) -> tuple[str, int]:
    """Write the export's workbook into the export folder; returns its name there (relative)
    and how many members it holds. Written to a temporary file first and renamed into place,
    so a file under its final name is always complete."""
    root = Path(settings.DASHBOARDS_EXPORT_ROOT)
    relative = Path(today().strftime("%Y/%m")) / f"export-{export.pk}.xlsx"
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(handle)
    try:
        rows = WRITERS[export.kind](export, Path(temporary), progress)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return relative.as_posix(), rows
