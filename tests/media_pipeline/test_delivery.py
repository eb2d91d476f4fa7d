"""Signed, expiring media URLs (media_pipeline/delivery.py) served by the app: any client plays
them with no cookie and no header; a tampered, expired or other video's URL, an unsigned path
and an original are refused; byte ranges, MIME types and CDN cache headers are right."""

import base64
import hashlib
import time

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from media_pipeline import delivery, pipeline
from media_pipeline.ffmpeg import parse_media_playlist
from media_pipeline.models import VideoCaption

from .conftest import make_video

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_video(org_tree, clip, media_root):
    video = make_video(clip("small.mp4"), organization=org_tree["branch_a1"])
    caption = VideoCaption(video=video)
    caption.file = ContentFile(
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n同志们好\n".encode(), name="zh.vtt"
    )
    caption.save()
    assert pipeline.process_video(video.pk) == "ready"
    video.refresh_from_db()
    return video


def anonymous() -> Client:
    """A client like VLC or ffmpeg: no session, no header."""
    return Client()


def test_signature_is_what_nginx_secure_link_md5_computes(settings):
    settings.MEDIA_URL_SECRET = "s3cret"
    expected = hashlib.md5(b"1767225600videos/7/0123456789abcdef s3cret").digest()  # noqa: S324

    signature = delivery.signature("videos/7/0123456789abcdef", 1767225600)

    assert signature == base64.urlsafe_b64encode(expected).rstrip(b"=").decode()


def test_urls_of_one_moment_are_shared_and_expire_after_the_ttl(settings):
    settings.MEDIA_URL_TTL = 3600
    now = 1_767_225_100

    expires = delivery.expiry(now)

    assert now + 3600 <= expires < now + 3600 + 600
    assert delivery.expiry(now + 30) == expires  # the same URLs for everyone for a while


def test_any_client_plays_master_variants_segments_poster_sprite_and_captions(ready_video):
    playback = delivery.video_playback(ready_video)
    client = anonymous()
    master = client.get(playback.hls_url)
    assert master.status_code == 200
    assert master["Content-Type"] == "application/vnd.apple.mpegurl"
    base = playback.hls_url.rsplit("/", 1)[0]
    variants = [line for line in master.getvalue().decode().splitlines() if line.endswith(".m3u8")]
    assert variants
    for variant in variants:
        playlist = client.get(f"{base}/{variant}")
        assert playlist.status_code == 200, variant
        parsed = parse_media_playlist(playlist.getvalue().decode())
        folder = variant.rsplit("/", 1)[0]
        init = client.get(f"{base}/{folder}/{parsed.init}")
        assert init.status_code == 200 and init["Content-Type"] == "video/mp4"
        segment = client.get(f"{base}/{folder}/{parsed.segments[0][1]}")
        assert segment.status_code == 200
        assert segment["Content-Type"] == "video/iso.segment"
    assert client.get(playback.poster_url)["Content-Type"] == "image/jpeg"
    vtt = client.get(playback.thumbnails_url)
    assert vtt.status_code == 200 and vtt["Content-Type"].startswith("text/vtt")
    sprite = vtt.getvalue().decode().split("\n")[3].split("#")[0]
    assert client.get(f"{base}/{sprite}")["Content-Type"] == "image/jpeg"
    (caption,) = playback.captions
    track = client.get(caption.url)
    assert track.status_code == 200 and "同志们好" in track.getvalue().decode()


def test_segments_are_cached_until_expiry_and_playlists_briefly(ready_video):
    playback = delivery.video_playback(ready_video)
    master = anonymous().get(playback.hls_url)
    poster = anonymous().get(playback.poster_url)

    assert master["Cache-Control"] == "public, max-age=2"
    max_age = int(poster["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert poster["Cache-Control"].endswith("immutable")
    left = playback.expires_at - time.time()
    assert left - 5 <= max_age <= left + 1


def test_byte_ranges_are_answered_with_206(ready_video):
    poster_url = delivery.video_playback(ready_video).poster_url
    whole = anonymous().get(poster_url).getvalue()

    part = anonymous().get(poster_url, HTTP_RANGE="bytes=10-19")
    tail = anonymous().get(poster_url, HTTP_RANGE="bytes=-5")
    beyond = anonymous().get(poster_url, HTTP_RANGE=f"bytes={len(whole) + 10}-")

    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 10-19/{len(whole)}"
    assert part.getvalue() == whole[10:20]
    assert tail.status_code == 206 and tail.getvalue() == whole[-5:]
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(whole)}"
    assert anonymous().get(poster_url)["Accept-Ranges"] == "bytes"


def test_tampered_expired_and_other_videos_urls_are_refused(ready_video, org_tree, clip):
    other = make_video(clip("small.mp4"), organization=org_tree["branch_b1"])
    assert pipeline.process_video(other.pk) == "ready"
    other.refresh_from_db()
    url = delivery.video_playback(ready_video).hls_url
    prefix, expires, signature, path = url.split("/", 4)[1:]
    other_master = f"{other.output_path}/master.m3u8"

    tampered = f"/{prefix}/{expires}/{signature[:-2]}AA/{path}"
    later = f"/{prefix}/{int(expires) + 3600}/{signature}/{path}"
    borrowed = f"/{prefix}/{expires}/{signature}/{other_master}"
    past = delivery.signed_url(ready_video.output_path, "master.m3u8", expires=1_000_000)

    assert anonymous().get(tampered).status_code == 403
    assert anonymous().get(later).status_code == 403  # the expiry is signed too
    assert anonymous().get(borrowed).status_code == 403  # one video's URL opens no other
    assert anonymous().get(past).status_code == 410
    assert anonymous().get(url).status_code == 200


def test_rotating_the_secret_revokes_every_url(ready_video, settings):
    url = delivery.video_playback(ready_video).hls_url
    assert anonymous().get(url).status_code == 200

    settings.MEDIA_URL_SECRET = "a new secret, rotated after a leak"

    assert anonymous().get(url).status_code == 403


def test_unsigned_paths_and_originals_are_never_served(client, people, ready_video):
    client.force_login(people["trainer"])
    folder = f"/media/{ready_video.output_path}"

    assert client.get(f"{folder}/master.m3u8").status_code == 404
    assert client.get(f"/media/{ready_video.original.name}").status_code == 404
    # Even a correctly signed URL of an original is refused: originals are never a scope.
    signed_original = delivery.signed_url(ready_video.original.name)
    assert anonymous().get(signed_original).status_code == 403
    traversal = delivery.signed_url(ready_video.output_path, "../../x")
    assert anonymous().get(traversal).status_code == 403
    hidden = delivery.signed_url(ready_video.output_path, ".ffmpeg.log")
    assert anonymous().get(hidden).status_code == 403
    missing = delivery.signed_url(ready_video.output_path, "nothing-here.m4s")
    assert anonymous().get(missing).status_code == 404
