"""Serving signed media paths from the app (the embedded default, SERVE_MEDIA): the check is
`delivery.verify`, the same one nginx makes at scale with `secure_link`.

Answers what players and CDNs expect: the HLS MIME types (the system's table knows neither
.m3u8 nor .m4s and calls .ts a Qt translation file), byte ranges (206, for Safari's and
ExoPlayer's range requests and for seeking in a document), and cache headers a CDN can honour —
playlists a couple of seconds (a live one changes every segment), everything else until the
URL expires, immutable (a published folder never changes under its name).
"""

import mimetypes
import posixpath
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

from .. import delivery

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".ts": "video/mp2t",
    ".aac": "audio/aac",
    ".vtt": "text/vtt; charset=utf-8",
    ".jpg": "image/jpeg",
}
PLAYLIST_MAX_AGE = 2
CHUNK = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _content_type(path: str) -> str:
    extension = posixpath.splitext(path)[1].lower()
    return (
        CONTENT_TYPES.get(extension) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    )


def _chunks(path: Path, start: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        left = length
        while left > 0:
            data = handle.read(min(CHUNK, left))
            if not data:
                return
            left -= len(data)
            yield data


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(start, end inclusive) of a single `bytes=` range; None when it cannot be met. Several
    ranges in one request are answered whole (RFC 9110 lets a server ignore Range)."""
    match = _RANGE.match(header.strip())
    if match is None:
        raise ValueError("not a single byte range")
    first, last = match.groups()
    if first == "":
        if last == "" or int(last) == 0:
            return None
        return max(0, size - int(last)), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return None
    return start, end


def send_file(request: HttpRequest, path: Path, cache_control: str) -> HttpResponse:
    """The file at `path`, whole or the byte range asked for, with `cache_control`."""
    size = path.stat().st_size
    start, end, status = 0, size - 1, 200
    header = request.headers.get("Range", "")
    if header:
        try:
            wanted = _byte_range(header, size)
        except ValueError:
            wanted = ()  # not one plain byte range: the whole file
        if wanted is None:
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            return refused
        if wanted:
            (start, end), status = wanted, 206
    length = max(0, end - start + 1)
    body = b"" if request.method == "HEAD" else _chunks(path, start, length)
    response = StreamingHttpResponse(body, status=status, content_type=_content_type(str(path)))
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Cache-Control"] = cache_control
    return response


@require_safe
def signed_file(request: HttpRequest, expires: str, signature: str, path: str) -> HttpResponse:
    """A file under a signed path: 403 for a bad signature (or a path never served), 410 once
    expired, 404 when nothing is there. No session or header is needed."""
    try:
        name = delivery.verify(expires, signature, path)
    except delivery.Refused as refused:
        return HttpResponse(str(refused), status=refused.status, content_type="text/plain")
    try:
        full = Path(safe_join(default_storage.path(""), name))
    except Exception:  # SuspiciousFileOperation: a path that leaves the media folder
        raise Http404 from None
    if not full.is_file():
        raise Http404
    if name.endswith(".m3u8"):
        cache = f"public, max-age={PLAYLIST_MAX_AGE}"
    else:
        left = max(0, int(expires) - int(time.time()))
        cache = f"public, max-age={left}, immutable"
    return send_file(request, full, cache)


def not_served(request: HttpRequest, rest: str = "") -> NoReturn:
    """Unsigned paths of videos, captions and originals are never served."""
    raise Http404
