"""Serving published videos, posters, sprites and captions in the embedded setup (SERVE_MEDIA).

Only to users who may watch the video, only files of its published version, and with the MIME
types players expect — the system's table knows neither .m3u8 nor .m4s and calls .ts a Qt
translation file. At scale media comes from object storage behind a CDN instead.
"""

import posixpath
from pathlib import Path
from typing import NoReturn

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils._os import safe_join
from django.views.decorators.http import require_GET

from ..models import VideoAsset, VideoCaption
from ..permissions import can_manage_video, can_watch_video

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".ts": "video/mp2t",
    ".aac": "audio/aac",
    ".vtt": "text/vtt; charset=utf-8",
    ".jpg": "image/jpeg",
}


def _send(path: str) -> FileResponse:
    extension = posixpath.splitext(path)[1].lower()
    content_type = CONTENT_TYPES.get(extension)
    if content_type is None or not Path(path).is_file():
        raise Http404
    response = FileResponse(open(path, "rb"), content_type=content_type)
    # The folder name changes with every new version, so a file never changes under its URL;
    # `private` keeps shared caches from handing it to someone else.
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


@require_GET
def published_file(request: HttpRequest, video_id: int, version: str, name: str) -> FileResponse:
    video = get_object_or_404(VideoAsset.objects.select_related("organization"), pk=video_id)
    if not video.is_ready or version != video.published_version:
        raise Http404
    if not (can_watch_video(request.user, video) or can_manage_video(request.user, video)):
        raise Http404
    try:
        path = safe_join(default_storage.path(video.output_path), name)
    except Exception:  # SuspiciousFileOperation: a path that leaves the folder
        raise Http404 from None
    return _send(path)


@require_GET
def caption_file(request: HttpRequest, name: str) -> FileResponse:
    caption = get_object_or_404(
        VideoCaption.objects.select_related("video__organization"), file=f"video_captions/{name}"
    )
    video = caption.video
    if not (can_watch_video(request.user, video) or can_manage_video(request.user, video)):
        raise Http404
    return _send(default_storage.path(caption.file.name))


def not_served(request: HttpRequest, rest: str = "") -> NoReturn:
    """Originals and unpublished work folders are never served."""
    raise Http404
