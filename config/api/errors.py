"""One error body for the whole API (DESIGN.md):

    {"type": "<machine code>", "detail": "<human text>", "fields": {<field>: [<messages>]}}

``fields`` appears only for validation errors. Every failure goes through here:
DRF's own exceptions, Django's Http404/PermissionDenied/ValidationError, the domain
errors services raise, and anything unexpected (a 500 that never leaks a traceback).
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import set_rollback

from config.api.exceptions import TOO_LARGE_DETAIL, BadRequest, RequestTooLarge
from config.errors import DomainError

__all__ = ["TOO_LARGE_DETAIL", "api_exception_handler", "error_body", "json_error_response"]

logger = logging.getLogger(__name__)

SERVER_ERROR_DETAIL = "Something went wrong on our side. It has been logged; please try again."


def error_body(type_: str, detail: str, fields: dict | None = None) -> dict:
    body: dict = {"type": type_, "detail": detail}
    if fields:
        body["fields"] = fields
    return body


def _flatten(messages) -> list[str]:
    if isinstance(messages, dict):
        return [f"{key}: {msg}" for key, value in messages.items() for msg in _flatten(value)]
    if isinstance(messages, list):
        return [msg for item in messages for msg in _flatten(item)]
    return [str(messages)]


def _validation_body(exc: exceptions.ValidationError) -> dict:
    detail = exc.detail
    if isinstance(detail, dict):
        fields = {key: value if isinstance(value, (list, dict)) else [value] for key, value in detail.items()}
        non_field = fields.get("non_field_errors")
        human = _flatten(non_field)[0] if non_field else "Some fields are invalid."
        return error_body("validation_error", human, fields)
    messages = _flatten(detail)
    return error_body("validation_error", " ".join(messages) or "Invalid input.")


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        set_rollback()
        body = error_body(exc.type, exc.detail, exc.fields)
        return Response(body, status=exc.status_code, headers=exc.headers)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        exc = BadRequest()

    if isinstance(exc, exceptions.APIException):
        set_rollback()
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(int(exc.wait))
        if isinstance(exc, exceptions.ValidationError):
            body = _validation_body(exc)
        else:
            detail = exc.detail
            code = getattr(detail, "code", None) or exc.default_code
            if isinstance(detail, dict):  # e.g. simplejwt's {"detail", "code", "messages"}
                code = str(detail.get("code", code))
                detail = detail.get("detail", exc.default_detail)
            body = error_body(str(code), " ".join(_flatten(detail)))
        return Response(body, status=exc.status_code, headers=headers)

    # JSON even with DEBUG on: API clients parse the body; the traceback is in the log.
    set_rollback()
    request = context.get("request")
    logger.error(
        "Unhandled API error on %s %s",
        getattr(request, "method", "?"),
        getattr(request, "path", "?"),
        exc_info=exc,
    )
    return Response(
        error_body("server_error", SERVER_ERROR_DETAIL),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def json_error_response(type_: str, detail: str, status_code: int) -> JsonResponse:
    return JsonResponse(error_body(type_, detail), status=status_code)
