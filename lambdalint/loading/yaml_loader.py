"""YAML templates: libyaml composes nodes, we turn them into plain values.

Our own node walk replaces PyYAML's constructor because CloudFormation needs
different choices: short tags become their long form, a duplicate key keeps
its last value and is recorded (CloudFormation deploys the last one), dates stay strings
(`AWSTemplateFormatVersion: 2010-09-09`), and aliases are bounded so an alias bomb cannot explode later rule walks.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Set, Tuple

from ..lazy import deferred_compiles

with deferred_compiles("yaml"):  # 4 ms of patterns, most of which libyaml's loader never uses
    import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..findings import Path
from .document import Document, DuplicateKey, LoadError, offset_to_position

try:  # the C composer is an order of magnitude faster
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]  # the same interface, in Python

_DEFAULT_TAGS = {ScalarNode: _BaseLoader.DEFAULT_SCALAR_TAG, SequenceNode: _BaseLoader.DEFAULT_SEQUENCE_TAG,
                 MappingNode: _BaseLoader.DEFAULT_MAPPING_TAG}
_PLAIN_TAGS_KEPT = 50_000  # distinct plain scalars remembered at most (a big template has ~20,000)


class _Loader(_BaseLoader):
    """The safe loader, resolving tags with a memory: the composer asks for every node's tag,
    and PyYAML's resolver tries its patterns on each plain scalar again (`Type`, `Properties`,
    `Ref` thousands of times), a twentieth of loading a corpus.

    The answer depends on the text alone: the safe loader has no path resolvers
    (tests/test_loading.py checks), so the per-node descend/ascend steps have nothing to do.
    """

    _plain_tags: Dict[str, str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Tuple[bool, bool]) -> str:
        if kind is ScalarNode and implicit[0]:
            tag = self._plain_tags.get(value)
            if tag is None:
                if len(self._plain_tags) >= _PLAIN_TAGS_KEPT:
                    self._plain_tags.clear()
                tag = self._plain_tags[value] = super().resolve(kind, value, implicit)
            return tag
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

# Long forms of CloudFormation's short tags (the `!Ref` family).
SHORT_TAGS = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    "!GetAtt": "Fn::GetAtt",
    "!Sub": "Fn::Sub",
    "!If": "Fn::If",
    "!Join": "Fn::Join",
    "!Select": "Fn::Select",
    "!Split": "Fn::Split",
    "!FindInMap": "Fn::FindInMap",
    "!ImportValue": "Fn::ImportValue",
    "!Base64": "Fn::Base64",
    "!Cidr": "Fn::Cidr",
    "!GetAZs": "Fn::GetAZs",
    "!Equals": "Fn::Equals",
    "!And": "Fn::And",
    "!Or": "Fn::Or",
    "!Not": "Fn::Not",
    "!Transform": "Fn::Transform",
    "!Length": "Fn::Length",
    "!ToJsonString": "Fn::ToJsonString",
    "!ForEach": "Fn::ForEach",
    # Rule functions, valid in the Rules section
    # (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-rules.html)
    "!Contains": "Fn::Contains",
    "!EachMemberEquals": "Fn::EachMemberEquals",
    "!EachMemberIn": "Fn::EachMemberIn",
    "!RefAll": "Fn::RefAll",
    "!ValueOf": "Fn::ValueOf",
    "!ValueOfAll": "Fn::ValueOfAll",
}

# Expanded node count above which a document is refused: generous for real
# templates (a 20 MB template has ~1M nodes), fatal for alias bombs.
MAX_EXPANDED_NODES = 5_000_000
MAX_DEPTH = 256

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"

_BOOLS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_constructor = SafeConstructor()  # borrowed only for YAML 1.1 int/float spelling rules


def _mark(node: Node) -> Tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Converter:
    def __init__(self) -> None:
        self.memo: Dict[int, Any] = {}  # containers only: an alias reuses the converted value
        self.sizes: Dict[int, int] = {}
        self.depth = 0
        self.aliased = False  # a container was reached twice: expansion must be bounded
        # (mapping node, the key nodes of one key written more than once, in file order)
        self.repeated: List[Tuple[MappingNode, List[Node]]] = []

    def size(self, node: Node, depth: int = 0) -> int:
        """Node count with aliases expanded, memoised so shared nodes cost once to count."""
        key = id(node)
        known = self.sizes.get(key)
        if known is not None:
            return known
        if depth > MAX_DEPTH:
            raise LoadError(f"nested deeper than {MAX_DEPTH} levels", *_mark(node))
        self.sizes[key] = 1  # a recursive alias counts once, then is refused by convert
        if isinstance(node, MappingNode):
            total = 1 + sum(self.size(k, depth + 1) + self.size(v, depth + 1) for k, v in node.value)
        elif isinstance(node, SequenceNode):
            total = 1 + sum(self.size(item, depth + 1) for item in node.value)
        else:
            total = 1
        if total > MAX_EXPANDED_NODES:
            raise LoadError(
                f"document expands to more than {MAX_EXPANDED_NODES} values (YAML alias bomb?)", *_mark(node)
            )
        self.sizes[key] = total
        return total

    def convert(self, node: Node) -> Any:
        tag = node.tag
        if isinstance(node, ScalarNode):
            if tag in SHORT_TAGS:
                return self._short_form(node, SHORT_TAGS[tag])
            if tag.startswith("!"):
                raise LoadError(f"unknown tag {tag}", *_mark(node))
            return self._scalar(node)
        key = id(node)
        if key in self.memo:
            value = self.memo[key]
            if value is _IN_PROGRESS:
                raise LoadError("recursive YAML alias", *_mark(node))
            self.aliased = True
            return value
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise LoadError(f"nested deeper than {MAX_DEPTH} levels", *_mark(node))
        self.memo[key] = _IN_PROGRESS  # an alias back into this node is a cycle
        if tag in SHORT_TAGS:
            value = self._short_form(node, SHORT_TAGS[tag])
        elif tag.startswith("!"):
            raise LoadError(f"unknown tag {tag}", *_mark(node))
        elif isinstance(node, SequenceNode):
            value = [self.convert(item) for item in node.value]
        elif isinstance(node, MappingNode):
            value = self._mapping(node)
        else:  # pragma: no cover - libyaml yields only these three node kinds
            raise LoadError(f"unsupported YAML node {tag}", *_mark(node))
        self.memo[key] = value
        self.depth -= 1
        return value

    def _scalar(self, node: ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _STR:
            return text
        try:
            if tag == _INT:
                return _constructor.construct_yaml_int(node)
            if tag == _BOOL:
                return _BOOLS[text.lower()]
            if tag == _FLOAT:
                return _constructor.construct_yaml_float(node)
        except (ValueError, KeyError, IndexError):  # only an explicit `!!int abc` (or empty) gets here
            raise LoadError(f"{text!r} is not a valid {tag.rsplit(':', 1)[-1]}", *_mark(node)) from None
        if tag == _NULL:
            return None
        if tag.startswith("!"):
            raise LoadError(f"unknown tag {tag}", *_mark(node))
        # timestamps, binary and the rest: CloudFormation sees the text
        return text

    def _mapping(self, node: MappingNode) -> Dict[Any, Any]:
        result: Dict[Any, Any] = {}
        first_seen: Dict[Any, Node] = {}
        repeated: Optional[Dict[Any, List[Node]]] = None
        merged: Dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.update(self._merge_sources(value_node))
                continue
            key = self.convert(key_node)
            if isinstance(key, (dict, list)):
                raise LoadError("a mapping key must be a scalar", *_mark(key_node))
            if key in first_seen:  # CloudFormation keeps the last one: so do we, and say so
                if repeated is None:
                    repeated = {}
                repeated.setdefault(key, [first_seen[key]]).append(key_node)
            else:
                first_seen[key] = key_node
            result[key] = self.convert(value_node)
        if repeated:
            self.repeated.extend((node, key_nodes) for key_nodes in repeated.values())
        if merged:
            merged.update(result)
            return merged
        return result

    def _merge_sources(self, node: Node) -> Dict[Any, Any]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        merged: Dict[Any, Any] = {}
        for source in reversed(sources):
            value = self.convert(source)
            if not isinstance(value, dict):
                raise LoadError("a YAML merge key (<<) needs a mapping", *_mark(source))
            merged.update(value)
        return merged

    def _short_form(self, node: Node, name: str) -> Dict[str, Any]:
        if name == "Fn::GetAtt" and isinstance(node, ScalarNode):
            resource, _, attribute = node.value.partition(".")
            return {name: [resource, attribute]}
        if isinstance(node, ScalarNode):
            return {name: node.value}
        if isinstance(node, SequenceNode):
            return {name: [self.convert(item) for item in node.value]}
        assert isinstance(node, MappingNode)  # the composer makes scalar, sequence and mapping nodes only
        return {name: self._mapping(node)}


_IN_PROGRESS = object()


def load_yaml(text: str, name: str) -> Document:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        tab_column = _indentation_tab(text, line, column)
        if tab_column is not None:
            raise LoadError("tab character in indentation (YAML indents with spaces only)", line, tab_column) from None
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{problem} ({exc.context})"
        if "nesting depth" in problem:  # PyYAML 6.0.4+ bounds nesting itself, before our converter does
            raise LoadError(f"YAML nested too deeply to read ({problem})", line, column) from None
        raise LoadError(f"YAML syntax: {problem}", line, column) from None
    except UnicodeEncodeError as exc:
        # only reachable through load_text with lone surrogates (decode never makes them)
        line, column = offset_to_position(text, exc.start)
        raise LoadError("text contains an unpaired surrogate, not valid Unicode", line, column) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"YAML: {exc}", 1, 1) from None
    except RecursionError:
        raise LoadError("YAML nested too deeply to read", 1, 1) from None
    if root is None:
        raise LoadError("empty file (no YAML document)", 1, 1)
    converter = _Converter()
    try:
        data = converter.convert(root)
        if converter.aliased:
            # shared values cost nothing to build but every rule walk expands them again
            converter.size(root)
    except RecursionError:
        raise LoadError(f"nested deeper than {MAX_DEPTH} levels", 1, 1) from None
    duplicates = _duplicates(root, converter) if converter.repeated else ()
    return Document(name=name, data=data, format="yaml", text=text, _locator=_Locator(root), duplicates=duplicates)


def _duplicates(root: Node, converter: _Converter) -> Tuple[DuplicateKey, ...]:
    """The repeated keys with their paths in the loaded values (rare: walks the node tree once).

    Only the values that were kept are searched: a key repeated inside a value that a later
    key replaced is not in the template CloudFormation deploys.
    """
    dropped: Set[int] = set()
    for _, key_nodes in converter.repeated:
        dropped.update(id(key_node) for key_node in key_nodes[:-1])
    wanted = {id(mapping) for mapping, _ in converter.repeated}
    paths: Dict[int, Path] = {}
    seen: Set[int] = set()
    stack: List[Tuple[Node, Path]] = [(root, ())]
    while stack and len(paths) < len(wanted):
        node, path = stack.pop()
        if id(node) in seen or isinstance(node, ScalarNode):
            continue
        seen.add(id(node))
        if node.tag in SHORT_TAGS:
            path = path + (SHORT_TAGS[node.tag],)
        # children are pushed last first, so that nodes are visited in file order: an anchored
        # mapping is found where it is written, before any alias to it
        if isinstance(node, SequenceNode):
            stack.extend((item, path + (index,)) for index, item in reversed(list(enumerate(node.value))))
            continue
        if id(node) in wanted:
            paths[id(node)] = path
        children: List[Tuple[Node, Path]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:  # merged keys land in this mapping
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                children.extend((source, path) for source in sources)
            elif id(key_node) not in dropped:
                children.append((value_node, path + (converter.convert(key_node),)))
        stack.extend(reversed(children))
    found = []
    for mapping, key_nodes in converter.repeated:
        mapping_path = paths.get(id(mapping))
        if mapping_path is not None:
            last = key_nodes[-1]
            key = converter.convert(last)
            found.append(DuplicateKey(mapping_path + (key,), *_mark(last), tuple(_mark(k) for k in key_nodes[:-1])))
    return tuple(sorted(found, key=lambda d: (d.line, d.column)))


def _indentation_tab(text: str, line: int, column: int) -> Optional[int]:
    """Column of a tab in the leading whitespace of the error line, when libyaml stopped there.

    libyaml reports a tab as "found character that cannot start any token",
    which does not tell the reader that the invisible character is the problem.
    """
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    row = lines[line - 1]
    indent = row[: len(row) - len(row.lstrip(" \t"))]
    if "\t" in indent and column <= len(indent) + 1:
        return indent.index("\t") + 1
    return None


class _Locator:
    """Finds a path in the node tree; each mapping's keys are indexed on first visit, so
    locating many findings in a large template stays linear."""

    def __init__(self, root: Node):
        self.root = root
        self.keys: Dict[int, Dict[str, Tuple[Node, Node]]] = {}

    def _child(self, node: MappingNode, step: Any) -> Optional[Tuple[Node, Node]]:
        index = self.keys.get(id(node))
        if index is None:
            index = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode):  # a key written twice: the last one, as it is kept
                    index[key_node.value] = (key_node, value_node)
            self.keys[id(node)] = index
        found = index.get(step) if isinstance(step, str) else None
        return found if found is not None else index.get(str(step))

    def __call__(self, path: Path) -> Optional[Tuple[int, int]]:
        """Walk the node tree along `path`; short-tag nodes stand for their long-form key."""
        node: Node = self.root
        position = _mark(node)
        unwrapped: Optional[Node] = None  # a short-tag node whose long-form key was consumed
        for step in path:
            if node.tag in SHORT_TAGS and node is not unwrapped:
                if step != SHORT_TAGS[node.tag]:
                    return None
                if isinstance(node, ScalarNode):
                    # `!GetAtt A.B` and `!Ref X`: the deeper steps all live in one scalar
                    return position
                unwrapped = node
                continue
            if isinstance(node, MappingNode):
                found = self._child(node, step)
                if found is None:
                    return None
                key_node, node = found
                position = _mark(key_node) if not isinstance(step, int) else _mark(node)
            elif isinstance(node, SequenceNode):
                if not isinstance(step, int) or not 0 <= step < len(node.value):
                    return None
                node = node.value[step]
                position = _mark(node)
            else:
                return None
        return position
