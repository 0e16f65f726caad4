"""The front door for input no view could serve: refused with a 4xx before any view runs,
and, under ``/api/``, every error in the one JSON body of DESIGN.md.

``RequestGuardMiddleware`` (high in ``MIDDLEWARE``, right after the request id):

* a body announced larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413 (a multipart
  upload: larger than ``UPLOAD_MAX_BODY_BYTES``, the largest picture and a margin);
* NUL characters in the path or the query string are a 400 (PostgreSQL cannot compare
  them; in the query string the error names the parameter);
* an id in the path (a URL keyword ``pk``, ``id`` or ``*_id``) beyond 64 bits names
  nothing: 404, instead of an OverflowError from the database driver;
* ``/api/`` URLs resolve with or without their trailing slash (no redirect that would
  turn a POST into a GET, no RuntimeError with DEBUG on); one that resolves neither
  way is a JSON 404 even with DEBUG on;
* under ``/api/``, an error response Django made itself (its 404/405/500 pages, the
  technical pages of DEBUG) is replaced with the JSON error body of the same status.
  Responses rendered by DRF are left alone: they already carry the body (as JSON, or
  as the browsable API's HTML page of it);
* a site page that does not exist is the site's own 404 page even with DEBUG on (where
  Django would show its technical "Page not found" listing the URL patterns): for a path
  that resolves to nothing, and for a view raising ``Http404``. A view that renders a
  404 response of its own keeps it.
"""

from __future__ import annotations

import re
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from config.api.errors import SERVER_ERROR_DETAIL, TOO_LARGE_DETAIL, error_body
from config.api.fields import MAX_ID
from config.api.parsers import NUL_MESSAGE

ID_KWARG = re.compile(r"(^|_)(pk|id)$")
DIGITS = re.compile(r"[0-9]+")

ERROR_TYPES = {
    400: ("bad_request", "Bad request."),
    401: ("not_authenticated", "Authentication credentials were not provided."),
    403: ("permission_denied", "You do not have permission to do this."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "Method not allowed."),
    413: ("request_too_large", TOO_LARGE_DETAIL),
    500: ("server_error", SERVER_ERROR_DETAIL),
}
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def id_out_of_range(name: str, value) -> bool:
    """True for a path id (by its keyword) that no 64-bit primary key can equal."""
    if not ID_KWARG.search(str(name)):
        return False
    if isinstance(value, int):
        return not 0 <= value <= MAX_ID
    return isinstance(value, str) and DIGITS.fullmatch(value) is not None and int(value) > MAX_ID


def error_response(request: HttpRequest, status: int, fields: dict | None = None) -> HttpResponse:
    """The error for ``status``: the JSON body under /api/, the site's page elsewhere."""
    type_, detail = ERROR_TYPES.get(status, ("error", HTTPStatus(status).phrase + "."))
    if is_api(request):
        if fields:
            type_, detail = "validation_error", "Some fields are invalid."
        return JsonResponse(error_body(type_, detail, fields), status=status)
    template = f"{status}.html" if status in (400, 403, 404, 413) else "400.html"
    return render(request, template, status=status)


def _body_too_large(request: HttpRequest) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if request.content_type == "multipart/form-data":
        limit = settings.UPLOAD_MAX_BODY_BYTES  # the largest picture, and a margin
    if limit is None:
        return False
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return False


def _query_nul_fields(request: HttpRequest) -> dict[str, list[str]]:
    return {
        key.replace("\x00", "\\x00"): [NUL_MESSAGE]
        for key, values in request.GET.lists()
        if "\x00" in key or any("\x00" in value for value in values)
    }


def _resolves(request: HttpRequest) -> bool:
    try:
        resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return True


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._refusal(request)
        if response is None:
            response = self.get_response(request)
        if is_api(request) and response.status_code >= 400 and not hasattr(response, "accepted_renderer"):
            response = self._as_json(request, response)
        elif (
            settings.DEBUG and response.status_code == 404 and not is_api(request) and not _resolves(request)
        ):
            response = error_response(request, 404)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404) and settings.DEBUG:
            return error_response(request, 404)
        return None

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        if _body_too_large(request):
            return error_response(request, 413)
        if "\x00" in request.path_info:
            return error_response(request, 400)
        try:
            fields = _query_nul_fields(request)
        except TooManyFieldsSent:
            return error_response(request, 400)
        if fields:
            return error_response(request, 400, fields)
        if is_api(request):
            return self._route_api(request)
        return None

    def _route_api(self, request: HttpRequest) -> HttpResponse | None:
        urlconf = getattr(request, "urlconf", None)
        path = request.path_info
        for candidate in (path, path[:-1] if path.endswith("/") else path + "/"):
            try:
                resolve(candidate, urlconf)
            except Resolver404:
                continue
            if candidate != path:
                # Rewritten in place: the client's method and body reach the view.
                prefix = request.path[: len(request.path) - len(path)]
                request.path_info, request.path = candidate, prefix + candidate
            return None
        return error_response(request, 404)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if any(id_out_of_range(name, value) for name, value in view_kwargs.items()):
            return error_response(request, 404)
        return None

    def _as_json(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        content_type = response.get("Content-Type", "")
        if content_type.startswith("application/json") or content_type.startswith("text/event-stream"):
            return response
        replacement = error_response(request, response.status_code)
        for header in KEPT_HEADERS:
            if response.has_header(header):
                replacement[header] = response[header]
        return replacement
