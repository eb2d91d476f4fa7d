"""The isolated H5P player page and the package files it loads.

Both answer without the session, only under a valid, fresh play grant in the URL (see
`courses.h5p.grants`: the lesson page gave it to the member), and the lesson page embeds the
player in `<iframe sandbox="allow-scripts">`, so the content's JavaScript runs in an opaque
origin that can neither read the site's cookies nor call the API as the member. Every
response also carries `Content-Security-Policy: sandbox …`, so the same holds when someone
opens one of these URLs directly in a tab. Loading the player records its opening, which a
completion must follow by settings.H5P_MIN_PLAY_SECONDS.
"""

import re
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils.http import http_date
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from . import services
from .grants import BadGrant, Grant, files_path, read_grant
from .models import H5PPackage
from .storage import ensure_unpacked
from .validation import LIBRARY_EXTENSIONS, PackageError

# Explicit types: the file's extension (from the allow list) decides, never sniffing.
CONTENT_TYPES = {
    "json": "application/json",
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "svg": "image/svg+xml",
    "eot": "application/vnd.ms-fontobject",
    "ttf": "font/ttf",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "otf": "font/otf",
    "webm": "video/webm",
    "mp4": "video/mp4",
    "ogg": "audio/ogg",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "txt": "text/plain; charset=utf-8",
    "pdf": "application/pdf",
    "xml": "text/plain; charset=utf-8",
    "csv": "text/plain; charset=utf-8",
    "diff": "text/plain; charset=utf-8",
    "patch": "text/plain; charset=utf-8",
    "md": "text/plain; charset=utf-8",
    "textile": "text/plain; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
    "webvtt": "text/vtt; charset=utf-8",
}
DOWNLOAD_TYPE = "application/octet-stream"  # office documents, rtf
# A file opened on its own (an SVG in a tab, say) gets an opaque origin and runs nothing.
FILE_POLICY = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _origin(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _absolute(request: HttpRequest, url: str) -> str:
    return url if re.match(r"^https?://", url) else _origin(request) + url


def frame_policy(request: HttpRequest, token: str) -> str:
    """The CSP of the player page: an opaque origin (sandbox), scripts only from our static
    files and this package's files under this grant — the only page whose policy lets the
    package's libraries run —, fetches only of those files, no forms, no plugins, no frames of
    its own."""
    files = _absolute(request, files_path(token))
    # Folder prefixes, not files: static() would look them up in the manifest in production.
    static_root = _absolute(request, settings.STATIC_URL)
    assets = " ".join([f"{static_root}vendor/h5p/", f"{static_root}h5p/", files])
    return "; ".join(
        [
            "sandbox allow-scripts",
            "default-src 'none'",
            # Some H5P libraries compile templates with eval (EmbeddedJS, used by
            # MultiChoice). The content's code runs here anyway; what matters is that it
            # cannot load code or send data anywhere else, which the other rules ensure.
            f"script-src {assets} 'unsafe-eval'",
            # H5P content types set style attributes in the markup they build.
            f"style-src {assets} 'unsafe-inline'",
            f"img-src {assets} data: blob:",
            f"font-src {assets} data:",
            f"media-src {files} blob:",
            f"connect-src {files}",
            f"frame-ancestors {_origin(request)}",
            "form-action 'none'",
            "base-uri 'none'",
            "object-src 'none'",
        ]
    )


def _granted(token: str) -> tuple[Grant, H5PPackage]:
    """The grant and its package; 404 for a forged or stale grant (the frame has nobody to
    tell: the lesson page gives a fresh one when reloaded) or a package gone."""
    try:
        grant = read_grant(token)
    except BadGrant:
        raise Http404("no valid grant") from None
    package = get_object_or_404(H5PPackage, pk=grant.package_id)
    try:
        ensure_unpacked(package)
    except (PackageError, OSError):
        raise Http404("package files unavailable") from None
    return grant, package


@require_safe
@xframe_options_sameorigin
def frame(request: HttpRequest, grant: str) -> HttpResponse:
    """The player page the lesson's sandboxed iframe loads; its load is the opening."""
    granted, package = _granted(grant)
    services.record_opening(granted)
    response = render(
        request,
        "h5p/frame.html",
        {
            "package": package,
            "files_url": _absolute(request, files_path(grant)).rstrip("/"),
            "core_js": _absolute(request, static("vendor/h5p/frame.bundle.js")),
            "core_css": _absolute(request, static("vendor/h5p/styles/h5p.css")),
            "xapi_object_iri": package.xapi_object_iri(request),
            "parent_origin": _origin(request),
        },
    )
    response["Content-Security-Policy"] = frame_policy(request, grant)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def package_file(request: HttpRequest, grant: str, path: str) -> HttpResponseBase:
    """One file of an unpacked package (h5p.json, content/…, a library's JS, CSS, fonts …)."""
    _granted_to, package = _granted(grant)
    segments = path.split("/")
    if not path or any(s in ("", ".", "..") or s.startswith(".") for s in segments):
        raise Http404
    extension = path.rsplit(".", 1)[-1].lower() if "." in segments[-1] else ""
    if extension not in LIBRARY_EXTENSIONS:
        raise Http404
    root = ensure_unpacked(package)
    target = root.joinpath(*segments)
    if (
        not target.is_file()
        or target.is_symlink()
        or root.resolve() not in target.resolve().parents
    ):
        raise Http404
    response = _file_response(request, target, CONTENT_TYPES.get(extension, DOWNLOAD_TYPE))
    response["Content-Security-Policy"] = FILE_POLICY
    # The player runs in an opaque origin: its fetches of h5p.json and fonts are cross-origin
    # requests without credentials, which this header (and nothing else) allows.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    # The URL holds one member's grant: only their browser may keep the file, and not for
    # longer than a page is shown.
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _file_response(request: HttpRequest, target: Path, content_type: str) -> HttpResponseBase:
    """The file, or the one byte range asked for (video and audio seek with ranges)."""
    size = target.stat().st_size
    response: HttpResponseBase
    match = RANGE.match(request.headers.get("Range", ""))
    if match and (match.group(1) or match.group(2)):
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last) if last else size - 1, size - 1)
        else:
            start, end = max(size - int(last), 0), size - 1
        if start > end or start >= size:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        response = StreamingHttpResponse(
            _read_range(target, start, end - start + 1), status=206, content_type=content_type
        )
        response["Content-Length"] = str(end - start + 1)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        response = FileResponse(target.open("rb"), content_type=content_type)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(target.stat().st_mtime)
    return response


def _read_range(target: Path, start: int, length: int) -> Iterator[bytes]:
    with target.open("rb") as handle:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(length, 256 * 1024))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
