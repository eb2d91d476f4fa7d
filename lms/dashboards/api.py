"""Dashboard endpoints of the API (v1): a course's completion in an organisation's subtree.
Mounted in lms/api/urls.py."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import CoursePage
from courses.status import CourseStatus, is_overdue
from lms.api.pagination import BoundedLimitOffsetPagination
from lms.api.query import DatabaseIdField, validated_query
from lms.core import days
from lms.orgs import permissions
from lms.orgs.models import PartyOrganization

from . import aggregates


def _unknown_status() -> str:
    return gettext("Unknown status. Use one of: %s.") % ", ".join(CourseStatus.CHOICES)


class CompletionQuerySerializer(serializers.Serializer):
    """The query: which course, and optionally which members (paging is the paginator's)."""

    course = DatabaseIdField(
        help_text="Course id",
        error_messages={"required": gettext_lazy("Give the course's id: ?course=<id>.")},
    )
    status = serializers.ChoiceField(
        choices=list(CourseStatus.CHOICES),
        required=False,
        allow_blank=True,
        help_text="Only members with this status (overdue: not completed, deadline passed).",
        error_messages={"invalid_choice": lazy(_unknown_status, str)()},
    )


class CompletionRowSerializer(serializers.Serializer):
    member_id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    organization_id = serializers.IntegerField()
    organization = serializers.CharField()
    status = serializers.ChoiceField(
        choices=[CourseStatus.COMPLETED, CourseStatus.IN_PROGRESS, CourseStatus.NOT_STARTED]
    )
    enrolled_at = serializers.DateTimeField(allow_null=True)
    last_studied_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()


class CompletionSerializer(serializers.Serializer):
    """A course's completion in a subtree: counts over every member it concerns, and one
    page of those members (`limit`/`offset`, filtered by `status`)."""

    organization = serializers.IntegerField()
    course = serializers.IntegerField()
    # A declared field, which DRF's metaclass takes off the class; the stubs see it as
    # overriding `Field.required` (a serializer is a field).
    required = serializers.BooleanField(  # type: ignore[assignment]
        help_text="Whether the course is required of members of this subtree; if not, it "
        "concerns every member."
    )
    deadline = serializers.DateField(allow_null=True)
    members = serializers.IntegerField()
    completed = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_started = serializers.IntegerField()
    overdue = serializers.IntegerField()
    count = serializers.IntegerField(help_text="Rows matching the status filter.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    rows = CompletionRowSerializer(many=True)


class CompletionPagination(BoundedLimitOffsetPagination):
    default_limit = 50
    max_limit = 500


class CompletionView(APIView):
    """Completion of a course by the members of an organisation's subtree: who completed it,
    who is studying, who has not started, with dates. Only for branch heads and organisers
    whose role covers the organisation (and site admins); 404 for anyone else."""

    @extend_schema(
        parameters=[
            CompletionQuerySerializer,
            OpenApiParameter("limit", OpenApiTypes.INT, description="Rows per page (≤ 500)."),
            OpenApiParameter("offset", OpenApiTypes.INT),
        ],
        responses=CompletionSerializer,
    )
    def get(self, request: Request, org_id: int) -> Response:
        organization = get_object_or_404(PartyOrganization, pk=org_id)
        if not permissions.covers_organization(
            request.user, organization, permissions.MEMBER_RECORD_ROLES
        ):
            raise Http404
        query = validated_query(request, CompletionQuerySerializer)
        status = query.get("status", "")
        course = get_object_or_404(CoursePage, pk=query["course"], live=True)
        required = aggregates.find_required_course(organization, course.pk)
        total, _groups = aggregates.course_counts_by_group(organization, course, required)
        members = aggregates.course_members(organization, course, required, status=status)
        paginator = CompletionPagination()
        # Never None: CompletionPagination has a default limit.
        page = paginator.paginate_queryset(members, request, view=self) or []
        today = days.today()
        rows = []
        for member in page:
            deadline = required.deadline_for(member.organization.path) if required else None
            rows.append(
                {
                    "member_id": member.user_id,
                    "username": member.user.username,
                    "name": member.real_name,
                    "organization_id": member.organization_id,
                    "organization": member.organization.name,
                    "status": member.status,
                    "enrolled_at": member.enrolled_at,
                    "last_studied_at": member.last_studied_at,
                    "completed_at": member.completed_at,
                    "deadline": deadline,
                    "overdue": is_overdue(member.status, deadline, today),
                }
            )
        data = {
            "organization": organization.pk,
            "course": course.pk,
            "required": required is not None,
            "deadline": required.deadline if required else None,
            "members": total.required,
            "completed": total.completed,
            "in_progress": total.in_progress,
            "not_started": total.not_started,
            "overdue": total.overdue,
            "count": paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "rows": rows,
        }
        return Response(CompletionSerializer(data).data)
