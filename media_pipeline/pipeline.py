"""Running a transcode job: claim it, probe, run the one ffmpeg process, publish atomically.

The Celery task (`tasks.transcode_video`) only calls `process_video`; the bench and the tests
call it directly too.

Losing nothing when a worker dies, on every broker we ship:
- a job first *claims* the video (status `processing`, a fresh `job_token`) in one UPDATE that
  only succeeds for a queued video or one whose job stopped reporting; a second delivery of the
  same message therefore does nothing, and a job whose claim was taken over stops itself;
- while ffmpeg runs, the job refreshes `heartbeat_at` every second;
- `requeue_stalled_videos` (Celery beat's `tasks.sweep_stalled_videos`, every minute) queues
  again every `processing` video whose heartbeat is older than VIDEO_STALL_SECONDS and every
  `queued` video whose message seems lost.
  That covers kombu's filesystem broker (it deletes a message on delivery, so a killed worker's
  message is gone) and Redis (unacked messages return only after `visibility_timeout`);
  acks_late + reject_on_worker_lost still give the broker its own chance where it has one;
- output goes to a private work folder and becomes visible with one rename into a folder named
  after the inputs; the database switches to it last. The encoder settings are repeatable
  (capped CRF, no threaded lookahead, bit-exact muxing), so a job that runs again publishes
  the same files.
"""

import contextlib
import json
import logging
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import ffmpeg
from .models import VideoAsset

logger = logging.getLogger(__name__)

VIDEOS_FOLDER = "videos"
WORK_PREFIX = ".work-"
PROGRESS_EVERY_SECONDS = 1.0

# What the trainer reads when a video fails (stored in Chinese, the platform's language).
FAILURES = {
    "unreadable": _(
        "This file is not a video or audio file that can be read (is it another kind of file "
        "renamed to .mp4?). Please upload a video such as MP4 or MOV."
    ),
    "no_streams": _("The file contains no video or audio track."),
    "too_short": _("The video is too short, or its length cannot be read."),
    "incomplete": _(
        "The file is incomplete (was the upload cut off?): only %(done)s of %(total)s seconds "
        "could be read. Please upload the whole file again."
    ),
    "transcode_failed": _(
        "The video could not be converted. Check that it plays on your computer and upload it "
        "again; if it does play, please tell the site administrator."
    ),
    "timeout": _(
        "Converting the video took too long and was stopped. Please tell the site administrator."
    ),
    "interrupted": _(
        "Converting was interrupted %(count)s times. Please try again or tell the site "
        "administrator."
    ),
    "missing_original": _("The uploaded file is missing. Please upload it again."),
}


class JobSuperseded(Exception):
    """Another job holds the video now (or it was deleted); this one stops quietly."""


class TranscodeTimeout(Exception):
    """ffmpeg ran longer than allowed and was stopped."""


def encoder_settings() -> ffmpeg.EncoderSettings:
    return ffmpeg.EncoderSettings(
        ladder=tuple(tuple(rung) for rung in settings.VIDEO_LADDER),
        audio_kbps=settings.VIDEO_AUDIO_KBPS,
        crf=settings.VIDEO_CRF,
        preset=settings.VIDEO_X264_PRESET,
        max_fps=settings.VIDEO_MAX_FPS,
        segment_seconds=settings.VIDEO_SEGMENT_SECONDS,
        keyframe_seconds=settings.VIDEO_KEYFRAME_SECONDS,
        thumbnail_size=settings.VIDEO_THUMBNAIL_SIZE,
    )


def failure_message(code: str, **params) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        message = str(FAILURES.get(code, FAILURES["transcode_failed"]))
        return message % params if params else message


# --- claiming -------------------------------------------------------------------------------


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.VIDEO_STALL_SECONDS)


