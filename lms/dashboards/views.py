"""Dashboard pages: an organisation's numbers (tree picker, charts, tables), a required
course's members, the member list, one member's record, exports and notifications.

Every page is for holders of a member-managing role (branch head, organiser) covering the
organisation, or site admins; anyone else gets 404. Scoping is decided by lms.orgs.permissions.
"""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from courses.models import CoursePage
from courses.status import CourseStatus, is_overdue
from lms.accounts.requests import AuthenticatedHttpRequest
from lms.core import days
from lms.core.audit import record_audit
from lms.core.converters import database_id
from lms.notifications.models import Notification
from lms.orgs import permissions
from lms.orgs.models import PartyOrganization
from lms.orgs.records import open_member_record

from . import aggregates
from .aggregates import MemberFilter
from .models import Export
from .notices import reminder_key
from .reminders import members_behind
from .tasks import enqueue_course_reminders, enqueue_export, enqueue_week_freezing

PAGE_SIZE = 50


def _covered(request: AuthenticatedHttpRequest):
    return permissions.covered_organizations(request.user, permissions.MEMBER_RECORD_ROLES)


def _organization_or_404(request: AuthenticatedHttpRequest, org_id: int) -> PartyOrganization:
    organization = get_object_or_404(PartyOrganization, pk=org_id)
    if not permissions.covers_organization(
        request.user, organization, permissions.MEMBER_RECORD_ROLES
    ):
        raise Http404
    return organization


def _picker(request: AuthenticatedHttpRequest, current: PartyOrganization) -> dict:
    """The tree picker: every organisation the user's roles cover, indented, and the way up
    from the current one (as far as the roles reach)."""
    organizations = list(_covered(request).order_by("path").values("pk", "name", "depth", "path"))
    top = min((o["depth"] for o in organizations), default=1)
    for organization in organizations:
        organization["indent"] = "　" * (organization["depth"] - top)
    covered_paths = {o["path"] for o in organizations}
    trail = [a for a in current.get_ancestors() if a.path in covered_paths]
    return {"picker": organizations, "trail": trail}


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 1)


def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The dashboard of the organisation chosen in the picker, or of the highest one the
    user's roles cover."""
    chosen = request.GET.get("org", "")
    if chosen:
        org_id = database_id(chosen)
        if org_id is None:
            raise Http404
        return redirect("dashboards:organization", org_id=_organization_or_404(request, org_id).pk)
    first = _covered(request).order_by("depth", "path").first()
    if first is None:
        raise Http404
    return redirect("dashboards:organization", org_id=first.pk)


