"""The configuration check generated from the schema (lambdalint/schemas/config_check.py, issue 18).

It must be what `python -m lambdalint.schemas.build` writes now, and say what jsonschema's
Draft 7 validator says: the same errors at the same paths with the same messages, on random
configurations, under whichever jsonschema release the suite runs with (CI: 4.0.1 and the newest).
One wording is lambdalint's own: a string that must not be empty "should be non-empty", as
jsonschema 4.21 and later say; older releases say "is too short", and only that is mapped.
"""

from __future__ import annotations

import datetime
import json
import re
from importlib.metadata import version

import jsonschema
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lambdalint.config import ConfigError, _path_order, _validate
from lambdalint.schemas import build, config_check

SCHEMA = build.read_schema()
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)
# 4.21.0 changed `minLength: 1` from "is too short" to "should be non-empty"
OLD_WORDING = tuple(int(part) for part in re.findall(r"\d+", version("jsonschema"))[:2]) < (4, 21)


def test_generated_module_is_fresh():
    with open(build.CHECK_FILE, encoding="utf-8") as handle:
        assert handle.read() == build.render(SCHEMA), \
            "lambdalint/schemas/config_check.py is stale: run python -m lambdalint.schemas.build"


def jsonschema_errors(value):
    """jsonschema's errors as (path, keyword, message), the one wording difference mapped."""
    found = []
    for error in VALIDATOR.iter_errors(value):
        message = error.message
        if error.validator == "minLength" and error.validator_value == 1 and OLD_WORDING:
            assert message == f"{error.instance!r} is too short"
            message = f"{error.instance!r} should be non-empty"
        if error.validator == "additionalProperties":
            message = unordered(message)
        found.append((tuple(error.absolute_path), error.validator, message))
    return sorted(found, key=in_order)


def unordered(message):
    """An unknown-keys message with its keys as a set: jsonschema 4.0.1 lists them in set order
    (lambdalint says its own sentence for them, naming the first key by place)."""
    match = re.fullmatch(r"Additional properties are not allowed \((.*) (was|were) unexpected\)", message)
    assert match, message
    return sorted(match.group(1).split(", ")), match.group(2)


def in_order(error):
    """By path as lambdalint reports them; errors at one path by keyword and message. jsonschema drops
    a None key from a path (None is its "no step" sentinel), so errors under `{None: ..}` and `{0: ..}`
    can share a path and their order between the two validators is not meaningful."""
    path, keyword, message = error
    return _path_order(path), keyword, repr(message)


def generated_errors(value):
    found = []
    for path, keyword, message in config_check.errors(value):
        if keyword == "additionalProperties":
            message = unordered(message)
        found.append((path, keyword, message))
    return sorted(found, key=in_order)


# What a configuration loader makes of a file: YAML, TOML and INI give these, dates from TOML.
keys = st.one_of(st.text(alphabet="abcLL0123-_.*/", max_size=8), st.integers(-3, 3), st.none(), st.booleans())
leaves = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(), st.text(max_size=6),
                   st.sampled_from(["error", "warning", "info", "none", "text", "sarif", "LL2002", "", "2026-11-23",
                                    "2026-1-1", "2026-11-23\n"]),
                   st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2030, 1, 1)))
values = st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(keys, inner, max_size=3)), max_leaves=8)
known_keys = st.sampled_from(list(SCHEMA["properties"]))
configs = st.dictionaries(st.one_of(known_keys, known_keys, known_keys, keys), values, max_size=6)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(configs)
@example({"per-file-ignores": {None: [None], 0: None}})  # two keys' errors at one path
def test_same_errors_as_jsonschema(config):
    assert generated_errors(config) == jsonschema_errors(config)


@settings(max_examples=60, deadline=None)
@given(values)
def test_same_errors_as_jsonschema_on_any_document(value):
    assert generated_errors(value) == jsonschema_errors(value)


