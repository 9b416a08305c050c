"""A saved plan (`terraform show -json plan.out`) laid over a configuration: known values fill unknowns.

The plan knows what the configuration alone cannot: the values of functions the evaluator
does not run, of data sources (read during the plan), of remote modules' outputs, and whether
a block whose count/for_each was unknown exists. It has no source positions, though, and it
reports an attribute computed at apply as unknown where the configuration may still say
something about it (a map with one computed element). So the plan never replaces what the
configuration knows: `overlay` fills only values that are UNKNOWN in the configuration,
address by address, and leaves positions, References and every known value alone.

What is read (https://developer.hashicorp.com/terraform/internals/json-format):

- `planned_values`: `root_module` and its `child_modules`, recursively; each resource's
  `address` and `values` (unknown map keys are left out, unknown list elements are null);
- `resource_changes[].change.after_unknown`: which of those values are unknown (true at the
  place of an unknown one), so that a left-out key or a null is not read as "not set";
- `prior_state`: the data sources the plan read, with their results;
- `variables`: the root module's input values the plan used.

A file that is not such a plan is one error (`Plan.error`), never an exception; the overlay
reports it as a parse error of the configuration (LL0001) and changes nothing else. A plan
older than a file of the configuration was made from other code: it is not laid over, and
that is said once (`Configuration.unchecked`, reason `terraform-plan-stale`).

How a run finds its plan (`find_plan`): the file given on the command line, else a JSON file
beside the root module's `.tf` files that starts the way `terraform show -json` output does.
The plan's `variables` are the values the plan was made with: pass them to the evaluator
(below any given on the command line) so that the configuration is evaluated as planned.
"""

from __future__ import annotations

import json
import os
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence

from ...findings import display_name
from ...model.values import UNKNOWN
from ...records import Record
from .configuration import Block, Configuration, Encoded, Interpolation, Position, Reference

# A plan of a few thousand resources is a few MB; past this it is not read at all.
MAX_PLAN_BYTES = 64 * 1024 * 1024
# How far a value nests before the rest is UNKNOWN (a hostile file cannot exhaust the stack).
MAX_DEPTH = 64
# How many child modules deep the plan is read (Terraform itself has no such depth in practice).
MAX_MODULE_DEPTH = 32
# What recognises a plan among the JSON files beside the .tf files: the first keys Terraform writes.
SNIFF_BYTES = 4096
_SIGNATURE = (b'"format_version"', b'"terraform_version"')
PLAN_FILE = "plan.json"
STALE = "terraform-plan-stale"


class Plan(Record):
    """What one plan file says: known values by address (UNKNOWN where computed at apply).

    `resources` maps each planned resource's and read data source's address to its values;
    `variables` the root input values the plan was made with; `error` a one-line reason when
    the file could not be read as a plan (then nothing else is set); `modified` the file's
    modification time (ns), None when the plan was not read from a file.
    """

    __slots__ = ("path", "resources", "variables", "terraform_version", "error", "modified")
    _hidden = ("resources",)

    def __init__(self, path: str, resources: Mapping[str, Mapping[str, Any]], variables: Mapping[str, Any],
                 terraform_version: str = "", error: Optional[str] = None, modified: Optional[int] = None) -> None:
        self.path = path
        self.resources = resources
        self.variables = variables
        self.terraform_version = terraform_version
        self.error = error
        self.modified = modified


