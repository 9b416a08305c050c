"""Rules and how they are found.

A rule is metadata plus one check function. Built-in rules (the
`lambdalint_rules` package) and third-party packs load the same way: through
the `lambdalint.rules` entry point group, whose value names a module or
package (`module` or `module:attribute`); every `Rule` object found in it (and,
for a package, in its submodules and sub-packages, recursively) is registered.
`--rules-dir DIR` adds the `Rule` objects of the `*.py` files of a folder.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence

from .findings import Hit, Severity
from .records import Record

ENTRY_POINT_GROUP = "lambdalint.rules"
BUILTIN_DISTRIBUTION = "lambdalint"  # its entry point is the built-in pack; every other one is a third party's
DOCS_URL = "https://github.com/lambdalint/lambdalint/blob/main/docs/rules.md"
RULE_ID_PATTERN = r"^[A-Z]{2,}[0-9]{4}$"  # two or more capitals, four digits: LL2001
DOC_HEADINGS = ("## What it does", "## Why is this bad?", "## Example")


class RuleLoadError(Exception):
    """A rule pack cannot be loaded (bad module, duplicate ID): a usage error."""


class Rule(Record):
    """A rule: its metadata and its check function (None for a rule whose findings lambdalint itself makes).

    `docs` is the rule's documentation (markdown); it is written as the check function's
    docstring and is dedented only when read, since a run that prints no docs never needs it.
    """

    __slots__ = ("id", "name", "severity", "summary", "source", "check", "opt_in", "raw_docs", "origin", "url",
                 "pack")
    _compared = ("id", "name", "severity", "summary", "source", "opt_in", "raw_docs", "origin", "url", "pack")
    _hidden = ("check", "raw_docs")

    def __init__(self, id: str, name: str, severity: Severity, summary: str, source: str,
                 check: Optional[Callable[..., Iterable[Hit]]], opt_in: bool = False, docs: str = "",
                 origin: str = "", url: str = "", pack: str = "") -> None:
        self.id = id
        self.name = name
        self.severity = severity
        self.summary = summary
        self.source = source
        self.check = check
        self.opt_in = opt_in
        self.raw_docs = docs
        self.origin = origin  # module that defined it, for error messages
        self.url = url  # the rule's own documentation page, if it declares one
        # "" for lambdalint's own rules; else who provides it: a distribution, or "--rules-dir DIR"
        self.pack = pack

    @property
    def docs(self) -> str:
        import inspect

        return inspect.cleandoc(self.raw_docs)

    def replace(self, **changes: Any) -> "Rule":
        values = {name: getattr(self, name) for name in self.__slots__ if name != "raw_docs"}
        values["docs"] = self.raw_docs
        values.update(changes)
        return Rule(**values)

    @property
    def third_party(self) -> bool:
        return bool(self.pack)

    @property
    def help_uri(self) -> Optional[str]:
        """Where the rule is documented: its own `url`, lambdalint's rules.md for lambdalint's rules.

        A third-party rule without a `url` has none: lambdalint's pages do not describe it.
        """
        if self.url:
            return self.url
        if self.third_party:
            return None
        return f"{DOCS_URL}#{self.id.lower()}"


def rule(
    *,
    id: str,
    name: str,
    severity: Severity,
    summary: str,
    source: str,
    opt_in: bool = False,
    url: str = "",
) -> Callable[[Callable[..., Iterable[Hit]]], Rule]:
    """Turn a check function (model -> hits) into a Rule; its docstring is the rule's docs.

    `source` is where the rule's facts come from (an AWS page for lambdalint's rules); `url`,
    for a rule pack's own rules, the page that documents the rule (SARIF `helpUri`).
    """

    def wrap(check: Callable[..., Iterable[Hit]]) -> Rule:
        return Rule(
            id=id,
            name=name,
            severity=severity,
            summary=summary,
            source=source,
            check=check,
            opt_in=opt_in,
            docs=check.__doc__ or "",
            origin=check.__module__,
            url=url,
        )

    return wrap


def engine_rule(*, id: str, name: str, severity: Severity, summary: str, source: str, docs: str,
                origin: str, opt_in: bool = False) -> Rule:
    """A rule with no check function: lambdalint makes its findings itself (parse and internal errors
    in the engine, unused suppressions in `suppress`). `origin` is the defining module."""
    return Rule(id=id, name=name, severity=severity, summary=summary, source=source, check=None,
                opt_in=opt_in, docs=docs, origin=origin)


class Registry:
    """All known rules by ID, in ID order."""

    def __init__(self, rules: Iterable[Rule] = ()):
        self._rules: Dict[str, Rule] = {}
        for item in rules:
            self.add(item)

    def add(self, item: Rule) -> None:
        known = self._rules.get(item.id)
        if known is not None and known is not item and known != item:
            raise RuleLoadError(f"rule {item.id} is defined twice ({known.origin} and {item.origin})")
        self._rules[item.id] = item

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self._rules.values(), key=lambda r: r.id))

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, rule_id: str) -> bool:
        return rule_id in self._rules

    def get(self, rule_id: str) -> Optional[Rule]:
        return self._rules.get(rule_id)

    def __getitem__(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def enabled(self, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> List[Rule]:
        """The rules to run: opt-in rules only when selected by exact ID or ALL."""
        return [item for item in self if item.check is not None and is_selected(item, select, ignore)]


def is_selected(item: Rule, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> bool:
    """Whether `select`/`ignore` turn the rule on: opt-in rules only by their exact ID or ALL."""
    if select:
        if not any(p == "ALL" or item.id.startswith(p) for p in select):
            return False
        if item.opt_in and not any(p in ("ALL", item.id) for p in select):
            return False
    elif item.opt_in:
        return False
    return not any(item.id.startswith(p) for p in ignore)


def rules_in_module(module: ModuleType) -> Iterator[Rule]:
    """Rule objects defined in a module and, for a package, in all its submodules."""
    # Modules are skipped before isinstance(value, Rule), which reads value.__class__: that
    # would load a module the rule pack imports lazily (lambdalint.lazy) for every run.
    yield from (value for value in vars(module).values()
                if not isinstance(value, ModuleType) and isinstance(value, Rule))
    if hasattr(module, "__path__"):
        for name in _submodule_names(module.__path__):
            yield from rules_in_module(importlib.import_module(f"{module.__name__}.{name}"))


def _submodule_names(search_path: Iterable[str]) -> List[str]:
    """Public submodules of a package, sorted: its `*.py` files and sub-packages.

    A folder listing does it for the usual installed package; pkgutil (which also reads
    zip archives and other importers, and costs a millisecond of start-up to import) only
    for a path entry that is not a folder.
    """
    import os
    from importlib.machinery import all_suffixes

    suffixes = tuple(all_suffixes())  # .py, .pyc, and extension modules as the importer knows them
    names = set()
    for folder in search_path:
        try:
            entries = os.listdir(folder)
        except (OSError, TypeError):
            import pkgutil

            names.update(info.name for info in pkgutil.iter_modules([folder]))
            continue
        for entry in entries:
            if entry.endswith(suffixes):
                names.add(entry.split(".", 1)[0])
            elif "." not in entry and os.path.isfile(os.path.join(folder, entry, "__init__.py")):
                names.add(entry)
    return sorted(name for name in names if name.isidentifier() and not name.startswith("_"))  # _ hides __init__ too


class RulePack(Record):
    """One `lambdalint.rules` entry point: `name = module[:attribute]`."""

    __slots__ = ("name", "value", "distribution")

    def __init__(self, name: str, value: str, distribution: str) -> None:
        self.name = name
        self.value = value
        self.distribution = distribution

    def load(self) -> ModuleType:
        module_name, _, attribute = self.value.partition(":")
        module = importlib.import_module(module_name.strip())
        return getattr(module, attribute.strip()) if attribute else module


def _entry_points() -> List[RulePack]:
    """The `lambdalint.rules` entry points of the installed distributions.

    The same metadata importlib.metadata reads (each distribution's entry_points.txt), read
    directly: importlib.metadata parses every distribution's METADATA on the way, which
    costs more than the rest of a small run's start-up.
    """
    import os

    marker = f"[{ENTRY_POINT_GROUP}]".encode()
    packs: List[RulePack] = []
    seen = set()
    for folder in sys.path:
        if not folder:
            continue
        try:
            names = sorted(os.listdir(folder))
        except OSError:  # not a folder (a zip on sys.path) or gone
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            distribution = name.rsplit(".", 1)[0].split("-")[0].lower().replace("_", "-")
            if distribution in seen:
                continue  # the first on sys.path wins, as for imports
            seen.add(distribution)
            try:
                # bytes first: most distributions have no rule pack, and decoding every file
                # is what made this scan grow with the size of the environment
                with open(os.path.join(folder, name, "entry_points.txt"), "rb") as handle:
                    raw = handle.read()
            except OSError:
                continue
            if marker in raw:
                packs.extend(_parse_group(raw.decode("utf-8", errors="replace"), distribution))
    return packs


def _parse_group(text: str, distribution: str) -> Iterator[RulePack]:
    inside = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            inside = line == f"[{ENTRY_POINT_GROUP}]"
        elif inside and "=" in line and not line.startswith(("#", ";")):
            name, _, value = line.partition("=")
            yield RulePack(name.strip(), value.strip(), distribution)


def _load_rules_dir(folder: str) -> Iterator[Rule]:
    import importlib.util
    import os

    if not os.path.isdir(folder):
        raise RuleLoadError(f"--rules-dir {folder}: not a folder")
    for entry in sorted(os.listdir(folder)):
        if not entry.endswith(".py") or entry.startswith("_"):
            continue
        module_name = f"lambdalint_local_rules_{abs(hash(os.path.abspath(folder)))}_{entry[:-3]}"
        spec = importlib.util.spec_from_file_location(module_name, os.path.join(folder, entry))
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # a broken local rule file is the user's to fix: say which
            raise RuleLoadError(f"--rules-dir {folder}: cannot load {entry}: {exc}") from None
        yield from rules_in_module(module)


def load_registry(rules_dirs: Sequence[str] = ()) -> Registry:
    from . import engine, suppress  # the rules lambdalint reports itself: LL0001, LL0007 (engine), LL0010 (suppress)

    registry = Registry(engine.ENGINE_RULES + suppress.SUPPRESSION_RULES)
    for point in _entry_points():
        try:
            module = point.load()
        except Exception as exc:
            raise RuleLoadError(f"rule pack {point.name!r} ({point.value}, from {point.distribution}) "
                                f"cannot be loaded: {exc}") from None
        third_party = point.distribution != BUILTIN_DISTRIBUTION
        for item in rules_in_module(module):
            registry.add(item.replace(pack=point.distribution) if third_party else item)
    for folder in rules_dirs:
        for item in _load_rules_dir(folder):
            registry.add(item.replace(pack=f"--rules-dir {folder}"))
    return registry
