"""`${...}` variables of a serverless.yml, resolved as far as they can be known without AWS.

The framework (serverless 3.40.0, lib/configuration/variables/) replaces each `${source:address}`
in the service configuration before it compiles anything. lambdalint resolves the sources whose
value is in the files or the run's settings, and nothing else:

- `${self:a.b}`: another value of the configuration (itself resolved);
- `${sls:stage}`, `${opt:stage}`, `${opt:region}`: the stage and region the run names
  (`--parameter stage=prod`, `region=...` or `opt:<name>=...`), else the provider's, else the
  framework's defaults (`dev`, `us-east-1`) for `sls:stage`; `${sls:instanceId}` changes every run;
- `${param:name}`: `params.<stage>.name`, then `params.default.name`, then `--parameter param:name=...`;
- `${file(path)}` / `${file(path):a.b}`: a YAML or JSON file inside the scan root (never code:
  a `.js`/`.ts` file would have to be run);
- `${env:NAME}`: only when the run allows reading the environment;
- a fallback `${a, b, 'literal'}` when the sources before it give nothing.

`${ssm:}`, `${cf:}`, `${s3:}`, `${aws:}`, plugin sources and anything malformed are UNKNOWN
(lambdalint.model.values), never a guess; text holding an UNKNOWN part is UNKNOWN. Resolution
never raises, and a variable that refers back to itself ends as UNKNOWN after MAX_DEPTH steps.
"""

from __future__ import annotations

import os
import re
from typing import Any, Callable, Dict, List, Mapping, Optional

from ..model.values import UNKNOWN

MAX_DEPTH = 16  # nested or chained variables; a cycle ends here as UNKNOWN
MAX_FILE_BYTES = 1024 * 1024  # an included `${file()}`
MAX_TEXT = 100_000  # longer text is not searched for variables (it holds none a service needs)
_MISSING: Any = object()  # the source has no value here: try the next fallback

_SOURCE = re.compile(r"^(?P<name>[A-Za-z][\w-]*)(?:\((?P<argument>[^()]*)\))?(?::(?P<address>.*))?$", re.S)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
MAX_NESTING = 200  # maps in lists in maps: far beyond any service, short of Python's stack


class Context:
    """What the variables of one service may read."""

    def __init__(self, config: Mapping[str, Any], folder: str, options: Mapping[str, Any],
                 read_file: Callable[[str], Any], environment: Optional[Mapping[str, str]] = None) -> None:
        self.config = config
        self.folder = folder  # the service folder: `${file()}` paths are relative to it
        self.options = options  # `--stage`, `--region`, ... as the run gives them
        # a path -> its loaded values; None when no such file is in the project; UNKNOWN when it
        # may not be read (outside the project, code, unreadable)
        self.read_file = read_file
        self.environment = environment  # None: `${env:}` is UNKNOWN

    @property
    def stage(self) -> Any:
        """`${sls:stage}`: the option, else `provider.stage`, else `dev` (the framework's default)."""
        return self.options.get("stage") or self._provider("stage") or "dev"

    @property
    def region(self) -> Any:
        return self.options.get("region") or self._provider("region") or "us-east-1"

    def _provider(self, key: str) -> Any:
        provider = self.config.get("provider")
        value = provider.get(key) if isinstance(provider, dict) else None
        if isinstance(value, str) and "${" in value:
            value = Resolver(self).resolve(value, 1)
        return value if isinstance(value, str) and value else None


