"""The demo lecture: generated with ffmpeg, queued through the real pipeline, playable."""

import pytest

from media_pipeline import demo, pipeline
from media_pipeline.models import VideoAsset

pytestmark = pytest.mark.django_db


def test_demo_video_is_built_once_and_transcodes_to_a_ladder(
    media_root, django_capture_on_commit_callbacks
):
    from lms.orgs import demo as org_demo

    org_demo.build()

    with django_capture_on_commit_callbacks() as sent:
        assert demo.build() is True
    assert demo.build() is False

    video = demo.demo_video()
    assert video.status == VideoAsset.Status.QUEUED
    assert video.organization.code == "DEMO"
    assert video.uploaded_by.username == "trainer"
    assert len(sent) == 1, "the worker started by make run gets the job after commit"
    assert "党章" in video.captions.get().file.read().decode()

    assert pipeline.process_video(video.pk) == "ready"
    video.refresh_from_db()
    assert [r["height"] for r in video.renditions] == [720, 480, 360]
    assert video.duration == pytest.approx(24, abs=0.2)
