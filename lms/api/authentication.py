"""Token authentication of the API's clients (the mobile app, scripts)."""

from knox import auth

from lms.accounts.signals import token_request


class TokenAuthentication(auth.TokenAuthentication):
    """django-rest-knox's `Authorization: Token <key>` (hashed, expiring tokens, one per
    client: `lms.accounts.tokens`). Each request it authenticates sends `token_request`, so
    features can tell the member is active (quizzes counts the first of the day as that day's
    login, as `DailyLoginMiddleware` does for pages; token requests carry no session)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            token_request.send(sender=type(self), user=result[0], request=request)
        return result
