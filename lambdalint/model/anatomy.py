"""The template's anatomy as CloudFormation and the SAM transform read it: the Resources
section and its entries, the names the template refers to, and the Globals SAM rejects.

The structure rules (LL0002, LL0003, LL0006) ask these questions; nothing else in the
model needs the template in a shape CloudFormation would refuse, so they live here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, List, Set, Tuple

from ..findings import Path
from ..lazy import lazy_pattern
from ..records import Record
from .sam import GLOBAL_FUNCTION_PROPERTIES, GLOBALS_SECTIONS

if TYPE_CHECKING:
    from .template import TemplateModel

RESOURCES = "Resources"

# What Resources is: a mapping, not written at all (or written empty: `Resources:`), or anything else.
MAPPING, MISSING, NOT_A_MAPPING = "mapping", "missing", "not a mapping"
# What is wrong with one entry of Resources.
ENTRY_NOT_A_MAPPING, NO_TYPE, TYPE_NOT_A_STRING = "entry not a mapping", "no Type", "Type not a string"


class MalformedResource(Record):
    """An entry of Resources CloudFormation cannot create; `problem` is one of the constants above."""

    __slots__ = ("logical_id", "path", "problem")

    def __init__(self, logical_id: Any, path: Path, problem: str) -> None:
        self.logical_id = logical_id
        self.path = path
        self.problem = problem


class ResourcesSection(Record):
    """The Resources section as written (after `Fn::ForEach` expansion)."""

    __slots__ = ("path", "shape", "is_empty", "malformed")

    def __init__(self, path: Path, shape: str, is_empty: bool, malformed: Tuple[MalformedResource, ...]) -> None:
        self.path = path  # ("Resources",) when the key is written, () when it is not
        self.shape = shape
        self.is_empty = is_empty
        self.malformed = malformed


def resources_section(model: TemplateModel) -> ResourcesSection:
    """Whether Resources is a mapping, and which of its entries are not resources CloudFormation can create."""
    written = model.template.get(RESOURCES)
    path: Path = (RESOURCES,) if RESOURCES in model.template else ()
    if not isinstance(written, dict):
        return ResourcesSection(path, MISSING if written is None else NOT_A_MAPPING, False, ())
    malformed = []
    for logical_id, definition in written.items():
        if not isinstance(definition, dict):
            malformed.append(MalformedResource(logical_id, (RESOURCES, logical_id), ENTRY_NOT_A_MAPPING))
        elif "Type" not in definition:
            malformed.append(MalformedResource(logical_id, (RESOURCES, logical_id), NO_TYPE))
        elif not isinstance(definition["Type"], str):
            malformed.append(MalformedResource(logical_id, (RESOURCES, logical_id, "Type"), TYPE_NOT_A_STRING))
    return ResourcesSection(path, MAPPING, not written, tuple(malformed))


def loop_problems(model: TemplateModel) -> List[Tuple[Path, str]]:
    """`Fn::ForEach` loops CloudFormation rejects: (where, why), found while expanding them."""
    return list(model.loops.problems)


# -- the names a template refers to -----------------------------------------------------------
PSEUDO_PARAMETERS = frozenset(
    {"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region",
     "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"}
)
REF, GET_ATT, SUB, DEPENDS_ON = "Ref", "Fn::GetAtt", "Fn::Sub", "DependsOn"
_SUB_NAMES = lazy_pattern(r"\$\{([^}!][^}]*)\}")
# Subtrees whose names are not template names: loop variables, included snippets, free-form metadata.
_OPAQUE_KEYS = frozenset({"Fn::ForEach", "Fn::Transform", "Metadata"})


class NameUse(Record):
    """One place the template names a parameter or resource: `Ref`, `GetAtt`, a `Sub` variable, `DependsOn`.

    `name` is the logical ID or parameter meant (anything but a string is a computed name);
    `written` is how it was written (for a Sub variable: `Bucket.Arn`, whose name is `Bucket`).
    """

    __slots__ = ("path", "kind", "name", "written")

    def __init__(self, path: Path, kind: str, name: Any, written: Any) -> None:
        self.path = path
        self.kind = kind
        self.name = name
        self.written = written


def name_uses(model: TemplateModel) -> Iterator[NameUse]:
    """Every Ref, GetAtt, Sub variable (not one of the Sub's own) and DependsOn entry of the template."""
    for path, key, argument in _intrinsics(model.template):
        if key == REF:
            yield NameUse(path, REF, argument, argument)
        elif key == GET_ATT:
            target = argument.split(".", 1)[0] if isinstance(argument, str) else (
                argument[0] if isinstance(argument, list) and argument else None)
            yield NameUse(path, GET_ATT, target, target)
        else:
            text, variables = argument, {}
            if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
                text, variables = argument
            if isinstance(text, str):
                for name in _SUB_NAMES.findall(text):
                    base = name.split(".", 1)[0].strip()
                    if base not in variables:
                        yield NameUse(path, SUB, base, name)
    for logical_id, definition in model.section(RESOURCES).items():
        if isinstance(definition, dict):
            depends = definition.get(DEPENDS_ON)
            targets = depends if isinstance(depends, list) else [depends] if depends is not None else []
            for index, target in enumerate(targets):
                where = (RESOURCES, logical_id, DEPENDS_ON) + ((index,) if isinstance(depends, list) else ())
                yield NameUse(where, DEPENDS_ON, target, target)


def names_something(model: TemplateModel, name: Any) -> bool:
    """Whether `name` is a parameter, pseudo parameter or resource of the template, or may be one.

    A computed name is not ours to judge; in SAM templates the names the transform generates
    (`MyFunctionRole`, `ServerlessRestApi`) count, and so does any name a `Fn::ForEach` whose
    collection is unknown could make.
    """
    if not isinstance(name, str):
        return True
    names, sam_prefixes = model.memo("anatomy.names", _declared_names)
    if name in names or name in PSEUDO_PARAMETERS or name.startswith("AWS::"):
        return True
    if model.could_be_made_by_loop(RESOURCES, name):
        return True
    return any(name.startswith(prefix) for prefix in sam_prefixes)


def _declared_names(model: TemplateModel) -> Tuple[Set[Any], Tuple[str, ...]]:
    names = set(model.parameters) | set(model.section(RESOURCES))
    return names, _sam_generated_prefixes(model) if model.is_sam else ()


def _intrinsics(template: Any) -> Iterator[Tuple[Path, str, Any]]:
    """(path of the intrinsic key, key, argument) for Ref/GetAtt/Sub outside opaque subtrees.

    Only containers are walked into: most values are text, and a path for each of them
    was most of the walk's cost.
    """
    stack: List[Tuple[Path, Any]] = [((), template)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in _OPAQUE_KEYS:
                    continue
                if key in (REF, GET_ATT, SUB) and len(node) == 1:
                    yield path + (key,), key, value
                if isinstance(value, (dict, list)):
                    stack.append((path + (key,), value))
        elif isinstance(node, list):
            stack.extend((path + (index,), item) for index, item in enumerate(node) if isinstance(item, (dict, list)))


def _sam_generated_prefixes(model: TemplateModel) -> Tuple[str, ...]:
    """Logical IDs the SAM transform derives from: `<SamResource>...` and `Serverless...`."""
    prefixes: Set[str] = {"Serverless"}
    for resource in model.resources.values():
        if resource.is_sam:
            prefixes.add(resource.logical_id)
    return tuple(sorted(prefixes))


# -- Globals ----------------------------------------------------------------------------------
UNKNOWN_SECTION, FUNCTION_PROPERTY = "section", "Function property"


def rejected_globals(model: TemplateModel) -> Iterator[Tuple[Path, str, Any]]:
    """(where, what, name) for each Globals entry SAM refuses: a section it does not know
    (UNKNOWN_SECTION), or a property it does not allow under Globals.Function (FUNCTION_PROPERTY)."""
    for section, values in model.section("Globals").items():
        if section not in GLOBALS_SECTIONS:
            yield ("Globals", section), UNKNOWN_SECTION, section
        elif section == "Function" and isinstance(values, dict):
            for key in values:
                if key not in GLOBAL_FUNCTION_PROPERTIES:
                    yield ("Globals", "Function", key), FUNCTION_PROPERTY, key
