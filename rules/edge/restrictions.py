"""LL7: what Lambda@Edge does not allow - unsupported features, and timeout, memory and package
size over the quota of the function's triggers."""

from __future__ import annotations

from typing import Any, Iterator, Optional, Set, Tuple

from lambdalint.findings import Hit, Severity
from lambdalint.model import UNKNOWN, Function, TemplateModel
from lambdalint.model.packages import function_package
from lambdalint.model.values import as_int
from lambdalint.model.versions import provisioned_qualifiers
from lambdalint.registry import rule

RESTRICTIONS = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html"
QUOTAS = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html#limits-lambda-at-edge"


def _present(function: Function, *keys: str) -> bool:
    """The property is set to something other than AWS::NoValue (an Fn::If with NoValue is not sure)."""
    if not function.has(*keys):
        return False
    options = function.candidates(*keys)
    return bool(options) and len(function.model.candidates(function.get(*keys))) == len(options)


def _not_empty(value: Any) -> bool:
    return value is not UNKNOWN and value is not None and value != {} and value != []


def _unsupported(model: TemplateModel, function: Function) -> Iterator[Tuple[Tuple[str, ...], str]]:
    variables = function.value("Environment", "Variables")
    if _present(function, "Environment", "Variables") and _not_empty(variables):
        yield ("Environment",), "environment variables"
    subnets = function.value("VpcConfig", "SubnetIds")
    if _present(function, "VpcConfig") and _not_empty(subnets):
        yield ("VpcConfig",), "a VPC configuration"
    if function.layers:
        yield ("Layers",), "layers"
    for key in ("DeadLetterConfig", "DeadLetterQueue"):
        if _present(function, key):
            yield (key,), "a dead-letter queue"
    if function.package_type == "Image":
        yield (("PackageType",) if function.has("PackageType") else ("ImageUri",)), "a container image"
    if _present(function, "ProvisionedConcurrencyConfig"):
        yield ("ProvisionedConcurrencyConfig",), "provisioned concurrency"
    storage = as_int(function.value("EphemeralStorage", "Size", default=UNKNOWN))
    most = model.limit("edge_ephemeral_storage_mb_max")
    if isinstance(storage, int) and storage > most:
        yield ("EphemeralStorage", "Size"), f"ephemeral storage of {storage} MB (at most {most} MB)"
    runtime = function.runtime
    if isinstance(runtime, str) and not runtime.startswith(("nodejs", "python")):
        yield ("Runtime",), f"runtime {runtime} (only Node.js and Python)"


@rule(id="LL7001", name="edge-unsupported-feature", severity=Severity.ERROR,
      summary="Lambda@Edge function uses a feature Lambda@Edge does not support", source=RESTRICTIONS)
