"""Video endpoints of the API (v1): upload, state and playback URLs, retry.

Mounted in lms/api/urls.py. Trainers upload into the organisations their role covers; anyone
who may watch a video may read its state and URLs; everyone else gets 404.
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.orgs.models import PartyOrganization

from . import permissions, services
from .delivery import VideoPlayback, video_playback
from .models import VideoAsset


class UploadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = gettext_lazy("The upload is too large.")


class RenditionSerializer(serializers.Serializer):
    height = serializers.IntegerField(allow_null=True)
    width = serializers.IntegerField(allow_null=True)
    bandwidth = serializers.IntegerField(help_text="bits per second, as in the master playlist")


class CaptionSerializer(serializers.Serializer):
    language = serializers.CharField()
    label = serializers.CharField()
    url = serializers.CharField(help_text="signed WebVTT file")


class VideoSerializer(serializers.ModelSerializer):
    """A video's transcoding state and, once ready, where to play it: signed URLs any player
    fetches with no cookie or header (media_pipeline/delivery.py), until `expires_at`; GET the
    video again for fresh ones."""

    renditions = RenditionSerializer(many=True, read_only=True)
    hls_url = serializers.SerializerMethodField(help_text="master playlist; empty until ready")
    poster_url = serializers.SerializerMethodField()
    thumbnails_url = serializers.SerializerMethodField(
        help_text="WebVTT index of the scrub-preview sprite; empty until ready"
    )
    captions = serializers.SerializerMethodField()
    expires_at = serializers.SerializerMethodField(
        help_text="when the URLs above expire (Unix time); null until ready"
    )

    class Meta:
        model = VideoAsset
        fields = [
            "id",
            "title",
            "status",
            "progress",
            "duration",
            "width",
            "height",
            "is_audio_only",
            "renditions",
            "hls_url",
            "poster_url",
            "thumbnails_url",
            "captions",
            "expires_at",
            "error",
        ]
        read_only_fields = fields

    def _playback(self, video: VideoAsset) -> VideoPlayback | None:
        cache = self.context.setdefault("playback", {})
        if video.pk not in cache:
            cache[video.pk] = video_playback(video)
        return cache[video.pk]

    def _absolute(self, url: str) -> str:
        return self.context["request"].build_absolute_uri(url) if url else ""

    def get_hls_url(self, video: VideoAsset) -> str:
        playback = self._playback(video)
        return self._absolute(playback.hls_url) if playback else ""

    def get_poster_url(self, video: VideoAsset) -> str:
        playback = self._playback(video)
        return self._absolute(playback.poster_url) if playback else ""

    def get_thumbnails_url(self, video: VideoAsset) -> str:
        playback = self._playback(video)
        return self._absolute(playback.thumbnails_url) if playback else ""

    @extend_schema_field(CaptionSerializer(many=True))
    def get_captions(self, video: VideoAsset) -> list[dict]:
        playback = self._playback(video)
        if playback is None:
            return []
        return [
            {**vars(caption), "url": self._absolute(caption.url)} for caption in playback.captions
        ]

    def get_expires_at(self, video: VideoAsset) -> int | None:
        playback = self._playback(video)
        return playback.expires_at if playback else None


class VideoUploadSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(help_text="the video or audio file (multipart)")
    organization = serializers.PrimaryKeyRelatedField(
        queryset=PartyOrganization.objects.all(),
        required=False,
        allow_null=True,
        help_text="who may watch it (default: the widest organisation you train)",
    )

    def validate_file(self, upload):
        try:
            services.validate_upload(upload)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return upload

    def validate_organization(self, organization):
        user = self.context["request"].user
        if organization is None:
            if not user.is_superuser:
                raise serializers.ValidationError(_("Choose an organisation."))
            return None
        if (
            not user.is_superuser
            and not permissions.upload_organizations(user).filter(pk=organization.pk).exists()
        ):
            raise serializers.ValidationError(
                _("You cannot upload videos for %(org)s.") % {"org": organization}
            )
        return organization


class VideoCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class VideoListCreateView(generics.ListAPIView):
    """Videos you manage (GET), or upload a new one (POST multipart: `file`, `title`)."""

    serializer_class = VideoSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return (
            permissions.manageable_videos(self.request.user)
            .prefetch_related("captions")
            .order_by("-created_at", "-pk")
        )

    def initial(self, request: Request, *args, **kwargs) -> None:
        # Refuse an oversized upload from its Content-Length, before the body is read.
        if request.method == "POST":
            length = int(request.META.get("CONTENT_LENGTH") or 0)
            limit = settings.VIDEO_MAX_UPLOAD_BYTES
            if length > limit + 64 * 1024:
                raise UploadTooLarge(
                    _("The file is %(size)s; videos may be at most %(limit)s.")
                    % {"size": filesizeformat(length), "limit": filesizeformat(limit)}
                )
        super().initial(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": VideoUploadSerializer},
        responses={201: VideoCreatedSerializer},
    )
    def post(self, request: Request) -> Response:
        if not permissions.can_upload_videos(request.user):
            raise PermissionDenied(_("Only trainers may upload videos."))
        form = VideoUploadSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        organization = form.validated_data.get(
            "organization", permissions.default_upload_organization(request.user)
        )
        video = services.create_video(
            title=form.validated_data["title"],
            upload=form.validated_data["file"],
            organization=organization,
            uploaded_by=request.user,
        )
        return Response({"id": video.pk, "status": video.status}, status=status.HTTP_201_CREATED)


class VideoDetailView(APIView):
    """A video's state, progress and playback URLs; 404 unless you may watch or manage it."""

    @extend_schema(responses=VideoSerializer)
    def get(self, request: Request, video_id: int) -> Response:
        video = get_object_or_404(
            VideoAsset.objects.select_related("organization").prefetch_related("captions"),
            pk=video_id,
        )
        if not (
            permissions.can_watch_video(request.user, video)
            or permissions.can_manage_video(request.user, video)
        ):
            raise Http404
        return Response(VideoSerializer(video, context={"request": request}).data)


class VideoRetryView(APIView):
    """Queue a failed video again (trainers who manage it); 409 if it has not failed."""

    @extend_schema(request=None, responses={202: VideoCreatedSerializer})
    def post(self, request: Request, video_id: int) -> Response:
        video = get_object_or_404(permissions.manageable_videos(request.user), pk=video_id)
        if not services.retry_video(video):
            return Response(
                {"detail": _("Only a video whose conversion failed can be retried.")},
                status=status.HTTP_409_CONFLICT,
            )
        return Response({"id": video.pk, "status": video.status}, status=status.HTTP_202_ACCEPTED)
