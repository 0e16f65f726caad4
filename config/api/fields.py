"""Serializer fields shared by every app's API."""

from rest_framework import serializers

# The largest primary key there can be: BigAutoField is a signed 64-bit integer on
# PostgreSQL and SQLite alike. A larger number names nothing, and binding it in a query
# is an error of the database driver (OverflowError on SQLite), so it never gets that far.
MAX_ID = 2**63 - 1


def is_id(value) -> bool:
    """True for an int that can be a primary key (not a bool, a float or a string)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


class IdField(serializers.IntegerField):
    """The id of a row: a whole number from 1 to ``MAX_ID`` (a field error otherwise)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
