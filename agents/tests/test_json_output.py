"""Reading, validating and repairing a model's JSON."""

import pytest

from agents.llm.json_output import extract_json, minimal_instance, parse_json_output, schema_validator


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1}',
        '  ```json\n{"a": 1}\n```  ',
        '```\n{"a": 1}\n```',
        'Here you go: {"a": 1} Hope it helps.',
    ],
)
def test_extract_json_tolerates_what_models_wrap_around_it(text):
    assert extract_json(text) == {"a": 1}


def test_extract_json_reports_where_it_is_broken():
    with pytest.raises(ValueError, match="line 1"):
        extract_json('{"a": ')


def test_parse_json_output_lists_problems_with_their_path():
    validator = schema_validator(
        {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "integer"}}}}
    )
    value, problems = parse_json_output('{"items": [1, "two"]}', validator=validator)
    assert value == {"items": [1, "two"]}
    assert problems == ["at $.items[1]: 'two' is not of type 'integer'"]


def test_a_broken_schema_is_a_programming_error():
    with pytest.raises(ValueError, match="Invalid JSON schema"):
        schema_validator({"type": "no-such-type"})


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "object", "required": ["n"], "properties": {"n": {"type": "number", "exclusiveMinimum": 0}}},
        {"type": ["string", "null"], "minLength": 2},
        {"const": "fixed"},
        {"anyOf": [{"type": "integer", "minimum": 5}, {"type": "string"}]},
        {
            "allOf": [
                {"type": "object", "required": ["a"], "properties": {"a": {"type": "boolean"}}},
                {"required": ["b"], "properties": {"b": {"type": "array", "minItems": 2}}},
            ]
        },
    ],
)
def test_minimal_instance_validates(schema):
    instance = minimal_instance(schema)
    assert list(schema_validator(schema).iter_errors(instance)) == []
