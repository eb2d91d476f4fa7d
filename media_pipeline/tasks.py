"""Celery tasks of the media pipeline. They only orchestrate: the work is in pipeline.py.

`transcode_video` is sent to the `transcode` queue by services.send_transcode.
"""

from celery import shared_task
from django.db import DatabaseError

from . import pipeline


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
def sweep_stalled_videos() -> list[int]:
    """Queue again jobs whose worker died and videos whose message was lost (beat, 1/min)."""
    return pipeline.sweep_stalled_videos()
