"""LL0 structure: what the tools around a template read from it - the artifacts it points to,
lambdalint's own configuration, and the shape the SAM transform accepts."""

from __future__ import annotations

import os
from typing import Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.anatomy import UNKNOWN_SECTION, rejected_globals
from lambdalint.model.code import LOCAL, OUTSIDE, code_locations
from lambdalint.model.packages import function_packages, open_location
from lambdalint.model.sam import GLOBALS_SECTIONS, rejected_ignore_globals
from lambdalint.registry import rule

SAM_EVENTS = "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventsource.html"


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
        elif location.local_path is None or not os.path.exists(location.local_path):
            yield Hit(location.path, f"{location.written!r} does not exist (looked for {location.shown})",
                      resource=location.owner)
        elif not os.access(location.local_path, os.R_OK):
            yield Hit(location.path, f"{location.written!r} cannot be read (permission denied)",
                      resource=location.owner)
        else:
            opened = open_location(location)  # indexed once per run: the LL1 rules reuse it
            if opened is not None and opened.error:
                yield Hit(location.path, f"{location.written!r} cannot be read: {opened.error}",
                          resource=location.owner)
    for item in function_packages(model):
        if item.image_error:
            yield Hit(item.code.path, f"image given for {item.function.logical_id} cannot be read: {item.image_error}",
                      resource=item.function.logical_id)


@rule(
    id="LL0005",
    name="invalid-configuration",
    severity=Severity.ERROR,
    summary="lambdalint configuration invalid (config file, Metadata in the template, a .tf ignore comment)",
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
    while the other entries apply. In a Terraform configuration, each entry of a
    `# lambdalint:ignore` comment is checked the same way, at the comment's line (a mistyped
    `LL2OO6` suppresses nothing, where it would otherwise be read as the prefix `LL2`).
    A configuration file (`.lambdalint.yaml`,
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
    whose `Type` SAM does not know, an event without the properties its type requires
    (`SQS` needs `Queue`, `S3` needs `Bucket` and `Events`, `Api` needs `Path` and `Method`, ...),
    and an `IgnoreGlobals` the transform refuses: when Globals has a section for the resource's
    type, the attribute must be `"*"` or a list of properties that section sets (a typo such as
    `Timeot`, or a property Globals does not set, fails the transform).

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
    for path, what, name in rejected_globals(model):
        if what == UNKNOWN_SECTION:
            yield Hit(path, f"Globals section {name!r} is not one SAM supports ({', '.join(sorted(GLOBALS_SECTIONS))})")
        else:
            yield Hit(path, f"SAM does not allow {name!r} in Globals.Function")
    for resource, index, entry in rejected_ignore_globals(model):
        section = resource.type.split("::")[-1]
        if index is None:
            yield Hit(resource.path + ("IgnoreGlobals",), f"IgnoreGlobals must be '*' or a list of "
                                                          f"Globals.{section} properties, not {entry!r}",
                      resource.logical_id)
        else:
            yield Hit(resource.path + ("IgnoreGlobals", index), f"IgnoreGlobals names {entry!r}, which "
                                                                 f"Globals.{section} does not set: the SAM transform "
                                                                 f"rejects the resource", resource.logical_id)
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
