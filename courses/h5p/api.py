"""The xAPI endpoint: the member's statements from an H5P activity (mounted in lms/api/urls.py).

`POST /api/v1/h5p/packages/{id}/xapi/` with `{"grant": "<from the player>", "statement":
{…xAPI statement…}}`, by the member's session (with the CSRF header) or an API token. The
player must have been loaded under that grant (403 `not_opened` otherwise); a statement that
would complete the activity sooner than settings.H5P_MIN_PLAY_SECONDS after it opened is
refused with 409 `too_soon` and `retry_after` (also the Retry-After header): send it again
then, with the same id.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from lms.accounts.requests import AuthenticatedRequest

from .grants import BadGrant, GrantExpired, read_grant
from .models import H5PPackage
from .services import CompletionTooSoon, opening_of, record_statement
from .xapi import StatementError, clean_statement


class StatementRequestSerializer(serializers.Serializer):
    grant = serializers.CharField(
        help_text="The grant the page that shows the player gave (data-grant)."
    )
    statement = serializers.JSONField(
        help_text="An xAPI statement; the actor is set by the server and may be left out."
    )


class StatementAnswerSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The statement's id (generated when it had none).")
    duplicate = serializers.BooleanField(help_text="This statement id was stored before.")
    completed = serializers.BooleanField(help_text="The member has completed the activity.")
    newly_completed = serializers.BooleanField(help_text="This statement completed it.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)


class TooSoonSerializer(ErrorSerializer):
    retry_after = serializers.IntegerField(help_text="Seconds to wait before sending again.")


class XAPIRateThrottle(UserRateThrottle):
    """Statements per member per minute (settings.H5P_XAPI_RATE): an activity that floods
    the endpoint is stopped without stopping anyone else."""

    scope = "h5p_xapi"

    def get_rate(self) -> str:
        return settings.H5P_XAPI_RATE


def _refuse(message: str, code: str, http_status: int) -> Response:
    return Response({"detail": message, "code": code}, status=http_status)


class XAPIStatementView(APIView):
    """Record one xAPI statement of the caller for an H5P activity they were shown."""

    throttle_classes = [XAPIRateThrottle]

    @extend_schema(
        request=StatementRequestSerializer,
        responses={
            201: StatementAnswerSerializer,
            200: OpenApiResponse(StatementAnswerSerializer, description="Already stored."),
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: TooSoonSerializer,
            413: ErrorSerializer,
            503: ErrorSerializer,
        },
    )
    def post(self, request: AuthenticatedRequest, package_id: int) -> Response:
        if len(request.body) > settings.H5P_XAPI_MAX_BYTES:
            return _refuse(
                _("The statement is too large."),
                "too_large",
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        try:
            data = request.data
        except ParseError:
            return _refuse(_("The request is not valid JSON."), "malformed", 400)
        if not isinstance(data, dict) or not isinstance(data.get("grant"), str):
            return _refuse(
                _("Send a JSON object with the grant and the statement."), "malformed", 400
            )
        not_found = _refuse(_("No such H5P activity for you."), "not_found", 404)
        package = H5PPackage.objects.filter(pk=package_id).first()
        if package is None:
            return not_found
        try:
            grant = read_grant(data["grant"])
        except GrantExpired as stale:
            if not stale.grant.is_for(request.user, package):
                return not_found
            return _refuse(
                _("This page has been open too long. Reload it to go on recording your answers."),
                "grant_expired",
                status.HTTP_403_FORBIDDEN,
            )
        except BadGrant:
            return not_found
        if not grant.is_for(request.user, package):
            return not_found
        play = opening_of(grant)
        if play is None:
            return _refuse(
                _("This activity has not been opened on the lesson page; nothing was recorded."),
                "not_opened",
                status.HTTP_403_FORBIDDEN,
            )
        try:
            clean = clean_statement(
                data.get("statement"),
                user=request.user,
                object_iri=package.xapi_object_iri(request),
                home_page=request.build_absolute_uri("/"),
            )
        except StatementError as error:
            return _refuse(str(error), "refused", error.status)
        try:
            recorded = record_statement(request.user, package, clean, play)
        except StatementError as error:
            return _refuse(str(error), "unavailable", error.status)
        except CompletionTooSoon as early:
            response = Response(
                {
                    "detail": _(
                        "The activity has been open too short a time; this answer does not "
                        "count towards completion yet."
                    ),
                    "code": "too_soon",
                    "retry_after": early.retry_after,
                },
                status=status.HTTP_409_CONFLICT,
            )
            response["Retry-After"] = str(early.retry_after)
            return response
        answer = StatementAnswerSerializer(
            {
                "id": recorded.statement.statement_id,
                "duplicate": recorded.duplicate,
                "completed": recorded.completed,
                "newly_completed": recorded.newly_completed,
            }
        ).data
        return Response(answer, status=200 if recorded.duplicate else 201)