def read_plan(path: str) -> Plan:
    """The plan in `path`, or a Plan with only `error` set (too large, not JSON, not a plan)."""
    try:
        status = os.stat(path)
        if status.st_size > MAX_PLAN_BYTES:
            return _failed(path, f"plan file is larger than {MAX_PLAN_BYTES // (1024 * 1024)} MB: not read")
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        return _failed(path, f"plan file cannot be read: {exc.strerror or exc}")
    except UnicodeDecodeError:
        return _failed(path, "plan file is not UTF-8 text")
    except json.JSONDecodeError as exc:
        return _failed(path, f"plan file is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    except (ValueError, RecursionError):  # nesting past the parser's stack, a number past Python's digit limit
        return _failed(path, "plan file is not JSON Terraform writes (nested too deeply or a number too long)")
    return plan_from(path, data).replace(modified=status.st_mtime_ns)


def plan_from(path: str, data: Any) -> Plan:
    """The Plan in a decoded `terraform show -json` document."""
    if not isinstance(data, dict) or "format_version" not in data or not isinstance(data.get("planned_values"), dict):
        return _failed(path, "JSON file is not a Terraform plan (`terraform show -json` output has "
                             "format_version and planned_values)")
    version = data.get("format_version")
    if not isinstance(version, str) or not version.startswith("1."):
        return _failed(path, f"plan format_version {version!r} is not one lambdalint reads (1.x)")
    unknown = _after_unknown(data.get("resource_changes"))
    resources: Dict[str, Mapping[str, Any]] = {}
    prior = data.get("prior_state")
    if isinstance(prior, dict) and isinstance(prior.get("values"), dict):
        for resource in _module_resources(prior["values"].get("root_module"), 0):
            if resource.get("mode") == "data":
                resources[resource["address"]] = _known(resource.get("values"), False, 0)
    for resource in _module_resources(data["planned_values"].get("root_module"), 0):
        resources[resource["address"]] = _known(resource.get("values"), unknown.get(resource["address"], False), 0)
    variables = data.get("variables")
    inputs = {name: entry["value"] for name, entry in variables.items()
              if isinstance(entry, dict) and "value" in entry} if isinstance(variables, dict) else {}
    terraform_version = data.get("terraform_version")
    return Plan(path, resources, inputs, terraform_version if isinstance(terraform_version, str) else "")


def _failed(path: str, message: str) -> Plan:
    return Plan(path, {}, {}, error=message)


def _module_resources(module: Any, depth: int) -> Iterator[Dict[str, Any]]:
    """Every resource of a planned module and its child modules, each with a string address."""
    if not isinstance(module, dict) or depth > MAX_MODULE_DEPTH:
        return
    for resource in module.get("resources") or ():
        if isinstance(resource, dict) and isinstance(resource.get("address"), str):
            yield resource
    for child in module.get("child_modules") or ():
        yield from _module_resources(child, depth + 1)


def _after_unknown(changes: Any) -> Dict[str, Any]:
    """address -> the change's after_unknown (true, or a tree with true where a value is unknown)."""
    found: Dict[str, Any] = {}
    for change in changes if isinstance(changes, list) else ():
        if not isinstance(change, dict) or not isinstance(change.get("change"), dict):
            continue
        if isinstance(change.get("address"), str):
            found[change["address"]] = change["change"].get("after_unknown", False)
    return found


def _known(value: Any, unknown: Any, depth: int) -> Any:
    """`value` with UNKNOWN wherever `unknown` (after_unknown's tree) says true, keys left out included."""
    if unknown is True or depth > MAX_DEPTH:
        return UNKNOWN
    if isinstance(value, dict) or isinstance(unknown, dict):
        values = value if isinstance(value, dict) else {}
        marks = unknown if isinstance(unknown, dict) else {}
        return {str(key): _known(values.get(key), marks.get(key, False), depth + 1)
                for key in dict.fromkeys([*values, *marks])}
    if isinstance(value, list):
        marks_list = unknown if isinstance(unknown, list) else []
        return [_known(item, marks_list[index] if index < len(marks_list) else False, depth + 1)
                for index, item in enumerate(value)]
    return value


# -- which file is the plan -------------------------------------------------------------------

def looks_like_plan(path: str) -> bool:
    """Whether a .json file starts the way `terraform show -json` output does (content, not name)."""
    if path.endswith(".tf.json"):
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    return head.lstrip()[:1] == b"{" and all(signature in head for signature in _SIGNATURE)


def plan_beside(folder: str, admits: Callable[[str], bool] = lambda path: True) -> Optional[str]:
    """The plan JSON a user left in a root module's folder, recognised by content, or None.

    `plan.json` first, then any other `*.json` (not `*.tf.json`) of the folder, in name order;
    `admits` is the trust boundary (a symlink out of the scanned tree is not read).
    """
    try:
        names = sorted(name for name in os.listdir(folder) if name.endswith(".json"))
    except OSError:
        return None
    names.sort(key=lambda name: name != PLAN_FILE)
    for name in names:
        path = os.path.join(folder, name)
        if os.path.isfile(path) and admits(path) and looks_like_plan(path):
            return path
    return None


def find_plan(folder: str, given: Optional[str] = None, admits: Callable[[str], bool] = lambda path: True
              ) -> Optional[Plan]:
    """The plan for the root module in `folder`: the file `given` (--terraform-plan), else one beside it.

    A given file is read whatever its name (an error if it is no plan); `admits` applies to
    the one found beside the module only, as the user named the given one.
    """
    path = given if given is not None else plan_beside(folder, admits)
    return read_plan(path) if path is not None else None


class PlanTargetError(Exception):
    """A plan given for a run (--terraform-plan) that no one root module of the run can take."""


def root_for_plan(plan_path: str, roots: Sequence[str]) -> str:
    """Which of a run's root module folders a given plan is laid over.

    The only one when there is one; else the innermost one whose folder holds the plan file
    (`infra/prod/plan.json` is infra/prod's). A plan names no folder of its own (show -json
    output has addresses, not paths), so with several root modules and the plan outside all
    of them no choice would be more than a guess: PlanTargetError, which says what to do.
    """
    if len(roots) == 1:
        return roots[0]
    where = os.path.dirname(os.path.abspath(plan_path))
    holding = [root for root in roots
               if where == os.path.abspath(root) or where.startswith(os.path.abspath(root).rstrip(os.sep) + os.sep)]
    if holding:
        return max(holding, key=lambda root: len(os.path.abspath(root)))
    named = ", ".join(display_name(root) for root in roots[:5]) + (", ..." if len(roots) > 5 else "")
    raise PlanTargetError(
        f"--terraform-plan {display_name(plan_path)}: {len(roots)} Terraform root modules are checked ({named}) "
        "and the plan file is in none of their folders: check the one root module it was made for "
        f"(lambdalint check {display_name(roots[0])} --terraform-plan ...) or put the plan file in its folder")


# -- the overlay ------------------------------------------------------------------------------

def overlay(configuration: Configuration, plan: Plan, fresh: Optional[bool] = None) -> Configuration:
    """The configuration with its UNKNOWN values filled from the plan's known ones, by address.

    A block the plan does not name is unchanged; a conditional block (count/for_each unknown)
    the plan names exists. A plan that could not be read is one error of the configuration.
    `fresh`: is_fresh(plan, configuration), when the caller has judged it already.
    """
    if plan.error is not None:
        where = Position(display_name(plan.path), 1, 1)
        return configuration.replace(errors=configuration.errors + ((where, plan.error),))
    if not (is_fresh(plan, configuration) if fresh is None else fresh):
        return configuration.replace(unchecked=configuration.unchecked + ((STALE, display_name(plan.path)),))
    blocks: List[Block] = []
    changed = False
    for block in configuration.blocks:
        planned = plan.resources.get(block.address)
        if planned is None:
            blocks.append(block)
            continue
        values = fill(block.values, planned, 0)
        if values is not block.values or block.conditional:
            changed = True
            block = block.replace(values=values, conditional=False)
        blocks.append(block)
    return configuration.replace(blocks=tuple(blocks)) if changed else configuration


def is_fresh(plan: Plan, configuration: Configuration) -> bool:
    """Whether the plan was made after the last change to any file of the configuration."""
    if plan.modified is None:
        return True
    for path in configuration.files:
        try:
            if os.stat(path).st_mtime_ns > plan.modified:
                return False
        except OSError:
            continue
    return True


def _links(value: Any, depth: int) -> bool:
    """A Reference anywhere inside (too deep to look counts as one: the configuration stays)."""
    if isinstance(value, Reference) or depth > MAX_DEPTH:
        return True
    if isinstance(value, Interpolation):
        return any(isinstance(part, Reference) for part in value.parts)
    if isinstance(value, Encoded):
        return _links(value.value, depth + 1)
    if isinstance(value, dict):
        return any(_links(item, depth + 1) for item in value.values())
    if isinstance(value, list):
        return any(_links(item, depth + 1) for item in value)
    return False


def fill(configured: Any, planned: Any, depth: int = 0) -> Any:
    """`configured` with each UNKNOWN in it replaced by what `planned` knows at the same place.

    The same object back when nothing was filled. A known value, a Reference (the lowering
    needs the link, not the resolved ARN) and an Interpolation or Encoded with a Reference in it stay as
    configured; an attribute the configuration does not set is not added (its provider
    default is the lowering's to apply, with the position of the block).
    """
    if configured is UNKNOWN:
        return planned
    if depth > MAX_DEPTH or planned is UNKNOWN:
        return configured
    if isinstance(configured, Interpolation):
        resolvable = not any(isinstance(part, Reference) for part in configured.parts)
        return planned if resolvable and isinstance(planned, str) else configured
    if isinstance(configured, Encoded):
        # the planned JSON text, once every unknown part is known, unless a Reference needs its link
        return planned if isinstance(planned, str) and not _links(configured.value, 0) else configured
    if isinstance(configured, dict) and isinstance(planned, dict):
        filled = {key: fill(value, planned[key], depth + 1) if key in planned else value
                  for key, value in configured.items()}
        return configured if all(filled[key] is configured[key] for key in configured) else filled
    if isinstance(configured, list) and isinstance(planned, list) and len(configured) == len(planned):
        items = [fill(value, planned[index], depth + 1) for index, value in enumerate(configured)]
        return configured if all(new is old for new, old in zip(items, configured)) else items
    return configured

