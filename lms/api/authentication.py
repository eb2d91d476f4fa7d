"""Token authentication of the API's clients (the mobile app, scripts)."""

from knox import auth

from quizzes.daily_login import note_daily_visit


class TokenAuthentication(auth.TokenAuthentication):
    """django-rest-knox's `Authorization: Token <key>` (hashed, expiring tokens, one per
    client: `lms.accounts.tokens`); a token client's first request of the day counts as that
    day's login for study points, whatever endpoint it calls. (Pages and session clients get
    the same from `DailyLoginMiddleware`; token requests carry no session.)"""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            note_daily_visit(result[0])
        return result
