"""OpenAPI schema generation hooks."""


def only_versioned_api(endpoints: list) -> list:
    """The schema documents our /api/v1/ endpoints, not Wagtail's internal admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v")]
