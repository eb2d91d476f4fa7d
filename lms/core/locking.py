"""Row locks for rules that read, decide and write one row at a time (heartbeats, completion,
study days): the row is created on first use, and concurrent first writers do not fail."""

from typing import TypeVar

from django.db import IntegrityError, models, transaction

ModelT = TypeVar("ModelT", bound=models.Model)


def lock_or_create(model: type[ModelT], **keys) -> ModelT:
    """The row of `model` with `keys`, created if missing, locked for update (call inside a
    transaction). Concurrent first writers race on the unique constraint; the loser reads the
    winner's row."""
    row = model.objects.select_for_update().filter(**keys).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            model.objects.create(**keys)
    except IntegrityError:
        pass
    return model.objects.select_for_update().get(**keys)
