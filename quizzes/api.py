"""Quiz and points endpoints of the API (v1), mounted in lms/api/urls.py.

Starting an attempt returns the questions without anything that tells the answer; grading
happens on the server when the attempt is submitted.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.orgs.models import PartyOrganization

from . import leaderboard as boards
from . import points, services
from .models import Attempt, PointEntry, Quiz
from .permissions import may_view_leaderboard

# QuizError codes → HTTP status
ERROR_STATUS = {
    "not_found": status.HTTP_404_NOT_FOUND,
    "closed": status.HTTP_403_FORBIDDEN,
    "not_open_yet": status.HTTP_403_FORBIDDEN,
    "no_attempts_left": status.HTTP_403_FORBIDDEN,
    "daily_done": status.HTTP_403_FORBIDDEN,
    "no_questions": status.HTTP_409_CONFLICT,
    "already_submitted": status.HTTP_409_CONFLICT,
    "time_up": status.HTTP_409_CONFLICT,
    "bad_answers": status.HTTP_400_BAD_REQUEST,
    "unknown_question": status.HTTP_400_BAD_REQUEST,
}


def _refusal(error: services.QuizError) -> Response:
    return Response(
        {"detail": error.message, "code": error.code},
        status=ERROR_STATUS.get(error.code, status.HTTP_400_BAD_REQUEST),
    )


# --- serializers (they document the shapes; views build plain dicts) -----------------------


class QuizOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class QuizQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.ChoiceField(choices=["single", "multiple", "true_false", "fill_blank"])
    stem = serializers.CharField()
    options = QuizOptionSerializer(many=True)


class AttemptStartSerializer(serializers.Serializer):
    attempt_id = serializers.IntegerField()
    questions = QuizQuestionSerializer(many=True)
    deadline = serializers.DateTimeField(allow_null=True, help_text="Null: no time limit.")
    resumed = serializers.BooleanField(help_text="An attempt in progress was resumed.")
    quiz = serializers.DictField(help_text='{"id", "title", "kind"}')


class AttemptSubmitRequestSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(),
        help_text='{"<question id>": [option ids] for choice questions, or "text" for fill '
        "in the blank}",
    )


class QuestionResultSerializer(serializers.Serializer):
    question_id = serializers.IntegerField()
    answer = serializers.JSONField()
    correct = serializers.BooleanField(required=False, help_text="Only when answers are shown.")
    correct_options = serializers.ListField(child=serializers.IntegerField(), required=False)
    accepted_answers = serializers.ListField(child=serializers.CharField(), required=False)
    explanation = serializers.CharField(required=False)


class AttemptGradeSerializer(serializers.Serializer):
    attempt_id = serializers.IntegerField()
    score = serializers.IntegerField()
    max_score = serializers.IntegerField()
    passed = serializers.BooleanField()
    points_awarded = serializers.IntegerField()
    answers_shown = serializers.BooleanField()
    results = QuestionResultSerializer(many=True)


class QuizErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


class PointsTodayRuleSerializer(serializers.Serializer):
    rule = serializers.CharField()
    name = serializers.CharField()
    points = serializers.IntegerField()
    daily_cap = serializers.IntegerField()


class PointsLedgerEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    time = serializers.DateTimeField()
    day = serializers.DateField()
    rule = serializers.CharField()
    name = serializers.CharField()
    points = serializers.IntegerField()
    source = serializers.CharField()
    note = serializers.CharField()


class MyPointsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    today_total = serializers.IntegerField()
    today = PointsTodayRuleSerializer(many=True)
    history = PointsLedgerEntrySerializer(many=True)


class LeaderboardEntrySerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    member_id = serializers.IntegerField()
    name = serializers.CharField()
    organization = serializers.CharField()
    points = serializers.IntegerField()


class LeaderboardSerializer(serializers.Serializer):
    organization = serializers.DictField(help_text='{"id", "name"}')
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    entries = LeaderboardEntrySerializer(many=True)
    me = serializers.DictField(allow_null=True, help_text='{"rank", "points"}')


# --- attempts ------------------------------------------------------------------------------


def attempt_start_payload(started: services.AttemptStart) -> dict:
    attempt = started.attempt
    return {
        "attempt_id": attempt.pk,
        "questions": services.attempt_questions(attempt),
        "deadline": attempt.deadline.isoformat() if attempt.deadline else None,
        "resumed": started.resumed,
        "quiz": {"id": attempt.quiz_id, "title": attempt.quiz.title, "kind": attempt.quiz.kind},
    }


START_RESPONSES = {
    201: AttemptStartSerializer,
    200: AttemptStartSerializer,
    403: QuizErrorSerializer,
    404: QuizErrorSerializer,
    409: QuizErrorSerializer,
}


class QuizAttemptsView(APIView):
    """Start an attempt at a quiz (or resume the one in progress): its questions in this
    attempt's order, with no answers, and the deadline the server will enforce."""

    @extend_schema(request=None, responses=START_RESPONSES)
    def post(self, request: Request, quiz_id: int) -> Response:
        quiz = Quiz.objects.filter(pk=quiz_id).select_related("organization").first()
        if quiz is None or quiz.kind == Quiz.Kind.DAILY:
            return _refusal(
                services.QuizError("not_found", _("This quiz does not exist or is not for you."))
            )
        try:
            started = services.start_attempt(request.user, quiz)
        except services.QuizError as error:
            return _refusal(error)
        return Response(
            attempt_start_payload(started),
            status=status.HTTP_200_OK if started.resumed else status.HTTP_201_CREATED,
        )


