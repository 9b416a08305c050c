"""Configuration: find it, validate it, merge it with the command line.

Sources, strongest first: command-line options, the file given with
`--config`, else the configuration of each checked path (found from its
folder upwards: `.lambdalint.yaml`, then `[tool.lambdalint]` in
`pyproject.toml`, then `[lambdalint]` in `setup.cfg`), then built-in defaults.
Globs and paths in a file are relative to that file's folder.
"""

from __future__ import annotations

import datetime
import os
from typing import Any, Collection, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

from .findings import Severity
from .loading import LoadError, decode, load_text
from .records import Record

CONFIG_FILE = ".lambdalint.yaml"
PYPROJECT = "pyproject.toml"
CONFIG_ERROR_ID = "LL0005"
# Seconds one rule may spend on one template before it is stopped and reported as LL0007.
# Every built-in rule takes milliseconds even on 10,000-resource templates (docs/robustness.md).
DEFAULT_RULE_TIMEOUT = 10.0


class ConfigError(Exception):
    """Invalid configuration: reported as one LL0005 line, exit code 2."""

    def __init__(self, message: str, file: str = "<config>", line: int = 1, column: int = 1):
        super().__init__(message)
        self.message, self.file, self.line, self.column = message, file, line, column

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {CONFIG_ERROR_ID} error: {self.message}"


class Config(Record):
    __slots__ = ("select", "ignore", "severity", "fail_level", "exclude", "per_file_ignores", "parameters",
                 "limits", "today", "paths", "images", "rules_dirs", "baseline", "format", "jobs",
                 "rule_timeout", "respect_gitignore", "source", "artifact_roots", "root", "serverless_env",
                 "terraform_plan")

    def __init__(
        self,
        select: Tuple[str, ...] = (),
        ignore: Tuple[str, ...] = (),
        severity: Optional[Mapping[str, Severity]] = None,
        fail_level: Optional[Severity] = Severity.ERROR,  # None: never fail
        exclude: Tuple[str, ...] = (),
        per_file_ignores: Optional[Mapping[str, Tuple[str, ...]]] = None,
        parameters: Optional[Mapping[str, Any]] = None,
        limits: Optional[Mapping[str, Any]] = None,
        today: Optional[datetime.date] = None,
        paths: Tuple[str, ...] = (),
        images: Optional[Mapping[str, str]] = None,
        rules_dirs: Tuple[str, ...] = (),
        baseline: Optional[str] = None,
        format: Optional[str] = None,
        jobs: Optional[int] = None,  # processes for many files; None or 0: automatic, 1: serial
        rule_timeout: Optional[float] = DEFAULT_RULE_TIMEOUT,  # seconds per rule per template; 0 or None: no budget
        respect_gitignore: bool = True,  # folder walks leave out what git ignores
        source: Optional[str] = None,  # the file it came from, for messages
        artifact_roots: Tuple[str, ...] = (),  # folders outside the project packages may be read from
        # the folder `exclude` and `per-file-ignores` globs are relative to; None: the current one
        root: Optional[str] = None,
        serverless_env: bool = False,  # `${env:NAME}` of a serverless.yml read from the run's environment
        terraform_plan: Optional[str] = None,  # `terraform show -json` output for the run's root module
    ) -> None:
        self.select = select
        self.ignore = ignore
        self.severity = severity if severity is not None else {}
        self.fail_level = fail_level
        self.exclude = exclude
        self.per_file_ignores = per_file_ignores if per_file_ignores is not None else {}
        self.parameters = parameters if parameters is not None else {}
        self.limits = limits if limits is not None else {}
        self.today = today
        self.paths = paths
        self.images = images if images is not None else {}
        self.rules_dirs = rules_dirs
        self.baseline = baseline
        self.format = format
        self.jobs = jobs
        self.rule_timeout = rule_timeout
        self.respect_gitignore = respect_gitignore
        self.source = source
        self.artifact_roots = artifact_roots
        self.root = root
        self.serverless_env = serverless_env
        self.terraform_plan = terraform_plan

    def with_overrides(self, **changes: Any) -> Config:
        """CLI values win; None and empty mean 'not given on the command line'."""
        given = {key: value for key, value in changes.items() if value not in (None, (), {})}
        return self.replace(**given)


