"""The player in Debian's chromium: hls.js plays the transcoded ladder, resumes, switches speed
and quality, shows captions, answers the keyboard and sends the contract's heartbeats (to a
fake endpoint here; tests/courses drive it against the real lesson heartbeat).

Django's live server answers /media/ itself, before any URL pattern, so access rules and MIME
types of published files are tested in test_serving.py with the test client instead."""

import json
import re
import subprocess

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from media_pipeline import pipeline
from media_pipeline.models import VideoCaption

from .conftest import FFMPEG, X264, _picture, _tone, make_video

pytestmark = [pytest.mark.urls("tests.media_pipeline.urls")]

HEARTBEAT = "/fake-heartbeat/"
ANSWER = {"unique_watched_seconds": 3.0, "percent": 30, "completed": False, "resume_position": 4}


@pytest.fixture
def lecture(media_root, org_tree, tmp_path):
    source = tmp_path / "lecture.mp4"
    subprocess.run(
        [*FFMPEG, *_picture("854x480", 25, 10), *_tone(10), *X264, "-c:a", "aac", str(source)],
        check=True,
    )
    video = make_video(source, title="党课：学习党章", organization=org_tree["branch_a1"])
    caption = VideoCaption(video=video)
    caption.file = ContentFile(
        "WEBVTT\n\n00:00:00.000 --> 00:00:10.000\n同志们好\n".encode(), name="zh.vtt"
    )
    caption.save()
    assert pipeline.process_video(video.pk) == "ready"
    video.refresh_from_db()
    return video


@pytest.fixture
def heartbeats(page):
    """Requests the player sent to the fake heartbeat endpoint (which answers like the real)."""
    sent = []

    def answer(route):
        request = route.request
        sent.append({"body": json.loads(request.post_data), "headers": request.headers})
        route.fulfill(status=200, content_type="application/json", body=json.dumps(ANSWER))

    page.route(f"**{HEARTBEAT}", answer)
    return sent


def _state(page):
    return page.evaluate(
        """() => { const v = document.querySelector('video');
        return {time: v.currentTime, paused: v.paused, rate: v.playbackRate, ended: v.ended}; }"""
    )


