"""Write `config_check.py` from `config.schema.json`: `python -m lambdalint.schemas.build`.

The JSON schema is the source: people edit it, and editors read it to complete a
`.lambdalint.yaml`. lambdalint checks a configuration with `config_check.py`, plain Python
generated from the schema, because importing `jsonschema` costs about 50 ms of a cold start
(issue 18), which a pre-commit hook pays on every commit. `tests/test_config_check.py` fails
when the module is stale and compares its verdicts and messages with `jsonschema`'s
Draft 7 validator on random configurations.

Only the keywords the schema uses are translated; any other keyword stops the build, so a
schema change cannot pass unchecked. Each check is the one of jsonschema's Draft 7 validator,
with its message, in the same order (the schema's keyword order; properties in the schema's
order, extra properties in the instance's, array items by index). One wording is kept where
jsonschema releases differ: a `minLength: 1` string says "should be non-empty", as jsonschema
4.21 and later say ("is too short" before).

Types are those of the values a configuration loader makes (str, int, float, bool, None,
list, dict): a number is an int or float, never a bool; an integer also a float with no
fraction (Draft 6 and later).
"""

from __future__ import annotations

import json
import os
import re
from typing import Any, Dict, List, Mapping

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_FILE = os.path.join(HERE, "config.schema.json")
CHECK_FILE = os.path.join(HERE, "config_check.py")

# Keywords that describe without constraining.
_ANNOTATIONS = {"$schema", "title", "description", "definitions", "$comment"}
_TYPE_TESTS = {
    "object": "isinstance(instance, dict)",
    "array": "isinstance(instance, list)",
    "string": "isinstance(instance, str)",
    "boolean": "isinstance(instance, bool)",
    "integer": "_is_integer(instance)",
    "number": "_is_number(instance)",
    "null": "instance is None",
}

HEADER = '''"""Generated from lambdalint/schemas/config.schema.json by `python -m lambdalint.schemas.build`: \
do not edit.

`errors(value)` yields (path, keyword, message) for each way `value` breaks the schema, as
jsonschema's Draft7Validator.iter_errors would (its absolute_path, validator and message).
"""

# fmt: off
from __future__ import annotations

import re
from typing import Any, Iterator, Tuple

Error = Tuple[Tuple[Any, ...], str, str]

# The top level's properties, in the schema's order.
TOP_LEVEL_KEYS: Tuple[str, ...] = __KEYS__


def _is_number(instance: Any) -> bool:
    return isinstance(instance, (int, float)) and not isinstance(instance, bool)


def _is_integer(instance: Any) -> bool:
    return (isinstance(instance, int) and not isinstance(instance, bool)) or (
        isinstance(instance, float) and instance.is_integer())


def _step(path: Tuple[Any, ...], key: Any) -> Tuple[Any, ...]:
    """The path to a key's value; a None key (YAML's `null:`) adds no step, as in jsonschema."""
    return path if key is None else path + (key,)


def errors(instance: Any) -> Iterator[Error]:
    """Every error of `instance` against the schema (none: it is valid)."""
    return __ROOT__(instance, ())
'''


class SchemaError(Exception):
    """The schema uses something this generator does not translate."""


