"""Registry modules read without `terraform init`: a small table of input adapters.

A call of terraform-aws-modules/lambda/aws (or its `modules/alias`) that `terraform init` has
not installed is read through lambdalint's own summary of what the module makes, kept as data
per major version (adapters/*.hcl): the function, layer, role, log group, permissions, event
source mappings and URL its inputs describe, under the addresses the module gives them
(`module.fn.aws_lambda_function.this[0]`), and its outputs as references to them. The major
is the one the call's `version` constraint allows; a constraint that allows another major,
or several, reads as a module not installed, as any other. What the adapter does not map is
unknown, never guessed; the call's inputs it does not map are said once (unchecked).

The adapter's blocks stand for the `module` block: every place in the adapter is the call's
line, and a value the call passes lands at its argument. The package the module builds from
`source_path` is the folder it names when the module would zip it as it is (no patterns,
commands or prefix, nothing for pip or npm to install into it), else not known before apply.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Optional, Tuple

from ...lazy import lazy_pattern
from ...model.values import UNKNOWN
from . import hcl
from .configuration import Block, Position

# (registry source, subfolder) -> {major: adapter file}: majors 4 to 8 make the same resources
# from the inputs mapped here (variables.tf, main.tf, iam.tf and modules/alias of the tags
# v4.0.0 ... v8.8.1 compared); what a major adds (snap_start from 5, logging_config from 7)
# the adapter decides by `lambdalint_major`.
ADAPTERS: Dict[Tuple[str, str], Dict[int, str]] = {
    ("terraform-aws-modules/lambda/aws", ""): {major: "lambda.hcl" for major in range(4, 9)},
    ("terraform-aws-modules/lambda/aws", "modules/alias"): {major: "lambda-alias.hcl" for major in range(4, 9)},
}
ADAPTER_FILE = "<lambdalint adapter {source} v{major}>"  # the display name of an adapter's positions
MAJOR_INPUT = "lambdalint_major"
BUILD_FROM = "lambdalint_build_from"  # the adapter's stand-in for the package the module builds
_OWN_INPUTS = {MAJOR_INPUT, "known_at_apply"}

# files a dependency installer reads: the module runs pip, poetry, uv or npm on such a folder
# (package.py of the module), so its zip holds more than the folder
_INSTALLS_INTO = ("requirements.txt", "pyproject.toml", "uv.lock", "Pipfile", "package.json")
_PLAIN_CLAIM = {"path"}  # a source_path entry with anything else (patterns, commands, prefix_in_zip, ...) is built


class Adapter:
    """One call's adapter: the file to read and the major it stands for."""

    __slots__ = ("source", "major", "file")

    def __init__(self, source: str, major: int, file: str) -> None:
        self.source = source
        self.major = major
        self.file = file

    @property
    def display(self) -> str:
        return ADAPTER_FILE.format(source=self.source, major=self.major)

    def text(self) -> bytes:
        with open(os.path.join(os.path.dirname(__file__), "adapters", self.file), "rb") as handle:
            return handle.read()


def adapter_for(source: str, version: Any) -> Optional[Adapter]:
    """The adapter of a registry `source` at the major its `version` constraint allows, if any."""
    address, _, subfolder = source.partition("//")
    address = address.lower()
    for host in ("registry.terraform.io/", "registry.opentofu.org/"):
        if address.startswith(host):
            address = address[len(host):]
    majors = ADAPTERS.get((address, subfolder.strip("/")))
    if majors is None or not isinstance(version, str):
        return None
    major = constraint_major(version)
    if major is None or major not in majors:
        return None
    return Adapter(source, major, majors[major])


_CONSTRAINT = lazy_pattern(r"^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?\s*$")


def constraint_major(text: str) -> Optional[int]:
    """The one major version a Terraform version constraint allows, or None (several, or unreadable).

    https://developer.hashicorp.com/terraform/language/expressions/version-constraints: `~> 4.0`
    allows 4.x, `~> 4.1.2` 4.1.x, `= 7.7.1` or `7.7.1` one release; `>=`/`>`/`<`/`<=` bound a range.
    """
    low: Tuple[int, ...] = (0,)
    high: Optional[Tuple[int, ...]] = None  # exclusive
    for part in text.split(","):
        found = _CONSTRAINT.match(part)
        if found is None:
            return None
        operator = found.group(1) or "="
        numbers = tuple(int(group) for group in found.groups()[1:] if group is not None)
        if operator == "!=":
            continue
        if operator == "~>":
            if len(numbers) < 2:
                return None  # `~> 4` allows 4 and every later major
            low = max(low, numbers)
            bound = numbers[:-2] + (numbers[-2] + 1,)
            high = bound if high is None else min(high, bound)
        elif operator == "=":
            low = max(low, numbers)
            bound = numbers[:-1] + (numbers[-1] + 1,)  # `= 7.7` is 7.7.0; any bound inside the major
            high = bound if high is None else min(high, bound)
        elif operator in (">=", ">"):
            low = max(low, numbers)
        elif operator in ("<", "<="):
            bound = numbers if operator == "<" else numbers[:-1] + (numbers[-1] + 1,)
            high = bound if high is None else min(high, bound)
    if high is None or high <= low:
        return None
    # the range [low, high) lies in one major when high is at most the next major's first release
    if high[0] == low[0] or (high[0] == low[0] + 1 and all(number == 0 for number in high[1:])):
        return low[0]
    return None


def undeclared_inputs(call: hcl.HclBlock, declared: Dict[str, Any], meta: Any) -> Tuple[str, ...]:
    """The call's arguments the adapter does not map."""
    return tuple(sorted(name for name in call.body.attributes
                        if name not in meta and (name not in declared or name in _OWN_INPUTS)))


def adapted(block: Block, display: str, call: Position, root_folder: str, admits: Any) -> Block:
    """An adapter's block as the call makes it: every adapter position the call's line, and the
    package the module builds from source_path read (package)."""
    positions = {path: (call if where.file == display else where) for path, where in block.positions.items()}
    values = dict(block.values)
    build_from = values.pop(BUILD_FROM, None)
    if BUILD_FROM in block.values:
        written = positions.pop((BUILD_FROM,), call)
        if build_from is not None:
            found = package(build_from, root_folder, admits)
            values["filename"] = found if found is not None else UNKNOWN
            positions[("filename",)] = written
    return block.replace(values=values, position=call, positions=positions, generated={})


def package(source_path: Any, root_folder: str, admits: Any) -> Optional[str]:
    """The folder the module zips as it is for `source_path` (a path, or a list of one plain
    entry), relative to the root module's folder as Terraform reads it; None when the module
    builds more than that folder or the path is not a folder inside the project."""
    claim = source_path
    if isinstance(claim, list):
        if len(claim) != 1:
            return None
        claim = claim[0]
        if isinstance(claim, dict):
            if set(key for key, value in claim.items() if value not in (None, False)) != _PLAIN_CLAIM:
                return None
            claim = claim["path"]
            full = _folder(claim, root_folder, admits)
            return claim if full is not None else None
    full = _folder(claim, root_folder, admits)
    if full is None or any(os.path.lexists(os.path.join(full, name)) for name in _INSTALLS_INTO):
        return None
    return claim


def _folder(path: Any, root_folder: str, admits: Any) -> Optional[str]:
    if not isinstance(path, str) or not path:
        return None
    full = os.path.normpath(os.path.join(root_folder, path))
    return full if admits(full) and os.path.isdir(full) else None
