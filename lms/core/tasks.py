"""Tasks of the platform core."""

from celery import shared_task


@shared_task(name="core.ping", acks_late=False, ignore_result=False)
def ping() -> str:
    """Answers the health check's round trip through the broker."""
    return "pong"