def claim_job(video_id: int) -> str | None:
    """Take the video for this job; None when it is not ours to do (done, failed, deleted or
    held by a job that is still alive)."""
    now = timezone.now()
    token = os.urandom(16).hex()
    claimable = Q(status=VideoAsset.Status.QUEUED) | Q(
        Q(heartbeat_at__lt=_stale_before(now)) | Q(heartbeat_at__isnull=True),
        status=VideoAsset.Status.PROCESSING,
    )
    claimed = VideoAsset.objects.filter(claimable, pk=video_id).update(
        status=VideoAsset.Status.PROCESSING,
        job_token=token,
        heartbeat_at=now,
        progress=0,
        error="",
        error_detail="",
        attempts=F("attempts") + 1,
    )
    return token if claimed else None


def _update_claimed(video_id: int, token: str, **fields) -> None:
    """Write fields while we still hold the claim; otherwise stop this job."""
    fields.setdefault("heartbeat_at", timezone.now())
    if not VideoAsset.objects.filter(pk=video_id, job_token=token).update(**fields):
        raise JobSuperseded(video_id)


def _fail(video_id: int, token: str, code: str, detail: str = "", **params) -> None:
    VideoAsset.objects.filter(pk=video_id, job_token=token).update(
        status=VideoAsset.Status.FAILED,
        error=failure_message(code, **params),
        error_detail=detail[-4000:],
        job_token="",
        heartbeat_at=None,
    )
    logger.info("video %s failed: %s %s", video_id, code, detail[-500:])


# --- running ffmpeg -------------------------------------------------------------------------


# If the worker process is killed (OOM, SIGKILL), ffmpeg goes with it instead of running on as
# an orphan that keeps the CPU busy: util-linux's setpriv (part of every Debian) sets the parent
# death signal, then becomes ffmpeg.
_SETPRIV = shutil.which("setpriv") if sys.platform.startswith("linux") else None


def _dies_with_parent(command: list[str]) -> list[str]:
    return [_SETPRIV, "--pdeathsig", "KILL", "--", *command] if _SETPRIV else command


def run_ffmpeg(
    command: list[str],
    cwd: Path,
    timeout: float,
    on_progress: Callable[[dict[str, str]], None],
) -> tuple[int, str, dict[str, str]]:
    """Run ffmpeg, feeding each `-progress` block to `on_progress` (which may raise to stop it).

    Returns (exit code, the end of stderr, the last progress block); raises TranscodeTimeout.
    """
    reader = ffmpeg.ProgressReader()
    lines: queue.Queue[str | None] = queue.Queue()
    with open(cwd / ".ffmpeg.log", "w+b") as log:
        process = subprocess.Popen(  # noqa: S603 — fixed binary from settings, no shell
            _dies_with_parent(command),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )

        def pump() -> None:
            for line in process.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        deadline = time.monotonic() + timeout
        try:
            while True:
                if time.monotonic() > deadline:
                    raise TranscodeTimeout
                try:
                    line = lines.get(timeout=1)
                except queue.Empty:
                    continue
                if line is None:
                    break
                block = reader.feed(line)
                if block is not None:
                    on_progress(block)
            process.wait(timeout=max(1.0, deadline - time.monotonic()))
        except BaseException:
            process.kill()
            process.wait()
            raise
        log.seek(0)
        stderr = log.read().decode("utf-8", "replace")[-4000:]
    return process.returncode, stderr, reader.last


