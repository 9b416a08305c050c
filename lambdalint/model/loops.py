"""`Fn::ForEach` loops (the `AWS::LanguageExtensions` transform), expanded the way CloudFormation does.

    Fn::ForEach::<UniqueLoopName>: [Identifier, Collection, {OutputKey: OutputValue}]

in `Conditions`, `Resources` and `Outputs`, and in any mapping inside them (resource
properties). Every `${Identifier}` and `&{Identifier}` (non-alphanumeric characters
stripped) in the output keys and values, and every `Ref: Identifier`, is replaced by each
item of the collection; loops nest. The collection is a list, or anything the resolver can
turn into one (a `Ref` to a `CommaDelimitedList` or `List<...>` parameter with a default or
an override, a `Fn::FindInMap`).
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html

Precision first: a loop whose collection cannot be known is *unknown*: it makes nothing, it
is no error, and the names it could make are remembered so that no rule calls a reference to
one of them dangling. The expanded template keeps a map from every key a loop made back to
where its template was written, so that findings land on the loop body's lines.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from ..findings import Path
from ..lazy import lazy_pattern
from .values import UNKNOWN, Resolver

LOOP_PREFIX = "Fn::ForEach::"
LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"
LOOP_SECTIONS = ("Conditions", "Resources", "Outputs")
# The position of the {OutputKey: OutputValue} fragment in a loop's list.
FRAGMENT = 2
# CloudFormation allows 500 resources per template; a template that loops out far more than
# that fails anyway, and expanding it further would only cost memory.
MAX_EXPANDED_KEYS = 10_000
# Deeper than this nobody writes loops; JSON can nest ~1000 levels, Python's stack cannot.
MAX_DEPTH = 64

_PLACEHOLDER = lazy_pattern(r"[$&]\{[^}]*\}")
_NOT_ALPHANUMERIC = lazy_pattern(r"[^A-Za-z0-9]")


def declares_language_extensions(template: Mapping[str, Any]) -> bool:
    transform = template.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    return LANGUAGE_EXTENSIONS in names


def is_loop_key(key: Any) -> bool:
    return isinstance(key, str) and key.startswith(LOOP_PREFIX)


class UnknownLoop:
    """A loop whose collection could not be known: the keys it could make, as patterns."""

    __slots__ = ("section", "path", "_patterns")

    def __init__(self, section: str, path: Path, output_keys: List[str]) -> None:
        self.section = section
        self.path = path
        # Any placeholder (of this loop or of an inner one) can stand for any text.
        self._patterns = [
            re.compile(".*".join(re.escape(part) for part in _PLACEHOLDER.split(key)), re.DOTALL)
            for key in output_keys
        ]

    def could_make(self, name: str) -> bool:
        return any(pattern.fullmatch(name) for pattern in self._patterns)


class Expansion:
    """The template with its loops expanded, and where each expanded key was written."""

    def __init__(self, template: Mapping[str, Any]) -> None:
        self.template = template
        self.origins: Dict[Path, Path] = {}  # expanded path of a key made or renamed by a loop -> written path
        self.unknown: List[UnknownLoop] = []
        self.problems: List[Tuple[Path, str]] = []  # loops CloudFormation rejects (LL0002)

    def written_path(self, path: Path) -> Path:
        """Where the value at `path` of the expanded template was written."""
        if not self.origins:
            return path
        for end in range(len(path), 0, -1):
            origin = self.origins.get(path[:end])
            if origin is not None:
                return origin + tuple(path[end:])
        return path

    def could_make(self, section: str, name: str) -> bool:
        """Whether a loop that could not be expanded might make `name` in `section`."""
        return any(loop.section == section and loop.could_make(name) for loop in self.unknown)


def expand(template: Mapping[str, Any], overrides: Optional[Mapping[str, Any]] = None,
           text: Optional[str] = None) -> Expansion:
    """The template with every loop expanded; the template itself when it has none. Never raises.

    `text`, the source when known, spares the walk of the (many) templates without a loop.
    """
    if text and "ForEach" not in text:
        return Expansion(template)
    if not any(isinstance(template.get(name), dict) and _has_loop(template[name], 0) for name in LOOP_SECTIONS):
        return Expansion(template)
    if not declares_language_extensions(template):
        return _without_transform(template)
    return _Expander(template, overrides).run()


def _has_loop(node: Any, depth: int) -> bool:
    if depth > MAX_DEPTH:
        return False
    if isinstance(node, dict):
        return any(is_loop_key(key) or _has_loop(value, depth + 1) for key, value in node.items())
    if isinstance(node, list):
        return any(_has_loop(item, depth + 1) for item in node)
    return False


def _without_transform(template: Mapping[str, Any]) -> Expansion:
    """Loops without the transform: CloudFormation rejects the template; the loops make nothing."""
    result = dict(template)
    expansion = Expansion(result)
    for section in LOOP_SECTIONS:
        entries = template.get(section)
        if not isinstance(entries, dict) or not any(is_loop_key(key) for key in entries):
            continue
        result[section] = {key: value for key, value in entries.items() if not is_loop_key(key)}
        for key, value in entries.items():
            if is_loop_key(key):
                expansion.problems.append(((section, key), f"{key} needs 'Transform: {LANGUAGE_EXTENSIONS}' "
                                                           f"in the template"))
                expansion.unknown.append(UnknownLoop(section, (section, key), _output_keys(value, 0)))
    return expansion


def _output_keys(loop: Any, depth: int) -> List[str]:
    """Every output key of a loop's fragment, inner loops' included (for names it could make)."""
    if depth > MAX_DEPTH or not isinstance(loop, list) or len(loop) <= FRAGMENT or not isinstance(loop[FRAGMENT], dict):
        return []
    keys: List[str] = []
    for key, value in loop[FRAGMENT].items():
        if is_loop_key(key):
            keys.extend(_output_keys(value, depth + 1))
        elif isinstance(key, str):
            keys.append(key)
    return keys


Bindings = Mapping[str, str]  # loop identifier -> the current item


class _Expander:
    """Walks the loop sections once, substituting the identifiers of the loops it is inside.

    The walk carries two paths: where a value was written, and where it lands in the
    expanded template. A key whose expanded path differs (made by a loop, or renamed by a
    substitution) is recorded in the origins.
    """

    def __init__(self, template: Mapping[str, Any], overrides: Optional[Mapping[str, Any]]) -> None:
        self.source = template
        # Parameters and Mappings cannot hold loops, so the written template resolves collections.
        self.resolver = Resolver(template, overrides)
        self.expansion = Expansion({})
        self.budget = MAX_EXPANDED_KEYS

    def run(self) -> Expansion:
        result = dict(self.source)
        for section in LOOP_SECTIONS:
            entries = self.source.get(section)
            if isinstance(entries, dict):
                result[section] = self._mapping(entries, (section,), (section,), section, 1, {})
        self.expansion.template = result
        return self.expansion

    # -- walking: copy only what changes ---------------------------------------------------
    def _value(self, node: Any, written: Path, expanded: Path, section: str, depth: int, bound: Bindings) -> Any:
        if depth > MAX_DEPTH:
            return node
        if isinstance(node, str):
            return _bind_text(node, bound) if bound else node
        if isinstance(node, dict):
            if bound and len(node) == 1 and isinstance(node.get("Ref"), str) and node["Ref"] in bound:
                return bound[node["Ref"]]
            return self._mapping(node, written, expanded, section, depth, bound)
        if isinstance(node, list):
            items = [self._value(item, written + (index,), expanded + (index,), section, depth + 1, bound)
                     for index, item in enumerate(node)]
            return node if all(new is old for new, old in zip(items, node)) else items
        return node

    def _mapping(self, node: Dict[Any, Any], written: Path, expanded: Path, section: str, depth: int,
                 bound: Bindings) -> Any:
        result: Dict[Any, Any] = {}
        changed = False
        for key, value in node.items():
            if is_loop_key(key):
                continue
            made_key = _bind_text(key, bound) if bound else key
            made = self._value(value, written + (key,), expanded + (made_key,), section, depth + 1, bound)
            changed |= made is not value or made_key != key
            if made_key in result:
                self.expansion.problems.append((written + (key,), f"{made_key!r} is made twice"))
                continue
            result[made_key] = made
            if made_key != key:
                self.expansion.origins[expanded + (made_key,)] = written + (key,)
        for key, value in node.items():
            if not is_loop_key(key):
                continue
            changed = True
            for made_key, (made_value, origin) in self._loop(key, value, written + (key,), expanded, section,
                                                             depth, bound).items():
                if made_key in result:
                    self.expansion.problems.append((written + (key,), f"{key} makes {made_key!r}, which is "
                                                                      f"already there"))
                    continue
                result[made_key] = made_value
                if origin != expanded + (made_key,):
                    self.expansion.origins[expanded + (made_key,)] = origin
        return result if changed else node

    # -- one loop ----------------------------------------------------------------------
    def _loop(self, name: str, loop: Any, written: Path, expanded: Path, section: str, depth: int,
              bound: Bindings) -> Dict[Any, Tuple[Any, Path]]:
        """{key made: (its value, the written path of its template)} for the mapping at `expanded`.

        An unknown loop makes nothing at section level, and stays as written inside a
        resource or output: dropping it there could make a rule think a property is absent.
        """
        if depth > MAX_DEPTH:
            return {name: (loop, written)}
        if not (isinstance(loop, list) and len(loop) == 3 and isinstance(loop[0], str) and loop[0]
                and isinstance(loop[FRAGMENT], dict)):
            self.expansion.problems.append((written, f"{name} must be a list of an identifier, a collection "
                                                     f"and a mapping of output keys to values"))
            return self._unknown(name, loop, written, expanded, section, depth, bound)
        identifier, collection, fragment = loop
        items = self._collection(_bind(collection, bound, 0))
        cost = len(items) * max(1, len(fragment)) if items is not None else 0
        if items is None or cost > self.budget:
            return self._unknown(name, loop, written, expanded, section, depth, bound)
        self.budget -= cost
        made: Dict[Any, Tuple[Any, Path]] = {}
        fragment_path = written + (FRAGMENT,)
        for item in items:
            inner = {**bound, identifier: item}  # an inner loop's identifier shadows an outer one
            for key, value in fragment.items():
                pairs: Iterable[Tuple[Any, Tuple[Any, Path]]]
                if is_loop_key(key):
                    pairs = self._loop(key, value, fragment_path + (key,), expanded, section, depth + 1, inner).items()
                else:
                    made_key = _bind_text(key, inner)
                    made_value = self._value(value, fragment_path + (key,), expanded + (made_key,), section,
                                             depth + 1, inner)
                    pairs = [(made_key, (made_value, fragment_path + (key,)))]
                for made_key, pair in pairs:
                    if made_key in made:
                        self.expansion.problems.append((written, f"{name} makes {made_key!r} more than once"))
                        continue
                    made[made_key] = pair
        return made

    def _unknown(self, name: str, loop: Any, written: Path, expanded: Path, section: str, depth: int,
                 bound: Bindings) -> Dict[Any, Tuple[Any, Path]]:
        if len(expanded) == 1:  # section level: it would make resources, outputs or conditions
            keys = [_bind_text(key, bound) for key in _output_keys(loop, depth)]
            self.expansion.unknown.append(UnknownLoop(section, written, keys))
            return {}
        return {name: (_bind(loop, bound, 0), written)}

    def _collection(self, collection: Any) -> Optional[List[str]]:
        """The items as strings, or None when they cannot all be known."""
        try:
            values = self.resolver.resolve(collection)
            if not isinstance(values, list):
                return None
            items = []
            for value in values:
                value = self.resolver.resolve(value)
                if value is UNKNOWN or isinstance(value, bool) or not isinstance(value, (str, int, float)):
                    return None
                items.append(str(value))
            return items
        except RecursionError:
            return None


def _bind_text(text: Any, bound: Bindings) -> Any:
    """`${Identifier}` and `&{Identifier}` (non-alphanumerics stripped) replaced by their items."""
    if not isinstance(text, str) or "{" not in text:
        return text
    for identifier, item in bound.items():
        text = text.replace("${" + identifier + "}", item)
        text = text.replace("&{" + identifier + "}", _NOT_ALPHANUMERIC.sub("", item))
    return text


def _bind(node: Any, bound: Bindings, depth: int) -> Any:
    """`node` with the bound identifiers replaced (`Ref: Identifier` too), loops left unexpanded."""
    if not bound or depth > MAX_DEPTH:
        return node
    if isinstance(node, str):
        return _bind_text(node, bound)
    if isinstance(node, list):
        return [_bind(value, bound, depth + 1) for value in node]
    if isinstance(node, dict):
        if len(node) == 1 and isinstance(node.get("Ref"), str) and node["Ref"] in bound:
            return bound[node["Ref"]]
        return {_bind_text(key, bound): _bind(value, bound, depth + 1) for key, value in node.items()}
    return node


__all__ = ["Expansion", "UnknownLoop", "expand", "declares_language_extensions", "is_loop_key", "LOOP_PREFIX"]
