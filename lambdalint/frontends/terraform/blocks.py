"""Resource and data blocks of a module instance evaluated into configuration.Block values.

One Block per instance (count / for_each known), or one conditional Block without a key
when they are not. Arguments are evaluated in the instance's scope; nested blocks become
lists of dicts under their type, `dynamic` blocks expanded where they stand; meta-arguments
(count, for_each, provider, depends_on, lifecycle, provisioners) are left out, as in
`terraform show -json` values. `# lambdalint:ignore RULES reason` comments on the lines
just above a block, nested block or argument become its Ignore entries; above a `module`
block (or at the end of its first line), of every block that call creates, at any depth.
A value a module call's argument wrote lands at that argument (Block.positions) with the
module's own line kept (Block.generated).
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Tuple

from ...lazy import lazy_pattern
from ...model.values import UNKNOWN
from . import hcl
from .configuration import Block, Ignore, Position, ValuePath
from .evaluate import Scope, element_origin, evaluate, iterate, record_positions
from .expansion import each_origins, instance_names
from .module_adapters import adapted
from .modules import ModuleInstance
from .values import EvalError, instance_key

_META_ARGUMENTS = {"count", "for_each", "provider", "depends_on"}
_META_BLOCKS = {"lifecycle", "provisioner", "connection"}
# each entry up to a space or comma, so that a typo (LL2OO6) is an entry LL0005 reports, not the prefix LL2
_IGNORE = lazy_pattern(r"(?:#|//)\s*lambdalint:ignore[:\s]\s*([^\s,]+(?:\s*,\s*[^\s,]+)*)\s*(.*)")

Comments = Dict[int, Tuple[int, str]]


def module_blocks(instance: ModuleInstance) -> Iterator[Block]:
    """Every resource and data block instance of one module instance, in declaration order."""
    from_calls = call_ignores(instance)
    for (mode, type, name), declared in instance.definition.resources.items():
        expanded = instance.expansion_of((mode, type, name), declared)
        base = instance.prefix + ("data." if mode == "data" else "") + f"{type}.{name}"
        keys: List[Any] = expanded.keys if expanded.keys is not None else [None]
        each_values: List[Any] = expanded.values if expanded.values is not None else [None] * len(keys)
        comments = instance.definition.comments.get(declared.position.file, {})
        for key, each_value in zip(keys, each_values):
            scope = instance.scope.bind(instance_names(expanded, key, each_value),
                                        each_origins(declared, instance.scope, key))
            reader = _BodyReader(instance, declared.position.file, comments)
            values = reader.body(declared.body, scope, (), top=True)
            reader.ignores_above(declared.position.line, ())
            block = Block(base + (instance_key(key) if key is not None else ""), mode, type, name, values,
                        declared.position, reader.positions, instance.chain,
                        conditional=instance.conditional or not expanded.known,
                        ignores=tuple(reader.ignores) + from_calls, generated=reader.generated)
            if instance.definition.adapter is not None and instance.call is not None:
                block = adapted(block, instance.definition.adapter, instance.call.position,
                                instance.loader.root_folder, instance.loader.boundary.admits)
            yield block


def call_ignores(instance: ModuleInstance) -> Tuple[Ignore, ...]:
    """The ignores written at the `module` blocks that made `instance`, innermost first: each
    covers every block of the call (path ())."""
    found: List[Ignore] = []
    while instance.caller is not None and instance.call is not None:
        caller, call = instance.caller, instance.call
        file, line = call.position.file, call.position.line
        reader = _BodyReader(caller, file, caller.definition.comments.get(file, {}))
        reader.ignores_above(line, ())
        trailing = caller.definition.trailing.get(file, {}).get(line)
        if trailing is not None:
            reader.ignore_in(trailing, line, ())
        found.extend(reader.ignores)
        instance = caller
    return tuple(found)


class _BodyReader:
    def __init__(self, instance: ModuleInstance, file: str, comments: Comments) -> None:
        self.instance = instance
        self.file = file
        self.comments = comments
        self.positions: Dict[ValuePath, Position] = {}
        self.generated: Dict[ValuePath, Position] = {}
        self.ignores: List[Ignore] = []
        # a module's block: what the caller wrote keeps the module's own line as `generated`
        self.own_files = set(instance.definition.files) if instance.caller is not None else None

    def body(self, body: hcl.Body, scope: Scope, path: ValuePath, top: bool = False) -> Dict[str, Any]:
        values: Dict[str, Any] = {}
        for name, attribute in body.attributes.items():
            if top and name in _META_ARGUMENTS:
                continue
            values[name] = evaluate(attribute.expr, scope)
            record_positions(attribute.expr, scope, path + (name,), self.positions)
            if self.own_files is not None and self.positions[path + (name,)].file not in self.own_files:
                self.generated[path + (name,)] = attribute.expr.position
            self.ignores_above(attribute.position.line, path + (name,))
        for block in body.blocks:
            if top and block.type in _META_BLOCKS:
                continue
            if block.type == "dynamic" and len(block.labels) == 1:
                self.dynamic(block, scope, path, values)
                continue
            items = values.setdefault(block.type, [])
            if items is UNKNOWN:
                continue
            item_path = path + (block.type, len(items))
            self.positions.setdefault(path + (block.type,), block.position)
            self.positions[item_path] = block.position
            self.ignores_above(block.position.line, item_path)
            items.append(self.body(block.body, scope, item_path))
        return values

    def dynamic(self, block: hcl.HclBlock, scope: Scope, path: ValuePath, values: Dict[str, Any]) -> None:
        name = block.labels[0]
        self.positions.setdefault(path + (name,), block.position)
        for_each = block.body.attributes.get("for_each")
        content = next((inner for inner in block.body.blocks if inner.type == "content"), None)
        iterator = block.body.attributes.get("iterator")
        iterator_name = iterator.expr.name if iterator is not None and isinstance(iterator.expr, hcl.Variable) else name
        collection = evaluate(for_each.expr, scope) if for_each is not None else UNKNOWN
        try:
            pairs = iterate(collection)
        except EvalError:  # Terraform rejects it; nothing is known
            pairs = None
        if pairs is None or content is None:
            values[name] = UNKNOWN
            return
        items = values.setdefault(name, [])
        if items is UNKNOWN:
            return
        for key, value in pairs:
            item_path = path + (name, len(items))
            self.positions[item_path] = content.position
            origin = element_origin(for_each.expr, scope, key) if for_each is not None else None
            inner = scope.bind({iterator_name: {"key": key, "value": value}},
                               {f"{iterator_name}.value": origin} if origin is not None else None)
            items.append(self.body(content.body, inner, item_path))

    def ignores_above(self, line: int, path: ValuePath) -> None:
        """Ignore comments on the comment lines right above `line`."""
        above = line - 1
        while above in self.comments:
            self.ignore_in(self.comments[above], above, path)
            above -= 1

    def ignore_in(self, comment: Tuple[int, str], line: int, path: ValuePath) -> None:
        column, text = comment
        found = _IGNORE.match(text.strip())
        if found is not None:
            rules = tuple(rule.strip().upper() for rule in found.group(1).split(","))
            self.ignores.append(Ignore(rules, found.group(2).strip(), path, Position(self.file, line, column)))

