"""Course endpoints of the API (v1): catalogue, course detail with lessons and progress,
enrolment, and the player's heartbeat. Mounted in lms/api/urls.py."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.accounts.requests import AuthenticatedRequest

from . import enrolment
from .completion import course_progress, progress_by_course, rule_summary
from .models import CoursePage, Enrollment, LessonPage, LessonProgress
from .points import course_completed_rule, course_completion_points
from .progress import NotEnrolled, record_heartbeat

# --- serializers ------------------------------------------------------------------------------


class CourseSerializer(serializers.Serializer):
    """A course as the catalogue lists it, with this member's standing."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    summary = serializers.CharField()
    topic = serializers.CharField(allow_null=True)
    credit_hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    completion_points = serializers.IntegerField(
        allow_null=True, help_text="Study points for completing the course (null: none)."
    )
    enrolled = serializers.BooleanField()
    completed_at = serializers.DateTimeField(allow_null=True)
    lessons_completed = serializers.IntegerField()
    lessons_required = serializers.IntegerField()
    required_deadline = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()


class CompletionRuleSerializer(serializers.Serializer):
    video_percent = serializers.IntegerField(allow_null=True)
    quiz_passed = serializers.BooleanField()
    h5p_completed = serializers.BooleanField()
    read_seconds = serializers.IntegerField(allow_null=True)


class LessonProgressSerializer(serializers.Serializer):
    unique_watched_seconds = serializers.FloatField()
    percent = serializers.FloatField()
    resume_position = serializers.FloatField()
    read_seconds = serializers.FloatField()
    completed = serializers.BooleanField()
    completed_at = serializers.DateTimeField(allow_null=True)


class ActivitySerializer(serializers.Serializer):
    """An H5P activity of the lesson, with what a client needs to play it for this member:
    load `frame_url` in a sandboxed frame and POST its statements to `xapi_url` with `grant`."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    frame_url = serializers.CharField()
    xapi_url = serializers.CharField()
    grant = serializers.CharField()
    completed = serializers.BooleanField()


class LessonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    has_video = serializers.BooleanField()
    video_duration = serializers.FloatField(allow_null=True)
    # A declared field, which DRF's metaclass takes off the class; the stubs see it as
    # overriding `Field.required` (a serializer is a field).
    required = serializers.BooleanField()  # type: ignore[assignment]
    completion_rule = CompletionRuleSerializer()
    progress = LessonProgressSerializer()
    activities = ActivitySerializer(many=True)


class CourseDetailSerializer(CourseSerializer):
    lessons = LessonSerializer(many=True)


class EnrollmentSerializer(serializers.Serializer):
    course = serializers.IntegerField()
    # As `LessonSerializer.required`: not `Field.source`, a declared field.
    source = serializers.CharField()  # type: ignore[assignment]
    enrolled_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)


class HeartbeatRequestSerializer(serializers.Serializer):
    position = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text="Playback position in seconds (omitted by pages without a video).",
    )
    played = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
        max_length=200,
        help_text="Ranges [start, end] in seconds played since the last heartbeat.",
    )
    opened = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "True on the first beacon of a lesson page or app screen: starts the lesson's "
            "clocks (nothing is credited before it) and completes a lesson without conditions."
        ),
    )


class HeartbeatSerializer(serializers.Serializer):
    unique_watched_seconds = serializers.FloatField()
    percent = serializers.FloatField()
    completed = serializers.BooleanField()
    resume_position = serializers.FloatField()
    read_seconds = serializers.FloatField()


# --- helpers --------------------------------------------------------------------------------


def _course_data(course: CoursePage, user, enrollment, progress, required, rule) -> dict:
    done, total = progress
    return {
        "id": course.pk,
        "title": course.title,
        "url": course.url,
        "summary": course.summary,
        "topic": course.topic.name if course.topic else None,
        "credit_hours": course.credit_hours,
        "completion_points": course_completion_points(course, rule),
        "enrolled": enrollment is not None,
        "completed_at": enrollment.completed_at if enrollment else None,
        "lessons_completed": done,
        "lessons_required": total,
        "required_deadline": required.assignment.deadline if required else None,
        "overdue": bool(required and required.overdue),
    }


def _lesson_data(lesson: LessonPage, progress: LessonProgress | None, user) -> dict:
    from courses.h5p.services import player_for

    duration = lesson.video_duration()
    packages = [v["package"] for v in lesson.blocks_of_type("h5p") if v["package"] is not None]
    return {
        "id": lesson.pk,
        "title": lesson.title,
        "url": lesson.url,
        "has_video": lesson.has_video,
        "video_duration": duration,
        "required": lesson.is_required,
        "completion_rule": rule_summary(lesson),
        "progress": {
            "unique_watched_seconds": progress.unique_watched_seconds if progress else 0.0,
            "percent": progress.watched_percent(duration) if progress else 0.0,
            "resume_position": progress.resume_position if progress else 0.0,
            "read_seconds": round(progress.read_seconds, 1) if progress else 0.0,
            "completed": bool(progress and progress.completed_at),
            "completed_at": progress.completed_at if progress else None,
        },
        "activities": [player_for(user, package) for package in packages],
    }


def _visible_course_or_404(user, course_id: int) -> CoursePage:
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    if not course.is_visible_to(user):
        raise Http404
    return course


# --- views ------------------------------------------------------------------------------------


class CourseListView(generics.ListAPIView):
    """Live courses the caller may see, with their enrolment and progress."""

    serializer_class = CourseSerializer
    request: AuthenticatedRequest

    def get_queryset(self):
        return (
            CoursePage.objects.visible_to(self.request.user)
            .select_related("topic")
            .order_by("path")
        )

    def list(self, request: Request, *args, **kwargs) -> Response:
        user = self.request.user
        enrolment.enroll_in_required_courses(user)
        # Never None: DEFAULT_PAGINATION_CLASS pages every list of the API.
        courses = list(self.paginate_queryset(self.get_queryset()) or [])
        enrollments = {
            e.course_id: e for e in Enrollment.objects.filter(user=user, course__in=courses)
        }
        progress = progress_by_course(user, courses)
        required = enrolment.required_for(user)
        rule = course_completed_rule()
        data = [
            _course_data(
                c,
                user,
                enrollments.get(c.pk),
                progress.get(c.pk, (0, 0)),
                required.get(c.pk),
                rule,
            )
            for c in courses
        ]
        return self.get_paginated_response(CourseSerializer(data, many=True).data)


class CourseDetailView(APIView):
    """One course with its lessons: each lesson's completion rule and the caller's progress.
    404 when the course's audience does not include the caller."""

    @extend_schema(responses=CourseDetailSerializer)
    def get(self, request: AuthenticatedRequest, course_id: int) -> Response:
        course = _visible_course_or_404(request.user, course_id)
        enrollment = Enrollment.objects.filter(user=request.user, course=course).first()
        lessons = list(course.lessons())
        progress = {
            p.lesson_id: p
            for p in LessonProgress.objects.filter(user=request.user, lesson__in=lessons)
        }
        data = _course_data(
            course,
            request.user,
            enrollment,
            course_progress(request.user, course),
            enrolment.required_for(request.user).get(course.pk),
            course_completed_rule(),
        )
        data["lessons"] = [
            _lesson_data(lesson, progress.get(lesson.pk), request.user) for lesson in lessons
        ]
        return Response(CourseDetailSerializer(data).data)


