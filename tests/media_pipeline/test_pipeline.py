"""The transcode job on real clips with real ffmpeg, run in-process (no Celery)."""

import itertools
import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from media_pipeline import delivery, ffmpeg, pipeline, tasks
from media_pipeline.models import VideoAsset
from tests.utils import wait_until

from .conftest import ffprobe, make_video, published_files, published_folder

pytestmark = pytest.mark.django_db


def _video_stream(playlist):
    return ffprobe(playlist, "-select_streams", "v:0", "-show_streams")["streams"][0]


def _keyframe_times(playlist) -> list[str]:
    packets = ffprobe(playlist, "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags")
    return [p["pts_time"] for p in packets["packets"] if "K" in p["flags"]]


def test_one_pass_ladder_with_aligned_keyframes_poster_and_sprite(media_root, clip):
    video = make_video(clip("landscape.mp4"))

    assert pipeline.process_video(video.pk) == "ready"

    video.refresh_from_db()
    assert video.status == VideoAsset.Status.READY
    assert video.progress == 100
    assert (video.width, video.height) == (854, 480)
    assert video.duration == pytest.approx(3.0, abs=0.1)
    assert [(r["width"], r["height"]) for r in video.renditions] == [(854, 480), (640, 360)]
    assert all(r["bandwidth"] > 0 for r in video.renditions)
    assert video.output_path == f"videos/{video.pk}/{video.published_version}"
    folder = published_folder(video)
    master = (folder / "master.m3u8").read_text()
    assert 'TYPE=AUDIO,GROUP-ID="group_audio"' in master
    keyframes = {name: _keyframe_times(folder / name / "index.m3u8") for name in ("480p", "360p")}
    assert keyframes["480p"] == keyframes["360p"]
    assert len(keyframes["480p"]) >= 2  # a keyframe every 2 s, not only the first frame
    assert (folder / "poster.jpg").stat().st_size > 0
    vtt = (folder / "thumbnails.vtt").read_text()
    assert vtt.startswith("WEBVTT")
    assert "thumbs/sprite_001.jpg#xywh=1440,810,160,90" in vtt  # thumbnail 0: last cell
    assert "thumbs/sprite_002.jpg#xywh=0,0,160,90" in vtt
    assert (folder / "thumbs" / "sprite_001.jpg").is_file()
    # nothing left behind: no work folder, no log
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]
    assert not list(folder.rglob(".ffmpeg.log"))


def test_portrait_phone_video_plays_upright(media_root, clip):
    video = make_video(clip("portrait.mp4"))

    pipeline.process_video(video.pk)

    video.refresh_from_db()
    assert video.status == VideoAsset.Status.READY
    assert (video.width, video.height) == (240, 320)
    stream = _video_stream(published_folder(video) / "240p" / "index.m3u8")
    assert (stream["width"], stream["height"]) == (240, 320)
    assert not stream.get("side_data_list"), "pixels are rotated, no rotation left to apply"


def test_odd_dimensions_become_even(media_root, clip):
    video = make_video(clip("odd.mkv"))

    pipeline.process_video(video.pk)

    video.refresh_from_db()
    assert video.status == VideoAsset.Status.READY, video.error_detail
    assert video.renditions[0]["width"] % 2 == 0
    assert video.renditions[0]["height"] % 2 == 0
    assert "group_audio" not in (published_folder(video) / "master.m3u8").read_text()


def test_variable_frame_rate_comes_out_constant(media_root, clip):
    source_packets = ffprobe(clip("vfr.mp4"), "-show_entries", "packet=pts_time")["packets"]
    steps = {
        round(float(b["pts_time"]) - float(a["pts_time"]), 3)
        for a, b in itertools.pairwise(source_packets)
    }
    assert len(steps) > 1, "the test clip really has a variable frame rate"
    video = make_video(clip("vfr.mp4"))

    pipeline.process_video(video.pk)

    video.refresh_from_db()
    playlist = published_folder(video) / "240p" / "index.m3u8"
    packets = ffprobe(playlist, "-select_streams", "v:0", "-show_entries", "packet=duration")
    assert {p["duration"] for p in packets["packets"]} == {packets["packets"][0]["duration"]}


def test_sixty_fps_is_halved(media_root, clip):
    video = make_video(clip("fps60.mp4"))

    pipeline.process_video(video.pk)

    video.refresh_from_db()
    stream = _video_stream(published_folder(video) / "240p" / "index.m3u8")
    assert stream["r_frame_rate"] == "30/1"


def _interlace_detection(path) -> dict[str, int]:
    """ffmpeg's idet filter: how many frames look interlaced (combed) or progressive."""
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-i", str(path), "-vf", "idet", "-an", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in result.stderr.splitlines() if "Multi frame detection" in line)
    counts = line.split("detection:", 1)[1].replace(":", " ").split()
    return {counts[i]: int(counts[i + 1]) for i in range(0, len(counts), 2)}


