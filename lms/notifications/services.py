"""Sending notifications: the one way every feature writes them."""

from collections.abc import Iterable

from django.utils import timezone

from lms.accounts.models import User

from .models import Notification

BATCH_SIZE = 2000


def notify(
    recipient_ids: Iterable[int],
    kind: str,
    *,
    params: dict | None = None,
    key: str = "",
    sent_by: User | None = None,
) -> int:
    """Send one notification of `kind` to each recipient; returns how many were sent. With a
    `key`, a recipient who already has one with that key gets nothing more, however often or
    concurrently this runs."""
    return notify_each(
        ((recipient_id, params or {}) for recipient_id in recipient_ids),
        kind,
        key=key,
        sent_by=sent_by,
    )


def notify_each(
    recipients: Iterable[tuple[int, dict]], kind: str, *, key: str = "", sent_by: User | None = None
) -> int:
    """`notify` with each recipient's own parameters (a member's own deadline)."""
    now = timezone.now()
    sent = 0
    batch: list[Notification] = []

    def flush() -> int:
        if key:
            ids = [n.recipient_id for n in batch]
            have = set(
                Notification.objects.filter(key=key, recipient_id__in=ids).values_list(
                    "recipient_id", flat=True
                )
            )
            batch[:] = [n for n in batch if n.recipient_id not in have]
        # One made meanwhile by another job loses quietly to the unique constraint.
        Notification.objects.bulk_create(batch, ignore_conflicts=True)
        return len(batch)

    for recipient_id, params in recipients:
        batch.append(
            Notification(
                recipient_id=recipient_id,
                kind=kind,
                params=params,
                key=key,
                sent_by=sent_by,
                created_at=now,
            )
        )
        if len(batch) >= BATCH_SIZE:
            sent += flush()
            batch = []
    if batch:
        sent += flush()
    return sent


def unread(user: User):
    """The member's unread notifications, newest first."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def mark_read(ids: list[int]) -> None:
    Notification.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())
