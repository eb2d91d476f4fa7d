"""The video API: trainers upload (streamed, size-limited), others read what they may watch."""

import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from rest_framework.test import APIClient, force_authenticate

from media_pipeline import api, pipeline
from media_pipeline.models import VideoAsset

from .conftest import make_video

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client():
    return APIClient()


def _upload(client, path, title="第一讲", **extra):
    with path.open("rb") as handle:
        return client.post("/api/v1/videos/", {"file": handle, "title": title, **extra})


def test_trainer_uploads_a_video_and_its_job_is_queued_after_commit(
    api_client, people, org_tree, clip, media_root, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(people["trainer"])

    with django_capture_on_commit_callbacks() as sent:
        response = _upload(api_client, clip("small.mp4"))

    assert response.status_code == 201, response.content
    assert set(response.json()) == {"id", "status"}
    assert response.json()["status"] == "queued"
    video = VideoAsset.objects.get(pk=response.json()["id"])
    assert video.organization == org_tree["committee"]  # the widest organisation they train
    assert video.uploaded_by == people["trainer"]
    assert video.original.read() == clip("small.mp4").read_bytes()
    assert len(sent) == 1, "one transcode job, sent after the upload committed"


def test_members_may_not_upload(api_client, people, clip, media_root):
    api_client.force_authenticate(people["member_a1"])

    response = _upload(api_client, clip("small.mp4"))

    assert response.status_code == 403
    assert "讲师" in response.json()["detail"]
    assert not VideoAsset.objects.exists()


def test_a_trainer_cannot_upload_for_an_organisation_outside_their_subtree(
    api_client, people, org_tree, clip, media_root
):
    from lms.orgs.models import OrgRole
    from lms.orgs.services import grant_role

    trainer = people["head_general_a"]
    grant_role(trainer, org_tree["general_a"], OrgRole.Kind.TRAINER)
    api_client.force_authenticate(trainer)

    refused = _upload(api_client, clip("small.mp4"), organization=org_tree["general_b"].pk)
    allowed = _upload(api_client, clip("small.mp4"), organization=org_tree["branch_a2"].pk)

    assert refused.status_code == 400
    assert "不能为" in refused.json()["organization"][0]
    assert allowed.status_code == 201


def test_not_a_video_extension_is_refused_with_a_chinese_message(api_client, people, media_root):
    api_client.force_authenticate(people["trainer"])

    response = api_client.post(
        "/api/v1/videos/",
        {"file": SimpleUploadedFile("讲稿.docx", b"PK\x03\x04"), "title": "讲稿"},
    )

    assert response.status_code == 400
    assert "不是视频或音频文件" in response.json()["file"][0]
    assert not VideoAsset.objects.exists()


def test_an_upload_over_the_limit_is_refused_before_it_is_read(
    api_client, people, media_root, settings
):
    settings.VIDEO_MAX_UPLOAD_BYTES = 100 * 1024
    api_client.force_authenticate(people["trainer"])

    response = api_client.post(
        "/api/v1/videos/",
        {"file": SimpleUploadedFile("大文件.mp4", b"\0" * (300 * 1024)), "title": "太大了"},
    )

    assert response.status_code == 413
    assert "最大不能超过" in response.json()["detail"]
    assert not VideoAsset.objects.exists()


def test_a_large_upload_is_streamed_to_disk_not_held_in_memory(
    people, media_root, settings, tmp_path
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    size = 24 * 1024 * 1024
    body = SimpleUploadedFile("long_lecture.mp4", b"\x01" * size)
    request = RequestFactory().post("/api/v1/videos/", {"file": body, "title": "长视频"})
    force_authenticate(request, user=people["trainer"])
    del body

    tracemalloc.start()
    try:
        response = api.VideoListCreateView.as_view()(request)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        for upload in request.FILES.values():
            upload.close()

    assert response.status_code == 201
    video = VideoAsset.objects.get()
    assert video.original.size == size
    # Django writes chunks of 64 KiB to a temporary file and the storage moves it into place.
    assert peak < 4 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB for a 24 MiB upload"


def test_detail_shows_progress_and_then_the_playback_urls(
    api_client, people, org_tree, clip, media_root
):
    video = make_video(clip("small.mp4"), organization=org_tree["committee"])
    api_client.force_authenticate(people["member_b1"])

    queued = api_client.get(f"/api/v1/videos/{video.pk}/").json()
    pipeline.process_video(video.pk)
    ready = api_client.get(f"/api/v1/videos/{video.pk}/").json()

    assert queued["status"] == "queued"
    assert queued["hls_url"] == ""
    assert ready["status"] == "ready"
    assert ready["progress"] == 100
    assert ready["duration"] == pytest.approx(2.0, abs=0.1)
    assert (ready["width"], ready["height"]) == (320, 240)
    assert ready["renditions"] == [
        {"height": 240, "width": 320, "bandwidth": ready["renditions"][0]["bandwidth"]}
    ]
    assert ready["hls_url"].startswith("http://testserver/files/")
    video.refresh_from_db()
    assert ready["hls_url"].endswith(f"/{video.output_path}/master.m3u8")
    assert ready["poster_url"].endswith("/poster.jpg")
    assert ready["expires_at"] > time.time()
    master = Client().get(ready["hls_url"])  # a player with no cookie and no header
    assert master.status_code == 200 and b"#EXTM3U" in master.getvalue()
    assert ready["error"] == ""


def test_detail_is_hidden_from_members_of_other_branches(
    api_client, people, org_tree, clip, media_root
):
    video = make_video(clip("small.mp4"), organization=org_tree["branch_a1"])

    api_client.force_authenticate(people["member_b1"])
    assert api_client.get(f"/api/v1/videos/{video.pk}/").status_code == 404
    api_client.force_authenticate(people["member_a1"])
    assert api_client.get(f"/api/v1/videos/{video.pk}/").status_code == 200


def test_a_failed_video_reports_why_and_can_be_retried(
    api_client, people, org_tree, broken_files, media_root, django_capture_on_commit_callbacks
):
    video = make_video(broken_files["text"], organization=org_tree["committee"])
    pipeline.process_video(video.pk)
    api_client.force_authenticate(people["trainer"])

    failed = api_client.get(f"/api/v1/videos/{video.pk}/").json()
    with django_capture_on_commit_callbacks() as sent:
        retried = api_client.post(f"/api/v1/videos/{video.pk}/retry/")
    again = api_client.post(f"/api/v1/videos/{video.pk}/retry/")

    assert failed["status"] == "failed"
    assert "MP4" in failed["error"]
    assert retried.status_code == 202
    assert retried.json()["status"] == "queued"
    assert len(sent) == 1
    assert again.status_code == 409


def test_the_endpoints_are_in_the_openapi_schema(api_client, people):
    api_client.force_authenticate(people["trainer"])

    schema = api_client.get("/api/schema/?format=json").json()

    assert "post" in schema["paths"]["/api/v1/videos/"]
    assert "get" in schema["paths"]["/api/v1/videos/{video_id}/"]
    detail = schema["components"]["schemas"]["Video"]["properties"]
    for key in ("id", "status", "progress", "duration", "width", "height", "renditions"):
        assert key in detail
    for key in ("hls_url", "poster_url", "expires_at", "error"):
        assert key in detail
