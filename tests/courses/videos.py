"""Real lecture videos for tests: an ffmpeg-made clip, uploaded and transcoded by the worker."""

import subprocess
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from media_pipeline.models import VideoAsset
from media_pipeline.services import create_video
from tests.utils import wait_until

CLIP_SECONDS = 30


def make_lecture_clip(folder: Path) -> Path:
    """A 30-second, low-resolution lecture clip with sound."""
    path = folder / "lecture.mp4"
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size=320x240:rate=15:duration={CLIP_SECONDS}",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={CLIP_SECONDS}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


def transcoded_video(path, uploaded_by) -> VideoAsset:
    """Upload the clip as a trainer would and wait for the worker to publish it."""
    upload = SimpleUploadedFile("lecture.mp4", path.read_bytes(), content_type="video/mp4")
    video = create_video(
        title="开天辟地", upload=upload, organization=None, uploaded_by=uploaded_by
    )
    settled = (VideoAsset.Status.READY, VideoAsset.Status.FAILED)
    video = wait_until(
        lambda: VideoAsset.objects.filter(pk=video.pk, status__in=settled).first(),
        timeout=120,
        interval=0.5,
        message="the worker did not transcode the clip",
    )
    assert video.status == VideoAsset.Status.READY, video.error
    return video
