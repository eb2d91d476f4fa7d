"""Media delivery: the one module that hands out media URLs and checks them.

Every media URL a client gets carries a signature over a *scope* and an expiry, in its path:

    {MEDIA_SIGNED_URL}<expires>/<signature>/<scope>/<file inside it>
    /media/s/1767225600/Rk9vYmFy.../videos/12/9f86d081884c7d65/master.m3u8

A scope is a folder for media made of many files — a video's published folder
(`videos/<id>/<version>`: master playlist, variants, init and segments, poster, thumbnail
sprite and its WebVTT index), one caption track's folder (`video_captions/<random>`), a live
session's folder (`live/<public id>`, whose playlist changes every few seconds) — or exactly one
file for everything else (a document, an image). Because the signature sits in the path, the
relative URLs inside a playlist ("360p/index.m3u8", "seg_00001.m4s") inherit it: no playlist is
ever rewritten, and any client plays it with no cookie and no header (hls.js, Safari/iOS,
ExoPlayer, VLC, ffmpeg). A URL for one video's folder fetches nothing outside it; originals
(`video_originals/`) are never in a scope.

The signature is nginx's `secure_link_md5 "$expires$scope <secret>"` (base64url, no padding),
so at scale nginx checks the very same URLs itself (`nginx_config`) and Django never sees a
segment. MD5 is what nginx's built-in module offers; the secret makes it a keyed digest, and
rotating MEDIA_URL_SECRET revokes every URL at once. Expiries are rounded up to a step, so
everyone asking within the same few minutes gets the same URLs and a CDN caches them once.

Issuing is for callers that have decided the user may have the media (the lesson's audience and
enrolment, a trainer's preview): this module signs, it does not judge who may watch.
"""

import base64
import hashlib
import hmac
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings

from .ffmpeg import MASTER_PLAYLIST, POSTER, THUMBNAILS_VTT
from .models import VideoAsset

# Folders served as one scope (the rest of the path is a file inside). Anything else that is
# signed is signed as one file.
FOLDER_SCOPES = (
    r"videos/\d+/[0-9a-f]{16}",
    r"video_captions/[0-9a-f]{32}",
    r"live/[0-9A-Za-z_-]{6,64}",
)
_FOLDER = re.compile(rf"^(?P<scope>{'|'.join(FOLDER_SCOPES)})/(?P<name>[^?#]+)$")
# Never served, whoever signs: the uploads themselves.
NEVER_SERVED = ("video_originals/",)
_SAFE_PATH = re.compile(r"^[0-9A-Za-z._~/-]+$")


class Refused(Exception):
    """A signed URL that is not to be served; `status` is what to answer (403 or 410)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


def secret() -> str:
    """MEDIA_URL_SECRET, or one derived from SECRET_KEY (rotating either revokes every URL)."""
    if settings.MEDIA_URL_SECRET:
        return settings.MEDIA_URL_SECRET
    return hmac.new(settings.SECRET_KEY.encode(), b"media urls", hashlib.sha256).hexdigest()


def signature(scope: str, expires: int) -> str:
    """nginx's secure_link_md5 over "$expires$scope <secret>", base64url without padding."""
    text = f"{expires}{scope} {secret()}".encode()
    # A keyed digest nginx can check; MD5 is the only one its secure_link module computes.
    digest = hashlib.md5(text).digest()  # noqa: S324
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def expiry(now: float | None = None) -> int:
    """When a URL issued now expires: MEDIA_URL_TTL seconds ahead, rounded up to a step."""
    now = time.time() if now is None else now
    ttl = settings.MEDIA_URL_TTL
    step = max(1, min(600, ttl // 4))
    return math.ceil((now + ttl) / step) * step


def signed_url(scope: str, name: str = "", *, expires: int | None = None) -> str:
    """The URL of `name` inside `scope` (of the file `scope` when `name` is empty)."""
    expires = expiry() if expires is None else expires
    path = f"{scope}/{name}" if name else scope
    prefix = settings.MEDIA_DELIVERY_BASE + settings.MEDIA_SIGNED_URL
    return f"{prefix}{expires}/{signature(scope, expires)}/{path}"


def scope_of(path: str) -> str:
    """The scope a requested path is signed for: its folder scope, or the path itself."""
    match = _FOLDER.match(path)
    return match.group("scope") if match else path


def verify(expires: str, given: str, path: str, now: float | None = None) -> str:
    """Check a signed request; returns the storage path to serve, or raises `Refused`."""
    parts = path.split("/")
    if not _SAFE_PATH.match(path) or any(p.startswith(".") or not p for p in parts):
        raise Refused(403, "not a servable path")  # hidden files (work folders, logs), "..", "//"
    if path.startswith(NEVER_SERVED):
        raise Refused(403, "originals are never served")
    if not expires.isdigit() or len(expires) > 12:
        raise Refused(403, "malformed expiry")
    scope = scope_of(path)
    if not hmac.compare_digest(signature(scope, int(expires)), given):
        raise Refused(403, "bad signature")
    if int(expires) < (time.time() if now is None else now):
        raise Refused(410, "expired")
    return path


# --- what clients get --------------------------------------------------------------------------


@dataclass(frozen=True)
class Caption:
    label: str
    language: str
    url: str


@dataclass(frozen=True)
class VideoPlayback:
    """Signed URLs of a ready video, and when they expire (renew before then)."""

    hls_url: str
    poster_url: str
    thumbnails_url: str
    captions: tuple[Caption, ...]
    expires_at: int


def video_playback(video: VideoAsset, *, expires: int | None = None) -> VideoPlayback | None:
    """Signed URLs of the video's published files and captions; None until it is ready. Only
    for a caller that has decided the user may watch it."""
    if not video.is_ready:
        return None
    expires = expiry() if expires is None else expires
    folder = video.output_path
    captions = tuple(
        Caption(
            caption.display_label,
            caption.language,
            signed_url(*caption.file.name.rsplit("/", 1), expires=expires),
        )
        for caption in video.captions.all()
    )
    return VideoPlayback(
        hls_url=signed_url(folder, MASTER_PLAYLIST, expires=expires),
        poster_url=signed_url(folder, POSTER, expires=expires),
        thumbnails_url=""
        if video.is_audio_only
        else signed_url(folder, THUMBNAILS_VTT, expires=expires),
        captions=captions,
        expires_at=expires,
    )


def file_url(name: str, *, expires: int | None = None) -> str:
    """A signed URL of one stored file (a document, an image) by its storage name."""
    return signed_url(name, expires=expires)
