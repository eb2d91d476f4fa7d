from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The versioned JSON API: URL map, token auth, schema, account and organisation endpoints."""

    name = "lms.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from . import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
