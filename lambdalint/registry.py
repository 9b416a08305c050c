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
import importlib.util
import os
import sys
from importlib.machinery import all_suffixes
from types import ModuleType
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Set

from . import own_rules
from .records import Record
from .rule import DOC_HEADINGS, DOCS_URL, RULE_ID_PATTERN, Rule, engine_rule, matches_any, rule

# what rule packs and tests import from here
__all__ = ["DOC_HEADINGS", "DOCS_URL", "RULE_ID_PATTERN", "Registry", "Rule", "RuleLoadError", "RulePack",
           "engine_rule", "is_ignored", "is_selected", "load_registry", "rule", "rules_in_module"]

ENTRY_POINT_GROUP = "lambdalint.rules"
RULES_DIR_PACK = "--rules-dir "  # the pack of a local rule: this and its folder
BUILTIN_DISTRIBUTION = "lambdalint"  # its entry point is the built-in pack; every other one is a third party's


class RuleLoadError(Exception):
    """A rule pack cannot be loaded (bad module, duplicate ID): a usage error."""


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

    def with_local_rules_of(self, folders: Sequence[str]) -> Registry:
        """This registry without the --rules-dir rules of folders other than `folders`.

        A run loads the rules-dir of every project's config once; each project runs only its own.
        """
        mine = {RULES_DIR_PACK + folder for folder in folders}
        foreign = {item.id for item in self if item.pack.startswith(RULES_DIR_PACK) and item.pack not in mine}
        return Registry(item for item in self if item.id not in foreign) if foreign else self

    def enabled(self, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> List[Rule]:
        """The rules to run: opt-in rules only when selected by exact ID or ALL."""
        return [item for item in self if item.check is not None and is_selected(item, select, ignore)]


def is_selected(item: Rule, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> bool:
    """Whether `select`/`ignore` turn the rule on: opt-in rules only by their exact ID or ALL."""
    if select:
        if not matches_any(item.id, select):
            return False
        if item.opt_in and not any(p in ("ALL", item.id) for p in select):
            return False
    elif item.opt_in:
        return False
    return not is_ignored(item.id, ignore)


def is_ignored(rule_id: str, ignore: Sequence[str]) -> bool:
    """Whether `ignore` (IDs, prefixes, ALL) turns a rule off: the one reading of `ignore`, for the
    rules that run and for the findings lambdalint makes itself."""
    return matches_any(rule_id, ignore)


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
    suffixes = tuple(all_suffixes())  # .py, .pyc, and extension modules as the importer knows them
    names: Set[str] = set()
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
    registry = Registry(own_rules.OWN_RULES)
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
            registry.add(item.replace(pack=RULES_DIR_PACK + folder))
    return registry
