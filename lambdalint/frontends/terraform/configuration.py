"""What the Terraform evaluator hands the lowering: evaluated blocks named by address.

This is the seam between the two halves of the Terraform front end. The evaluator (hcl,
evaluate) builds a Configuration; the lowering reads nothing else. Values are plain Python
(str, int, float, bool, None, list, dict) where Terraform would know them before `apply`;
otherwise one of:

- lambdalint.model.values.UNKNOWN: not knowable (an unset variable without default, a data
  source's result, a function we do not evaluate, a remote module's output);
- Reference: an attribute of another resource or data block of this configuration
  (`aws_sqs_queue.jobs.arn`), which the lowering turns into Ref / Fn::GetAtt;
- Interpolation: a string mixing text with references or unknowns (`"${aws_iam_role.r.arn}/x"`);
- Encoded: the JSON text `jsonencode` makes of a value with such parts in it (a policy naming
  `aws_sqs_queue.jobs.arn`): a string not known before apply whose structure is known.

Nested blocks (`environment { ... }`, `vpc_config { ... }`, `dynamic` blocks once expanded)
are a list of dicts under the block's type name, as in `terraform show -json`.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from ...records import Record

# a path into a Block's values: ("environment", 0, "variables", "TABLE")
ValuePath = Tuple[Any, ...]


class Position(Record):
    """Where something is written: file (as given on the command line / display name), 1-based line and column."""

    __slots__ = ("file", "line", "column")

    def __init__(self, file: str, line: int, column: int) -> None:
        self.file = file
        self.line = line
        self.column = column


class Reference(Record):
    """`<address>.<attribute...>` of a resource or data block of the configuration.

    `address` is the referenced block's full address, instance key included when known
    (`module.fn["a"].aws_lambda_function.this[0]`); `attribute` the path after it (("arn",)).
    """

    __slots__ = ("address", "attribute")

    def __init__(self, address: str, attribute: Tuple[Any, ...]) -> None:
        self.address = address
        self.attribute = attribute


class Interpolation(Record):
    """A template string whose parts are str, Reference or UNKNOWN, in order."""

    __slots__ = ("parts",)

    def __init__(self, parts: Tuple[Any, ...]) -> None:
        self.parts = parts


class Encoded(Record):
    """`jsonencode(value)` of a list or object not wholly known (`{Resource = aws_sqs_queue.q.arn}`).

    Terraform writes its text at apply time only, so as a string it is unknown; where a JSON
    document is expected (a policy, a redrive policy) the lowering reads `value`, whose unknown
    parts are at its leaves, never the whole document.
    """

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class Ignore(Record):
    """`# lambdalint:ignore LL6001[,LL6002] reason` on the line above a block or attribute.

    `path` is the value path the comment covers (() for the whole block).
    """

    __slots__ = ("rules", "reason", "path", "position")

    def __init__(self, rules: Tuple[str, ...], reason: str, path: ValuePath, position: Position) -> None:
        self.rules = rules
        self.reason = reason
        self.path = path
        self.position = position


class Block(Record):
    """One instance of a `resource` or `data` block, after count/for_each.

    `conditional` is True when its count/for_each could not be evaluated: it may exist or not.
    `positions` maps value paths to where they are written (the attribute's expression; for a
    value that came from a variable, the variable's default or tfvars line); `where(path)` falls
    back to the deepest written prefix, then the block's own line.
    `module` is the call chain from the root, outermost first (("module.fn[\"orders\"]",)).
    `generated` maps the value paths of a module's block whose value the caller wrote (a module
    call's argument) to the block's own line in the module: where the value is used, kept
    beside where it is edited.
    """

    __slots__ = ("address", "mode", "type", "name", "values", "position", "positions",
                 "module", "conditional", "ignores", "generated")
    _hidden = ("positions", "generated")

    def __init__(self, address: str, mode: str, type: str, name: str, values: Dict[str, Any],
                 position: Position, positions: Dict[ValuePath, Position], module: Tuple[str, ...] = (),
                 conditional: bool = False, ignores: Tuple[Ignore, ...] = (),
                 generated: Optional[Dict[ValuePath, Position]] = None) -> None:
        self.address = address
        self.mode = mode  # "resource" or "data"
        self.type = type
        self.name = name
        self.values = values
        self.position = position
        self.positions = positions
        self.module = module
        self.conditional = conditional
        self.ignores = ignores
        self.generated = generated or {}

    def where(self, path: ValuePath) -> Position:
        path = tuple(path)
        while path:
            found = self.positions.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return self.position

    def generated_at(self, path: ValuePath) -> Optional[Position]:
        """The module's own line of a value its caller wrote (None: the value is written in the block's module)."""
        path = tuple(path)
        while path:
            found = self.generated.get(path)
            if found is not None:
                return found
            if path in self.positions:
                return None  # written here, deeper than any caller's value
            path = path[:-1]
        return None


class Configuration(Record):
    """A root module evaluated: its blocks, files, and what could not be read.

    `folder` is the root module's folder; `files` every file read (root and local modules);
    `unchecked` (reason, detail) pairs said once per run (a remote module not installed, a
    file that does not parse: the rest is still read); `variables` the names of the root
    module's `variable` blocks, in the order read: the ones `--parameter` may set.
    """

    __slots__ = ("folder", "blocks", "files", "unchecked", "errors", "variables")

    def __init__(self, folder: str, blocks: Tuple[Block, ...], files: Tuple[str, ...],
                 unchecked: Tuple[Tuple[str, str], ...] = (), errors: Tuple[Tuple[Position, str], ...] = (),
                 variables: Tuple[str, ...] = ()) -> None:
        self.folder = folder
        self.blocks = blocks
        self.files = files
        self.unchecked = unchecked
        self.errors = errors  # parse errors: (where, message), reported as LL0001 by the front end
        self.variables = variables

    def block(self, address: str) -> Optional[Block]:
        return next((block for block in self.blocks if block.address == address), None)
