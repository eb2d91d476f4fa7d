"""Events of the foundation that features react to (a lower layer does not call up).

`token_request` is sent for every request an API token authenticates — token clients (the
app, scripts) carry no session, so this is where a feature learns that such a member is
active today (quizzes: the daily-login point)."""

from django.dispatch import Signal

# sender=the authentication class, user=…, request=the Django request
token_request = Signal()
