"""Course endpoints of the API (v1): catalogue, course detail with lessons and progress,
enrolment, and the player's heartbeat. Mounted in lms/api/urls.py."""

import nh3
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.rich_text import expand_db_html

from courses.h5p.services import player_for
from lms.accounts.models import User
from lms.accounts.requests import AuthenticatedRequest
from media_pipeline.delivery import file_url, video_playback
from quizzes.services import has_passed

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


# --- one lesson, as an app renders it ---------------------------------------------------------

# What rich text may keep (the editor's features): everything else is removed, so an app can
# show the HTML as it is.
TEXT_TAGS = {"p", "br", "h2", "h3", "b", "strong", "i", "em", "ol", "ul", "li", "a", "hr"}
TEXT_TAGS |= {"blockquote"}
IMAGE_RENDITION = "max-1200x1200"


def _text_html(value) -> str:
    """A rich-text block as sanitised HTML (internal links expanded, nothing executable)."""
    return nh3.clean(
        expand_db_html(value.source),
        tags=TEXT_TAGS,
        attributes={"a": {"href"}},
        link_rel="noopener noreferrer",
    )


def _video_data(value, lesson: LessonPage, progress: LessonProgress | None) -> dict | None:
    video = value["video"]
    if video is None:
        return None
    playback = video_playback(video)
    data = {
        "type": "video",
        "video_id": video.pk,
        "title": video.title,
        "caption": value["caption"],
        "status": video.status,
        "duration": video.duration,
        "audio_only": video.is_audio_only,
        "hls_url": "",
        "poster_url": "",
        "thumbnails_url": "",
        "captions": [],
        "expires_at": None,
        "renew_url": reverse("api:lesson_playback", args=[lesson.pk]),
        "resume_position": progress.resume_position if progress else 0.0,
    }
    if playback is not None:
        data.update(
            hls_url=playback.hls_url,
            poster_url=playback.poster_url,
            thumbnails_url=playback.thumbnails_url,
            captions=[vars(caption) for caption in playback.captions],
            expires_at=playback.expires_at,
        )
    return data


def _block_data(block, user, lesson: LessonPage, progress: LessonProgress | None) -> dict | None:
    """One body block as typed data; None for a block whose content is gone."""
    kind, value = block.block_type, block.value
    if kind == "text":
        return {"type": "text", "html": _text_html(value)}
    if kind == "video":
        return _video_data(value, lesson, progress)
    if kind == "quiz":
        quiz = value["quiz"]
        if quiz is None:
            return None
        return {
            "type": "quiz",
            "quiz_id": quiz.pk,
            "title": quiz.title,
            "kind": quiz.kind,
            "start_url": reverse("api:quiz_attempts", args=[quiz.pk]),
            "passed": has_passed(user, quiz),
        }
    if kind == "h5p":
        package = value["package"]
        return None if package is None else {"type": "h5p", **player_for(user, package)}
    if kind == "image":
        image = value["image"]
        if image is None:
            return None
        rendition = image.get_rendition(IMAGE_RENDITION)
        return {
            "type": "image",
            "url": file_url(rendition.file.name),
            "width": rendition.width,
            "height": rendition.height,
            "caption": value["caption"],
        }
    if kind == "document":
        document = value["document"]
        if document is None:
            return None
        return {
            "type": "document",
            "title": document.title,
            "description": value["description"],
            "extension": document.file_extension,
            "size": document.get_file_size(),
            "url": file_url(document.file.name),
        }
    if kind == "quote":
        return {"type": "quote", "text": value["text"], "source": value["source"]}
    return None


class LessonBlockSerializer(serializers.Serializer):
    """A body block; `type` says which of the fields below it has."""

    type = serializers.ChoiceField(
        choices=["text", "video", "quiz", "h5p", "image", "document", "quote"]
    )
    html = serializers.CharField(required=False, help_text="text: sanitised HTML")
    hls_url = serializers.CharField(
        required=False, help_text="video: signed master playlist (no cookie or header needed)"
    )
    expires_at = serializers.IntegerField(
        required=False, allow_null=True, help_text="video: when its URLs expire (Unix time)"
    )
    renew_url = serializers.CharField(
        required=False, help_text="video: GET it for fresh URLs before they expire"
    )
    url = serializers.CharField(required=False, help_text="image, document: signed URL")
    quiz_id = serializers.IntegerField(required=False)
    start_url = serializers.CharField(required=False, help_text="quiz: POST to start an attempt")
    frame_url = serializers.CharField(required=False, help_text="h5p: the player under a grant")


class LessonDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    course = serializers.DictField()
    number = serializers.IntegerField(help_text="Its place in the course, from 1.")
    count = serializers.IntegerField(help_text="Lessons in the course.")
    previous_id = serializers.IntegerField(allow_null=True)
    next_id = serializers.IntegerField(allow_null=True)
    enrolled = serializers.BooleanField()
    heartbeat_url = serializers.CharField(
        help_text="POST {played, position, opened} here (opened: true on the first beacon)."
    )
    completion_rule = serializers.DictField()
    progress = serializers.DictField()
    blocks = LessonBlockSerializer(many=True)


class PlaybackSerializer(serializers.Serializer):
    hls_url = serializers.CharField()
    poster_url = serializers.CharField()
    thumbnails_url = serializers.CharField()
    captions = serializers.ListField(child=serializers.DictField())
    expires_at = serializers.IntegerField()


def _watchable_lesson_or_404(user: User, lesson_id: int) -> tuple[LessonPage, CoursePage]:
    """A lesson whose media the user may have (enrolled, or working on the course), and its
    course; 404 when they may not see it at all, 403 when they have not enrolled."""
    lesson = get_object_or_404(LessonPage, pk=lesson_id)
    course = lesson.course
    if course is None:
        raise Http404
    if not enrolment.may_watch(user, lesson):
        if course.live and lesson.live and course.is_visible_to(user):
            raise PermissionDenied(_("Enrol in the course first to open its lessons."))
        raise Http404
    return lesson, course


class LessonDetailView(APIView):
    """One lesson as typed blocks an app renders: sanitised text, the lecture video with
    signed URLs (any player, no cookie), quizzes, H5P activities under the member's grant,
    images and documents as signed downloads; the completion rule and the member's progress.
    For enrolled members (and trainers of the course, for previews)."""

    @extend_schema(responses=LessonDetailSerializer)
    def get(self, request: AuthenticatedRequest, lesson_id: int) -> Response:
        lesson, course = _watchable_lesson_or_404(request.user, lesson_id)
        progress = LessonProgress.objects.filter(user=request.user, lesson=lesson).first()
        siblings = list(course.lessons().values_list("pk", flat=True))
        index = siblings.index(lesson.pk) if lesson.pk in siblings else None
        duration = lesson.video_duration()
        blocks = [_block_data(block, request.user, lesson, progress) for block in lesson.body]
        data = {
            "id": lesson.pk,
            "title": lesson.title,
            "course": {"id": course.pk, "title": course.title},
            "number": (index or 0) + 1,
            "count": len(siblings),
            "previous_id": siblings[index - 1] if index else None,
            "next_id": siblings[index + 1]
            if index is not None and index + 1 < len(siblings)
            else None,
            "enrolled": Enrollment.objects.filter(user=request.user, course=course).exists(),
            "heartbeat_url": reverse("api:lesson_heartbeat", args=[lesson.pk]),
            "completion_rule": rule_summary(lesson),
            "progress": {
                "unique_watched_seconds": progress.unique_watched_seconds if progress else 0.0,
                "percent": progress.watched_percent(duration) if progress else 0.0,
                "resume_position": progress.resume_position if progress else 0.0,
                "read_seconds": round(progress.read_seconds, 1) if progress else 0.0,
                "completed": bool(progress and progress.completed_at),
            },
            "blocks": [block for block in blocks if block is not None],
        }
        return Response(data)


class LessonPlaybackView(APIView):
    """Fresh signed URLs of the lesson's lecture video, for a player whose URLs are about to
    expire (web player and apps alike). 404 without a ready video."""

    @extend_schema(responses=PlaybackSerializer)
    def get(self, request: AuthenticatedRequest, lesson_id: int) -> Response:
        lesson, _course = _watchable_lesson_or_404(request.user, lesson_id)
        videos = [v["video"] for v in lesson.blocks_of_type("video") if v["video"] is not None]
        playback = video_playback(videos[0]) if videos else None
        if playback is None:
            raise Http404
        data = {**vars(playback), "captions": [vars(c) for c in playback.captions]}
        return Response(PlaybackSerializer(data).data)
