"""Row locks for rules that read, decide and write one row at a time (heartbeats, completion,
study days): the row is created on first use, and concurrent first writers do not fail."""

from typing import TypeVar

from django.db import IntegrityError, models, transaction

ModelT = TypeVar("ModelT", bound=models.Model)


def lock_or_create(model: type[ModelT], **keys: object) -> ModelT:
    """The row of `model` with `keys`, created if missing, locked for update (call inside a
    transaction). Concurrent first writers race on the unique constraint; the loser reads the
    winner's row. Through the model's default manager, the manager Django itself uses for
    generic code (`objects` on every model locked here)."""
    manager = model._default_manager
    row = manager.select_for_update().filter(**keys).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            manager.create(**keys)
    except IntegrityError:
        pass
    return manager.select_for_update().get(**keys)