def probe(source: str) -> ffmpeg.SourceInfo:
    command = ffmpeg.probe_command(source, settings.FFPROBE_BINARY)
    try:
        result = subprocess.run(  # noqa: S603 — fixed binary from settings, no shell
            command,
            capture_output=True,
            timeout=settings.VIDEO_PROBE_TIMEOUT_SECONDS,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise ffmpeg.UnplayableMedia("unreadable", "ffprobe timed out") from None
    if result.returncode != 0:
        raise ffmpeg.UnplayableMedia("unreadable", result.stderr.decode("utf-8", "replace"))
    try:
        data = json.loads(result.stdout)
    except ValueError:
        raise ffmpeg.UnplayableMedia("unreadable", "ffprobe printed no JSON") from None
    return ffmpeg.parse_probe(data)


# --- publishing -----------------------------------------------------------------------------


def video_folder(video_id: int) -> Path:
    return Path(default_storage.path(f"{VIDEOS_FOLDER}/{video_id}"))


def check_output(folder: Path, plan: ffmpeg.TranscodePlan) -> list[dict]:
    """Every playlist finished, every segment present, the whole duration there; returns the
    master playlist's variants. Raises UnplayableMedia("incomplete") for a short result."""
    master = folder / ffmpeg.MASTER_PLAYLIST
    if not master.is_file():
        raise ffmpeg.UnplayableMedia("transcode_failed", "no master playlist")
    variants = ffmpeg.parse_master_playlist(master.read_text())
    uris = [v["uri"] for v in variants]
    if len(uris) != len(plan.renditions) + (1 if plan.has_audio else 0):
        raise ffmpeg.UnplayableMedia("transcode_failed", f"master lists {uris}")
    longest = 0.0
    for uri in uris:
        playlist_path = folder / uri
        playlist = ffmpeg.parse_media_playlist(playlist_path.read_text())
        files = [playlist.init] + [name for _d, name in playlist.segments]
        missing = [
            name for name in files if not name or not (playlist_path.parent / name).is_file()
        ]
        if not playlist.ended or not playlist.segments or missing:
            raise ffmpeg.UnplayableMedia("transcode_failed", f"{uri}: unfinished {missing}")
        longest = max(longest, playlist.duration)
    # A truncated upload probes with its full length but decodes only up to the cut.
    if longest < plan.duration * ffmpeg.COMPLETE_SHARE:
        raise ffmpeg.UnplayableMedia(
            "incomplete",
            f"{longest} of {plan.duration} s",
            done=int(longest),
            total=int(plan.duration),
        )
    if not (folder / ffmpeg.POSTER).is_file():
        raise ffmpeg.UnplayableMedia("transcode_failed", "no poster")
    return variants


def publish(work: Path, final: Path) -> None:
    """Make the finished work folder the published folder in one rename.

    A folder already at `final` was published by an earlier run of this same job (same inputs,
    same name) that died before it could record it; it is replaced by this run's identical one.
    """
    if final.exists():
        retired = final.with_name(f"{WORK_PREFIX}retired-{os.urandom(4).hex()}")
        final.rename(retired)
        shutil.rmtree(retired, ignore_errors=True)
    work.rename(final)


def _remove_work_folders(folder: Path) -> None:
    if folder.is_dir():
        for child in folder.glob(f"{WORK_PREFIX}*"):
            shutil.rmtree(child, ignore_errors=True)


def _remove_leftovers(folder: Path, keep: str) -> None:
    """Work folders of jobs that died and versions no longer published."""
    for child in folder.iterdir():
        if child.name != keep and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)


def _renditions(variants: list[dict], plan: ffmpeg.TranscodePlan) -> list[dict]:
    video = [v for v in variants if v["height"]]
    chosen = video if plan.has_video else variants
    return [
        {"height": v["height"], "width": v["width"], "bandwidth": v["bandwidth"]} for v in chosen
    ]


# --- the job --------------------------------------------------------------------------------


def process_video(video_id: int) -> str:
    """Transcode one video if it is ours to do. Returns what happened, for logs and tests."""
    token = claim_job(video_id)
    if token is None:
        return "skipped"
    video = VideoAsset.objects.get(pk=video_id)
    if video.attempts > settings.VIDEO_MAX_ATTEMPTS:
        _fail(video_id, token, "interrupted", count=video.attempts - 1)
        return "failed"
    folder = video_folder(video_id)
    work = folder / f"{WORK_PREFIX}{token}"
    try:
        # Work folders left here belong to jobs that died: we hold the claim now.
        _remove_work_folders(folder)
        work.mkdir(parents=True)
        _transcode(video, token, work)
    except JobSuperseded:
        return "superseded"
    except ffmpeg.UnplayableMedia as exc:
        _fail(video_id, token, exc.code, exc.detail, **exc.params)
        return "failed"
    except TranscodeTimeout:
        _fail(video_id, token, "timeout")
        return "failed"
    except DatabaseError:
        # Give the video back; the task retries (or the sweeper queues it again).
        with contextlib.suppress(DatabaseError):
            VideoAsset.objects.filter(pk=video_id, job_token=token).update(
                status=VideoAsset.Status.QUEUED, job_token="", enqueued_at=timezone.now()
            )
        raise
    except Exception:
        logger.exception("transcoding video %s failed", video_id)
        _fail(video_id, token, "transcode_failed", traceback.format_exc())
        return "failed"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return "ready"


