"""At scale nginx checks the signed media paths itself (`manage.py media_nginx_config`): Debian's
nginx, started here with the generated config, plays master → variant → segment with no cookie
and refuses a tampered, an expired and another video's URL, originals and unsigned paths."""

import os
import urllib.error
import urllib.request

import pytest

from media_pipeline import delivery, pipeline
from media_pipeline.ffmpeg import parse_media_playlist

from .conftest import make_video
from .nginx_server import NGINX, running_nginx

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.path.exists(NGINX),
        reason="Debian's nginx is not installed (make test installs it)",
    ),
]


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 — our own local nginx
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def ready_video(org_tree, clip, media_root):
    video = make_video(clip("small.mp4"), organization=org_tree["branch_a1"])
    assert pipeline.process_video(video.pk) == "ready"
    video.refresh_from_db()
    return video


def test_nginx_plays_signed_urls_and_refuses_the_rest(
    ready_video, clip, org_tree, media_root, tmp_path
):
    other = make_video(clip("small.mp4"), organization=org_tree["branch_b1"])
    assert pipeline.process_video(other.pk) == "ready"
    other.refresh_from_db()
    playback = delivery.video_playback(ready_video)

    with running_nginx(tmp_path / "nginx", media_root) as base:
        status, headers, body = fetch(base + playback.hls_url)
        assert status == 200 and body.startswith(b"#EXTM3U")
        assert headers["Content-Type"] == "application/vnd.apple.mpegurl"
        assert headers["Cache-Control"] == "public, max-age=2"
        folder = playback.hls_url.rsplit("/", 1)[0]
        variant = next(ln for ln in body.decode().splitlines() if ln.endswith(".m3u8"))
        status, _headers, playlist = fetch(f"{base}{folder}/{variant}")
        assert status == 200
        segment = parse_media_playlist(playlist.decode()).segments[0][1]
        status, headers, data = fetch(f"{base}{folder}/{variant.rsplit('/', 1)[0]}/{segment}")
        assert status == 200 and len(data) > 1000
        assert headers["Content-Type"] == "video/iso.segment"
        assert headers["Cache-Control"].endswith("immutable")
        status, headers, part = fetch(base + playback.poster_url, Range="bytes=0-9")
        assert status == 206 and len(part) == 10

        # The very same URLs Django would serve are what nginx checks: anything else is refused.
        prefix, expires, signature, path = playback.hls_url.split("/", 4)[1:]
        assert fetch(f"{base}/{prefix}/{expires}/{signature[:-2]}AA/{path}")[0] == 403
        assert fetch(f"{base}/{prefix}/{int(expires) + 60}/{signature}/{path}")[0] == 403
        borrowed = f"{base}/{prefix}/{expires}/{signature}/{other.output_path}/master.m3u8"
        assert fetch(borrowed)[0] == 403
        past = delivery.signed_url(ready_video.output_path, "master.m3u8", expires=1_000_000)
        assert fetch(base + past)[0] == 410
        assert fetch(base + delivery.signed_url(ready_video.original.name))[0] == 403
        assert fetch(f"{base}/media/{ready_video.output_path}/master.m3u8")[0] == 404
        hidden = delivery.signed_url(ready_video.output_path, ".ffmpeg.log")
        assert fetch(base + hidden)[0] in (403, 404)
