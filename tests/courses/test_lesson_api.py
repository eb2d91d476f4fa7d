"""`GET /api/v1/lessons/<id>/`: a lesson as typed blocks an app renders, tried as a new API
client would — token login → course → lesson → play the video with no cookie and no header."""

import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.test import Client
from rest_framework.test import APIClient

from courses.enrolment import enroll
from media_pipeline import pipeline
from media_pipeline.ffmpeg import parse_media_playlist
from media_pipeline.models import VideoAsset, VideoCaption
from tests.factories import api_token

from .pages import add_course, add_lesson, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def lecture(settings, tmp_path, lecture_clip, people):
    settings.MEDIA_ROOT = tmp_path / "media"
    with lecture_clip.open("rb") as handle:
        video = VideoAsset.objects.create(
            title="开天辟地", original=File(handle, name="lecture.mp4"), organization=None
        )
    caption = VideoCaption(video=video)
    caption.file = ContentFile(
        "WEBVTT\n\n00:00:00.000 --> 00:00:05.000\n同志们好\n".encode(), name="zh.vtt"
    )
    caption.save()
    assert pipeline.process_video(video.pk) == "ready"
    video.refresh_from_db()
    return video


@pytest.fixture
def lesson(catalog, lecture):
    course = add_course(catalog, "党史学习教育")
    return add_lesson(
        course,
        "第一课 开天辟地",
        [
            text(
                '<p>中国共产党的成立<script>alert("x")</script><a href="https://ex.cn">链接</a></p>'
            ),
            ("video", {"video": lecture, "caption": "主讲：李老师"}),
            ("quote", {"text": "不忘初心，牢记使命。", "source": "党的十九大报告"}),
        ],
        complete_video_percent=80,
    )


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return client


def test_a_token_client_plays_the_lesson_from_the_api_alone(people, lesson):
    member = people["member_a1"]
    enroll(member, lesson.course)
    app = token_client(member)

    course = app.get(f"/api/v1/courses/{lesson.course.pk}/").json()
    assert course["lessons"][0]["id"] == lesson.pk
    data = app.get(f"/api/v1/lessons/{lesson.pk}/").json()

    assert [b["type"] for b in data["blocks"]] == ["text", "video", "quote"]
    html = data["blocks"][0]["html"]
    assert "中国共产党的成立" in html and "<script" not in html and "alert" not in html
    assert 'href="https://ex.cn"' in html
    video = data["blocks"][1]
    assert video["duration"] == pytest.approx(30, abs=0.5)
    assert data["completion_rule"]["video_percent"] == 80
    assert data["progress"]["completed"] is False
    player = Client()  # no cookie, no Authorization header: VLC, ExoPlayer, Safari
    master = player.get(video["hls_url"])
    assert master.status_code == 200
    base = video["hls_url"].rsplit("/", 1)[0]
    variant = next(ln for ln in master.getvalue().decode().splitlines() if ln.endswith(".m3u8"))
    playlist = player.get(f"{base}/{variant}")
    segment = parse_media_playlist(playlist.getvalue().decode()).segments[0][1]
    assert player.get(f"{base}/{variant.rsplit('/', 1)[0]}/{segment}").status_code == 200
    assert player.get(video["poster_url"]).status_code == 200
    assert player.get(video["thumbnails_url"]).status_code == 200
    (caption,) = video["captions"]
    assert "同志们好" in player.get(caption["url"]).getvalue().decode()


def test_the_player_renews_its_urls_before_they_expire(people, lesson, settings):
    member = people["member_a1"]
    enroll(member, lesson.course)
    app = token_client(member)
    settings.MEDIA_URL_TTL = 60
    first = app.get(f"/api/v1/lessons/{lesson.pk}/").json()["blocks"][1]
    settings.MEDIA_URL_TTL = 4 * 3600

    renewed = app.get(first["renew_url"]).json()

    assert renewed["expires_at"] > first["expires_at"]
    assert renewed["hls_url"] != first["hls_url"]
    assert Client().get(renewed["hls_url"]).status_code == 200


def test_members_outside_the_audience_or_not_enrolled_get_no_url(people, lesson, org_tree):
    lesson.course.audience.set([org_tree["general_a"]])
    lesson.course.save_revision().publish()
    outsider = token_client(people["member_b1"])
    not_enrolled = token_client(people["member_a1"])

    assert outsider.get(f"/api/v1/lessons/{lesson.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/lessons/{lesson.pk}/playback/").status_code == 404
    refused = not_enrolled.get(f"/api/v1/lessons/{lesson.pk}/")
    assert refused.status_code == 403 and "报名" in refused.json()["detail"]
    assert not_enrolled.get(f"/api/v1/lessons/{lesson.pk}/playback/").status_code == 403
    assert APIClient().get(f"/api/v1/lessons/{lesson.pk}/").status_code in (401, 403)


def test_the_lesson_page_gives_the_player_signed_urls_only_to_those_who_may_watch(
    client, people, lesson
):
    member = people["member_a1"]
    client.force_login(member)
    before = client.get(lesson.url).content.decode()
    assert "data-hls-url" not in before and "报名本课程后即可观看" in before
    enroll(member, lesson.course)

    page = client.get(lesson.url).content.decode()

    assert 'data-hls-url="/files/' in page
    assert f'data-renew-url="/api/v1/lessons/{lesson.pk}/playback/"' in page


def test_the_lesson_endpoint_is_in_the_schema(client, people):
    client.force_login(people["member_a1"])
    schema = client.get("/api/schema/?format=json").json()

    assert "/api/v1/lessons/{lesson_id}/" in schema["paths"]
    assert "/api/v1/lessons/{lesson_id}/playback/" in schema["paths"]