def find_config(start: str = ".", known: Optional[Dict[str, Optional[str]]] = None) -> Optional[str]:
    """The configuration for `start` (a folder): in it or the nearest parent that has one.

    In one folder `.lambdalint.yaml` comes first, then `pyproject.toml` with a
    `[tool.lambdalint]` table, then `setup.cfg` with a `[lambdalint]` section; a pyproject.toml
    or setup.cfg without lambdalint's table is no configuration and the search goes on upwards.

    `known` (folder -> its configuration) is what earlier searches of the same run found, and
    gains this one's folders: the many files of one tree share their parents' answers.
    """
    folder = os.path.abspath(start)
    searched: List[str] = []
    found: Optional[str] = None
    while True:
        if known is not None and folder in known:
            found = known[folder]
            break
        searched.append(folder)
        found = _config_in(folder)
        parent = os.path.dirname(folder)
        if found is not None or parent == folder:
            break
        folder = parent
    if known is not None:
        known.update(dict.fromkeys(searched, found))
    return found


def _config_in(folder: str) -> Optional[str]:
    """The configuration file of `folder` itself, or None."""
    candidate = os.path.join(folder, CONFIG_FILE)
    if os.path.isfile(candidate):
        return candidate
    pyproject = os.path.join(folder, PYPROJECT)
    if os.path.isfile(pyproject):
        from .config_toml import has_table

        if has_table(pyproject):
            return pyproject
    setup_cfg = os.path.join(folder, "setup.cfg")
    if os.path.isfile(setup_cfg) and _has_section(setup_cfg):
        return setup_cfg
    return None


def config_for(path: str, known: Optional[Dict[str, Optional[str]]] = None) -> Optional[str]:
    """The configuration of a checked path: found from a folder itself, from a file's folder."""
    return find_config(path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path)), known)


def _has_section(setup_cfg: str) -> bool:
    try:
        with open(setup_cfg, encoding="utf-8", errors="replace") as handle:
            return any(line.strip() == "[lambdalint]" for line in handle)
    except OSError:
        return False


class ConfigFile(Record):
    """One configuration file, read and validated once: its Config, and what checking the rule
    IDs it names needs (the registry, which its own `rules-dir` may add to)."""

    __slots__ = ("path", "config", "_raw", "_display", "_locate")
    _compared = ("path", "config")
    _hidden = ("_raw", "_locate")

    def __init__(self, path: Optional[str], config: Config, raw: Mapping[str, Any], display: str, locate) -> None:
        self.path = path
        self.config = config
        self._raw = raw
        self._display = display
        self._locate = locate

    def checked(self, known_rules: Sequence[str]) -> Config:
        """The config, once every rule ID or prefix it names is one of `known_rules`. Raises ConfigError."""
        if known_rules:
            _check_rule_patterns(self._raw, self._display, self._locate, known_rules)
        return self.config


def read_config(path: Optional[str]) -> ConfigFile:
    """Read and validate a config file (None: defaults); its rule IDs are checked by `checked()`.
    Raises ConfigError."""
    if path is None:
        return ConfigFile(None, Config(), {}, "<config>", lambda where: None)
    display = config_display(path)
    is_ini = os.path.basename(path) == "setup.cfg" or path.endswith(".cfg") or path.endswith(".ini")
    if is_ini:
        raw, locate = _read_ini(path, display)
    elif path.endswith(".toml"):
        raw, locate = _read_toml(path, display)
    else:
        raw, locate = _read_yaml(path, display)
    _validate(raw, display, locate)
    if raw.get("limits"):
        raw = {**raw, "limits": _checked_limits(raw["limits"], display, locate, from_text=is_ini)}
    return ConfigFile(path, _build(raw, display, locate), raw, display, locate)


