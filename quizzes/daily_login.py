"""Daily-login points: awarded on a member's first authenticated visit of each day.

Sessions last 14 days, so members rarely log in; what counts is the first request of the day
(in Shanghai time). After that, every request costs one look at the session (or, for API
token clients that have no session, one cache `add`). Pages and session clients are counted by
`DailyLoginMiddleware`, token clients through the `token_request` signal the API's token
authentication sends (lms.accounts.signals).
"""

from collections.abc import Callable

from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from lms.accounts.models import User
from lms.accounts.signals import token_request
from lms.core import days

from .points import DAILY_LOGIN, award_points, point_key

SESSION_KEY = "quizzes_login_day"
SKIPPED_PREFIXES = ("/static/", "/media/", "/healthz", "/i18n/")


def note_daily_visit(user: User, session: SessionBase | None = None) -> None:
    """Award today's daily-login points unless this session (or, without one, the cache)
    says they were already counted today. The idempotency key makes the award once a day
    per member whatever the number of devices, processes or caches."""
    if not user.is_authenticated:
        return
    day = days.today().isoformat()
    if session is not None:
        if session.get(SESSION_KEY) == day:
            return
    elif not cache.add(f"quizzes:login:{user.pk}:{day}", True, timeout=26 * 3600):
        return
    award_points(user, DAILY_LOGIN, "", point_key(DAILY_LOGIN, user.pk, day))
    if session is not None:
        session[SESSION_KEY] = day


@receiver(token_request)
def _token_client_visited(sender, user: User, **kwargs) -> None:
    note_daily_visit(user)


class DailyLoginMiddleware:
    """Counts the first page a logged-in member opens each day as that day's login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(SKIPPED_PREFIXES):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                note_daily_visit(user, request.session)
        return self.get_response(request)