def test_interlaced_camera_video_is_deinterlaced(media_root, clip):
    source = ffprobe(clip("interlaced.mp4"), "-show_streams")["streams"][0]
    assert source["field_order"] == "tt"
    video = make_video(clip("interlaced.mp4"))

    pipeline.process_video(video.pk)

    video.refresh_from_db()
    assert video.status == VideoAsset.Status.READY, video.error_detail
    combed = _interlace_detection(clip("interlaced.mp4"))
    output = _interlace_detection(published_folder(video) / "240p" / "index.m3u8")
    assert combed["TFF"] > combed["Progressive"], "the clip really shows combing"
    assert output["Progressive"] > 4 * (output["TFF"] + output["BFF"]), output


def test_a_4k_60_fps_source_gets_the_whole_ladder_at_30_fps(media_root, clip):
    video = make_video(clip("uhd60.mp4"))

    pipeline.process_video(video.pk)

    video.refresh_from_db()
    assert video.status == VideoAsset.Status.READY, video.error_detail
    assert [r["height"] for r in video.renditions] == [1080, 720, 480, 360]
    stream = _video_stream(published_folder(video) / "1080p" / "index.m3u8")
    assert (stream["width"], stream["height"], stream["r_frame_rate"]) == (1920, 1080, "30/1")


def test_audio_lecture_becomes_audio_hls_with_a_still_poster(media_root, clip):
    video = make_video(clip("lecture.m4a"))

    pipeline.process_video(video.pk)

    video.refresh_from_db()
    assert video.status == VideoAsset.Status.READY, video.error_detail
    assert video.is_audio_only
    assert video.renditions == [
        {"width": None, "height": None, "bandwidth": video.renditions[0]["bandwidth"]}
    ]
    folder = published_folder(video)
    assert 'CODECS="mp4a.40.2"' in (folder / "master.m3u8").read_text()
    assert (folder / "poster.jpg").stat().st_size > 0
    assert delivery.video_playback(video).thumbnails_url == ""  # no scrub previews


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("text", "不是可以读取的视频或音频文件"),
        ("cut_before_index", "不是可以读取的视频或音频文件"),
        ("cut_after_index", "文件不完整"),
        ("subtitles_only", "没有视频或音频"),
    ],
)
def test_unplayable_files_fail_with_a_chinese_message(media_root, broken_files, broken, message):
    video = make_video(broken_files[broken])

    assert pipeline.process_video(video.pk) == "failed"

    video.refresh_from_db()
    assert video.status == VideoAsset.Status.FAILED
    assert message in video.error
    assert not video.is_ready and video.output_path == ""
    assert video.original.storage.exists(video.original.name), "the upload is kept"
    folder = media_root / "videos" / str(video.pk)
    assert not folder.exists() or not any(folder.iterdir()), "no temporary files left"


def test_a_failed_video_does_not_affect_the_next_one(media_root, broken_files, clip):
    bad = make_video(broken_files["text"])
    good = make_video(clip("small.mp4"))

    pipeline.process_video(bad.pk)
    pipeline.process_video(good.pk)

    good.refresh_from_db()
    assert good.status == VideoAsset.Status.READY


def test_ffmpeg_is_stopped_after_its_time_limit(media_root, clip, settings):
    settings.VIDEO_TIMEOUT_FACTOR = 0
    settings.VIDEO_TIMEOUT_MARGIN_SECONDS = 0
    video = make_video(clip("small.mp4"))

    pipeline.process_video(video.pk)

    video.refresh_from_db()
    assert video.status == VideoAsset.Status.FAILED
    assert "时间过长" in video.error
    assert not any((media_root / "videos" / str(video.pk)).iterdir())


def test_running_the_same_job_twice_publishes_identical_files(media_root, clip):
    first = make_video(clip("landscape.mp4"))
    second = make_video(clip("landscape.mp4"))

    pipeline.process_video(first.pk)
    pipeline.process_video(second.pk)

    first.refresh_from_db()
    second.refresh_from_db()
    assert published_files(first) == published_files(second)
    assert first.published_version != second.published_version, "named after its own upload"


def test_a_second_delivery_of_the_same_job_does_nothing(media_root, clip):
    video = make_video(clip("small.mp4"))
    pipeline.process_video(video.pk)
    video.refresh_from_db()
    files = published_files(video)

    assert pipeline.process_video(video.pk) == "skipped"

    video.refresh_from_db()
    assert video.attempts == 1
    assert published_files(video) == files


