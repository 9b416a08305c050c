"""LL2: what the function's code runs on - its architecture, SnapStart, and its layers."""

from __future__ import annotations

from typing import Any, Dict, Iterator, Tuple

from lambdalint import data
from lambdalint.findings import Hit, Severity, number_text
from lambdalint.lazy import lazy_pattern
from lambdalint.model import UNKNOWN, Reference, TemplateModel
from lambdalint.model.values import as_number
from lambdalint.model.versions import publishes_versions
from lambdalint.registry import rule

FUNCTION_RESOURCE = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html"


@rule(id="LL2012", name="architectures", severity=Severity.ERROR,
      summary="More than one architecture, or an unknown one", source=FUNCTION_RESOURCE)
def check_architectures(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks `Architectures`: exactly one entry, `x86_64` or `arm64`.

    ## Why is this bad?
    Lambda accepts a single architecture per function; anything else fails the deploy.

    ## Example
    ```yaml
    Architectures: [x86_64, arm64]
    ```
    Use instead:
    ```yaml
    Architectures: [arm64]
    ```
    """
    for function in model.functions:
        value = function.value("Architectures")
        if not isinstance(value, list):
            continue
        if len(value) != 1:
            yield function.hit(f"Architectures must list exactly one architecture, not {len(value)}", "Architectures")
            continue
        arch = model.resolve(value[0])
        if isinstance(arch, str) and arch not in ("x86_64", "arm64"):
            yield function.hit(f"unknown architecture {arch!r} (x86_64 or arm64)", "Architectures", 0)


@rule(id="LL2013", name="snapstart-support", severity=Severity.ERROR,
      summary="SnapStart on an unsupported runtime or with provisioned concurrency, EFS or large /tmp",
      source="https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html")
def check_snapstart(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For a function with `SnapStart: {ApplyOn: PublishedVersions}`: checks that its runtime
    supports SnapStart (Java 11+, Python 3.12+, .NET 8+) and that it does not combine SnapStart
    with provisioned concurrency, an EFS file system or ephemeral storage over 512 MB. Warns
    when no version is ever published (SnapStart applies only to published versions).

    ## Why is this bad?
    Lambda rejects the unsupported combinations at deploy time; without a published version
    SnapStart silently does nothing.

    ## Example
    ```yaml
    Runtime: nodejs22.x
    SnapStart:
      ApplyOn: PublishedVersions
    ```
    Use instead: a supported runtime (`java21`, `python3.13`), and publish versions (SAM
    `AutoPublishAlias`).
    """
    storage_limit = model.limit("ephemeral_storage_mb_min")
    for function in model.functions:
        if function.value("SnapStart", "ApplyOn") != "PublishedVersions":
            continue
        for runtime in function.runtimes:
            row = data.runtime(runtime)
            if row is not None and not row.get("snapstart"):
                yield function.hit(f"SnapStart is not supported on runtime {runtime}", "SnapStart")
                break
        if function.has("ProvisionedConcurrencyConfig"):
            yield function.hit("SnapStart cannot be combined with provisioned concurrency",
                               "ProvisionedConcurrencyConfig")
        if function.value("FileSystemConfigs"):
            yield function.hit("SnapStart cannot be used with an EFS file system", "FileSystemConfigs")
        size = as_number(function.value("EphemeralStorage", "Size"))
        if size is not UNKNOWN and size > storage_limit:
            yield function.hit(f"SnapStart supports ephemeral storage up to {storage_limit} MB, "
                               f"not {number_text(size)}", "EphemeralStorage", "Size")
        if not publishes_versions(model, function):
            yield function.hit("SnapStart applies only to published versions, and this function never publishes one",
                               "SnapStart", severity=Severity.WARNING)


# Lambda's LayerVersionArn, `arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+`
# (https://docs.aws.amazon.com/lambda/latest/api/API_Layer.html), read with the version optional
# so that a missing one is said as such
_LAYER_ARN = lazy_pattern(r"^arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:([a-zA-Z0-9_-]+)(:(\d+))?$")
# The `awslayer` form (arn:aws:lambda:::awslayer:AmazonLinux1803) is outside that pattern and
# documented nowhere; templates use it for layers AWS provided, so whether it deploys is not known
_AWS_LAYER = lazy_pattern(r"^arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]*:\d{0,12}:awslayer:[a-zA-Z0-9_.-]+$")


@rule(id="LL2015", name="layer-reference", severity=Severity.ERROR,
      summary="Layer ARN malformed, without a version, with a name over 140 characters, or listed twice",
      source="https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html")
def check_layer_references(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks the literal layer ARNs in `Layers` (SAM `Globals` first, then the function's own):
    each must be a layer version ARN as Lambda documents it,
    `arn:PARTITION:lambda:REGION:ACCOUNT:layer:NAME:VERSION`
    (https://docs.aws.amazon.com/lambda/latest/api/API_Layer.html), with a `NAME` of at most
    140 characters (`LayerName`,
    https://docs.aws.amazon.com/lambda/latest/api/API_PublishLayerVersion.html), and no layer
    may appear twice, not even in two versions. The `awslayer` form
    (`arn:aws:lambda:::awslayer:AmazonLinux1803`) is outside the documented pattern and not
    documented itself: it is a warning, not an error, since whether it deploys is not known.

    ## Why is this bad?
    Lambda refuses an ARN without a version and "two different versions of the same layer";
    no layer can have a longer name, so such an ARN names nothing; a typo in an ARN fails only
    at deploy time.

    ## Example
    ```yaml
    Layers:
      - arn:aws:lambda:eu-west-1:123456789012:layer:shared
    ```
    Use instead:
    ```yaml
    Layers:
      - arn:aws:lambda:eu-west-1:123456789012:layer:shared:7
    ```
    """
    longest = model.limit("layer_name_length_max")
    for function in model.functions:
        seen: Dict[Tuple[Any, ...], int] = {}
        for index, raw in enumerate(function.layers):
            value = model.resolve(raw)
            if isinstance(value, Reference):
                key = (value.target,)
            elif isinstance(value, str):
                match = _LAYER_ARN.match(value)
                if not match and _AWS_LAYER.match(value):
                    yield function.hit(f"layer {value!r} uses the undocumented 'awslayer' form, not a layer "
                                       f"version ARN as Lambda documents it (arn:PARTITION:lambda:REGION:ACCOUNT:"
                                       f"layer:NAME:VERSION): it may not be available", "Layers",
                                       severity=Severity.WARNING)
                    continue
                if not match:
                    yield function.hit(f"layer {value!r} is not a layer version ARN", "Layers")
                    continue
                if len(match.group(1)) > longest:
                    yield function.hit(f"layer name {match.group(1)[:20]}... is {len(match.group(1))} characters, "
                                       f"over Lambda's {longest}: no layer has that name", "Layers")
                    continue
                if match.group(3) is None:
                    yield function.hit(f"layer {value!r} has no version number", "Layers")
                    continue
                key = (value.rsplit(":", 1)[0],)
            else:
                continue
            if key in seen:
                yield function.hit(f"layer {key[0]} is listed twice (entries {seen[key] + 1} and {index + 1})",
                                   "Layers")
            else:
                seen[key] = index