def organization(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    """Numbers of the subtree: this week's activity, required courses, child organisations
    compared, and the trend of the last weeks."""
    organization = _organization_or_404(request, org_id)
    numbers = aggregates.organization_numbers(organization)
    trend = aggregates.weekly_trend(numbers)
    pending = any(point.pending for point in trend)
    total = numbers.total
    courses = [(item, total.courses[item.course.pk]) for item in numbers.required]
    charts = {
        "completion": {
            "type": "bar",
            "horizontal": True,
            "stacked": True,
            "labels": [item.course.title for item, _counts in courses],
            "datasets": [
                {"label": _("Completed"), "data": [c.completed for _i, c in courses]},
                {"label": _("In progress"), "data": [c.in_progress for _i, c in courses]},
                {"label": _("Not started"), "data": [c.not_started for _i, c in courses]},
            ],
        },
        "groups": {
            "type": "bar",
            "percent": True,
            "labels": [_group_label(group) for group in numbers.groups],
            "datasets": [
                {
                    "label": _("Active this week (%)"),
                    "data": [group.active_rate or 0 for group in numbers.groups],
                },
                {
                    "label": _("Required courses completed (%)"),
                    "data": [group.completion_rate or 0 for group in numbers.groups],
                },
            ],
        },
        "trend": {
            "type": "line",
            "labels": [date_format(point.week, "m/d") for point in trend],
            "datasets": [
                {"label": _("Active members"), "data": [p.active for p in trend]},
                {
                    "label": _("Study hours"),
                    "data": [p.study_hours for p in trend],
                    "axis": "y2",
                },
            ],
        },
    }
    return render(
        request,
        "dashboards/organization.html",
        {
            "organization": organization,
            "numbers": numbers,
            "total": total,
            "courses": courses,
            "trend": trend,
            "trend_pending": pending,
            "charts": charts,
            "week_end": numbers.week + dt.timedelta(days=6),
            "export_kinds": Export.Kind.choices,
            "nav_section": "dashboards",
            **_picker(request, organization),
        },
    )


def _group_label(group: aggregates.GroupNumbers) -> str:
    if group.own_members:
        return _("%(org)s (own members)") % {"org": group.organization.name}
    return group.organization.name


def course(request: AuthenticatedHttpRequest, org_id: int, course_id: int) -> HttpResponse:
    """One course in the subtree: how far the members it concerns are, per child
    organisation, and the members themselves (filtered by status, paginated)."""
    organization = _organization_or_404(request, org_id)
    course = get_object_or_404(CoursePage, pk=course_id, live=True)
    required = aggregates.find_required_course(organization, course.pk)
    total, groups = aggregates.course_counts_by_group(organization, course, required)
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    members = aggregates.course_members(organization, course, required, status=status, query=query)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.deadline = required.deadline_for(row.organization.path) if required else None
        row.overdue = is_overdue(row.status, row.deadline)
    reminded = 0
    if required is not None:
        reminded = Notification.objects.filter(
            key=reminder_key(course.pk, aggregates.week_of(days.today())),
            recipient__profile__in=aggregates.course_population(organization, course, required),
        ).count()
    statuses = [
        ("", _("Everyone"), total.required),
        (CourseStatus.COMPLETED, _("Completed"), total.completed),
        (CourseStatus.IN_PROGRESS, _("In progress"), total.in_progress),
        (CourseStatus.NOT_STARTED, _("Not started"), total.not_started),
    ]
    if required is not None:
        statuses.append((CourseStatus.OVERDUE, _("Overdue"), total.overdue))
    return render(
        request,
        "dashboards/course.html",
        {
            "organization": organization,
            "course": course,
            "required": required,
            "total": total,
            "groups": groups,
            "page": page,
            "status": status,
            "statuses": statuses,
            "query": query,
            "reminded": reminded,
            "behind": total.required - total.completed,
            "charts": {
                "groups": {
                    "type": "bar",
                    "stacked": True,
                    "horizontal": True,
                    "labels": [org.name for org, _c in groups],
                    "datasets": [
                        {"label": _("Completed"), "data": [c.completed for _o, c in groups]},
                        {"label": _("In progress"), "data": [c.in_progress for _o, c in groups]},
                        {"label": _("Not started"), "data": [c.not_started for _o, c in groups]},
                    ],
                }
            },
            "nav_section": "dashboards",
            **_picker(request, organization),
        },
    )


@require_POST
def count_weeks(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    """Ask the worker now for the trend's finished weeks not counted yet (beat counts them
    every hour anyway); a GET of the dashboard never does."""
    organization = _organization_or_404(request, org_id)
    enqueue_week_freezing()
    messages.info(request, _("The earlier weeks are being counted; reload the page in a minute."))
    return redirect("dashboards:organization", org_id=organization.pk)


@require_POST
def remind(request: AuthenticatedHttpRequest, org_id: int, course_id: int) -> HttpResponse:
    """Remind the subtree's members behind on a required course (in the background; each
    member at most once a week, so pressing twice sends nothing more)."""
    organization = _organization_or_404(request, org_id)
    required = aggregates.find_required_course(organization, course_id)
    if required is None:
        raise Http404
    # Who the job will remind: those behind not reminded this week (the job's own rule).
    already = Notification.objects.filter(
        key=reminder_key(course_id, aggregates.week_of(days.today()))
    ).values("recipient_id")
    count = members_behind(required.course, required.parts).exclude(user_id__in=already).count()
    if count:
        enqueue_course_reminders(organization, course_id, request.user)
    record_audit(
        request,
        "reminder.send",
        target=required.course.title,
        organization=organization,
        course=course_id,
    )
    if count:
        messages.success(
            request,
            ngettext(
                "Reminded %(count)d member who has not completed %(course)s.",
                "Reminded %(count)d members who have not completed %(course)s.",
                count,
            )
            % {"count": count, "course": required.course.title},
        )
    else:
        messages.info(request, _("Everyone behind was already reminded this week."))
    return redirect("dashboards:course", org_id=organization.pk, course_id=course_id)


def members(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    """The subtree's members with this week's study time and points and their required
    courses; filters for who has not studied this week and who is overdue."""
    organization = _organization_or_404(request, org_id)
    required = aggregates.required_courses(organization)
    show = request.GET.get("show", "")
    query = request.GET.get("q", "").strip()
    profiles = aggregates.member_list(
        organization, required, show=show if show in MemberFilter.CHOICES else "", query=query
    )
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboards/members.html",
        {
            "organization": organization,
            "page": page,
            "lines": aggregates.member_lines(list(page), required),
            "show": show,
            "query": query,
            "filters": [
                ("", _("Everyone")),
                (MemberFilter.INACTIVE, _("Not active this week")),
                (MemberFilter.OVERDUE, _("Overdue")),
            ],
            "nav_section": "dashboards",
            **_picker(request, organization),
        },
    )


def member_record(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """One member's learning record; viewing someone else's is written to the audit log."""
    member = open_member_record(request, user_id)
    record = aggregates.member_record(member)
    organization = member.organization
    back = None
    if organization is not None and permissions.covers_organization(
        request.user, organization, permissions.MEMBER_RECORD_ROLES
    ):
        back = organization
    return render(
        request,
        "dashboards/member_record.html",
        {
            "member": member,
            "profile": getattr(member, "profile", None),
            "record": record,
            "back": back,
            "charts": {
                "study": {
                    "type": "bar",
                    "labels": [date_format(day, "m/d") for day, _s in record.study_days],
                    "datasets": [
                        {
                            "label": _("Minutes studied"),
                            "data": [round(s / 60) for _d, s in record.study_days],
                        }
                    ],
                }
            },
            "nav_section": "dashboards",
        },
    )


# --- exports ---------------------------------------------------------------------------------


@require_POST
def export_create(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    """Ask for an Excel report of the subtree; it is written in the background."""
    organization = _organization_or_404(request, org_id)
    kind = request.POST.get("kind", "")
    if kind not in Export.Kind.values:
        messages.error(request, _("Choose which report to export."))
        return redirect("dashboards:organization", org_id=organization.pk)
    export = Export.objects.create(
        requested_by=request.user,
        organization=organization,
        kind=kind,
        language=request.LANGUAGE_CODE,
    )
    record_audit(
        request,
        f"export.{kind}",
        target=organization.code,
        organization=organization,
        export=export.pk,
    )
    enqueue_export(export)
    return redirect("dashboards:export_detail", export_id=export.pk)


def _export_or_404(request: AuthenticatedHttpRequest, export_id: int) -> Export:
    export = get_object_or_404(Export.objects.select_related("organization"), pk=export_id)
    if not export.is_visible_to(request.user):
        raise Http404
    return export


def export_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not _covered(request).exists():
        raise Http404
    exports = Export.objects.filter(requested_by=request.user).select_related("organization")
    return render(
        request,
        "dashboards/exports.html",
        {"exports": exports[:50], "nav_section": "dashboards"},
    )


def export_detail(request: AuthenticatedHttpRequest, export_id: int) -> HttpResponse:
    export = _export_or_404(request, export_id)
    return render(
        request,
        "dashboards/export_detail.html",
        {
            "export": export,
            "keep_days": settings.DASHBOARDS_EXPORT_DAYS,
            "nav_section": "dashboards",
        },
    )


def export_status(request: AuthenticatedHttpRequest, export_id: int) -> JsonResponse:
    """The export's progress, for the page to follow without reloading."""
    export = _export_or_404(request, export_id)
    return JsonResponse(
        {
            "status": export.status,
            "status_display": export.get_status_display(),
            "progress": export.progress,
            "rows": export.rows,
            "error": export.error,
            "download_url": (
                reverse("dashboards:export_download", args=[export.pk])
                if export.status == Export.Status.DONE
                else ""
            ),
        }
    )


def export_download(request: AuthenticatedHttpRequest, export_id: int) -> FileResponse:
    export = _export_or_404(request, export_id)
    if export.status != Export.Status.DONE or not export.file:
        raise Http404
    record_audit(
        request,
        "export.download",
        target=export.organization.code,
        organization=export.organization,
        export=export.pk,
    )
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.download_name())
