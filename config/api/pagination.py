"""Pagination of every API list.

DRF silently falls back to the default for a ``page_size`` it cannot use (``0``, ``-1``,
``abc``) and clamps one above the maximum; here such a value is a 400 validation error
naming ``page_size``, so a client learns that it did not get what it asked for. The
same goes for a ``page`` that is not a positive integer (or ``last``). A page past the
end is DRF's 404 ``not_found`` ("Invalid page."), and a cursor that was not handed out
by the server is DRF's 404 ``not_found`` ("Invalid cursor.").
"""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError


def _positive_int_param(request, name: str, *, maximum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw.strip()) if raw.strip().isascii() else None
    except ValueError:
        value = None
    if value is None or value < 1:
        raise ValidationError({name: ["Enter a whole number of 1 or more."]})
    if maximum is not None and value > maximum:
        raise ValidationError({name: [f"Ensure this value is less than or equal to {maximum}."]})
    return value


class StrictPageSizeMixin:
    page_size: int | None
    page_size_query_param: str | None
    max_page_size: int | None

    def get_page_size(self, request):
        if self.page_size_query_param:
            value = _positive_int_param(request, self.page_size_query_param, maximum=self.max_page_size)
            if value is not None:
                return value
        return self.page_size

    def get_schema_operation_parameters(self, view):
        """The document states the bounds that ``get_page_size`` (and the page number) enforce."""
        parameters = super().get_schema_operation_parameters(view)  # type: ignore[misc]
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
            elif parameter["name"] == getattr(self, "page_query_param", None):
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters


class PageNumberPagination(StrictPageSizeMixin, pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (1 to 100); the body carries `count`."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and raw not in self.last_page_strings:
            return _positive_int_param(request, self.page_query_param)
        return super().get_page_number(request, paginator)


class CursorPagination(StrictPageSizeMixin, pagination.CursorPagination):
    """`?cursor=` for long, append-only lists (messages); no count."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-created_at"
