"""Request parsers for the API: DRF's, made safe for hostile bodies.

Every body the API reads goes through ``JSONParser`` (``DEFAULT_PARSER_CLASSES``; the API
reads JSON only):

* JSON nested deeper than ``MAX_JSON_DEPTH`` is a 400 ``parse_error`` (Python's decoder
  would otherwise raise ``RecursionError``, or hand a 900-level structure to code that
  recurses over it);
* a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413, also when it arrives
  chunked without a Content-Length (``config.request_guard`` refuses announced ones
  earlier);
* strings that no database can store (NUL characters, lone UTF-16 surrogates) are a 400
  validation error naming the top-level field that carries them, whatever the field's
  type (JSON fields, lists of names, links...). PostgreSQL would otherwise refuse them
  with a driver error, a 500.
"""

from __future__ import annotations

import codecs
from typing import Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.utils import json

from config.api.exceptions import RequestTooLarge

MAX_JSON_DEPTH = 32
NUL_MESSAGE = "Null characters are not allowed."
SURROGATE_MESSAGE = "Unpaired surrogate characters are not allowed."


def _unstorable(text: str) -> str | None:
    """Why a string cannot be stored, or None."""
    if "\x00" in text:
        return NUL_MESSAGE
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return SURROGATE_MESSAGE
    return None


def _check_value(value: Any) -> tuple[int, str | None]:
    """Depth of a parsed JSON value and the first problem with a string in it.

    Iterative, so that checking cannot itself overflow the stack."""
    deepest, problem = 0, None
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, str):
            problem = problem or _unstorable(item)
        elif isinstance(item, dict):
            for key, child in item.items():
                problem = problem or _unstorable(key)
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest, problem


def check_parsed(data: Any) -> Any:
    """Validate parsed request data (see the module docstring); returns it unchanged."""
    if isinstance(data, dict):
        fields: dict[str, list[str]] = {}
        for key, value in data.items():
            depth, problem = _check_value(value)
            if depth >= MAX_JSON_DEPTH:
                raise ParseError(f"JSON is nested deeper than {MAX_JSON_DEPTH} levels.")
            problem = _unstorable(key) or problem
            if problem:
                fields[key if not _unstorable(key) else repr(key)] = [problem]
        if fields:
            raise ValidationError(fields)
        return data
    depth, problem = _check_value(data)
    if depth > MAX_JSON_DEPTH:
        raise ParseError(f"JSON is nested deeper than {MAX_JSON_DEPTH} levels.")
    if problem:
        raise ValidationError([problem])
    return data


def _read_limited(stream) -> bytes:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(body) > limit:
        raise RequestTooLarge()
    return body


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        if stream is None:
            return None
        try:
            text = codecs.decode(_read_limited(stream), encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        parse_constant = json.strict_constant if self.strict else None
        try:
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError:
            raise ParseError(f"JSON is nested deeper than {MAX_JSON_DEPTH} levels.") from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        return check_parsed(data)
