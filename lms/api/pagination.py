"""Paging of the API's lists: `?limit=&offset=`, with a ceiling on `limit`.

DRF's LimitOffsetPagination passes any `limit` to the database, and a limit of twenty digits
cannot be bound there (500); a limit that large is never what a client needs either. Past the
ceiling a page holds `max_limit` rows and `next` leads on; past the end it is empty.
"""

from rest_framework.pagination import LimitOffsetPagination


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """The API's default paging (REST_FRAMEWORK's DEFAULT_PAGINATION_CLASS; PAGE_SIZE rows
    unless `limit` says otherwise)."""

    max_limit = 200

    def get_schema_operation_parameters(self, view) -> list[dict]:
        """The parameters as DRF documents them, with their bounds."""
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0},
        }
        for parameter in parameters:
            parameter["schema"] = {**parameter["schema"], **bounds.get(parameter["name"], {})}
        return parameters