def test_a_live_job_is_not_taken_over_but_a_silent_one_is(media_root, clip):
    video = make_video(clip("small.mp4"), status=VideoAsset.Status.PROCESSING)
    VideoAsset.objects.filter(pk=video.pk).update(heartbeat_at=timezone.now(), job_token="x")

    assert pipeline.process_video(video.pk) == "skipped"

    VideoAsset.objects.filter(pk=video.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=10)
    )
    assert pipeline.process_video(video.pk) == "ready"


def test_too_many_interrupted_starts_end_as_failed(media_root, clip, settings):
    video = make_video(clip("small.mp4"))
    VideoAsset.objects.filter(pk=video.pk).update(attempts=settings.VIDEO_MAX_ATTEMPTS)

    assert pipeline.process_video(video.pk) == "failed"

    video.refresh_from_db()
    assert "中断" in video.error


def test_sweeper_requeues_dead_jobs_and_lost_messages(
    media_root, clip, django_capture_on_commit_callbacks
):
    now = timezone.now()
    long_ago = now - timedelta(minutes=10)
    dead = make_video(clip("small.mp4"), status=VideoAsset.Status.PROCESSING)
    alive = make_video(clip("small.mp4"), status=VideoAsset.Status.PROCESSING)
    lost = make_video(clip("small.mp4"), status=VideoAsset.Status.QUEUED)
    waiting = make_video(clip("small.mp4"), status=VideoAsset.Status.QUEUED)
    ready = make_video(clip("small.mp4"), status=VideoAsset.Status.READY)
    VideoAsset.objects.filter(pk=dead.pk).update(heartbeat_at=long_ago, job_token="dead")
    VideoAsset.objects.filter(pk=alive.pk).update(heartbeat_at=now, job_token="alive")
    VideoAsset.objects.filter(pk=lost.pk).update(enqueued_at=long_ago)
    VideoAsset.objects.filter(pk=waiting.pk).update(enqueued_at=now)
    VideoAsset.objects.filter(pk=ready.pk).update(heartbeat_at=long_ago)

    with django_capture_on_commit_callbacks() as sent:
        requeued = tasks.sweep_stalled_videos(now=now)

    assert sorted(requeued) == sorted([dead.pk, lost.pk])
    assert len(sent) == 2
    dead.refresh_from_db()
    assert (dead.status, dead.job_token) == (VideoAsset.Status.QUEUED, "")


def test_progress_is_parsed_from_ffmpeg_progress_output():
    plan = ffmpeg.TranscodePlan(
        duration=10.0,
        video_index=0,
        audio_index=1,
        renditions=(ffmpeg.Rendition("360p", 640, 360, 600),),
        frame_rate=ffmpeg.Fraction(25),
        gop_frames=50,
        audio_kbps=96,
        crf=23,
        preset="veryfast",
        segment_seconds=4,
    )
    reader = ffmpeg.ProgressReader()
    lines = "frame=125\nfps=50.0\nout_time_us=99000000\nspeed=2.0x\nprogress=continue\n"
    blocks = [block for line in lines.splitlines() if (block := reader.feed(line))]

    # the sprite's tiles carry far-ahead timestamps (99 s here): frames are what count
    assert [ffmpeg.progress_percent(b, plan) for b in blocks] == [50]
    audio_only = ffmpeg.TranscodePlan(**{**plan.__dict__, "renditions": ()})
    assert ffmpeg.progress_percent({"out_time_us": "2500000"}, audio_only) == 25
    assert ffmpeg.progress_percent({"frame": "999"}, plan) == 99


ORPHAN_SCRIPT = """
import os, sys
from pathlib import Path
import django
django.setup()
from media_pipeline.pipeline import run_ffmpeg
command = ["ffmpeg", "-hide_banner", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
           "-t", "600", "-f", "null", "-", "-progress", "pipe:1"]
run_ffmpeg(command, Path(sys.argv[1]), 600, lambda block: print("running", flush=True))
"""


def _process_state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(line.split()[1] for line in status if line.startswith("State:"))
    except FileNotFoundError:
        return "gone"


def test_ffmpeg_dies_with_a_killed_worker_process(tmp_path):
    worker = subprocess.Popen(
        [sys.executable, "-c", ORPHAN_SCRIPT, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"},
    )
    try:
        assert worker.stdout.readline().strip() == "running"
        children = subprocess.run(
            ["pgrep", "-P", str(worker.pid)], capture_output=True, text=True
        ).stdout.split()
        assert len(children) == 1
        ffmpeg_pid = int(children[0])
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()

    try:
        wait_until(
            lambda: _process_state(ffmpeg_pid) in ("Z", "gone"),
            timeout=5,
            interval=0.1,
            message="ffmpeg kept running after its worker was killed",
        )
    except AssertionError:
        os.kill(ffmpeg_pid, signal.SIGKILL)
        raise
