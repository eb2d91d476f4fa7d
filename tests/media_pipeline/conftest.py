"""Small clips made with ffmpeg itself (lavfi test sources: a few seconds, low resolution) that
look like what trainers really upload, and helpers to look at what the pipeline published."""

import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files import File

from media_pipeline.models import VideoAsset

FFMPEG = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y"]


def _tone(seconds: float) -> list[str]:
    return ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}"]


def _picture(size: str, rate: int, seconds: float) -> list[str]:
    return ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"]


X264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]

# name → ffmpeg arguments after the global ones; the file is made once per test session.
CLIPS = {
    "landscape.mp4": [*_picture("854x480", 30, 3), *_tone(3), *X264, "-c:a", "aac", "-shortest"],
    "small.mp4": [*_picture("320x240", 25, 2), *_tone(2), *X264, "-c:a", "aac", "-shortest"],
    # Phones store portrait video as landscape pixels plus a display matrix saying "rotate".
    "portrait.mp4": None,
    "odd.mkv": [*_picture("321x241", 25, 2), "-c:v", "ffv1"],
    # Variable frame rate: frames dropped irregularly, timestamps kept.
    "vfr.mp4": [
        *_picture("320x240", 30, 3),
        "-vf",
        "select='not(mod(n,3))+eq(mod(n,7),0)'",
        "-fps_mode",
        "vfr",
        *X264,
    ],
    "fps60.mp4": [*_picture("320x240", 60, 2), *X264],
    # Interlaced like a camcorder's .mts: fields woven into frames, top field first.
    "interlaced.mp4": [
        *_picture("320x240", 50, 2),
        "-vf",
        "tinterlace=interleave_top,fieldorder=tff",
        *X264,
        "-flags",
        "+ildct+ilme",
        "-x264-params",
        "tff=1",
    ],
    "uhd60.mp4": [*_picture("3840x2160", 60, 1), *_tone(1), *X264, "-c:a", "aac", "-shortest"],
    "silent.mp4": [*_picture("320x240", 25, 2), *X264],
    "lecture.m4a": [*_tone(3), "-c:a", "aac"],
    "faststart.mp4": [*_picture("320x240", 25, 6), *X264, "-movflags", "+faststart"],
}


def _make(folder: Path, name: str) -> Path:
    path = folder / name
    if path.exists():
        return path
    if name == "portrait.mp4":
        landscape = _make(folder, "small.mp4")
        args = ["-i", str(landscape), "-c", "copy", "-metadata:s:v:0", "rotate=90"]
    else:
        args = CLIPS[name]
    subprocess.run([*FFMPEG, *args, str(path)], check=True)
    return path


@pytest.fixture(scope="session")
def clip_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="session")
def clip(clip_folder):
    """`clip("portrait.mp4")` → path of that generated clip (see CLIPS)."""

    def _clip(name: str) -> Path:
        return _make(clip_folder, name)

    return _clip


@pytest.fixture(scope="session")
def broken_files(clip_folder, clip) -> dict[str, Path]:
    """Files that are not playable videos, as trainers manage to upload them."""
    text = clip_folder / "notes.mp4"
    text.write_text("这是一份讲稿，不是视频。\n" * 50)
    whole = clip("faststart.mp4").read_bytes()
    # moov at the front: probes fine with its full length, the picture stops halfway.
    cut_late = clip_folder / "cut_after_index.mp4"
    cut_late.write_bytes(whole[: len(whole) // 2])
    # moov at the end (what most cameras write): the index never arrived.
    normal = clip_folder / "cut_before_index.mp4"
    subprocess.run(
        [*FFMPEG, *_picture("320x240", 25, 3), *X264, str(clip_folder / "moov_end.mp4")],
        check=True,
    )
    normal.write_bytes((clip_folder / "moov_end.mp4").read_bytes()[:20000])
    subtitles = clip_folder / "subtitles_only.mp4"
    srt = clip_folder / "only.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:02,000\n只有字幕\n", encoding="utf-8")
    subprocess.run([*FFMPEG, "-i", str(srt), "-c:s", "mov_text", str(subtitles)], check=True)
    return {
        "text": text,
        "cut_after_index": cut_late,
        "cut_before_index": normal,
        "subtitles_only": subtitles,
    }


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """Each in-process pipeline test publishes into its own MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_video(path: Path, **fields) -> VideoAsset:
    """A VideoAsset whose original is a copy of `path`."""
    fields.setdefault("title", "测试视频")
    with path.open("rb") as handle:
        return VideoAsset.objects.create(original=File(handle, name=path.name), **fields)


def published_folder(video: VideoAsset) -> Path:
    return Path(settings.MEDIA_ROOT) / video.output_path


def published_files(video: VideoAsset) -> dict[str, str]:
    """relative path → sha256 of every published file."""
    folder = published_folder(video)
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def ffprobe(path: Path, *args: str) -> dict:
    result = subprocess.run(
        ["ffprobe", "-v", "error", *args, "-of", "json", str(path)],
        capture_output=True,
        check=True,
        text=True,
    )
    return json.loads(result.stdout)
