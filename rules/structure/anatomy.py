"""LL0 structure: the template's anatomy - its sections, resources and the names it refers to."""

from __future__ import annotations

from typing import Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.anatomy import (
    ENTRY_NOT_A_MAPPING,
    GET_ATT,
    MAPPING,
    MISSING,
    NO_TYPE,
    REF,
    SUB,
    TYPE_NOT_A_STRING,
    loop_problems,
    name_uses,
    names_something,
    resources_section,
)
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
    section = resources_section(model)
    if section.shape != MAPPING:
        yield Hit(section.path, "template has no Resources mapping" if section.shape == MISSING
                  else "Resources is not a mapping")
        return
    for path, message in loop_problems(model):
        yield Hit(path, message)
    if section.is_empty and not model.has_unknown_loops():
        yield Hit(section.path, "Resources is empty: a template needs at least one resource")
    for entry in section.malformed:
        yield Hit(entry.path, f"resource {entry.logical_id} {_MALFORMED[entry.problem]}")


_MALFORMED = {ENTRY_NOT_A_MAPPING: "is not a mapping", NO_TYPE: "has no Type",
              TYPE_NOT_A_STRING: "has a Type that is not a string"}


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
    for use in name_uses(model):
        if names_something(model, use.name):
            continue
        if use.kind == REF:
            yield Hit(use.path, f"Ref to {use.written!r}, which is neither a parameter nor a resource")
        elif use.kind == GET_ATT:
            yield Hit(use.path, f"GetAtt of {use.written!r}, which is not a resource of this template")
        elif use.kind == SUB:
            yield Hit(use.path, f"Sub variable ${{{use.written}}} names neither a parameter nor a resource")
        else:
            yield Hit(use.path, f"DependsOn {use.written!r}, which is not a resource of this template")


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
