"""The pipeline through the API and a real Celery worker process — including one that is killed
in the middle of a job."""

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from media_pipeline import pipeline, tasks
from media_pipeline.models import VideoAsset
from tests.utils import wait_until

from .conftest import FFMPEG, X264, _picture, _tone, make_video, published_files

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _upload(client: APIClient, path, title: str) -> int:
    with path.open("rb") as handle:
        response = client.post("/api/v1/videos/", {"file": handle, "title": title})
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _settled(video_id: int) -> VideoAsset | None:
    video = VideoAsset.objects.get(pk=video_id)
    return video if video.status in (VideoAsset.Status.READY, VideoAsset.Status.FAILED) else None


def test_uploads_are_transcoded_by_the_worker_and_a_bad_file_does_not_stop_it(
    celery_worker, people, clip, broken_files
):
    client = APIClient()
    client.force_authenticate(people["trainer"])

    bad = _upload(client, broken_files["text"], "改了扩展名的讲稿")
    good = _upload(client, clip("landscape.mp4"), "第一讲")

    failed = wait_until(lambda: _settled(bad), timeout=90)
    ready = wait_until(lambda: _settled(good), timeout=90)
    assert failed.status == VideoAsset.Status.FAILED
    assert "不是可以读取的视频或音频文件" in failed.error
    assert ready.status == VideoAsset.Status.READY, ready.error_detail
    detail = client.get(f"/api/v1/videos/{good}/").json()
    assert detail["progress"] == 100
    assert [r["height"] for r in detail["renditions"]] == [480, 360]


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory):
    """Long enough (20 s of 480p) that the test can catch the worker in the middle of it."""
    path = tmp_path_factory.mktemp("long") / "long_lecture.mp4"
    subprocess.run(
        [
            *FFMPEG,
            *_picture("854x480", 30, 20),
            *_tone(20),
            *X264,
            "-c:a",
            "aac",
            "-shortest",
            str(path),
        ],
        check=True,
    )
    return path


def test_a_killed_worker_loses_nothing_and_the_result_is_the_same(
    celery_worker, people, long_clip, settings
):
    client = APIClient()
    client.force_authenticate(people["trainer"])
    video_id = _upload(client, long_clip, "被中断的党课")
    seen_progress = []

    def mid_job():
        video = VideoAsset.objects.get(pk=video_id)
        if video.status == VideoAsset.Status.PROCESSING and video.progress:
            seen_progress.append(video.progress)
        return video.status == VideoAsset.Status.PROCESSING and 5 <= video.progress <= 80

    wait_until(mid_job, timeout=90, interval=0.05)
    celery_worker.kill()

    stuck = VideoAsset.objects.get(pk=video_id)
    assert stuck.status == VideoAsset.Status.PROCESSING
    assert 0 < stuck.progress < 100, "the admin showed progress while it ran"
    assert not stuck.is_ready and stuck.output_path == ""  # nothing half-made is published
    # Nothing is redelivered by itself here: the filesystem broker deleted the message when
    # the worker took it, Redis would only give it back after visibility_timeout. The beat
    # sweeper notices that the job stopped reporting and queues it again (here: as it would
    # once VIDEO_STALL_SECONDS have passed).
    celery_worker.start()
    later = timezone.now() + timedelta(seconds=settings.VIDEO_STALL_SECONDS + 1)
    assert tasks.sweep_stalled_videos(now=later) == [video_id]

    done = wait_until(lambda: _settled(video_id), timeout=90)
    assert done.status == VideoAsset.Status.READY, done.error_detail
    assert done.attempts == 2
    folder = pipeline.video_folder(video_id)
    assert [p.name for p in folder.iterdir()] == [done.published_version], "work folder removed"
    # The same source transcoded without interruption gives byte-identical files.
    reference = make_video(long_clip, title="对照")
    assert pipeline.process_video(reference.pk) == "ready"
    reference.refresh_from_db()
    assert published_files(done) == published_files(reference)
    assert len(published_files(done)) > 10
