"""Member pages: the quiz hub (答题), taking a quiz, the daily quiz (每日答题), contest
rankings, 我的积分 and leaderboards.

Taking a quiz works as plain forms (start → answer → result), and with JavaScript inside the
page that holds the quiz block (a lesson): quiz.js posts the same forms and swaps the block.
"""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.core import days
from lms.core.converters import database_id
from lms.orgs.models import PartyOrganization

from . import leaderboard as boards
from . import points, services
from .models import Attempt, PointEntry, PointTotal, Question, Quiz
from .permissions import (
    leaderboard_organizations,
    may_take,
    may_view_leaderboard,
    may_view_results,
    takeable_quizzes,
)

RECENT_CONTEST_DAYS = 30


def _is_fragment(request: HttpRequest) -> bool:
    """quiz.js asks for the block's new content rather than a whole page."""
    return request.headers.get("X-Quiz-Fragment") == "1"


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _progress_summary(member) -> dict:
    today = points.todays_progress(member)
    return {
        "rules": today,
        "earned": sum(row["points"] for row in today),
        "cap": sum(row["daily_cap"] for row in today),
    }


# --- the hub -------------------------------------------------------------------------------


def hub(request: HttpRequest) -> HttpResponse:
    """答题: today's points, the daily quiz, special-topic quizzes, contests, other quizzes."""
    member = request.user
    now = timezone.now()
    daily = services.daily_quiz()
    quizzes = takeable_quizzes(member).select_related("organization")
    return render(
        request,
        "quizzes/hub.html",
        {
            "progress": _progress_summary(member),
            "daily": daily,
            "daily_state": services.quiz_state(member, daily, now) if daily else None,
            "specials": quizzes.filter(kind=Quiz.Kind.SPECIAL, closes_at__gt=now).order_by(
                "closes_at"
            ),
            "contests": quizzes.filter(
                kind=Quiz.Kind.CONTEST,
                closes_at__gt=now - dt.timedelta(days=RECENT_CONTEST_DAYS),
            ).order_by("-opens_at"),
            "listed": quizzes.filter(kind=Quiz.Kind.STANDARD, listed=True).order_by("title"),
            "now": now,
            "nav_section": "quizzes",
        },
    )


def quiz_detail(request: HttpRequest, quiz_id: int) -> HttpResponse:
    """A quiz on its own page (the same block a lesson shows), with its ranking if a contest."""
    quiz = get_object_or_404(Quiz.objects.select_related("organization"), pk=quiz_id)
    if quiz.kind == Quiz.Kind.DAILY:
        return redirect("quizzes:daily")
    if not quiz.is_active or not may_view_results(request.user, quiz):
        raise Http404
    return render(
        request,
        "quizzes/quiz_detail.html",
        {"quiz": quiz, "nav_section": "quizzes"},
    )


def daily(request: HttpRequest) -> HttpResponse:
    """每日答题: today's questions and today's progress on the daily-quiz rule."""
    quiz = services.daily_quiz()
    rule = next(
        (r for r in points.todays_progress(request.user) if r["rule"] == points.DAILY_QUIZ_CORRECT),
        None,
    )
    return render(
        request,
        "quizzes/daily.html",
        {"quiz": quiz, "daily_rule": rule, "nav_section": "quizzes"},
    )


# --- taking ------------------------------------------------------------------------------


def _attempt_response(request: HttpRequest, attempt: Attempt, *, error: str = "") -> HttpResponse:
    """The attempt as a fragment (quiz.js swaps it into the block) or as a page."""
    if attempt.is_submitted:
        context = {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "review": services.attempt_review(attempt),
            "next": _safe_next(request),
        }
        template = "quizzes/_result.html" if _is_fragment(request) else "quizzes/attempt.html"
    else:
        questions = services.attempt_questions(attempt)
        for number, question in enumerate(questions, start=1):
            question["number"] = number
            question["is_multiple"] = question["type"] == Question.Type.MULTIPLE
            question["is_text"] = question["type"] == Question.Type.FILL_BLANK
            question["type_label"] = Question.Type(question["type"]).label
        context = {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "questions": questions,
            "error": error,
            "next": _safe_next(request),
        }
        template = "quizzes/_attempt_form.html" if _is_fragment(request) else "quizzes/attempt.html"
    context["nav_section"] = "quizzes"
    return render(request, template, context)


def _refused(request: HttpRequest, quiz: Quiz | None, error: services.QuizError) -> HttpResponse:
    if _is_fragment(request) and quiz is not None:
        return render(request, "quizzes/quiz_block.html", {"quiz": quiz, "error": error.message})
    messages.error(request, error.message)
    target = _safe_next(request)
    if target:
        return redirect(target)
    if quiz is not None and quiz.kind == Quiz.Kind.DAILY:
        return redirect("quizzes:daily")
    if quiz is not None and (quiz.is_active and may_take(request.user, quiz)):
        return redirect("quizzes:quiz", quiz.pk)
    return redirect("quizzes:hub")