def test_member_watches_with_resume_heartbeats_speed_quality_captions_and_keys(
    login, people, lecture, live_server, heartbeats
):
    page = login("member_a1")
    segments = []
    page.on(
        "response",
        lambda r: segments.append((r.url, r.status)) if r.url.endswith(".m4s") else None,
    )
    page.goto(f"{live_server.url}/test-player/{lecture.pk}/?heartbeat={HEARTBEAT}&resume=2")
    player = page.locator("[data-video-player]")
    expect(player).to_have_attribute("data-engine", "hls.js")
    page.evaluate(
        """() => { window.progressEvents = [];
        document.querySelector('[data-video-player]').addEventListener('lesson:progress',
            (e) => window.progressEvents.push(e.detail)); }"""
    )

    # resumes at the saved position
    page.wait_for_function("() => document.querySelector('video').readyState >= 1")
    page.wait_for_function("() => Math.abs(document.querySelector('video').currentTime - 2) < 0.3")
    # quality: the ladder's renditions, best first; hls.js starts low on an unknown network,
    # the member picks the higher one
    quality = page.get_by_label("清晰度")
    expect(quality.locator("option")).to_have_text([re.compile("^自动"), "480p", "360p"])
    quality.select_option(label="480p")
    page.get_by_label("倍速").select_option("1.5")

    page.get_by_role("button", name="播放").click()
    page.wait_for_function("() => !document.querySelector('video').paused")
    # switching rendition refills the buffer first: allow for a machine busy with other tests
    page.wait_for_function(
        "() => document.querySelector('video').currentTime > 4.5", timeout=90_000
    )
    page.get_by_role("button", name="暂停").click()

    assert _state(page)["rate"] == 1.5
    page.wait_for_function("() => window.progressEvents.length >= 1")
    first = heartbeats[0]["body"]
    assert first["position"] == pytest.approx(_state(page)["time"], abs=0.3)
    assert len(first["played"]) == 1
    start, end = first["played"][0]
    assert start == pytest.approx(2, abs=0.4), "counted from the resume point, not from 0"
    assert end == pytest.approx(first["position"], abs=0.4)
    assert heartbeats[0]["headers"]["x-csrftoken"]
    assert heartbeats[0]["headers"]["content-type"] == "application/json"
    assert page.evaluate("window.progressEvents[0]") == ANSWER

    # keyboard: Space plays, → skips 5 s ahead — the skipped time is never reported as played.
    # From 3 s, so the skip lands before the end however late the pause above came.
    page.evaluate("document.querySelector('video').currentTime = 3")
    page.wait_for_function(
        "() => { const v = document.querySelector('video');"
        " return Math.abs(v.currentTime - 3) < 0.1 && !v.seeking; }"
    )
    player.focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => !document.querySelector('video').paused")
    skipped_from = _state(page)["time"]
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('video').ended", timeout=20000)
    page.wait_for_function("() => window.progressEvents.length >= 2")
    after = [r for beat in heartbeats[1:] for r in beat["body"]["played"]]
    assert after, "the ended heartbeat reports what was played"
    for range_start, range_end in after:
        assert range_end <= skipped_from + 0.6 or range_start >= skipped_from + 4.4, after
    assert heartbeats[-1]["body"]["played"][-1][1] == pytest.approx(10, abs=0.3)

    # segments came through HLS (fMP4), the rest of the video in the chosen rendition
    assert segments and all(status == 200 for _url, status in segments)
    video_segments = [url for url, _status in segments if "/audio/" not in url]
    assert "/480p/" in video_segments[-1]
    assert len([url for url in video_segments if "/480p/" in url]) >= 2

    # captions: chosen in the menu or toggled with C
    captions = page.get_by_label("字幕")
    captions.select_option(label="中文")
    assert page.evaluate("document.querySelector('video').textTracks[0].mode") == "showing"
    player.focus()
    page.keyboard.press("c")
    assert page.evaluate("document.querySelector('video').textTracks[0].mode") == "disabled"


@pytest.fixture
def long_lecture(media_root, org_tree, tmp_path):
    """Forty seconds: hls.js keeps fetching segments while it plays (it buffers about 30 s)."""
    source = tmp_path / "long.mp4"
    subprocess.run(
        [*FFMPEG, *_picture("320x240", 15, 40), *_tone(40), *X264, "-c:a", "aac", str(source)],
        check=True,
    )
    video = make_video(source, title="长讲座", organization=org_tree["committee"])
    assert pipeline.process_video(video.pk) == "ready"
    video.refresh_from_db()
    return video


def test_the_player_renews_its_signed_urls_and_plays_past_their_expiry(
    login, people, long_lecture, live_server, settings
):
    settings.MEDIA_URL_TTL = 8  # URLs live 8–10 s here (hours by default)
    page = login(people["trainer"].username)  # the video API (renewal here) answers its managers
    answers = []
    page.on(
        "response",
        lambda r: answers.append((r.url, r.status)) if "/files/" in r.url else None,
    )
    page.goto(
        f"{live_server.url}/test-player/{long_lecture.pk}/?renew=/api/v1/videos/{long_lecture.pk}/"
    )
    expires_at = int(page.locator("[data-video-player]").get_attribute("data-expires-at"))
    page.wait_for_function("() => document.querySelector('video').readyState >= 1")
    page.get_by_role("button", name="播放").click()

    page.wait_for_function(
        f"() => Date.now() / 1000 > {expires_at} + 3"
        " && document.querySelector('video').currentTime > 14",
        timeout=90_000,
    )

    assert page.locator("[data-video-player]").get_attribute("data-renewed-at")
    assert not page.locator(".video-player__message").is_visible()
    signatures = {url.split("/files/")[1].split("/")[1] for url, _status in answers}
    assert len(signatures) >= 2, "segments were fetched under a renewed signature"
    assert all(status in (200, 206) for _url, status in answers), answers