@pytest.mark.parametrize("config", [
    {},
    {"select": ["LL2", "LL6001"], "ignore": ["LL8"], "severity": {"LL2002": "warning"}, "fail-level": "none",
     "per-file-ignores": {"legacy/*.yaml": ["LL2006"]}, "parameters": {"Stage": "prod", "Size": 3, "Flag": True,
                                                                       "Subnets": ["a"]},
     "limits": {"anything": object()}, "today": "2026-11-23", "paths": ["a"], "images": {"Fn": "img.tar"},
     "rules-dir": ["r"], "artifact-roots": ["~/x"], "baseline": "b.json", "jobs": 2.0, "rule-timeout": 0.5,
     "respect-gitignore": False, "serverless-env": True, "format": "sarif"},
])
def test_valid_configurations_have_no_error(config):
    assert list(config_check.errors(config)) == []
    assert list(VALIDATOR.iter_errors(config)) == []


@pytest.mark.parametrize("config, message", [
    ({"select": [""]}, "invalid value for select.0: '' should be non-empty"),
    ({"artifact-roots": ["a", ""]}, "invalid value for artifact-roots.1: '' should be non-empty"),
    ({"jobs": -1.5}, "invalid value for jobs: -1.5 is not of type 'integer'"),
    ({"jobs": -1}, "invalid value for jobs: -1 is less than the minimum of 0"),
    ({"rule-timeout": True}, "invalid value for rule-timeout: True is not of type 'number'"),
    ({"fail-level": 1}, "invalid value for fail-level: 1 is not of type 'string'"),
    ({"format": "xml"}, "invalid value for format: 'xml' is not one of ['text', 'json', 'sarif', 'junit', 'github']"),
    ({"parameters": {"A": None}},
     "invalid value for parameters.A: None is not of type 'string', 'number', 'boolean', 'array'"),
    ({"today": "23.11.2026"}, "invalid value for today: '23.11.2026' does not match '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"),
    # YAML allows `1:` as a key; a rule ID, glob, parameter or function is named by text
    ({"severity": {1: "error"}}, "invalid value for severity: 1 is not of type 'string'"),
    ({"per-file-ignores": {None: ["LL1"]}}, "invalid value for per-file-ignores: None is not of type 'string'"),
    # keys of several types are ordered, never compared as text with numbers
    ({"severity": {"LL1": "loud", 2: "loud"}}, "invalid value for severity: 2 is not of type 'string'"),
    ({"parameters": {"B": None, "A": {}}}, "invalid value for parameters.A: {} is not of type 'string', 'number', "
                                           "'boolean', 'array'"),
    ({2: "x", "selct": []}, "unknown key 2 (known keys: " + ", ".join(sorted(SCHEMA["properties"])) + ")"),
])
def test_config_error_message(config, message):
    with pytest.raises(ConfigError) as caught:
        _validate(config, "c.yaml", lambda where: (len(where) + 1, 1))
    assert caught.value.message == message


def test_a_date_with_a_final_newline_passes_the_pattern_as_in_jsonschema():
    # `$` matches before a final newline (re.search); the date check after the schema refuses it
    assert list(config_check.errors({"today": "2026-11-23\n"})) == []
    assert list(VALIDATOR.iter_errors({"today": "2026-11-23\n"})) == []


def test_the_first_error_is_the_first_by_place():
    config = {"select": "LL1", "ignore": [""], "severity": {"b": 1, "a": 2}}
    with pytest.raises(ConfigError) as caught:
        _validate(config, "c.yaml", lambda where: (len(where) + 1, 1))
    assert caught.value.message == "invalid value for ignore.0: '' should be non-empty"
    assert caught.value.line == 3


@pytest.mark.parametrize("schema, complaint", [
    ({"type": "object", "required": ["a"]}, "keyword 'required' is not translated"),
    ({"enum": [1, "a"]}, "only text enum members are translated"),
    ({"$ref": "other.json#/x"}, "only local references are translated"),
    ({"type": "thing"}, "unknown type 'thing'"),
    ({"items": [{"type": "string"}]}, "only one schema for all items is translated"),
    ({"patternProperties": {"^a": {}}, "additionalProperties": False}, "keyword 'patternProperties'"),
])
def test_a_keyword_the_generator_does_not_translate_stops_the_build(schema, complaint):
    with pytest.raises(build.SchemaError, match=re.escape(complaint)):
        build.render(schema)


def test_the_schema_file_is_valid_draft_7():
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert json.loads(json.dumps(SCHEMA)) == SCHEMA
