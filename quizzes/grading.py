"""Grading one answer: pure functions, no database, used by `services.submit_attempt`."""

from typing import Any

from django.utils.translation import gettext as _

from .models import Question, normalise_text


class AnswerError(ValueError):
    """An answer that does not fit its question (an option of another question, a list for a
    fill-in-the-blank …). The message says why, in the member's language."""


def clean_answer(question: Question, option_ids: list[int], raw: Any) -> list[int] | str:
    """The answer in its canonical form: sorted option ids for choice questions (only ids of
    options the member was shown), the text for fill in the blank."""
    if question.type == Question.Type.FILL_BLANK:
        if isinstance(raw, list) and len(raw) == 1 and isinstance(raw[0], str):
            raw = raw[0]
        if not isinstance(raw, str):
            raise AnswerError(_("The answer to a fill-in-the-blank question is text."))
        if len(raw) > 500:
            raise AnswerError(_("The answer is too long."))
        return raw
    if isinstance(raw, int | str) and not isinstance(raw, bool):
        raw = [raw]
    if not isinstance(raw, list) or len(raw) > len(option_ids):
        raise AnswerError(_("Choose options of the question."))
    chosen = set()
    for value in raw:
        # Option ids are integers, or digit strings from an HTML form; not true, 1.5 or "1e3".
        text = value.strip() if isinstance(value, str) else ""
        if text.isascii() and text.isdigit() and len(text) <= 18:
            option = int(text)
        elif isinstance(value, int) and not isinstance(value, bool):
            option = value
        else:
            raise AnswerError(_("Choose options of the question."))
        if option not in option_ids:
            raise AnswerError(
                _("Option %(option)s is not one of this question's options.")
                % {"option": str(value)[:20]}
            )
        chosen.add(option)
    if question.type != Question.Type.MULTIPLE and len(chosen) > 1:
        raise AnswerError(_("Choose only one option for this question."))
    return sorted(chosen)


def is_correct(question: Question, correct_option_ids: set[int], answer: list[int] | str) -> bool:
    """Whether a cleaned answer is right: exactly the correct options, or a text that matches
    one accepted answer once both are normalised (NFKC, trimmed, case folded)."""
    if question.type == Question.Type.FILL_BLANK:
        given = normalise_text(answer)
        return bool(given) and any(
            given == normalise_text(accepted) for accepted in question.accepted_answer_list()
        )
    return bool(answer) and set(answer) == correct_option_ids