def load_config(path: Optional[str], known_rules: Sequence[str] = ()) -> Config:
    """Read and validate a config file (None: defaults), its rule IDs against `known_rules` when
    given. Raises ConfigError."""
    return read_config(path).checked(known_rules)


def _checked_limits(overrides: Mapping[str, Any], display: str, locate, from_text: bool) -> Dict[str, Any]:
    from .limit_overrides import LimitError, validate

    try:
        return validate(overrides, from_text=from_text)
    except LimitError as exc:
        line, column = locate(("limits", exc.name)) or (1, 1)
        raise ConfigError(exc.message, display, line, column) from None


def config_display(path: str) -> str:
    """A config file name for messages: relative below the current folder, else absolute.

    `../../../x.yaml` says less than `/x.yaml`, and changes with the folder lambdalint runs in.
    """
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive (Windows)
        return absolute
    return absolute if relative == os.pardir or relative.startswith(os.pardir + os.sep) else relative


def _read_yaml(path: str, display: str):
    if not os.path.isfile(path):
        raise ConfigError("configuration file not found", display)
    try:
        with open(path, "rb") as handle:
            text = decode(handle.read())
        if _only_comments(text):  # everything commented out: the defaults
            return {}, lambda p: (1, 1)
        document = load_text(text, display)
    except OSError as exc:
        raise ConfigError(f"cannot read configuration: {exc.strerror or exc}", display) from None
    except LoadError as exc:
        message = exc.message
        if message.startswith("the top level is"):
            message = "configuration must be a mapping of keys"
        raise ConfigError(message, display, exc.line, exc.column) from None
    if document.duplicates:  # a template deploys the last one; a configuration says one thing once
        duplicate = document.duplicates[0]
        first_line = duplicate.earlier[0][0]
        raise ConfigError(f"duplicate key {duplicate.path[-1]!r} (first defined on line {first_line})", display,
                          duplicate.line, duplicate.column)
    return document.data, document.locate


def _read_toml(path: str, display: str):
    from .config_toml import TomlError, read

    if not os.path.isfile(path):
        raise ConfigError("configuration file not found", display)
    try:
        return read(path)
    except OSError as exc:
        raise ConfigError(f"cannot read configuration: {exc.strerror or exc}", display) from None
    except TomlError as exc:
        raise ConfigError(exc.message, display, exc.line, exc.column) from None


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def _read_ini(path: str, display: str):
    import configparser

    parser = configparser.ConfigParser()
    try:
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle)
    except (OSError, configparser.Error, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read configuration: {exc}".splitlines()[0], display) from None
    if not parser.has_section("lambdalint"):
        return {}, lambda p: (1, 1)
    raw: Dict[str, Any] = {}
    for key, text in parser.items("lambdalint"):
        raw[key] = _ini_value(key, text)
    lines = _ini_key_lines(path)

    def locate(where):
        keys = [".".join(str(part) for part in where[:2]).lower(), str(where[0]).lower()] if where else []
        return next(((lines[key], 1) for key in keys if key in lines), (1, 1))

    return raw, locate


def _ini_key_lines(path: str) -> Dict[str, int]:
    """Line of each key of the [lambdalint] section, so errors point at it (values span lines).

    An indented `name = value` line of a mapping key (limits, severity...) is found as
    `key.name` too.
    """
    found: Dict[str, int] = {}
    inside = False
    current = ""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            stripped = line.strip()
            if stripped.startswith("[") and stripped.endswith("]"):
                inside = stripped == "[lambdalint]"
            elif inside and line[:1] not in (" ", "\t", "#", ";") and ("=" in line or ":" in line):
                key = line.split("=", 1)[0] if "=" in line else line.split(":", 1)[0]
                current = key.strip().lower()
                found.setdefault(current, number)
            elif inside and current and line[:1] in (" ", "\t") and "=" in line:
                found.setdefault(f"{current}.{line.split('=', 1)[0].strip().lower()}", number)
    return found


_INI_LISTS = {"select", "ignore", "exclude", "paths", "rules-dir", "artifact-roots"}
_INI_MAPS = {"severity", "parameters", "limits", "images", "per-file-ignores"}


def _ini_value(key: str, text: str) -> Any:
    items = [part.strip() for chunk in text.splitlines() for part in chunk.split(",") if part.strip()]
    if key in _INI_LISTS:
        return items
    if key in _INI_MAPS:
        result: Dict[str, Any] = {}
        for item in [line.strip() for line in text.splitlines() if line.strip()]:
            name, _, value = item.partition("=")
            value = value.strip()
            if key == "per-file-ignores":
                result[name.strip()] = [v.strip() for v in value.split(",") if v.strip()]
            else:  # limits stay text here: their kind comes from limits.json (limit_overrides)
                result[name.strip()] = value
        return result
    if key in ("respect-gitignore", "serverless-env"):
        flag = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False, "off": False, "0": False}
        return flag.get(text.strip().lower(), text.strip())  # anything else: the schema check reports it
    number = {"rule-timeout": float, "jobs": int}.get(key)
    if number is not None:
        try:
            return number(text.strip())
        except ValueError:
            return text.strip()  # the schema check reports it
    return text.strip()