class Resolver:
    def __init__(self, context: Context) -> None:
        self.context = context

    def resolve(self, value: Any, depth: int = 0, nesting: int = 0) -> Any:
        """`value` with every variable inside it replaced (maps and lists too).

        `depth` counts variables followed to reach it, `nesting` the maps and lists around it.
        """
        if depth > MAX_DEPTH or nesting > MAX_NESTING:
            return UNKNOWN
        if isinstance(value, str):
            return self._text(value, depth)
        if isinstance(value, dict):
            return {key: self.resolve(item, depth, nesting + 1) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item, depth, nesting + 1) for item in value]
        return value

    def _text(self, text: str, depth: int) -> Any:
        if "${" not in text:
            return text
        if len(text) > MAX_TEXT:
            return UNKNOWN
        parts = split_variables(text)
        if parts is None:
            return UNKNOWN  # an unclosed `${`: the framework refuses the file
        if len(parts) == 1 and not isinstance(parts[0], str):
            return self._variable(parts[0][0], depth)  # the whole value: may be a map, a number
        pieces = []
        for part in parts:
            if isinstance(part, str):
                pieces.append(part)
                continue
            found = self._variable(part[0], depth)
            if isinstance(found, bool):
                found = "true" if found else "false"
            if isinstance(found, (int, float)):
                found = str(found)
            if not isinstance(found, str):
                return UNKNOWN  # a map or an unknown in text: the text cannot be known
            pieces.append(found)
        return "".join(pieces)

    def _variable(self, body: str, depth: int) -> Any:
        """`source:address, fallback, ...` (its own nested variables resolved first)."""
        inner = self._text(body, depth + 1) if "${" in body else body
        if not isinstance(inner, str):
            return UNKNOWN
        for candidate in split_fallbacks(inner):
            found = self._source(candidate.strip(), depth + 1)
            if found is not _MISSING:
                return found
        return UNKNOWN  # nothing gave a value: the framework stops with an error

    def _source(self, text: str, depth: int) -> Any:
        literal = _literal(text)
        if literal is not _MISSING:
            return literal
        match = _SOURCE.match(text)
        if match is None:
            return UNKNOWN
        name, argument, address = match.group("name"), match.group("argument"), match.group("address")
        if name == "self":
            return self._path(self.context.config, address or "", depth)
        if name == "sls":
            return self.resolve(self.context.stage, depth + 1) if address == "stage" else UNKNOWN
        if name == "opt":
            value = self.context.options.get(address or "")
            return _MISSING if value is None else value
        if name == "param":
            return self._param(address or "", depth)
        if name == "env":
            if self.context.environment is None:
                return UNKNOWN
            value = self.context.environment.get(address or "")
            return _MISSING if value is None else value
        if name == "file" and argument is not None:
            loaded = self.context.read_file(os.path.normpath(os.path.join(self.context.folder,
                                                                          argument.strip().strip("'\""))))
            if loaded is None:
                return _MISSING  # no such file in the project: the fallback applies
            if loaded is UNKNOWN:
                return UNKNOWN
            return self._path(loaded, address or "", depth) if address else self.resolve(loaded, depth + 1)
        return UNKNOWN  # ssm, cf, s3, aws, a plugin's source: known at deploy time only

    def _path(self, root: Any, address: str, depth: int) -> Any:
        value = root
        for key in [part for part in address.split(".") if part] if address else []:
            if isinstance(value, str) and "${" in value:
                value = self.resolve(value, depth + 1)
            if isinstance(value, dict) and key in value:
                value = value[key]
            elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
                value = value[int(key)]
            elif value is UNKNOWN:
                return UNKNOWN
            else:
                return _MISSING
        return self.resolve(value, depth + 1)

    def _param(self, name: str, depth: int) -> Any:
        params = self.context.config.get("params")
        stage = self.resolve(self.context.stage, depth + 1)
        for group in (stage, "default"):
            values = params.get(group) if isinstance(params, dict) and isinstance(group, str) else None
            if isinstance(values, dict) and name in values:
                return self.resolve(values[name], depth + 1)
        value = self.context.options.get(f"param:{name}")
        return _MISSING if value is None else value


def _literal(text: str) -> Any:
    """A fallback written as a value: `'text'`, `"text"`, a number, true/false; else _MISSING."""
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if _NUMBER.match(text):
        return float(text) if "." in text else int(text)
    if text in ("true", "false"):
        return text == "true"
    return _MISSING


def split_variables(text: str) -> Optional[List[Any]]:
    """Text as its literal parts (str) and variables ((body,) tuples); None when a `${` is not closed."""
    parts: List[Any] = []
    start = 0
    position = 0
    while True:
        opening = text.find("${", position)
        if opening < 0:
            break
        if opening > 0 and text[opening - 1] == "\\":  # an escaped `\${`: literal text
            position = opening + 2
            continue
        level = 0
        index = opening
        end = -1
        while index < len(text):
            if text.startswith("${", index):
                level += 1
                index += 2
                continue
            if text[index] == "{":
                level += 1
            elif text[index] == "}":
                level -= 1
                if level == 0:
                    end = index
                    break
            index += 1
        if end < 0:
            return None
        if opening > start:
            parts.append(text[start:opening])
        parts.append((text[opening + 2:end],))
        start = position = end + 1
    if start < len(text):
        parts.append(text[start:])
    return parts


def split_fallbacks(body: str) -> List[str]:
    """`a, b, 'c, d'` -> [`a`, ` b`, ` 'c, d'`]: commas outside quotes and parentheses."""
    parts: List[str] = []
    current: List[str] = []
    quote = ""
    level = 0
    for character in body:
        if quote:
            quote = "" if character == quote else quote
        elif character in "'\"":
            quote = character
        elif character == "(":
            level += 1
        elif character == ")":
            level -= 1
        elif character == "," and level == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(character)
    parts.append("".join(current))
    return parts


def options_from(parameters: Mapping[str, Any]) -> Dict[str, Any]:
    """The run's `--parameter` values a service reads: `stage`, `region` and `opt:<name>` as options,
    `param:<name>` as they are."""
    options: Dict[str, Any] = {}
    for key, value in parameters.items():
        if not isinstance(key, str):
            continue
        if key in ("stage", "region"):
            options[key] = value
        elif key.startswith("opt:"):
            options[key[4:]] = value
        elif key.startswith("param:"):
            options[key] = value
    return options
