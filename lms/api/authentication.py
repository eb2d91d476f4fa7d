"""Token authentication of the API's clients (the mobile app, scripts)."""

from rest_framework import authentication

from quizzes.daily_login import note_daily_visit


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's `Authorization: Token <key>`; a token client's first request of the day counts
    as that day's login for study points, whatever endpoint it calls. (Pages and session
    clients get the same from `DailyLoginMiddleware`; token requests carry no session.)"""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            note_daily_visit(result[0])
        return result