def _transcode(video: VideoAsset, token: str, work: Path) -> None:
    if not video.original or not default_storage.exists(video.original.name):
        raise ffmpeg.UnplayableMedia("missing_original")
    source = default_storage.path(video.original.name)
    info = probe(source)
    _update_claimed(
        video.pk,
        token,
        duration=info.duration,
        width=info.width or None,
        height=info.height or None,
        is_audio_only=not info.has_video,
    )
    plan = ffmpeg.plan_transcode(info, encoder_settings())
    for name in ffmpeg.output_folders(plan):
        (work / name).mkdir(parents=True)
    command = ffmpeg.build_command(source, plan, settings.FFMPEG_BINARY)
    last_write = 0.0

    def on_progress(block: dict[str, str]) -> None:
        nonlocal last_write
        if time.monotonic() - last_write >= PROGRESS_EVERY_SECONDS:
            _update_claimed(video.pk, token, progress=ffmpeg.progress_percent(block, plan))
            last_write = time.monotonic()

    timeout = settings.VIDEO_TIMEOUT_FACTOR * info.duration + settings.VIDEO_TIMEOUT_MARGIN_SECONDS
    returncode, stderr, last = run_ffmpeg(command, work, timeout, on_progress)
    (work / ".ffmpeg.log").unlink(missing_ok=True)
    if returncode != 0:
        raise ffmpeg.UnplayableMedia("transcode_failed", stderr)
    if plan.has_video:
        vtt = ffmpeg.thumbnails_vtt(plan, ffmpeg.frames_done(last))
        (work / ffmpeg.THUMBNAILS_VTT).write_text(vtt)
    variants = check_output(work, plan)
    version = plan.fingerprint(video.original.name)[:16]
    # The claim is checked once more right before publishing; after the rename the folder is
    # complete whoever records it.
    _update_claimed(video.pk, token)
    publish(work, work.parent / version)
    _update_claimed(
        video.pk,
        token,
        status=VideoAsset.Status.READY,
        progress=100,
        output_path=f"{VIDEOS_FOLDER}/{video.pk}/{version}",
        renditions=_renditions(variants, plan),
        job_token="",
        heartbeat_at=None,
    )
    _remove_leftovers(work.parent, keep=version)


# --- keeping jobs alive ---------------------------------------------------------------------


def requeue_stalled_videos(now: datetime | None = None) -> list[int]:
    """Mark queued again the jobs whose worker died and the queued videos whose message was
    lost; returns their ids, for the caller (`tasks.sweep_stalled_videos`) to send again.

    A job that is merely slow keeps its heartbeat fresh and is left alone; a message that is
    still waiting in the broker finds the video already taken (or done) when it arrives and
    does nothing.
    """
    now = now or timezone.now()
    stale = _stale_before(now)
    stalled = Q(status=VideoAsset.Status.PROCESSING) & (
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True)
    )
    lost = Q(status=VideoAsset.Status.QUEUED) & (
        Q(enqueued_at__lt=stale) | Q(enqueued_at__isnull=True)
    )
    requeued = []
    for video_id in VideoAsset.objects.filter(stalled | lost).values_list("pk", flat=True):
        changed = VideoAsset.objects.filter(stalled | lost, pk=video_id).update(
            status=VideoAsset.Status.QUEUED, job_token="", enqueued_at=now
        )
        if changed:
            requeued.append(video_id)
    if requeued:
        logger.info("queued again stalled or lost videos: %s", requeued)
    return requeued
