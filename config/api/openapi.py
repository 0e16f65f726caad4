"""The OpenAPI document tells the truth about failures, not only successes.

``AutoSchema`` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds the one error body of
DESIGN.md (component ``Error``) to every operation, for each status the API can answer
there, by these rules:

=====  ==========================================================================
400    the operation takes a body or query parameters, or writes (validation,
       domain rules)
401    always: a bad or expired bearer token is refused even where anonymous
       callers are welcome
403    writes (CSRF for session callers, roles), and reads not open to everyone
404    the path names an object (strangers get 404, never 403), or the list is
       paginated (a page past the last)
413    the operation takes a body (over DATA_UPLOAD_MAX_MEMORY_SIZE)
415    the operation takes a body (a content type it does not parse)
429    always: every endpoint is throttled (``Retry-After`` says when to retry)
=====  ==========================================================================

An operation adds the statuses these rules cannot know (409 where the object's state can
refuse a write, 502/504 from the AI service, 404 for a missing profile) with the
``@error_statuses(409)`` decorator on the view method (or ``error_statuses`` on the view
for all its operations); a status an operation declares itself is never replaced.

Two more truths the generator cannot infer from serializers:

* a read-only string with a format (``uri``, ``email``) whose model field may be blank
  is documented as ``oneOf: [{format}, {maxLength: 0}]`` (``repository_url``, ``github``
  and an invitation's ``email`` are ``""`` when unset), as drf-spectacular already does
  for writable fields with ``allow_blank``;
* an empty choice filter (``?status=``) means "any", as django-filter reads it;
* a request serializer with ``schema_required_any_of = (("email",), ("username",))``
  documents that at least one of those groups must be sent (``anyOf`` of ``required``).
Operations are grouped in Swagger UI by the app that serves them (``API_TAGS``: accounts,
profiles, projects, agents, chat), not by the first segment of their path.

The schemathesis test (config/tests/test_api_fuzz.py) fails on any status the document
does not list, so a rule that is too narrow shows up there.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from config.api.tags import TAG_NAMES, view_tag

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The one error body of the API (DESIGN.md).",
    "properties": {
        "type": {"type": "string", "description": "Machine-readable code, e.g. `validation_error`."},
        "detail": {"type": "string", "description": "Human-readable explanation."},
        "fields": {
            "type": "object",
            "description": "Validation errors only: messages per field (nested for nested fields).",
            "additionalProperties": {"anyOf": [{"type": "array", "items": {}}, {"type": "object"}]},
        },
    },
    "required": ["type", "detail"],
}
ERROR_COMPONENT = ResolvedComponent(
    name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA
)


def sse_event_schema(*events: str, description: str) -> dict[str, Any]:
    """The schema of each event of a ``text/event-stream`` response (as OpenAPI 3.2's
    ``itemSchema``, and as schemathesis reads a 3.0 ``schema`` for event streams)."""
    return {
        "type": "object",
        "description": description,
        "properties": {
            "event": {"type": "string", "enum": list(events)},
            "data": {"type": "string", "description": "A JSON object (the frame)."},
        },
        "required": ["event", "data"],
    }


ERROR_EVENT_SCHEMA = sse_event_schema("error", description="One event `error` whose data is the error body.")
# For ``@extend_schema(responses={502: ERROR_RESPONSE})`` on views.
ERROR_RESPONSE = OpenApiResponse(response=ERROR_SCHEMA, description="Error")

ERROR_DESCRIPTIONS = {
    400: "Invalid input or a rule of the domain refused the request",
    401: "Not authenticated, or the credentials are invalid or expired",
    403: "Authenticated, but not allowed to do this",
    404: "No such object, or not visible to you",
    409: "Conflicts with the current state of the object",
    413: "The request body is too large",
    415: "Unsupported content type of the request body",
    429: "Too many requests; retry after the number of seconds in Retry-After",
    502: "The AI service failed to answer",
    503: "A service the request needs is unavailable; try again shortly",
    504: "The AI service took too long to answer",
}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
BLANKABLE_FORMATS = {"uri", "email"}


def error_statuses(*statuses: int):
    """Document more error statuses for one view method (``create``, ``post``, …)."""

    def decorate(method):
        method.error_statuses = statuses
        return method

    return decorate


def _may_be_blank(field) -> bool:
    if getattr(field, "allow_blank", False):
        return True
    # Read-only model fields lose ``allow_blank``; the model field still knows.
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    if model is None or not isinstance(field.source, str) or "." in field.source:
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except FieldDoesNotExist:
        return False


class AutoSchema(SpectacularAutoSchema):
    def get_tags(self) -> list[str]:
        tag = view_tag(self.view)
        return [tag] if tag in TAG_NAMES else super().get_tags()

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        self.registry.register_on_missing(ERROR_COMPONENT)
        responses = operation["responses"]
        for status in sorted(self.error_statuses(operation)):
            responses.setdefault(str(status), self._error_response(status))
        return operation

    def error_statuses(self, operation: dict) -> set[int]:
        """The error statuses the API can answer for ``operation`` (module docstring)."""
        parameters = operation.get("parameters", [])
        has_body = "requestBody" in operation
        has_query = any(p.get("in") == "query" for p in parameters)
        names_object = any(p.get("in") == "path" for p in parameters)
        writes = self.method not in SAFE_METHODS

        statuses = {401, 429}
        if has_body or has_query or writes:
            statuses.add(400)
        if writes or not self._open_to_everyone():
            statuses.add(403)
        if names_object or (self.method == "GET" and self._is_list_view() and self._get_paginator()):
            statuses.add(404)
        if has_body:
            statuses |= {413, 415}
        statuses |= set(getattr(self.view, "error_statuses", ()))
        statuses |= set(getattr(self._view_method(), "error_statuses", ()))
        return statuses

    def _view_method(self):
        action = getattr(self.view, "action", None) or self.method.lower()
        return getattr(self.view, action, None)

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        # drf-spectacular does this for fields with allow_blank; read-only model fields
        # lost that flag, but come back "" all the same.
        if schema.get("format") in BLANKABLE_FORMATS and "oneOf" not in schema and _may_be_blank(field):
            outer_keys = {"readOnly", "writeOnly", "nullable", "deprecated", "description", "title"}
            inner = {key: schema.pop(key) for key in list(schema) if key not in outer_keys}
            schema["oneOf"] = [inner, {"type": "string", "maxLength": 0}]

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        # django-filter reads an empty choice (``?status=``) as "any": say so.
        for parameter in parameters:
            enum = parameter.get("schema", {}).get("enum")
            if enum is not None and "" not in enum and not parameter.get("required"):
                parameter["schema"]["enum"] = [*enum, ""]
        return parameters

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        groups = getattr(serializer, "schema_required_any_of", None)
        if groups and direction == "request":
            schema["anyOf"] = [{"required": list(group)} for group in groups]
        return schema

    def _open_to_everyone(self) -> bool:
        return all(isinstance(permission, AllowAny) for permission in self.view.get_permissions())

    def _error_response(self, status: int) -> dict:
        # Errors come in every media type the view renders (an SSE endpoint answers a
        # client that asked for events with one ``error`` event carrying the error body).
        content = {
            media_type: {"schema": ERROR_COMPONENT.ref if "json" in media_type else ERROR_EVENT_SCHEMA}
            for media_type in self.map_renderers("media_type")
        }
        response: dict[str, Any] = {
            "description": ERROR_DESCRIPTIONS.get(status, "Error"),
            "content": content,
        }
        if status == 429:
            response["headers"] = {
                "Retry-After": {
                    "schema": {"type": "integer"},
                    "description": "Seconds to wait before retrying",
                }
            }
        return response