def _validate(raw: Any, display: str, locate) -> None:
    """The first schema error of `raw` as a ConfigError, by where it is written.

    `schemas/config_check.py` is generated from the schema, so no jsonschema import at
    start-up (issue 18); it yields what jsonschema's Draft 7 validator would.
    """
    from .schemas.config_check import TOP_LEVEL_KEYS, errors

    if not isinstance(raw, dict):
        raise ConfigError("configuration must be a mapping of keys", display)
    found = sorted(errors(raw), key=lambda error: _path_order(error[0]))
    if not found:
        return
    where, keyword, message = found[0]
    line, column = locate(where) or (1, 1)
    if keyword == "additionalProperties" and not where:
        unknown = sorted((key for key in raw if key not in TOP_LEVEL_KEYS), key=_key_order)
        key = unknown[0] if unknown else "?"
        line, column = locate((key,)) or (1, 1)
        raise ConfigError(f"unknown key {key!r} (known keys: {', '.join(sorted(TOP_LEVEL_KEYS))})",
                          display, line, column)
    dotted = ".".join(str(part) for part in where) or "(top level)"
    raise ConfigError(f"invalid value for {dotted}: {message}", display, line, column)


def _key_order(key: Any) -> Tuple[int, Any]:
    """Keys of any type in one order: indexes and numbers, then text, then the rest by repr
    (YAML allows `1:` and `null:` as keys beside text ones)."""
    if isinstance(key, (int, float)) and not isinstance(key, bool):
        return 0, key
    if isinstance(key, str):
        return 1, key
    return 2, repr(key)


def _path_order(path: Tuple[Any, ...]) -> List[Tuple[int, Any]]:
    return [_key_order(part) for part in path]


def _rule_patterns(raw: Mapping[str, Any]) -> Iterator[Tuple[str, str, Tuple[Any, ...]]]:
    """(key, pattern, where it is written) for every rule ID or prefix a config names."""
    for rule_id in raw.get("severity") or {}:
        yield "severity", rule_id, ("severity", rule_id, 0)
    for key in ("select", "ignore"):
        for index, pattern in enumerate(raw.get(key, [])):
            yield key, pattern, (key, index)
    for glob, ids in (raw.get("per-file-ignores") or {}).items():
        for index, pattern in enumerate(ids):
            yield "per-file-ignores", pattern, ("per-file-ignores", glob, index)