class _Writer:
    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.schema = schema
        self.functions: Dict[str, List[str]] = {}

    def function(self, node: Mapping[str, Any], pointer: str) -> str:
        """The name of the function checking `node` (written once per schema node)."""
        if set(node) == {"$ref"}:
            return self.function(self.resolve(node["$ref"]), node["$ref"].lstrip("#"))
        if "$ref" in node:
            raise SchemaError(f"{pointer}: $ref with other keywords")
        name = "_check" + re.sub(r"[^0-9A-Za-z]+", "_", pointer).rstrip("_")
        if name not in self.functions:
            self.functions[name] = []  # reserved before the body: a recursive $ref ends here
            self.functions[name] = self.body(node, pointer)
        return name

    def resolve(self, reference: str) -> Mapping[str, Any]:
        if not reference.startswith("#/"):
            raise SchemaError(f"only local references are translated: {reference}")
        node: Any = self.schema
        for part in reference[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def body(self, node: Mapping[str, Any], pointer: str) -> List[str]:
        lines: List[str] = []
        for keyword, value in node.items():
            if keyword in _ANNOTATIONS:
                continue
            method = getattr(self, "keyword_" + keyword.replace("$", ""), None)
            if method is None:
                raise SchemaError(f"{pointer}: keyword {keyword!r} is not translated")
            lines += method(value, node, f"{pointer}/{keyword}")
        return lines or ["return", "yield"]

    def keyword_type(self, value: Any, node: Mapping[str, Any], pointer: str) -> List[str]:
        types = [value] if isinstance(value, str) else list(value)
        unknown = [name for name in types if name not in _TYPE_TESTS]
        if unknown:
            raise SchemaError(f"{pointer}: unknown type {unknown[0]!r}")
        test = " or ".join(_TYPE_TESTS[name] for name in types)
        test = f"({test})" if len(types) > 1 else test
        reprs = ", ".join(repr(name) for name in types)
        return [f"if not {test}:", f"    yield path, 'type', f\"{{instance!r}} is not of type {_braced(reprs)}\""]

    def keyword_enum(self, value: Any, node: Mapping[str, Any], pointer: str) -> List[str]:
        # jsonschema compares a text member by ==; a number or bool member needs its bool-aware equality
        if not all(isinstance(member, str) for member in value):
            raise SchemaError(f"{pointer}: only text enum members are translated")
        return [f"if instance not in {tuple(value)!r}:",
                f"    yield path, 'enum', f\"{{instance!r}} is not one of {_braced(repr(list(value)))}\""]

    def keyword_minLength(self, value: Any, node: Mapping[str, Any], pointer: str) -> List[str]:
        wording = "should be non-empty" if value == 1 else "is too short"
        return [f"if isinstance(instance, str) and len(instance) < {value!r}:",
                f"    yield path, 'minLength', f\"{{instance!r}} {wording}\""]

    def keyword_minimum(self, value: Any, node: Mapping[str, Any], pointer: str) -> List[str]:
        return [f"if _is_number(instance) and instance < {value!r}:",
                f"    yield path, 'minimum', f\"{{instance!r}} is less than the minimum of {_braced(repr(value))}\""]

    def keyword_pattern(self, value: Any, node: Mapping[str, Any], pointer: str) -> List[str]:
        re.compile(value)  # a broken pattern stops the build, not a run
        return [f"if isinstance(instance, str) and not re.search({value!r}, instance):",
                f"    yield path, 'pattern', f\"{{instance!r}} does not match {_braced(repr(value))}\""]

    def keyword_properties(self, value: Any, node: Mapping[str, Any], pointer: str) -> List[str]:
        lines = ["if isinstance(instance, dict):"]
        for name, subschema in value.items():
            check = self.function(subschema, f"{pointer}/{name}")
            lines += [f"    if {name!r} in instance:",
                      f"        yield from {check}(instance[{name!r}], path + ({name!r},))"]
        return lines if len(lines) > 1 else []

    def keyword_additionalProperties(self, value: Any, node: Mapping[str, Any], pointer: str) -> List[str]:
        if "patternProperties" in node:
            raise SchemaError(f"{pointer}: patternProperties is not translated")
        known = tuple(node.get("properties", {}))
        extras = f"[key for key in instance if key not in {known!r}]" if known else "list(instance)"
        lines = ["if isinstance(instance, dict):", f"    extras = {extras}"]
        if value is False:
            return lines + [
                "    if extras:",
                "        verb = 'was' if len(extras) == 1 else 'were'",
                "        listed = ', '.join(repr(extra) for extra in sorted(extras, key=str))",
                "        yield path, 'additionalProperties',"
                " f'Additional properties are not allowed ({listed} {verb} unexpected)'"]
        if value is True:
            return []
        check = self.function(value, pointer)
        return lines + ["    for extra in extras:", f"        yield from {check}(instance[extra], _step(path, extra))"]

    def keyword_propertyNames(self, value: Any, node: Mapping[str, Any], pointer: str) -> List[str]:
        check = self.function(value, pointer)  # a key's error is the mapping's: no step in the path
        return ["if isinstance(instance, dict):", "    for key in instance:", f"        yield from {check}(key, path)"]

    def keyword_items(self, value: Any, node: Mapping[str, Any], pointer: str) -> List[str]:
        if not isinstance(value, dict):
            raise SchemaError(f"{pointer}: only one schema for all items is translated")
        check = self.function(value, pointer)
        return ["if isinstance(instance, list):", "    for index, item in enumerate(instance):",
                f"        yield from {check}(item, path + (index,))"]


def _braced(text: str) -> str:
    """`text` as a literal part of an f-string."""
    return text.replace("{", "{{").replace("}", "}}").replace("\\", "\\\\").replace('"', '\\"')


def render(schema: Mapping[str, Any]) -> str:
    """The text of `config_check.py` for `schema`. Raises SchemaError."""
    writer = _Writer(schema)
    root = writer.function(schema, "")
    keys = tuple(schema.get("properties", {}))
    parts = [HEADER.replace("__ROOT__", root).replace("__KEYS__", repr(keys))]
    for name, lines in writer.functions.items():
        body = "\n".join("    " + line for line in lines)
        parts.append(f"\n\ndef {name}(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:\n{body}\n")
    return "".join(parts)


def read_schema() -> Dict[str, Any]:
    with open(SCHEMA_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def main() -> None:
    with open(CHECK_FILE, "w", encoding="utf-8") as handle:
        handle.write(render(read_schema()))
    print(f"wrote {CHECK_FILE}")


if __name__ == "__main__":
    main()
