"""API tokens: issuing one per client of a user, and ending them.

django-rest-knox does the cryptography (random key, SHA-512 digest stored instead of the key,
expiry); this module holds the platform's rules around it: one token per named client, a new
login from that client replaces its token, a logout ends only the caller's. A changed password
or a deactivation ends all of a user's tokens in the model itself (`User.save`).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .models import ApiToken, User


def issue_api_token(user: User, client: str = "") -> tuple[ApiToken, str]:
    """A new token for `user` on `client` and its key (shown once, never stored); that
    client's previous token ends."""
    with transaction.atomic():
        # One login at a time per user, so two at once from one client cannot both insert.
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        ApiToken.objects.filter(user=user, client=client).delete()
        return ApiToken.objects.create(user=user, client=client)


def revoke_api_token(token: ApiToken) -> None:
    """End one token (a logout from its client)."""
    token.delete()


def delete_expired_api_tokens(now: dt.datetime | None = None) -> int:
    """Delete the tokens past their expiry (knox deletes them too, but only when used)."""
    deleted, _by_model = ApiToken.objects.filter(expiry__lt=now or timezone.now()).delete()
    return deleted