def _check_rule_patterns(raw: Mapping[str, Any], display: str, locate, known_rules: Sequence[str]) -> None:
    for key, pattern, where in _rule_patterns(raw):
        if not is_known_pattern(pattern, known_rules):
            line, column = locate(where) or (1, 1)
            raise ConfigError(unknown_rule_message(pattern, key, known_rules), display, line, column)


def _build(raw: Mapping[str, Any], display: str, locate) -> Config:
    def upper(patterns: Sequence[str]) -> Tuple[str, ...]:
        return tuple(pattern.upper() for pattern in patterns)  # `ll6` means LL6, as in `explain ll6001`

    severity = {}
    for rule_id, level in (raw.get("severity") or {}).items():
        severity[rule_id.upper()] = Severity.parse(level)
    fail_level = raw.get("fail-level", "error")
    today = None
    if "today" in raw:
        try:
            today = datetime.date.fromisoformat(raw["today"])
        except ValueError:
            line, column = locate(("today",)) or (1, 1)
            raise ConfigError(f"today: {raw['today']!r} is not a date (YYYY-MM-DD)", display, line, column) from None
    base = os.path.dirname(os.path.abspath(display))
    return Config(
        select=upper(raw.get("select", [])),
        ignore=upper(raw.get("ignore", [])),
        severity=severity,
        fail_level=None if fail_level == "none" else Severity.parse(fail_level),
        exclude=tuple(raw.get("exclude", [])),
        per_file_ignores={glob: upper(ids)
                          for glob, ids in (raw.get("per-file-ignores") or {}).items()},
        parameters=dict(raw.get("parameters") or {}),
        limits=dict(raw.get("limits") or {}),
        today=today,
        paths=tuple(os.path.join(base, p) if not os.path.isabs(p) else p for p in raw.get("paths", [])),
        images=dict(raw.get("images") or {}),
        rules_dirs=tuple(os.path.join(base, p) for p in raw.get("rules-dir", [])),
        baseline=raw.get("baseline"),
        format=raw.get("format"),
        jobs=raw.get("jobs"),
        rule_timeout=raw.get("rule-timeout", DEFAULT_RULE_TIMEOUT),
        respect_gitignore=raw.get("respect-gitignore", True),
        serverless_env=raw.get("serverless-env", False),
        terraform_plan=os.path.join(base, raw["terraform-plan"]) if raw.get("terraform-plan") else None,
        source=display,
        artifact_roots=tuple(os.path.normpath(os.path.join(base, os.path.expanduser(p)))
                             for p in raw.get("artifact-roots", [])),
        root=base,
    )


def is_known_pattern(pattern: str, known_rules: Collection[str]) -> bool:
    """An ID or prefix that names at least one known rule (or ALL), in any letter case."""
    pattern = pattern.upper()
    return pattern == "ALL" or any(rule_id.startswith(pattern) for rule_id in known_rules)


def unknown_rule_message(pattern: str, where: str, known_rules: Sequence[str]) -> str:
    """`unknown rule 'LL60001' in select (did you mean LL6001?)`."""
    import difflib

    # 0.8: about one character off; looser cut-offs suggest LL2009 for LL2999
    close = difflib.get_close_matches(pattern.upper(), ["ALL", *known_rules], n=1, cutoff=0.8)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"unknown rule {pattern!r} in {where}{hint}"


def parse_parameter(text: str) -> Tuple[str, str]:
    """`Key=Value` from the command line."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise ConfigError(f"--parameter {text!r}: expected KEY=VALUE", "<command line>")
    return key.strip(), value


def parse_image(text: str) -> Tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key or not value:
        raise ConfigError(f"--image {text!r}: expected LOGICAL_ID=PATH", "<command line>")
    return key.strip(), value


def split_patterns(values: Sequence[str]) -> List[str]:
    """`--select LL1,LL2 --select LL3` -> ['LL1', 'LL2', 'LL3']."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]
