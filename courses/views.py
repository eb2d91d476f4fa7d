"""Member pages: the catalogue, course and lesson pages (Wagtail serves them; their context is
built here, in answer to the models' `page_context` signal), 我的学习, enrolment, certificates,
and required-course assignments."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lms.accounts.requests import AuthenticatedHttpRequest
from lms.core.audit import record_audit
from lms.core.converters import database_id
from lms.orgs.models import PartyOrganization
from themes.models import SiteTheme

from . import assignments, enrolment, signals
from .catalog import matching_course_ids
from .certificates import certificate_pdf
from .completion import (
    course_progress,
    lesson_conditions,
    progress_by_course,
)
from .models import (
    CatalogPage,
    Certificate,
    CoursePage,
    CourseTopic,
    Enrollment,
    LessonPage,
    LessonProgress,
    RequiredCourseAssignment,
)
from .points import course_completed_rule, course_completion_points

CATALOG_PAGE_SIZE = 24


def course_cards(request: AuthenticatedHttpRequest, courses: list[CoursePage]) -> list[dict]:
    """What a course card shows the member: their enrolment, progress and deadline."""
    user = request.user
    enrollments = {e.course_id: e for e in Enrollment.objects.filter(user=user, course__in=courses)}
    progress = progress_by_course(user, courses)
    required = enrolment.required_for(user)
    cards = []
    for course in courses:
        done, total = progress.get(course.pk, (0, 0))
        cards.append(
            {
                "course": course,
                "enrollment": enrollments.get(course.pk),
                "done": done,
                "total": total,
                "required": required.get(course.pk),
            }
        )
    return cards


@receiver(signals.page_context, sender=CatalogPage)
def catalog_context(sender, page: CatalogPage, request: AuthenticatedHttpRequest, **kwargs) -> dict:
    catalog = page
    user = request.user
    enrolment.enroll_in_required_courses(user)
    courses = (
        CoursePage.objects.visible_to(user)
        .child_of(catalog)
        .select_related("topic", "cover")
        .order_by("path")
    )
    topics = CourseTopic.objects.filter(courses__in=courses).distinct()
    topic = request.GET.get("topic", "")
    topic_id = database_id(topic)
    if topic_id is not None:
        courses = courses.filter(topic_id=topic_id)
    required_ids = set(enrolment.required_for(user))
    kind = request.GET.get("kind", "")
    if kind == "required":
        courses = courses.filter(pk__in=required_ids)
    elif kind == "elective":
        courses = courses.exclude(pk__in=required_ids)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        courses = courses.filter(pk__in=matching_course_ids(query))
    page_obj = Paginator(courses, CATALOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "cards": course_cards(request, list(page_obj)),
        "page_obj": page_obj,
        "topics": topics,
        "topic": topic,
        "kind": kind,
        "query": query,
        "nav_section": "courses",
    }


@receiver(signals.page_context, sender=CoursePage)
def course_context(sender, page: CoursePage, request: AuthenticatedHttpRequest, **kwargs) -> dict:
    course = page
    user = request.user
    enrollment = Enrollment.objects.filter(user=user, course=course).first()
    lessons = list(course.lessons())
    progress = {
        p.lesson_id: p for p in LessonProgress.objects.filter(user=user, lesson__in=lessons)
    }
    rows = []
    for lesson in lessons:
        lesson_progress = progress.get(lesson.pk)
        rows.append(
            {
                "lesson": lesson,
                "progress": lesson_progress,
                "percent": lesson_progress.watched_percent(lesson.video_duration())
                if lesson_progress and lesson.has_video
                else None,
            }
        )
    done, total = course_progress(user, course)
    return {
        "enrollment": enrollment,
        "lesson_rows": rows,
        "done": done,
        "total": total,
        "required": enrolment.required_for(user).get(course.pk),
        "certificate": Certificate.objects.filter(user=user, course=course).first(),
        "resume_lesson": enrollment.last_lesson if enrollment else None,
        "completion_points": course_completion_points(course, course_completed_rule()),
        "nav_section": "courses",
    }


@receiver(signals.page_context, sender=LessonPage)
def lesson_context(sender, page: LessonPage, request: AuthenticatedHttpRequest, **kwargs) -> dict:
    lesson = page
    user = request.user
    course = lesson.course
    if course is None:  # a lesson page lives under its course (`parent_page_types`)
        raise Http404
    enrollment = Enrollment.objects.filter(user=user, course=course).first()
    siblings = list(course.lessons().only("id", "title", "url_path", "path", "depth"))
    index = next((i for i, s in enumerate(siblings) if s.pk == lesson.pk), None)
    previous_lesson = siblings[index - 1] if index else None
    next_lesson = siblings[index + 1] if index is not None and index + 1 < len(siblings) else None
    progress = None
    if enrollment is not None:
        # Read only: the page's first beacon (lesson.js, `opened`) starts the clocks, records
        # the visit and completes a lesson without conditions.
        progress = LessonProgress.objects.filter(user=user, lesson=lesson).first() or (
            LessonProgress(user=user, lesson=lesson)
        )
    duration = lesson.video_duration()
    return {
        "course": course,
        "enrollment": enrollment,
        "progress": progress,
        "conditions": lesson_conditions(user, lesson, progress) if progress else [],
        "percent": progress.watched_percent(duration) if progress else 0,
        "heartbeat_url": reverse("api:lesson_heartbeat", args=[lesson.pk]) if enrollment else "",
        # Signed media only for those who may have it (enrolled, or previewing their course).
        "may_watch": enrolment.may_watch(user, lesson),
        "playback_url": reverse("api:lesson_playback", args=[lesson.pk]),
        "resume_position": progress.resume_position if progress else 0,
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
        "lesson_number": (index or 0) + 1,
        "lesson_count": len(siblings),
        "nav_section": "courses",
    }


@require_POST
def enroll(request: AuthenticatedHttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    if not course.is_visible_to(request.user):
        raise Http404
    _enrollment, created = enrolment.enroll(request.user, course)
    if created:
        messages.success(request, _("You are enrolled in %(course)s.") % {"course": course.title})
    lessons = course.lessons()
    first = lessons.first()
    return redirect(first.url if first is not None else course.url)


def my_learning(request: AuthenticatedHttpRequest) -> HttpResponse:
    """我的学习: courses in progress, required ones with deadlines, completed, certificates."""
    user = request.user
    enrolment.enroll_in_required_courses(user)
    visible = CoursePage.objects.visible_to(user)
    enrollments = list(
        Enrollment.objects.filter(user=user, course__in=visible)
        .select_related("course", "last_lesson")
        .order_by("-last_activity_at", "-enrolled_at")
    )
    courses = [e.course for e in enrollments]
    progress = progress_by_course(user, courses)
    required = enrolment.required_for(user)
    in_progress = [
        {"enrollment": e, "course": e.course, "progress": progress.get(e.course_id, (0, 0))}
        for e in enrollments
        if e.completed_at is None
    ]
    completions = [(e.completed_at, e) for e in enrollments if e.completed_at is not None]
    completed = [e for _at, e in sorted(completions, key=lambda pair: pair[0], reverse=True)]
    return render(
        request,
        "courses/my_learning.html",
        {
            "in_progress": in_progress,
            "required": sorted(required.values(), key=lambda s: s.assignment.deadline),
            "completed": completed,
            "certificates": Certificate.objects.filter(user=user),
            "can_assign": assignments.assignable_organizations(user).exists(),
            "nav_section": "learning",
        },
    )


def certificate_download(request: AuthenticatedHttpRequest, code: str) -> FileResponse:
    """The member's own certificate as a PDF."""
    certificate = get_object_or_404(Certificate, code=code, user=request.user)
    verify_url = request.build_absolute_uri(
        reverse("courses_public:certificate_verify", args=[certificate.code])
    )
    theme = SiteTheme.for_request(request)
    return FileResponse(
        certificate_pdf(certificate, verify_url, issuer=theme.site_name),
        as_attachment=True,
        filename=f"certificate-{certificate.code}.pdf",
        content_type="application/pdf",
    )


class VerifyForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Verification code"), max_length=40)


def certificate_verify(request: HttpRequest, code: str = "") -> HttpResponse:
    """Public: anyone with a certificate's code can check that it is genuine."""
    form = VerifyForm(request.GET or None)
    if not code and form.is_valid():
        code = form.cleaned_data["code"]
    normalized = code.strip().upper().replace(" ", "")
    if len(normalized) == 16 and "-" not in normalized:
        normalized = "-".join(normalized[i : i + 4] for i in range(0, 16, 4))
    certificate = Certificate.objects.filter(code=normalized).first() if normalized else None
    return render(
        request,
        "courses/certificate_verify.html",
        {"form": form, "code": code, "certificate": certificate, "checked": bool(code)},
        status=404 if code and certificate is None else 200,
    )


# --- required courses --------------------------------------------------------------------------


class AssignmentForm(forms.Form):
    """Make a course required for an organisation's subtree."""

    course = forms.ModelChoiceField(
        label=gettext_lazy("Course"), queryset=CoursePage.objects.none()
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=PartyOrganization.objects.none()
    )
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.visible_to(user).order_by("title")
        self.fields["organization"].queryset = assignments.assignable_organizations(user).order_by(
            "path"
        )


def required_courses(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Branch heads (and site admins) assign required courses to their subtrees and follow them."""
    user = request.user
    if not assignments.assignable_organizations(user).exists():
        raise Http404
    form = AssignmentForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = assignments.assign_required_course(
                user,
                form.cleaned_data["course"],
                form.cleaned_data["organization"],
                form.cleaned_data["deadline"],
            )
        except enrolment.EnrolmentError as exc:
            form.add_error(None, str(exc))
        else:
            record_audit(
                request,
                "course.require",
                target=assignment.course.title,
                organization=assignment.organization,
                deadline=assignment.deadline.isoformat(),
            )
            messages.success(
                request,
                _("%(course)s is now required for %(org)s.")
                % {"course": assignment.course.title, "org": assignment.organization},
            )
            return redirect("courses:required_courses")
    rows = [
        {"assignment": a, "counts": assignments.assignment_counts(a)}
        for a in assignments.visible_assignments(user)
    ]
    return render(
        request,
        "courses/required_courses.html",
        {"form": form, "assignments": rows, "nav_section": "learning"},
    )


@require_POST
def required_course_delete(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(
        RequiredCourseAssignment.objects.select_related("organization", "course"),
        pk=assignment_id,
    )
    if not assignments.can_assign(request.user, assignment.organization):
        raise Http404
    record_audit(
        request,
        "course.unrequire",
        target=assignment.course.title,
        organization=assignment.organization,
    )
    assignment.delete()
    messages.success(request, _("The course is no longer required."))
    return redirect("courses:required_courses")
