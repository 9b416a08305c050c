"""LL0 structure: the template's anatomy - its sections, resources and the names it refers to."""

from __future__ import annotations

from typing import Any, Iterator, List, Set, Tuple

from lambdalint.findings import Hit, Path, Severity
from lambdalint.lazy import lazy_pattern
from lambdalint.model import TemplateModel
from lambdalint.model.attributes import CUSTOM_ONLY, MISSPELT, PROPERTY, unknown_resource_keys
from lambdalint.registry import rule

CFN_ANATOMY = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html"


@rule(
    id="LL0002",
    name="template-structure",
    severity=Severity.ERROR,
    summary="Template has no Resources mapping, or a resource has no Type",
    source=CFN_ANATOMY,
)
def check_structure(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks that the template has a `Resources` section that is a mapping, and that every
    resource in it is a mapping with a string `Type`. `Fn::ForEach` loops are expanded first
    (as the `AWS::LanguageExtensions` transform does), so this applies to every resource a
    loop makes; a loop itself is reported when CloudFormation would reject it: without the
    transform, not shaped `[Identifier, Collection, {OutputKey: OutputValue}]`, or making
    the same key twice. A loop whose collection lambdalint cannot know (a parameter without
    a default) is not an error: it makes nothing here.

    ## Why is this bad?
    `Resources` is the only required section of a template; CloudFormation rejects a template
    without it, and a resource without a `Type` cannot be created.

    ## Example
    ```yaml
    Resources:
      Worker:
        Properties:          # no Type
          Runtime: python3.12
    ```
    Use instead:
    ```yaml
    Resources:
      Worker:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
    ```
    """
    resources = model.template.get("Resources")
    if not isinstance(resources, dict):
        where = ("Resources",) if "Resources" in model.template else ()
        yield Hit(where, "template has no Resources mapping" if resources is None else "Resources is not a mapping")
        return
    for path, message in model.loops.problems:
        yield Hit(path, message)
    if not resources and not model.has_unknown_loops():
        yield Hit(("Resources",), "Resources is empty: a template needs at least one resource")
    for logical_id, definition in resources.items():
        if not isinstance(definition, dict):
            yield Hit(("Resources", logical_id), f"resource {logical_id} is not a mapping")
        elif "Type" not in definition:
            yield Hit(("Resources", logical_id), f"resource {logical_id} has no Type")
        elif not isinstance(definition["Type"], str):
            yield Hit(("Resources", logical_id, "Type"), f"resource {logical_id} has a Type that is not a string")


PSEUDO_PARAMETERS = frozenset(
    {"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region",
     "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"}
)
_SUB_NAMES = lazy_pattern(r"\$\{([^}!][^}]*)\}")
# Subtrees whose names are not template names: loop variables, included snippets, free-form metadata.
_OPAQUE_KEYS = frozenset({"Fn::ForEach", "Fn::Transform", "Metadata"})


@rule(
    id="LL0003",
    name="dangling-reference",
    severity=Severity.WARNING,
    summary="Ref, GetAtt, Sub or DependsOn names a resource or parameter that does not exist",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-ref.html",
)
def check_references(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds `Ref`, `Fn::GetAtt`, `Fn::Sub` variables and `DependsOn` entries that name neither a
    parameter, a pseudo parameter nor a resource of the template. In SAM templates, names of
    resources the transform generates (`MyFunctionRole`, `ServerlessRestApi`, ...) count as known;
    so do the resources `Fn::ForEach` loops make, and any name a loop whose collection is not
    known could make.

    ## Why is this bad?
    CloudFormation rejects the template ("Unresolved resource dependencies"), usually after a
    rename that missed one reference.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        Role: !GetAtt WorkerRol.Arn     # typo
    ```
    Use instead: `!GetAtt WorkerRole.Arn`, the logical ID as declared.
    """
    names = set(model.parameters) | set(model.section("Resources"))
    sam_prefixes = _sam_generated_prefixes(model) if model.is_sam else ()

    def known(name: Any) -> bool:
        if not isinstance(name, str):
            return True  # a computed name: not ours to judge
        if name in names or name in PSEUDO_PARAMETERS or name.startswith("AWS::"):
            return True
        if model.could_be_made_by_loop("Resources", name):
            return True  # a Fn::ForEach whose collection is unknown may make it
        return any(name.startswith(prefix) for prefix in sam_prefixes)

    for path, key, argument in _intrinsics(model.template):
        if key == "Ref" and not known(argument):
            yield Hit(path, f"Ref to {argument!r}, which is neither a parameter nor a resource")
        elif key == "Fn::GetAtt":
            target = argument.split(".", 1)[0] if isinstance(argument, str) else (
                argument[0] if isinstance(argument, list) and argument else None)
            if not known(target):
                yield Hit(path, f"GetAtt of {target!r}, which is not a resource of this template")
        elif key == "Fn::Sub":
            text, variables = argument, {}
            if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
                text, variables = argument
            if isinstance(text, str):
                for name in _SUB_NAMES.findall(text):
                    base = name.split(".", 1)[0].strip()
                    if base not in variables and not known(base):
                        yield Hit(path, f"Sub variable ${{{name}}} names neither a parameter nor a resource")
    for logical_id, definition in model.section("Resources").items():
        if isinstance(definition, dict):
            depends = definition.get("DependsOn")
            targets = depends if isinstance(depends, list) else [depends] if depends is not None else []
            for index, target in enumerate(targets):
                if not known(target):
                    where = ("Resources", logical_id, "DependsOn") + ((index,) if isinstance(depends, list) else ())
                    yield Hit(where, f"DependsOn {target!r}, which is not a resource of this template")


def _intrinsics(template: Any) -> Iterator[Tuple[Path, str, Any]]:
    """(path of the intrinsic key, key, argument) for Ref/GetAtt/Sub outside opaque subtrees."""
    stack: List[Tuple[Path, Any]] = [((), template)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in _OPAQUE_KEYS:
                    continue
                if key in ("Ref", "Fn::GetAtt", "Fn::Sub") and len(node) == 1:
                    yield path + (key,), key, value
                stack.append((path + (key,), value))
        elif isinstance(node, list):
            stack.extend((path + (index,), item) for index, item in enumerate(node))


def _sam_generated_prefixes(model: TemplateModel) -> Tuple[str, ...]:
    """Logical IDs the SAM transform derives from: `<SamResource>...` and `Serverless...`."""
    prefixes: Set[str] = {"Serverless"}
    for resource in model.resources.values():
        if resource.is_sam:
            prefixes.add(resource.logical_id)
    return tuple(sorted(prefixes))


@rule(
    id="LL0008",
    name="unknown-resource-attribute",
    severity=Severity.WARNING,
    summary="Resource-level key CloudFormation does not know (a property beside Type): silently ignored",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-product-attribute-reference.html",
)
def check_resource_attributes(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports a key beside `Type` in a resource that is neither `Properties` nor a resource
    attribute: `Condition`, `CreationPolicy`, `DeletionPolicy`, `DependsOn`, `Metadata`,
    `UpdatePolicy`, `UpdateReplacePolicy`, `Version` (custom resources) and SAM's `Connectors`
    and `IgnoreGlobals`. The message says where the key probably belongs: under `Properties`
    when it is a property of the resource's type (known for the Lambda, layer, IAM role and
    SAM function, API and table types), or the attribute it misspells in another letter case
    (`dependsOn`). Resources made by `Fn::ForEach` are checked as expanded, the finding lands
    in the loop body. Keys `Fn::...` (an `AWS::Include` snippet) and templates that run a
    macro other than AWS's own transforms are left alone: a macro may read any key.

    ## Why is this bad?
    CloudFormation and the SAM transform drop such a key without a word: the `Description`,
    `Runtime` or `TableName` written one level too high is never applied, and the resource is
    created with defaults the author did not choose.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Serverless::Function
      Description: Resizes uploaded images     # ignored: not under Properties
      Properties:
        Handler: app.handler
        Runtime: python3.13
    ```
    Use instead:
    ```yaml
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        Description: Resizes uploaded images
        Handler: app.handler
        Runtime: python3.13
    ```
    """
    for unknown in unknown_resource_keys(model):
        key, resource = unknown.key, unknown.resource
        if unknown.kind == CUSTOM_ONLY:
            message = f"{key!r} is a resource attribute of custom resources only: on {resource.type} it is ignored"
        else:
            message = f"{key!r} beside Type is not a resource attribute, so CloudFormation ignores it; " + (
                f"it is a property of {resource.type}: move it under Properties" if unknown.kind == PROPERTY else
                f"attribute names are case-sensitive: did you mean {unknown.meant}?" if unknown.kind == MISSPELT else
                f"if it is a property of {resource.type}, it belongs under Properties")
        yield Hit(unknown.path, message, resource.logical_id)
