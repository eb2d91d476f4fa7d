from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The versioned JSON API: URL map, token auth, schema, account and organisation endpoints."""

    name = "lms.api"
    label = "api"
    verbose_name = "API"
