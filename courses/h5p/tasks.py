"""Background jobs of H5P (Celery, queue "default")."""

from celery import shared_task


@shared_task
def forget_old_openings() -> int:
    """Daily: openings of players whose grant has expired can count for nothing any more."""
    from .services import forget_old_openings as forget

    return forget()