class EnrollView(APIView):
    """Enrol the caller in a course (idempotent: 201 the first time, 200 after)."""

    @extend_schema(request=None, responses={200: EnrollmentSerializer, 201: EnrollmentSerializer})
    def post(self, request: AuthenticatedRequest, course_id: int) -> Response:
        course = _visible_course_or_404(request.user, course_id)
        try:
            enrollment, created = enrolment.enroll(request.user, course)
        except enrolment.EnrolmentError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        data = EnrollmentSerializer(
            {
                "course": course.pk,
                "source": enrollment.source,
                "enrolled_at": enrollment.enrolled_at,
                "completed_at": enrollment.completed_at,
            }
        ).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class HeartbeatView(APIView):
    """What the player has played since its last report; answers the lesson progress.

    Unique seconds are counted (seeking ahead earns nothing), and no more than the wall time
    since the previous heartbeat allows (×2 playback rate, plus a little slack) is credited.
    403 when the caller is not enrolled in the course, 404 when they may not see it.
    """

    @extend_schema(request=HeartbeatRequestSerializer, responses=HeartbeatSerializer)
    def post(self, request: AuthenticatedRequest, lesson_id: int) -> Response:
        lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
        course = lesson.course
        if course is None or not course.live or not course.is_visible_to(request.user):
            raise Http404
        form = HeartbeatRequestSerializer(data=request.data)
        if not form.is_valid():
            return Response(
                {"detail": _("The heartbeat is not in the expected form."), "errors": form.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            result = record_heartbeat(
                request.user,
                lesson,
                position=form.validated_data.get("position"),
                played=form.validated_data["played"],
                opened=form.validated_data["opened"],
            )
        except NotEnrolled:
            return Response(
                {"detail": _("Enrol in the course first; your progress is not recorded.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        return Response(HeartbeatSerializer(result).data)
