"""API exceptions of the request itself (not of a domain rule: those are config.errors).

Kept apart from ``config.api.errors`` so that the parsers can raise them without
importing DRF's views (an import cycle through DRF's settings).
"""

from rest_framework import exceptions, status

TOO_LARGE_DETAIL = "The request body is too large."


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = TOO_LARGE_DETAIL
    default_code = "request_too_large"


class BadRequest(exceptions.APIException):
    """A request Django refuses as suspicious (too many fields or files, bad host...)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Bad request."
    default_code = "bad_request"
