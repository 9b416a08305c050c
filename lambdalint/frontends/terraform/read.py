"""One root module read for the rules: loaded, lowered, and what could not be read said.

lambdalint.api checks the lowered template like any other and hands the findings to
relocate; this module owns the Terraform side of that: the parse errors (LL0001, one per
error, the rest of the configuration still checked), and the `summary.unchecked` entries
of the configuration (a module not installed) and of its functions whose package is made
at apply time.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple

from ...findings import Finding, Unchecked, display_name
from ...own_rules import PARSE_ERROR
from ...records import Record
from .configuration import Configuration
from .lower import Lowering, lower
from .relocate import KIND

CODE_NOT_KNOWN = "code-not-known-before-apply"  # filename of a zip not built yet, or a computed one


class Read(Record):
    __slots__ = ("lowering", "errors", "unchecked")

    def __init__(self, lowering: Lowering, errors: Tuple[Finding, ...], unchecked: Tuple[Unchecked, ...]) -> None:
        self.lowering = lowering
        self.errors = errors
        self.unchecked = unchecked


def read_root_module(folder: str, variables: Mapping[str, Any], root: Optional[str],
                     buffers: Optional[Dict[str, bytes]] = None, plan_file: Optional[str] = None) -> Read:
    """The root module in `folder` read (lambdalint.frontends.terraform.load), with its saved plan
    laid over it (plan.overlay: known planned values fill what the configuration cannot know).

    The plan is `plan_file` (--terraform-plan) or one beside the `.tf` files. When it is fresh
    and readable, its variables (the values terraform was given) are the configuration's too,
    below `variables` (--parameter and the config's `parameters:`). `buffers`: files an editor
    holds unsaved (absolute path -> bytes), read instead of the disk.
    """
    from ...boundary import TrustBoundary
    from .load import load_configuration
    from .plan import find_plan, is_fresh, overlay

    configuration = load_configuration(folder, variables=variables, root=root, buffers=buffers)
    admits = TrustBoundary((root,)).admits if root is not None else (lambda path: True)
    # a plan was made from the files on disk: not of a configuration with unsaved edits
    plan = None if _unsaved(buffers or {}) else find_plan(folder, plan_file, admits)
    if plan is None:
        return prepared(configuration)
    if plan.error is not None:
        return prepared(overlay(configuration, plan))
    fresh = is_fresh(plan, configuration)  # the reload below reads the same files
    if plan.variables and fresh:
        configuration = load_configuration(folder, variables=variables, root=root, buffers=buffers,
                                           planned=plan.variables)
    return prepared(overlay(configuration, plan, fresh))


def _unsaved(buffers: Mapping[str, bytes]) -> bool:
    for path, text in buffers.items():
        try:
            with open(path, "rb") as handle:
                if handle.read(len(text) + 1) != text:
                    return True
        except OSError:
            return True
    return False


def prepared(configuration: Configuration) -> Read:
    """A Configuration (however it was made) lowered, with its errors and unchecked parts."""
    name = display_name(configuration.folder)
    lowering = lower(configuration, name)
    errors = tuple(Finding(file=position.file, line=position.line, column=position.column, rule=PARSE_ERROR.id,
                           severity=PARSE_ERROR.severity, message=message)
                   for position, message in configuration.errors)
    unchecked: List[Unchecked] = [Unchecked(name, _named(detail), reason, {"kind": KIND, "name": _named(detail)})
                                  for reason, detail in configuration.unchecked]
    unchecked += [Unchecked(name, lowering.addresses[lid], CODE_NOT_KNOWN,
                            {"kind": KIND, "name": lowering.addresses[lid]}) for lid in lowering.code_unknown]
    return Read(lowering, errors, tuple(unchecked))


def _named(detail: str) -> str:
    """What an unchecked entry is about: `module.fn` of "module.fn (source): not installed, ..."."""
    return detail.split(" ", 1)[0].rstrip(":") or detail


def named_unchecked(entries: Tuple[Unchecked, ...], lowering: Lowering) -> Tuple[Unchecked, ...]:
    """The model's unchecked entries (by logical ID) named by address."""
    named = []
    for entry in entries:
        address = lowering.addresses.get(entry.resource)
        named.append(entry.replace(resource=address, origin={"kind": KIND, "name": address}) if address else entry)
    return tuple(named)
