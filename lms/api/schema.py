"""OpenAPI schema generation hooks and extensions."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme


def only_versioned_api(endpoints: list) -> list:
    """The schema documents our /api/v1/ endpoints, not Wagtail's internal admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v")]


class TokenScheme(KnoxTokenScheme):
    """drf-spectacular knows knox's authentication class, not our subclass of it: the
    `Authorization: Token <key>` header, under the name the schema has always used."""

    target_class = "lms.api.authentication.TokenAuthentication"
    name = "tokenAuth"