class DailyQuizAttemptsView(APIView):
    """Start today's daily quiz (每日答题), or resume it; once a day."""

    @extend_schema(request=None, responses=START_RESPONSES)
    def post(self, request: Request) -> Response:
        try:
            started = services.start_daily_attempt(request.user)
        except services.QuizError as error:
            return _refusal(error)
        return Response(
            attempt_start_payload(started),
            status=status.HTTP_200_OK if started.resumed else status.HTTP_201_CREATED,
        )


class AttemptSubmitView(APIView):
    """Submit the answers of an attempt, once, before its deadline; graded on the server."""

    @extend_schema(
        request=AttemptSubmitRequestSerializer,
        responses={
            200: AttemptGradeSerializer,
            400: QuizErrorSerializer,
            404: QuizErrorSerializer,
            409: QuizErrorSerializer,
        },
    )
    def post(self, request: Request, attempt_id: int) -> Response:
        data = request.data
        answers = data.get("answers") if isinstance(data, dict) else None
        try:
            attempt = services.submit_attempt(request.user, attempt_id, answers)
        except services.QuizError as error:
            return _refusal(error)
        return Response(services.result_payload(attempt))


class AttemptDetailView(APIView):
    """One of the caller's attempts: its questions while in progress, its grade once
    submitted (answers as the quiz allows)."""

    @extend_schema(responses={200: AttemptGradeSerializer, 404: QuizErrorSerializer})
    def get(self, request: Request, attempt_id: int) -> Response:
        attempt = get_object_or_404(
            Attempt.objects.select_related("quiz"), pk=attempt_id, member=request.user
        )
        if attempt.is_submitted:
            return Response(services.result_payload(attempt))
        return Response(attempt_start_payload(services.AttemptStart(attempt, resumed=True)))


# --- points --------------------------------------------------------------------------------


class MyPointsView(APIView):
    """The caller's study points: all-time total, today per rule against its daily cap, and
    the ledger (newest first; `limit`, `offset`)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("limit", OpenApiTypes.INT, description="History entries (≤ 200)"),
            OpenApiParameter("offset", OpenApiTypes.INT),
        ],
        responses=MyPointsSerializer,
    )
    def get(self, request: Request) -> Response:
        member = request.user
        limit = _int_param(request, "limit", 50, 1, 200)
        offset = _int_param(request, "offset", 0, 0, 10**9)
        today = points.todays_progress(member)
        history = (
            PointEntry.objects.filter(member=member)
            .select_related("rule")
            .order_by("-created_at", "-pk")[offset : offset + limit]
        )
        return Response(
            {
                "total": points.total_points(member),
                "today_total": sum(row["points"] for row in today),
                "today": [
                    {k: row[k] for k in ("rule", "name", "points", "daily_cap")} for row in today
                ],
                "history": [
                    {
                        "id": entry.pk,
                        "time": entry.created_at.isoformat(),
                        "day": entry.day.isoformat(),
                        "rule": entry.rule.code,
                        "name": entry.rule.name,
                        "points": entry.points,
                        "source": entry.source,
                        "source_label": entry.source_label,
                        "note": entry.note,
                    }
                    for entry in history
                ],
            }
        )


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(request.query_params.get(name, default))
    except (TypeError, ValueError):
        return default
    return max(low, min(high, value))


class LeaderboardView(APIView):
    """Members of an organisation subtree ranked by points for the day / week / month / year;
    only for organisations the caller belongs to (or whose subtree a role covers)."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "org", OpenApiTypes.INT, description="Organisation id; default: the caller's"
            ),
            OpenApiParameter("period", OpenApiTypes.STR, enum=list(boards.BOARD_PERIODS)),
            OpenApiParameter("limit", OpenApiTypes.INT, description="Entries (≤ 100)"),
        ],
        responses={200: LeaderboardSerializer, 400: QuizErrorSerializer, 404: QuizErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        period = request.query_params.get("period", "week")
        if period not in boards.BOARD_PERIODS:
            return Response(
                {
                    "detail": _("period must be one of: %(periods)s.")
                    % {"periods": ", ".join(boards.BOARD_PERIODS)},
                    "code": "bad_period",
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        org_param = request.query_params.get("org")
        if org_param in (None, ""):
            organization = request.user.organization
            if organization is None:
                raise Http404
        else:
            try:
                organization = get_object_or_404(PartyOrganization, pk=int(org_param))
            except ValueError:
                raise Http404 from None
        if not may_view_leaderboard(request.user, organization):
            raise Http404
        board = boards.leaderboard(
            organization,
            period,
            viewer=request.user,
            limit=_int_param(request, "limit", 50, 1, 100),
        )
        return Response(
            {
                "organization": {"id": organization.pk, "name": organization.name},
                "period": board.period,
                "start": board.start.isoformat(),
                "end": board.end.isoformat(),
                "entries": [entry.__dict__ for entry in board.entries],
                "me": (
                    {"rank": board.my_rank, "points": board.my_points}
                    if request.user.organization is not None
                    and organization.covers(request.user.organization)
                    else None
                ),
            }
        )
