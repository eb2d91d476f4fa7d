"""Background jobs of the accounts app."""

from celery import shared_task

from . import credentials, tokens


@shared_task
def delete_expired_credentials() -> dict[str, int]:
    """Hourly: initial passwords left past their download time and expired API tokens go, so
    no secret waits in the database longer than it has to."""
    return {
        "password_sheets": credentials.delete_expired_sheets(),
        "api_tokens": tokens.delete_expired_api_tokens(),
    }
