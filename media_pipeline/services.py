"""What the admin and the API do with videos: accept an upload, queue it, retry it."""

import logging
import posixpath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import User
from lms.orgs.models import PartyOrganization

from .models import VideoAsset
from .tasks import send_transcode

logger = logging.getLogger(__name__)

# What trainers upload: camera and phone files, screen recordings, audio lectures. The content
# is checked by ffprobe in the worker; this list only turns away the obviously wrong early.
VIDEO_EXTENSIONS = (
    ".mp4 .m4v .mov .mkv .webm .avi .flv .wmv .mpg .mpeg .ts .mts .m2ts .3gp .ogv "
    ".mp3 .m4a .aac .wav .flac .ogg .oga .opus .wma .amr"
).split()


def validate_upload(upload: UploadedFile) -> None:
    """Refuse a file that is too large or obviously not a video, before anything is stored."""
    limit = settings.VIDEO_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; videos may be at most %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    extension = posixpath.splitext(upload.name or "")[1].lower()
    if extension not in VIDEO_EXTENSIONS:
        raise ValidationError(
            _("“%(name)s” is not a video or audio file (allowed: %(extensions)s)."),
            code="extension",
            params={"name": upload.name, "extensions": " ".join(VIDEO_EXTENSIONS)},
        )


def enqueue_transcode(video: VideoAsset) -> None:
    """Mark the video queued (progress and error cleared) and send its job after commit."""
    now = timezone.now()
    VideoAsset.objects.filter(pk=video.pk).update(
        status=VideoAsset.Status.QUEUED,
        progress=0,
        error="",
        error_detail="",
        job_token="",
        heartbeat_at=None,
        enqueued_at=now,
    )
    video.status, video.progress, video.error, video.enqueued_at = (
        VideoAsset.Status.QUEUED,
        0,
        "",
        now,
    )
    send_transcode(video.pk)


def create_video(
    *,
    title: str,
    upload: UploadedFile,
    organization: PartyOrganization | None,
    uploaded_by: User | None,
) -> VideoAsset:
    """Store an uploaded video and queue its transcode (after commit)."""
    validate_upload(upload)
    with transaction.atomic():
        video = VideoAsset.objects.create(
            title=title,
            original=upload,
            organization=organization,
            uploaded_by=uploaded_by,
        )
        enqueue_transcode(video)
    return video


def retry_video(video: VideoAsset) -> bool:
    """Queue a failed video again with a fresh count of attempts; False if it is not failed."""
    with transaction.atomic():
        retried = VideoAsset.objects.filter(pk=video.pk, status=VideoAsset.Status.FAILED).update(
            attempts=0
        )
        if retried:
            video.attempts = 0
            enqueue_transcode(video)
    return bool(retried)
