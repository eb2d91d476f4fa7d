"""Query parameters of the API, checked like a request body: each view that reads some names
them in a serializer and calls `validated_query`, so a bad value is a 400 naming the
parameter and the reason, never a 500 from a query the database cannot run."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.request import Request

from lms.core.converters import MAX_DATABASE_ID


class DatabaseIdField(serializers.IntegerField):
    """A row's id given as a parameter: a whole number that fits the database's id columns
    (`99999999999999999999` would make the query fail)."""

    default_error_messages = {
        "invalid": _("Give an id: a whole number."),
        "max_string_length": _("This is not an id of anything here."),
        "min_value": _("This is not an id of anything here."),
        "max_value": _("This is not an id of anything here."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_DATABASE_ID)
        super().__init__(**kwargs)


def validated_query(request: Request, serializer_class: type[serializers.Serializer]) -> dict:
    """The request's query parameters as `serializer_class` reads them; a ValidationError
    (400, `{"parameter": ["reason"]}`) when one is wrong."""
    form = serializer_class(data=request.query_params)
    form.is_valid(raise_exception=True)
    return form.validated_data
