"""How each kind of notification reads. A feature registers its kinds when its app is ready
(`register("course_reminder", title=…, message=…, url=…)`); the foundation stores only the kind
and its parameters, so a notification reads in the reader's language whenever it is shown and
the foundation never imports a feature."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A function of the notification (models.Notification, which reads its kind from here).
Render = Callable[[Any], str]


@dataclass(frozen=True)
class Kind:
    title: Render
    message: Render
    url: Render


_KINDS: dict[str, Kind] = {}


def _nothing(notification: Any) -> str:
    return ""


def register(
    code: str, *, title: Render, message: Render = _nothing, url: Render = _nothing
) -> None:
    """Say how notifications of `code` read: their title, text and where they lead."""
    _KINDS[code] = Kind(title, message, url)


def kind_of(code: str) -> Kind | None:
    return _KINDS.get(code)
