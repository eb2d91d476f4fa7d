"""Transcode pipeline wall time as ratios to bare ffmpeg, measured in one run.

Generates a 60-s 720p clip (ffmpeg test pattern at 30 fps + a tone, H.264/AAC like a phone
file), then times, one after another on the same machine:

1. the pipeline: `media_pipeline.pipeline.process_video` on a VideoAsset in a scratch SQLite
   database — claim, ffprobe, the one ffmpeg process (ladder 720p/480p/360p + audio, poster,
   sprite), progress writes, thumbnail index, checks, atomic publish;
2. the same ladder as ONE bare ffmpeg command: the exact command the pipeline runs, nothing
   around it;
3. the same outputs with one ffmpeg process per rendition, run one after another: one per
   video rung (each decodes the source again), one for the audio, one for poster + sprite.

Each is run BENCH_REPEAT times (default 2) in alternating order, and the best time counts.
Prints the times, pipeline ÷ (2) (goal ≤ 1.05), pipeline ÷ (3) (goal ≤ 0.85) and the pipeline's
speed as a multiple of real time. Other load on the machine skews all three alike; run it on a
quiet machine for numbers worth comparing.

    .venv/bin/python bench/transcode/run.py
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LMS_VAR_DIR", tempfile.mkdtemp(prefix="bench-transcode-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"

import django

django.setup()

import ffmpeg
from django.conf import settings
from django.core.files import File
from django.core.management import call_command

from media_pipeline import ffmpeg as commands
from media_pipeline import pipeline
from media_pipeline.models import VideoAsset

SECONDS = 60
REPEAT = int(os.environ.get("BENCH_REPEAT", "2"))
GOAL_BARE = 1.05
GOAL_PER_RENDITION = 0.85


def make_clip(path: Path) -> None:
    picture = ffmpeg.input(f"testsrc2=size=1280x720:rate=30:duration={SECONDS}", f="lavfi")
    tone = ffmpeg.input(f"sine=frequency=440:sample_rate=48000:duration={SECONDS}", f="lavfi")
    ffmpeg.output(
        picture,
        tone,
        str(path),
        vcodec="libx264",
        preset="veryfast",
        crf=18,
        pix_fmt="yuv420p",
        acodec="aac",
        **{"b:a": "128k"},
    ).global_args("-hide_banner", "-loglevel", "error").run(overwrite_output=True)


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def fresh_folder(base: Path, name: str, plan: commands.TranscodePlan) -> Path:
    folder = base / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for sub in commands.output_folders(plan):
        (folder / sub).mkdir()
    return folder


def separate_commands(source: str, plan: commands.TranscodePlan) -> list[list[str]]:
    """The same outputs, one ffmpeg process per rendition (plus audio, plus poster/sprite),
    with the same encoder settings as the one-pass command."""
    hls = {
        "format": "hls",
        "hls_time": plan.segment_seconds,
        "hls_playlist_type": "vod",
        "hls_segment_type": "fmp4",
        "hls_flags": "independent_segments",
        "hls_fmp4_init_filename": "init.mp4",
    }
    run = {"cmd": settings.FFMPEG_BINARY, "overwrite_output": True}
    quiet = ("-hide_banner", "-nostdin", "-loglevel", "error")
    result = []
    for r in plan.renditions:
        video = (
            ffmpeg.input(source)[str(plan.video_index)]
            .filter("fps", fps=str(plan.frame_rate))
            .filter("scale", r.width, r.height)
            .filter("setsar", 1)
        )
        out = ffmpeg.output(
            video,
            f"{r.name}/index.m3u8",
            hls_segment_filename=f"{r.name}/seg_%05d.m4s",
            vcodec="libx264",
            preset=plan.preset,
            pix_fmt="yuv420p",
            crf=plan.crf,
            maxrate=f"{r.max_kbps}k",
            bufsize=f"{r.bufsize_kbps}k",
            g=plan.gop_frames,
            keyint_min=plan.gop_frames,
            sc_threshold=0,
            **{"x264-params": "sync-lookahead=0"},
            **hls,
        )
        result.append(out.global_args(*quiet).compile(**run))
    audio = ffmpeg.input(source)[str(plan.audio_index)].filter(
        "aresample", 48000, **{"async": 1, "first_pts": 0}
    )
    result.append(
        ffmpeg.output(
            audio,
            "audio/index.m3u8",
            hls_segment_filename="audio/seg_%05d.m4s",
            acodec="aac",
            **{"b:a": f"{plan.audio_kbps}k"},
            **hls,
        )
        .global_args(*quiet)
        .compile(**run)
    )
    branches = (
        ffmpeg.input(source)[str(plan.video_index)]
        .filter("fps", fps=str(plan.frame_rate))
        .filter_multi_output("split", 2)
    )
    poster = (
        branches[0]
        .filter("select", f"eq(n,{plan.poster_frame})")
        .filter("scale", *plan.poster_size)
    )
    sprite = (
        branches[1]
        .filter("select", f"not(mod(n,{plan.thumbnail_step_frames}))")
        .filter("scale", *plan.thumbnail_size)
        .filter("tile", "{}x{}".format(*plan.tile))
    )
    result.append(
        ffmpeg.merge_outputs(
            ffmpeg.output(poster, commands.POSTER, **{"frames:v": 1, "update": 1}),
            ffmpeg.output(sprite, commands.SPRITE_PATTERN, fps_mode="passthrough"),
        )
        .global_args(*quiet)
        .compile(**run)
    )
    return result


def main() -> None:
    work = Path(os.environ["LMS_VAR_DIR"])
    call_command("migrate", verbosity=0)
    source = work / "clip_720p_60s.mp4"
    print(f"generating a {SECONDS}-s 720p clip …", flush=True)
    make_clip(source)
    plan = commands.plan_transcode(pipeline.probe(str(source)), pipeline.encoder_settings())
    pipeline_runs, bare_runs, separate_runs = [], [], []

    def run_pipeline() -> str:
        with source.open("rb") as handle:
            video = VideoAsset.objects.create(
                title="bench", original=File(handle, name=source.name)
            )
        started = time.perf_counter()
        outcome = pipeline.process_video(video.pk)
        pipeline_runs.append(time.perf_counter() - started)
        if outcome != "ready":
            video.refresh_from_db()
            raise SystemExit(f"pipeline ended {outcome}: {video.error_detail}")
        return video.original.path

    def run_bare(stored: str) -> None:
        command = commands.build_command(stored, plan, settings.FFMPEG_BINARY)
        bare_runs.append(timed(command, fresh_folder(work, "bare", plan)))

    def run_separate(stored: str) -> None:
        folder = fresh_folder(work, "separate", plan)
        separate_runs.append([timed(c, folder) for c in separate_commands(stored, plan)])

    # Repeated, in alternating order, and the best time of each counts: load from elsewhere on
    # the machine then skews no variant more than another.
    stored = run_pipeline()
    for round_number in range(REPEAT):
        if round_number % 2:
            run_separate(stored)
            run_bare(stored)
            run_pipeline()
        else:
            if round_number:
                run_pipeline()
            run_bare(stored)
            run_separate(stored)
    pipeline_seconds, bare_seconds = min(pipeline_runs), min(bare_runs)
    separate = min(separate_runs, key=sum)
    separate_seconds = sum(separate)

    names = ", ".join(r.name for r in plan.renditions)
    print(f"source: {SECONDS} s, 1280x720 30 fps H.264 + AAC (x264 preset {plan.preset})")
    print(f"ladder: {names} + audio, poster, thumbnail sprite")
    print(f"best of {REPEAT} runs each, in alternating order")
    print(f"pipeline (claim, probe, one ffmpeg, publish): {pipeline_seconds:7.2f} s")
    print(f"one bare ffmpeg command, same outputs:        {bare_seconds:7.2f} s")
    parts = " + ".join(f"{s:.2f}" for s in separate)
    print(f"one ffmpeg per rendition, one after another:  {separate_seconds:7.2f} s  ({parts})")
    print(
        f"pipeline / bare ffmpeg:          {pipeline_seconds / bare_seconds:5.2f}"
        f"   (goal ≤ {GOAL_BARE})"
    )
    print(
        f"pipeline / one per rendition:    {pipeline_seconds / separate_seconds:5.2f}"
        f"   (goal ≤ {GOAL_PER_RENDITION})"
    )
    print(f"pipeline speed:                  {SECONDS / pipeline_seconds:5.2f}× real time")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
