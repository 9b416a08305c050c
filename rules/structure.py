"""LL0: the template itself - structure, references, in-template configuration, SAM shape."""

from __future__ import annotations

from typing import Any, Iterator, List, Set, Tuple

from lambdalint.findings import Hit, Path, Severity
from lambdalint.lazy import lazy_pattern
from lambdalint.model import TemplateModel
from lambdalint.model.sam import GLOBAL_FUNCTION_PROPERTIES, GLOBALS_SECTIONS
from lambdalint.registry import rule

CFN_ANATOMY = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html"
SAM_EVENTS = "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventsource.html"
SAM_GLOBALS = "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html"


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
    id="LL0005",
    name="invalid-configuration",
    severity=Severity.ERROR,
    summary="lambdalint configuration invalid (config file, or Metadata in the template)",
    source="https://github.com/lambdalint/lambdalint/blob/main/README.md#configuration",
)
def check_metadata_config(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Validates lambdalint's own configuration. In a template: the `Metadata: {lambdalint: ...}`
    section of the template or of a resource must be a mapping with `ignore` (a list of rule IDs
    or prefixes such as `LL5002` or `LL5`) and an optional `reason`; every entry must name a
    rule lambdalint knows (the message suggests the closest ID). What is wrong is not applied:
    an `ignore` that is not a list suppresses nothing, and an unknown ID in the list is skipped
    while the other entries apply. A configuration file (`.lambdalint.yaml`,
    `setup.cfg [lambdalint]`) that is invalid is reported with this ID too, naming the
    offending key, and stops the run with exit code 2.

    ## Why is this bad?
    A misspelt suppression silently suppresses nothing, or more than meant.

    ## Example
    ```yaml
    Metadata:
      lambdalint:
        ignore: LL5002, LL6006     # one string, not a list
    ```
    Use instead:
    ```yaml
    Metadata:
      lambdalint:
        ignore: [LL5002, LL6006]
        reason: shared role reviewed in SEC-123
    ```
    """
    for path, message in model.suppressions.problems:
        yield Hit(path, message)


# SAM event source types and the properties each requires
# (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventsource.html
# and the page of each type linked from there).
SAM_EVENT_REQUIRED = {
    "AlexaSkill": (),
    "Api": ("Path", "Method"),
    "CloudWatchEvent": (),
    "CloudWatchLogs": ("LogGroupName", "FilterPattern"),
    "Cognito": ("UserPool", "Trigger"),
    "DocumentDB": ("Cluster", "DatabaseName", "SourceAccessConfigurations"),
    "DynamoDB": ("Stream",),
    "EventBridgeRule": (),
    "HttpApi": (),
    "IoTRule": ("Sql",),
    "Kinesis": ("Stream",),
    "MQ": ("Broker", "Queues", "SourceAccessConfigurations"),
    "MSK": ("Stream", "Topics"),
    "S3": ("Bucket", "Events"),
    "Schedule": ("Schedule",),
    "ScheduleV2": (),
    "SelfManagedKafka": ("Topics",),
    "SNS": ("Topic",),
    "SQS": ("Queue",),
}


@rule(
    id="LL0006",
    name="sam-structure",
    severity=Severity.ERROR,
    summary="SAM structure the transform rejects (Globals property, event type, event properties)",
    source=SAM_EVENTS,
)
def check_sam_structure(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks what the SAM transform refuses before any resource is created: a property under
    `Globals.Function` that SAM does not allow there, an unknown `Globals` section, an event
    whose `Type` SAM does not know, and an event without the properties its type requires
    (`SQS` needs `Queue`, `S3` needs `Bucket` and `Events`, `Api` needs `Path` and `Method`, ...).

    ## Why is this bad?
    `sam deploy` (or CloudFormation running the transform) fails with "Invalid Serverless
    Application Specification document", after packaging and uploading.

    ## Example
    ```yaml
    Globals:
      Function:
        FunctionName: shared     # not allowed in Globals
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Events:
            Queue:
              Type: SQS          # no Queue property
    ```
    Use instead: set `FunctionName` per function and give the event its `Queue`.
    """
    if not model.is_sam:
        return
    global_sections = model.section("Globals")
    for section, values in global_sections.items():
        if section not in GLOBALS_SECTIONS:
            yield Hit(("Globals", section), f"Globals section {section!r} is not one SAM supports "
                                            f"({', '.join(sorted(GLOBALS_SECTIONS))})")
        elif section == "Function" and isinstance(values, dict):
            for key in values:
                if key not in GLOBAL_FUNCTION_PROPERTIES:
                    yield Hit(("Globals", "Function", key), f"SAM does not allow {key!r} in Globals.Function")
    for function in model.functions:
        if not function.is_sam:
            continue
        events = function.resource.get("Events")
        if not isinstance(events, dict):
            continue
        for name, event in events.items():
            path = function.resource.property_path("Events", name)
            if not isinstance(event, dict):
                continue
            kind = event.get("Type")
            if not isinstance(kind, str):
                continue  # an intrinsic type: SAM rejects it, but its own error is clearer
            if kind not in SAM_EVENT_REQUIRED:
                yield Hit(path + ("Type",), f"event {name}: unknown SAM event type {kind!r}")
                continue
            properties = event.get("Properties")
            if not isinstance(properties, dict):
                if SAM_EVENT_REQUIRED[kind]:
                    yield Hit(path, f"event {name} ({kind}) has no Properties; it needs "
                                    f"{', '.join(SAM_EVENT_REQUIRED[kind])}")
                continue
            missing = [key for key in SAM_EVENT_REQUIRED[kind] if key not in properties]
            if missing:
                yield Hit(path + ("Properties",), f"event {name} ({kind}) is missing {', '.join(missing)}")


@rule(
    id="LL0004",
    name="artifact-unreadable",
    severity=Severity.ERROR,
    summary="Artifact path referenced by the template cannot be read",
    source="https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-codeuri",
)
def check_artifact_paths(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports a local code path (`CodeUri`, `ContentUri`, `Code`, `Content`, or a CDK
    `aws:asset:path`) that does not exist or cannot be read. Paths are relative to the
    template's folder and may lead outside it within the project (monorepos: the git work
    tree that holds the template). S3 locations, inline code and image URIs are not local
    paths and are not checked here. A path that exists but is not a readable package (a
    corrupt or truncated zip, a folder over 250,000 entries, a folder we may not list) is
    reported here too, as is a local image given with `--image` that cannot be read.

    A path outside the project (an absolute path such as `/usr`, one that climbs past the
    project root, or a symlink whose target leaves it) is never read: it is reported here,
    quoting only the template's value, and listed in `summary.unchecked` as
    `outside-project`. A package built outside the repository is allowed by naming its folder
    in `artifact-roots` of the configuration.

    ## Why is this bad?
    `sam build`, `sam deploy`, `cdk deploy` and `aws cloudformation package` fail on a missing
    path, and the package rules (LL1) cannot check what they cannot read.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: src/handler/   # folder does not exist
    ```
    Use instead: a path that exists relative to the template, e.g. `CodeUri: src/`.
    """
    import os

    from lambdalint.model.code import LOCAL, OUTSIDE, code_locations
    from lambdalint.model.packages import function_packages, open_location

    seen = set()
    for location in code_locations(model):
        if location.kind not in (LOCAL, OUTSIDE) or location.path in seen:
            continue
        seen.add(location.path)  # a Globals CodeUri is reported once, not per function
        if location.kind == OUTSIDE:
            # Only the template's own value: nothing about what lies there (it was never looked at).
            yield Hit(location.path, f"{location.written!r} is outside the project, so lambdalint does not read it "
                                     f"(a package built elsewhere can be allowed with artifact-roots in the "
                                     f"configuration)", resource=location.owner)
        elif not os.path.exists(location.local_path):
            yield Hit(location.path, f"{location.written!r} does not exist (looked for {location.shown})",
                      resource=location.owner)
        elif not os.access(location.local_path, os.R_OK):
            yield Hit(location.path, f"{location.written!r} cannot be read (permission denied)", resource=location.owner)
        else:
            opened = open_location(location)  # indexed once per run: the LL1 rules reuse it
            if opened is not None and opened.error:
                yield Hit(location.path, f"{location.written!r} cannot be read: {opened.error}", resource=location.owner)
    for item in function_packages(model):
        if item.image_error:
            yield Hit(item.code.path, f"image given for {item.function.logical_id} cannot be read: {item.image_error}",
                      resource=item.function.logical_id)
