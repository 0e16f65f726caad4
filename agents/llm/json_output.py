"""Structured output: asking for JSON, reading it back, validating, repairing.

Providers share these pieces: the instructions that ask a model for JSON matching a
schema, a tolerant reader for what models actually send (code fences, prose around the
object), validation with ``jsonschema``, the one repair turn, and a minimal valid
instance for when no model is configured.
"""

import json
import re
from collections.abc import Sequence
from typing import Any

from jsonschema import validators
from jsonschema.exceptions import SchemaError

from .base import Message

MAX_REPORTED_PROBLEMS = 8

_FENCE = re.compile(r"^```[a-zA-Z0-9_-]*\s*\n?(?P<body>.*?)\n?```\s*$", re.DOTALL)


def schema_validator(schema: dict[str, Any]) -> Any:
    """A validator for ``schema``; a broken schema is a programming error (ValueError)."""
    cls = validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except SchemaError as exc:
        raise ValueError(f"Invalid JSON schema: {exc.message}") from exc
    return cls(schema)


def json_instructions(schema: dict[str, Any], *, schema_name: str) -> str:
    """The system instruction asking for one JSON value that validates against ``schema``."""
    return (
        f"Answer with a single JSON value named {schema_name!r} that validates against this JSON "
        "schema. Output only the JSON: no explanation, no Markdown code fence.\n"
        f"Schema:\n{json.dumps(schema, separators=(',', ':'), sort_keys=True)}"
    )


def parse_json_output(text: str, *, validator: Any) -> tuple[Any, list[str]]:
    """``(value, problems)`` read from a model's reply; ``problems`` is empty when it validates."""
    try:
        value = extract_json(text)
    except ValueError as exc:
        return None, [f"The reply is not valid JSON: {exc}"]
    problems = [_describe(error) for error in validator.iter_errors(value)]
    problems.sort()
    return value, problems[:MAX_REPORTED_PROBLEMS]


def extract_json(text: str) -> Any:
    """The JSON value in ``text``, tolerating a code fence or prose around one object/array."""
    stripped = text.strip()
    fenced = _FENCE.match(stripped)
    if fenced:
        stripped = fenced.group("body").strip()
    try:
        return json.loads(stripped)
    except json.JSONDecodeError as first_error:
        starts = [i for i in (stripped.find("{"), stripped.find("[")) if i >= 0]
        if starts:
            start = min(starts)
            end = max(stripped.rfind("}"), stripped.rfind("]"))
            if end > start:
                try:
                    return json.loads(stripped[start : end + 1])
                except json.JSONDecodeError:
                    pass
        where = f"line {first_error.lineno}, column {first_error.colno}"
        raise ValueError(f"{first_error.msg} ({where})") from None


def repair_messages(messages: Sequence[Message], *, bad_output: str, problems: list[str]) -> list[Message]:
    """The conversation for the one repair attempt: the bad reply and what is wrong with it."""
    listed = "\n".join(f"- {p}" for p in problems)
    return [
        *messages,
        {"role": "assistant", "content": bad_output},
        {
            "role": "user",
            "content": (
                "That reply does not validate against the schema:\n"
                f"{listed}\n"
                "Reply again with only the corrected JSON value."
            ),
        },
    ]


def _describe(error: Any) -> str:
    path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return f"at {path}: {error.message}"


def minimal_instance(schema: dict[str, Any], *, root: dict[str, Any] | None = None) -> Any:
    """A small value that satisfies ``schema`` (required properties only, minimum sizes).

    Covers the keywords structured-output schemas use: type, properties/required, items,
    minItems, enum, const, default, minimum/exclusiveMinimum, minLength, anyOf/oneOf/allOf
    and local ``$ref`` (``#/$defs/...``). Callers validate the result; anything exotic
    should come from an ``offline_result`` builder instead.
    """
    root = root if root is not None else schema
    if "$ref" in schema:
        return minimal_instance(_resolve_ref(root, schema["$ref"]), root=root)
    if "const" in schema:
        return schema["const"]
    if "default" in schema:
        return schema["default"]
    if schema.get("enum"):
        return schema["enum"][0]
    for keyword in ("anyOf", "oneOf"):
        if schema.get(keyword):
            return minimal_instance(schema[keyword][0], root=root)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged = _merge(merged, _resolve_ref(root, part["$ref"]) if "$ref" in part else part)
        return minimal_instance(_merge(merged, {k: v for k, v in schema.items() if k != "allOf"}), root=root)

    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), kind[0] if kind else None)
    if kind is None:
        kind = "object" if "properties" in schema else "array" if "items" in schema else "null"

    if kind == "object":
        properties = schema.get("properties", {})
        return {
            name: minimal_instance(properties.get(name, {}), root=root) for name in schema.get("required", [])
        }
    if kind == "array":
        items = schema.get("items")
        item_schema: dict[str, Any] = items if isinstance(items, dict) else {}
        return [minimal_instance(item_schema, root=root) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        return "-" * max(1, schema.get("minLength", 0)) if schema.get("minLength") else ""
    if kind in ("integer", "number"):
        if "minimum" in schema:
            value = schema["minimum"]
        elif "exclusiveMinimum" in schema:
            value = schema["exclusiveMinimum"] + 1
        else:
            value = 0
        return int(value) if kind == "integer" else value
    if kind == "boolean":
        return False
    return None


def _resolve_ref(root: dict[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise ValueError(f"Only local $ref are supported, not {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _merge(left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    merged = {**left, **right}
    if "properties" in left or "properties" in right:
        merged["properties"] = {**left.get("properties", {}), **right.get("properties", {})}
    if "required" in left or "required" in right:
        merged["required"] = list(dict.fromkeys([*left.get("required", []), *right.get("required", [])]))
    return merged
