"""Checking an xAPI statement a member's browser sends before it is stored.

The statement comes from third-party content running in the member's browser, so nothing in
it is trusted: its shape is checked, it must be about the package it is posted for, and it
may not speak for anyone but the logged-in member (the actor is always set by the server).
"""

import math
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from lms.accounts.models import User

# "scheme:rest" — enough to tell an IRI from a word or a number.
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
MAX_IRI_LENGTH = 1000
SUBCONTENT_PREFIX = "?subContentId="
# Set by the Learning Record Store, never by the activity.
SERVER_FIELDS = ("authority", "stored", "version")


class StatementError(ValueError):
    """A statement refused; `args[0]` says why in the member's language; `status` is the HTTP
    status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class CleanStatement:
    statement_id: uuid.UUID
    verb: str
    object_iri: str
    subcontent_id: str
    completion: bool | None
    success: bool | None
    score_scaled: float | None
    statement: dict


def member_actor(user: User, home_page: str) -> dict:
    """The xAPI actor that stands for a member: an account on this site named by the user id
    (no name or e-mail: statements carry no personal data)."""
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": str(user.pk)}}


def _iri(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_IRI_LENGTH and bool(IRI.match(value))


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_actor(actor: Any, user: User) -> None:
    if not isinstance(actor, dict):
        raise StatementError(_("The statement's actor is not an xAPI agent."))
    if any(key in actor for key in ("mbox", "mbox_sha1sum", "openid", "member")):
        raise StatementError(_("The statement names someone other than you."), status=403)
    account = actor.get("account")
    if not isinstance(account, dict) or account.get("name") != str(user.pk):
        raise StatementError(_("The statement names someone other than you."), status=403)


def _score_scaled(score: Any) -> float | None:
    if score is None:
        return None
    if not isinstance(score, dict) or not all(_number(v) for v in score.values()):
        raise StatementError(_("The statement's score is not made of numbers."))
    scaled = score.get("scaled")
    if scaled is not None:
        if not -1 <= scaled <= 1:
            raise StatementError(_("The statement's scaled score is outside -1 to 1."))
        return float(scaled)
    raw, maximum = score.get("raw"), score.get("max")
    if raw is not None and maximum:
        if not 0 <= raw <= maximum:
            raise StatementError(_("The statement's score is outside its range."))
        return raw / maximum
    return None


def _optional_bool(result: dict, key: str) -> bool | None:
    value = result.get(key)
    if value is not None and not isinstance(value, bool):
        raise StatementError(_("The statement's result is malformed."))
    return value


def clean_statement(raw: Any, *, user: User, object_iri: str, home_page: str) -> CleanStatement:
    """Check a statement posted for the package whose xAPI id is `object_iri`; raise
    StatementError with the reason when it is refused."""
    if not isinstance(raw, dict):
        raise StatementError(_("An xAPI statement must be a JSON object."))
    statement = {key: value for key, value in raw.items() if key not in SERVER_FIELDS}

    raw_id = statement.get("id")
    if raw_id is None:
        statement_id = uuid.uuid4()
    else:
        try:
            statement_id = uuid.UUID(str(raw_id))
        except ValueError:
            raise StatementError(_("The statement's id is not a UUID.")) from None
    statement["id"] = str(statement_id)

    if "actor" in statement:
        _check_actor(statement["actor"], user)
    statement["actor"] = member_actor(user, home_page)

    verb = statement.get("verb")
    if not isinstance(verb, dict) or not _iri(verb.get("id")):
        raise StatementError(_("The statement has no valid verb."))

    activity = statement.get("object")
    if not isinstance(activity, dict) or not _iri(activity.get("id")):
        raise StatementError(_("The statement has no valid object."))
    if activity.get("objectType", "Activity") != "Activity":
        raise StatementError(_("The statement's object is not an activity."))
    activity_id = activity["id"]
    subcontent_id = ""
    if activity_id != object_iri:
        if not activity_id.startswith(object_iri + SUBCONTENT_PREFIX):
            raise StatementError(_("The statement is not about this H5P activity."), status=403)
        subcontent_id = activity_id[len(object_iri + SUBCONTENT_PREFIX) :]
        if not subcontent_id or len(subcontent_id) > 100:
            raise StatementError(_("The statement's sub-content id is malformed."))

    result = statement.get("result", {})
    if not isinstance(result, dict):
        raise StatementError(_("The statement's result is malformed."))

    return CleanStatement(
        statement_id=statement_id,
        verb=verb["id"],
        object_iri=activity_id,
        subcontent_id=subcontent_id,
        completion=_optional_bool(result, "completion"),
        success=_optional_bool(result, "success"),
        score_scaled=_score_scaled(result.get("score")),
        statement=statement,
    )
