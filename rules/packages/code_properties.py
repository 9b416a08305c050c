"""LL1 code properties: how the template declares the code - inline, in S3, and by PackageType.

These read the template only (no package is opened).
"""

from __future__ import annotations

from typing import Any, Iterator, List

from lambdalint import data
from lambdalint.findings import Hit, Severity
from lambdalint.lazy import lazy_pattern
from lambdalint.model import NO_VALUE, Function, TemplateModel
from lambdalint.model.code import INLINE, function_code, is_cdk_asset, s3_code, template_size
from lambdalint.model.packages import runtime_family
from lambdalint.model.values import is_dynamic_reference
from lambdalint.registry import rule

from . import CODE_PROPERTY

FUNCTION_PROPERTIES = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html"


@rule(id="LL1016", name="inline-code", severity=Severity.ERROR,
      summary="Inline ZipFile with an unsupported runtime or handler, or a template too large to deploy",
      source=CODE_PROPERTY)
def check_inline_code(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For functions with inline code (`Code.ZipFile`, SAM `InlineCode`): the runtime must be a
    Node.js or python one, and the handler's file part must be `index` (CloudFormation writes
    the code to a file named `index`). A template with inline code over 1 MB cannot be
    deployed at all; over 51,200 bytes it must be deployed from S3 (a warning).

    ## Why is this bad?
    CloudFormation rejects inline code for other runtimes, and a handler like `app.handler`
    finds no `app` module: every invocation fails.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.12
        Handler: app.handler
        Code:
          ZipFile: |
            def handler(event, context): ...
    ```
    Use instead:
    ```yaml
        Handler: index.handler
    ```
    """
    inline_seen = False
    for function in model.functions:
        code = function_code(model, function)
        if code.kind != INLINE:
            continue
        inline_seen = True
        runtime = function.runtime
        if isinstance(runtime, str):
            row = data.runtime(runtime)
            family = runtime_family(runtime)
            supported = row.get("inline_code") if row else family in ("python", "nodejs")
            if not supported:
                yield function.hit(f"inline code is supported only for Node.js and python runtimes, not {runtime}",
                                   "Runtime")
        handler = function.handler
        if isinstance(handler, str) and "." in handler and runtime_family(runtime) in ("python", "nodejs", None):
            module = handler.rsplit(".", 1)[0]
            if module != "index":
                yield function.hit(f"handler {handler!r}: inline code is saved as 'index', so the handler must be "
                                   f"'index.{handler.rsplit('.', 1)[1]}'", "Handler")
    if inline_seen:
        size = template_size(model)
        if size is not None:
            if size > model.limit("template_body_s3_bytes_max"):
                most = model.limit("template_body_s3_bytes_max")
                yield Hit((), f"template is {size} bytes: CloudFormation accepts at most "
                              f"{most} bytes, even from S3 (move inline code to files)")
            elif size > model.limit("template_body_direct_bytes_max"):
                yield Hit((), f"template is {size} bytes: over {model.limit('template_body_direct_bytes_max')} bytes "
                              f"it must be deployed from S3", severity=Severity.WARNING)


# Content-addressed keys: `sam package` (an MD5 hex digest), CDK assets (a SHA-256 hex
# digest), or any key carrying a commit hash or a version number.
_CONTENT_ADDRESSED = lazy_pattern(r"[0-9a-fA-F]{7,}|\d+\.\d+|\$\{")


@rule(id="LL1017", name="s3-code-without-version", severity=Severity.WARNING,
      summary="Code in S3 without S3ObjectVersion: a new upload to the same key is not deployed",
      source=CODE_PROPERTY)
def check_s3_version(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds function and layer code in S3 (`S3Bucket`/`S3Key`, SAM `Bucket`/`Key` or an
    `s3://` URI) with a fixed key and no object version. Keys that change with the content
    (CDK asset hashes, `sam package` digests, keys with a version number or commit hash, keys
    built from parameters) are fine. A key looked up with `Fn::FindInMap` counts as fixed when the
    lookup gives one key whatever region or stage picks the entry (a key per region, or one that
    depends on a value we cannot know, is left alone).

    ## Why is this bad?
    CloudFormation sees no change when new code is uploaded to the same key, so the stack
    update does not deploy it.

    ## Example
    ```yaml
    Code:
      S3Bucket: my-artifacts
      S3Key: functions/orders.zip
    ```
    Use instead:
    ```yaml
    Code:
      S3Bucket: my-artifacts
      S3Key: functions/orders.zip
      S3ObjectVersion: 3sL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY
    ```
    """
    owners: List[Any] = list(model.functions) + list(model.layers)
    for owner in owners:
        resource = owner.resource if isinstance(owner, Function) else owner
        if is_cdk_asset(resource):
            continue  # CDK: the key is the asset's content hash
        found = s3_code(owner)
        if found is None:
            continue
        path, key, versioned = found
        if isinstance(key, dict) and "Fn::FindInMap" in key or is_dynamic_reference(key):
            # mapping values are literals, as fixed as a key written in place; a {{resolve:...}} is UNKNOWN
            key = model.resolve(key)
        if versioned or not isinstance(key, str) or _CONTENT_ADDRESSED.search(key):
            continue
        logical_id = owner.logical_id
        yield Hit(path, f"code of {logical_id} is read from S3 key {key!r} without an object version: uploading new "
                        f"code to the same key and updating the stack deploys nothing", logical_id)


@rule(id="LL1018", name="package-type-properties", severity=Severity.ERROR,
      summary="Image function with Runtime, Handler or Layers; or zip function without Runtime or Handler",
      source=FUNCTION_PROPERTIES)
def check_package_type(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks the properties that depend on `PackageType`: an image function cannot set
    `Runtime`, `Handler` or `Layers` (the image carries them); a zip function needs both.

    ## Why is this bad?
    Lambda rejects the function ("Runtime and Handler are mandatory parameters for functions
    created with deployment packages", or "Layers are not supported for container images").

    ## Example
    ```yaml
    Fn:
      Type: AWS::Lambda::Function
      Properties:
        PackageType: Image
        Runtime: python3.12
        Code:
          ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1
    ```
    Use instead: leave out `Runtime` and `Handler`; set them in the image (`CMD`) or
    `ImageConfig`.
    """
    for function in model.functions:
        kind = function.package_type
        if kind == "Image":
            for key in ("Runtime", "Handler", "Layers"):
                if function.has(key) and not all(c is NO_VALUE for c in model.candidates(function.get(key))):
                    if key == "Layers" and not function.layers:
                        continue
                    yield function.hit(f"image function {function.logical_id} cannot set {key}", key)
        elif kind == "Zip":
            missing = [key for key in ("Runtime", "Handler") if not function.has(key)]
            if runtime_family(function.runtime) == "provided" and missing == ["Handler"]:
                continue  # custom runtimes read the handler themselves; Lambda's need for it is unclear
            if function.has("Code", "ImageUri"):
                continue  # PackageType: Image forgotten: another mistake, reported by Lambda clearly
            if missing:
                yield function.hit(f"zip function {function.logical_id} has no {' and no '.join(missing)}")