@require_POST
def start(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = Quiz.objects.filter(pk=quiz_id).select_related("organization").first()
    if quiz is None:
        raise Http404
    try:
        started = services.start_attempt(request.user, quiz)
    except services.QuizError as error:
        return _refused(request, quiz, error)
    return _started(request, started.attempt)


@require_POST
def daily_start(request: HttpRequest) -> HttpResponse:
    try:
        started = services.start_daily_attempt(request.user)
    except services.QuizError as error:
        return _refused(request, services.daily_quiz(), error)
    return _started(request, started.attempt)


def _started(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    if _is_fragment(request):
        return _attempt_response(request, attempt)
    url = reverse("quizzes:attempt", args=[attempt.pk])
    target = _safe_next(request)
    return redirect(f"{url}?next={target}" if target else url)


def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The member's own attempt: its form while it runs, its result once submitted."""
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz"), pk=attempt_id, member=request.user
    )
    if not attempt.is_submitted and services.open_attempt(request.user, attempt.quiz) != attempt:
        messages.error(request, _("Time is up: this attempt can no longer be submitted."))
        return redirect("quizzes:hub")
    return _attempt_response(request, attempt)


def _form_answers(request: HttpRequest, attempt: Attempt) -> dict:
    """The answers of the attempt form: field q<id> per question (checkboxes: several)."""
    types = dict(Question.objects.filter(pk__in=attempt.question_ids()).values_list("pk", "type"))
    answers: dict[str, object] = {}
    for question_id in attempt.question_ids():
        field = f"q{question_id}"
        if types.get(question_id) == Question.Type.MULTIPLE:
            values = request.POST.getlist(field)
            if values:
                answers[str(question_id)] = values
        else:
            value = request.POST.get(field, "")
            if value.strip():
                answers[str(question_id)] = value
    return answers


@require_POST
def submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz"), pk=attempt_id, member=request.user
    )
    try:
        attempt = services.submit_attempt(request.user, attempt.pk, _form_answers(request, attempt))
    except services.QuizError as error:
        if error.code in ("bad_answers", "unknown_question"):
            return _attempt_response(request, attempt, error=error.message)
        attempt.refresh_from_db()
        if attempt.is_submitted:
            messages.error(request, error.message)
            return _attempt_response(request, attempt)
        return _refused(request, attempt.quiz, error)
    if _is_fragment(request):
        return _attempt_response(request, attempt)
    url = reverse("quizzes:attempt", args=[attempt.pk])
    target = _safe_next(request)
    return redirect(f"{url}?next={target}" if target else url)


# --- contests ------------------------------------------------------------------------------


def ranking(request: HttpRequest, quiz_id: int) -> HttpResponse:
    """A contest's ranking: best attempt per member by score, then time taken."""
    quiz = get_object_or_404(Quiz.objects.select_related("organization"), pk=quiz_id)
    if quiz.kind != Quiz.Kind.CONTEST or not may_view_results(request.user, quiz):
        raise Http404
    page = Paginator(services.contest_ranking(quiz), 50).get_page(request.GET.get("page"))
    offset = (page.number - 1) * 50
    return render(
        request,
        "quizzes/ranking.html",
        {"quiz": quiz, "page": page, "offset": offset, "nav_section": "quizzes"},
    )


# --- points ------------------------------------------------------------------------------


def my_points(request: HttpRequest) -> HttpResponse:
    """我的积分: today's progress per rule, totals, rank in the branch, the ledger."""
    member = request.user
    own = member.organization
    week = month = None
    if own is not None:
        week = boards.leaderboard(own, PointTotal.Period.WEEK, viewer=member, limit=0)
        month = boards.leaderboard(own, PointTotal.Period.MONTH, viewer=member, limit=0)
    history = Paginator(
        PointEntry.objects.filter(member=member)
        .select_related("rule")
        .order_by("-created_at", "-pk"),
        30,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "quizzes/my_points.html",
        {
            "progress": _progress_summary(member),
            "total": points.total_points(member),
            "periods": points.period_points(
                member, [PointTotal.Period.WEEK, PointTotal.Period.MONTH, PointTotal.Period.YEAR]
            ),
            # A week may begin in the month before: its dates say why it can hold more.
            "week_start": points.period_start(PointTotal.Period.WEEK, days.today()),
            "week_end": points.period_end(PointTotal.Period.WEEK, days.today()),
            "organization": own,
            "week_board": week,
            "month_board": month,
            "history": history,
            "nav_section": "quizzes",
        },
    )


def leaderboard(request: HttpRequest) -> HttpResponse:
    """积分排行: an organisation the member belongs to (or a role covers), for a period."""
    member = request.user
    period = request.GET.get("period", PointTotal.Period.WEEK)
    if period not in boards.BOARD_PERIODS:
        period = PointTotal.Period.WEEK
    organization = member.organization
    org_param = request.GET.get("org")
    if org_param:
        org_id = database_id(org_param)
        if org_id is None:
            raise Http404
        organization = get_object_or_404(PartyOrganization, pk=org_id)
    if organization is None or not may_view_leaderboard(member, organization):
        raise Http404
    board = boards.leaderboard(organization, period, viewer=member)
    return render(
        request,
        "quizzes/leaderboard.html",
        {
            "board": board,
            "organizations": leaderboard_organizations(member),
            "periods": [(p, PointTotal.Period(p).label) for p in boards.BOARD_PERIODS],
            "nav_section": "quizzes",
        },
    )
