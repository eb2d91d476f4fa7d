"""Template helpers for quiz blocks and points widgets."""

from django import template

from .. import points, services
from ..models import Quiz

register = template.Library()


@register.simple_tag(takes_context=True)
def quiz_state(context, quiz: Quiz) -> services.QuizState | None:
    """The member's attempts at `quiz` (used, left, best, in progress)."""
    user = context["request"].user
    if not user.is_authenticated:
        return None
    return services.quiz_state(user, quiz)


@register.simple_tag(takes_context=True)
def todays_points(context) -> dict:
    """Today's points of the member, per rule and in all, against the daily caps."""
    user = context["request"].user
    rules = points.todays_progress(user)
    return {
        "rules": rules,
        "earned": sum(r["points"] for r in rules),
        "cap": sum(r["daily_cap"] for r in rules),
    }


@register.filter
def option_letter(index: int) -> str:
    """0 → A, 1 → B … (options are labelled as on paper)."""
    return chr(ord("A") + int(index)) if 0 <= int(index) < 26 else str(index)


@register.filter
def percent(part: int, whole: int) -> int:
    """Share of `whole` in whole percent, capped at 100 (for progress bars)."""
    if not whole:
        return 0
    return max(0, min(100, round(100 * part / whole)))
