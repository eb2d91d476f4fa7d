"""The URL converter for database ids, `<id:…>`, used by every URL of the site and the API
that names a row by its id.

Django's `<int:…>` accepts any number of digits, and a number past what the database stores
makes the query itself fail (SQLite cannot bind it; an id compared through a foreign key is
not range-checked by Django), so `/api/v1/courses/99999999999999999999/` answered 500. An id
that no row can have does not name a page: this converter refuses it and the URL is not
found (404), before any view or query runs. Registered once, by lms.core's AppConfig.
"""

# The widest id column the platform has: BigAutoField (DEFAULT_AUTO_FIELD), a signed 64-bit
# integer on SQLite and PostgreSQL. Narrower columns (Wagtail's page ids) compare fine with it.
MAX_DATABASE_ID = 2**63 - 1


def is_database_id(value: int) -> bool:
    """Whether some row could have this id."""
    return 0 < value <= MAX_DATABASE_ID


def database_id(text: str) -> int | None:
    """A query parameter of a page read as a row's id (`?topic=3`), or None when it cannot be
    one: not ASCII digits (`str.isdigit` also takes "²", which `int` refuses) or out of range.
    The API reads its parameters with `lms.api.query.DatabaseIdField` instead."""
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if is_database_id(value) else None


class DatabaseIdConverter:
    """Digits that fit a database id; anything longer does not match the URL."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not is_database_id(number):
            raise ValueError(value)  # Django reads this as "the URL does not match"
        return number

    def to_url(self, value: int) -> str:
        return str(value)