def check_unsupported(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports, for a function associated with a CloudFront distribution, environment variables,
    a VPC configuration, layers, a dead-letter queue, a container image, provisioned
    concurrency, ephemeral storage over 512 MB, or a runtime other than Node.js or Python.

    ## Why is this bad?
    Lambda@Edge does not support these: CloudFront refuses to associate the function version
    and the distribution update fails.

    ## Example
    ```yaml
    Rewrite:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: nodejs20.x
        AutoPublishAlias: live
        Environment:
          Variables: {ORIGIN: example.com}
    ```
    Use instead:
    ```yaml
    Rewrite:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: nodejs20.x
        AutoPublishAlias: live
    ```
    """
    for function, associations in model.edge_functions():
        distribution = associations[0].distribution.logical_id
        for keys, what in _unsupported(model, function):
            yield function.hit(f"Lambda@Edge function {function.logical_id} (distribution {distribution}) "
                               f"uses {what}, which Lambda@Edge does not support", *keys)
        for resource in provisioned_qualifiers(model, function):
            yield resource.hit(f"{resource.logical_id} gives Lambda@Edge function {function.logical_id} "
                               f"provisioned concurrency, which Lambda@Edge does not support",
                               "ProvisionedConcurrencyConfig")


@rule(id="LL7002", name="edge-timeout-memory", severity=Severity.ERROR,
      summary="Lambda@Edge function over the timeout or memory quota of its trigger", source=QUOTAS)
def check_quotas(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For a function run by a viewer-request or viewer-response trigger, checks a timeout of at
    most 5 s and memory of at most 128 MB; for an origin trigger, a timeout of at most 30 s.

    ## Why is this bad?
    CloudFront refuses to associate a function over these quotas: the deployment fails.

    ## Example
    ```yaml
    Rewrite:
      Type: AWS::Serverless::Function
      Properties:
        Timeout: 10
        MemorySize: 256
    # associated with EventType: viewer-request
    ```
    Use instead:
    ```yaml
    Rewrite:
      Type: AWS::Serverless::Function
      Properties:
        Timeout: 5
        MemorySize: 128
    ```
    """
    viewer_timeout = model.limit("edge_viewer_timeout_s_max")
    viewer_memory = model.limit("edge_viewer_memory_mb_max")
    origin_timeout = model.limit("edge_origin_timeout_s_max")
    for function, associations in model.edge_functions():
        timeout = as_int(function.effective_timeout)
        memory = as_int(function.memory_size if function.memory_size is not None else model.limit("memory_mb_default"))
        reported: Set[str] = set()
        for association in associations:
            trigger = association.event_type
            checks: Tuple[Tuple[str, Any, Any, str], ...]
            if association.is_viewer:
                checks = (("Timeout", timeout, viewer_timeout, "s"), ("MemorySize", memory, viewer_memory, " MB"))
            elif association.is_origin:
                checks = (("Timeout", timeout, origin_timeout, "s"),)
            else:
                continue
            for key, value, most, unit in checks:
                if key in reported or not isinstance(value, int) or value <= most:
                    continue
                reported.add(key)
                yield function.hit(f"Lambda@Edge function {function.logical_id} has {key} {value}{unit}; a "
                                   f"{trigger} trigger allows at most {most}{unit}", key)


def _zip_size(model: TemplateModel, function: Function) -> Optional[Tuple[int, Tuple[Any, ...]]]:
    """(bytes, path) of the function's local zip package; None for folders, S3, images or unreadable paths.

    A folder is zipped at deploy time: its compressed size is unknown, so it is not judged.
    """
    item = function_package(model, function)
    package = item.package
    if package is None or package.kind != "zip":
        return None  # folders are zipped at deploy time; LL0004 reports unreadable artifacts
    return package.compressed_size, item.code.path


# LL7005's fixtures build their zips (fixtures/rules/LL7005/build.py, see tests/fixture_runner.py).
LL7005_SUMMARY = "Lambda@Edge package over 1 MB for viewer triggers or 50 MB for origin triggers"


def check_package_size(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Measures the local zip package of a Lambda@Edge function (a `CodeUri`/`Code` path to a
    `.zip`) against the compressed size quota of its triggers: 1 MB for viewer triggers,
    50 MB for origin triggers. Folders (zipped at deploy time) and S3 objects are not measured.

    ## Why is this bad?
    CloudFront refuses to associate a function version whose package is over the quota.

    ## Example
    ```yaml
    Rewrite:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: build/rewrite-with-all-dependencies.zip   # 3 MB, viewer-request
    ```
    Use instead:
    ```yaml
    Rewrite:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: build/rewrite.zip   # bundled and minified, under 1 MB
    ```
    """
    mib = 1024 * 1024
    for function, associations in model.edge_functions():
        viewer = any(a.is_viewer for a in associations)
        origin = any(a.is_origin for a in associations)
        if not viewer and not origin:
            continue
        measured = _zip_size(model, function)
        if measured is None:
            continue
        size, path = measured
        most_mb = model.limit("edge_viewer_package_mb_max" if viewer else "edge_origin_package_mb_max")
        if size > most_mb * mib:
            trigger = "viewer" if viewer else "origin"
            yield Hit(path, f"package of Lambda@Edge function {function.logical_id} is {size / mib:.1f} MB; "
                            f"{trigger} triggers allow at most {most_mb} MB", function.logical_id)


# Registered as a Rule object beside the plain function, which tests call directly.
EDGE_PACKAGE_SIZE = rule(id="LL7005", name="edge-package-size", severity=Severity.ERROR,
                         summary=LL7005_SUMMARY, source=QUOTAS)(check_package_size)
