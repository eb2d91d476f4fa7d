"""Grading on the server what the server can grade: the platform's own QuickCheck.

An H5P content type grades itself in the member's browser and reports the score in its xAPI
statement, so a member who writes the statement by hand can claim any score. For
`PartyMooc.QuickCheck` the server knows the right answer (the package's content.json) and the
statement says which answer was chosen (`result.response`, the xAPI "choice" interaction:
the answer's index), so the score, success and completion rule use the server's grade and
the stored statement carries it. Third-party content types stay client-graded; the README
says what that leaves open.
"""

import dataclasses
import json
import re

from django.utils.translation import gettext as _

from .content_types import QUICK_CHECK
from .models import H5PPackage
from .storage import ensure_unpacked
from .validation import PackageError
from .xapi import CleanStatement, StatementError

ANSWER_INDEX = re.compile(r"^(0|[1-9][0-9]{0,3})$")
RESULT_KEYS = ("score", "success", "completion", "response")


def _answer_key(package: H5PPackage) -> tuple[int, int]:
    """(index of the right answer, number of answers) from the package's content."""
    try:
        content = json.loads(
            (ensure_unpacked(package) / "content" / "content.json").read_text("utf-8")
        )
        return int(content["correct"]), len(content["answers"])
    except (OSError, PackageError, ValueError, KeyError, TypeError):
        raise StatementError(
            _("The activity's content cannot be read just now; try again later."), status=503
        ) from None


def _is_right(response: object, correct: int, answers: int) -> bool:
    if not isinstance(response, str) or not ANSWER_INDEX.match(response):
        return False
    chosen = int(response)
    return chosen < answers and chosen == correct


def graded_on_server(package: H5PPackage, clean: CleanStatement) -> CleanStatement:
    """The statement with the server's grade where the server can grade it, else unchanged.

    A QuickCheck answer that is missing, not one of the answers or not the right one scores
    0; the right one scores 1, whatever the statement claimed.
    """
    if package.main_library.split(" ", 1)[0] != QUICK_CHECK or clean.subcontent_id:
        return clean
    result = clean.statement.get("result")
    if not isinstance(result, dict) or not any(key in result for key in RESULT_KEYS):
        return clean
    correct, answers = _answer_key(package)
    right = _is_right(result.get("response"), correct, answers)
    points = 1 if right else 0
    statement = {
        **clean.statement,
        "result": {
            **result,
            "score": {"raw": points, "min": 0, "max": 1, "scaled": points},
            "success": right,
        },
    }
    return dataclasses.replace(
        clean, statement=statement, score_scaled=float(points), success=right
    )
