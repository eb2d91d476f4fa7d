"""Published files reach only those who may watch the video, with the MIME types players need."""

import pytest
from django.core.files.base import ContentFile

from media_pipeline import pipeline
from media_pipeline.ffmpeg import parse_media_playlist
from media_pipeline.models import VideoCaption

from .conftest import make_video

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_video(org_tree, clip, media_root):
    video = make_video(clip("small.mp4"), organization=org_tree["branch_a1"])
    pipeline.process_video(video.pk)
    video.refresh_from_db()
    return video


def test_playlists_segments_posters_and_sprites_have_player_mime_types(client, people, ready_video):
    client.force_login(people["member_a1"])
    base = ready_video.hls_url.rsplit("/", 1)[0]
    master = client.get(ready_video.hls_url)
    playlist = client.get(f"{base}/240p/index.m3u8")
    parsed = parse_media_playlist(playlist.getvalue().decode())

    assert master.status_code == 200
    assert master["Content-Type"] == "application/vnd.apple.mpegurl"
    segment = client.get(f"{base}/240p/{parsed.segments[0][1]}")
    assert segment["Content-Type"] == "video/iso.segment"
    assert client.get(f"{base}/240p/{parsed.init}")["Content-Type"] == "video/mp4"
    assert client.get(ready_video.poster_url)["Content-Type"] == "image/jpeg"
    assert client.get(ready_video.thumbnails_url)["Content-Type"].startswith("text/vtt")
    assert client.get(f"{base}/thumbs/sprite_001.jpg")["Content-Type"] == "image/jpeg"
    assert "private" in master["Cache-Control"]


def test_members_of_other_branches_and_visitors_get_nothing(client, people, ready_video):
    client.force_login(people["member_b1"])
    assert client.get(ready_video.hls_url).status_code == 404
    client.logout()
    response = client.get(ready_video.hls_url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_branch_head_above_and_a_trainer_of_the_committee_may_watch(client, people, ready_video):
    for username in ("head_general_a", "trainer"):
        client.force_login(people[username])
        assert client.get(ready_video.hls_url).status_code == 200, username


def test_originals_work_folders_and_old_versions_are_never_served(client, people, ready_video):
    client.force_login(people["trainer"])
    folder = f"/media/videos/{ready_video.pk}"

    assert client.get(f"/media/{ready_video.original.name}").status_code == 404
    assert client.get(f"{folder}/.work-abc/master.m3u8").status_code == 404
    assert client.get(f"{folder}/0123456789abcdef/master.m3u8").status_code == 404
    assert client.get(f"{folder}/{ready_video.published_version}/../../x").status_code == 404
    assert client.get(f"{folder}/{ready_video.published_version}/.ffmpeg.log").status_code == 404


def test_captions_are_served_as_webvtt_to_watchers_only(client, people, ready_video):
    caption = VideoCaption(video=ready_video, file=ContentFile(b"x", name="c.srt"))
    caption.file = ContentFile(
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n同志们好\n".encode(), name="c.vtt"
    )
    caption.save()

    client.force_login(people["member_a1"])
    response = client.get(caption.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert "同志们好" in response.getvalue().decode()
    client.force_login(people["member_b1"])
    assert client.get(caption.file.url).status_code == 404
