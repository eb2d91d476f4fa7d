"""Celery tasks of the media pipeline, and the function that sends them. They only
orchestrate: the work is in pipeline.py.

`services.enqueue_transcode` marks a video queued and calls `send_transcode`; beat's
`sweep_stalled_videos` sends again what `pipeline.requeue_stalled_videos` took back.
"""

from datetime import datetime

from celery import shared_task
from django.db import DatabaseError, transaction

from . import pipeline


def send_transcode(video_id: int) -> None:
    """Put the transcode job on the `transcode` queue once the current transaction has
    committed. If the broker is down the upload still stands: the video stays queued and the
    sweeper sends it again."""
    transaction.on_commit(
        lambda: transcode_video.apply_async((video_id,), queue="transcode"), robust=True
    )


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=10,
    max_retries=5,
)
def transcode_video(video_id: int) -> str:
    """Transcode one video; safe to run twice (the second run finds it taken or done)."""
    return pipeline.process_video(video_id)


@shared_task
def sweep_stalled_videos(now: datetime | None = None) -> list[int]:
    """Queue again jobs whose worker died and videos whose message was lost (beat, 1/min)."""
    requeued = pipeline.requeue_stalled_videos(now)
    for video_id in requeued:
        send_transcode(video_id)
    return requeued
