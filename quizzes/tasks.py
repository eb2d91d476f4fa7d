"""Periodic jobs of the quizzes app (scheduled in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from .models import Quiz
from .services import award_contest_placings


@shared_task(acks_late=True)
def award_due_contest_placings() -> int:
    """Award placing points for every contest that has closed and not been awarded yet.
    Running twice, or at the same time in two workers, awards once (idempotency keys)."""
    due = Quiz.objects.filter(
        kind=Quiz.Kind.CONTEST, closes_at__lte=timezone.now(), placings_awarded_at__isnull=True
    ).values_list("pk", flat=True)
    awarded = 0
    for quiz in Quiz.objects.filter(pk__in=list(due)):
        awarded += award_contest_placings(quiz)
    return awarded
