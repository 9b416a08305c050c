"""LL1 images: a container image function's command, architecture, runtime client and registry."""

from __future__ import annotations

import posixpath
from typing import Iterator, List, Optional, Tuple

from lambdalint.findings import Hit, Severity
from lambdalint.lazy import lazy_pattern
from lambdalint.model import TemplateModel
from lambdalint.model.code import image_uri, sam_builds_image
from lambdalint.model.packages import function_packages, single_architecture
from lambdalint.model.template import Function
from lambdalint.model.values import sub_text
from lambdalint.registry import rule

from . import IMAGES

_ARCH_NAMES = {"amd64": "x86_64", "x86_64": "x86_64", "arm64": "arm64", "aarch64": "arm64"}


@rule(id="LL1015", name="image-entrypoint-architecture", severity=Severity.ERROR,
      summary="Container image has no CMD/ENTRYPOINT, or another architecture than the function", source=IMAGES)
def check_image_config(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For an image function with a local image (`--image LOGICAL_ID=PATH`), checks that the
    image (or the function's `ImageConfig`) names what to run, with `CMD` or `ENTRYPOINT`, and
    that the image's architecture matches the function's `Architectures`. For a CDK image
    asset not built yet, the platform its Dockerfile (`FROM --platform=`) or the asset
    (`platform`) builds for is compared instead.

    ## Why is this bad?
    Without a command the function fails at init; an arm64 image on an x86_64 function fails
    with `exec format error`.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Lambda::Function
      Properties:
        PackageType: Image
        Architectures: [x86_64]      # the image was built on an arm64 Mac
    ```
    Use instead: `docker build --platform linux/amd64`, or set `Architectures: [arm64]`.
    """
    for item in function_packages(model):
        image = item.image
        if image is None:
            continue
        function = item.function
        config = image.config
        overridden = function.has("ImageConfig", "Command") or function.has("ImageConfig", "EntryPoint")
        if not overridden and not config.cmd and not config.entrypoint:
            yield Hit(item.code.path, f"image {item.image_display} has neither CMD nor ENTRYPOINT and the function "
                                      f"sets no ImageConfig.Command: Lambda does not know what to run",
                      function.logical_id)
        wanted = single_architecture(function)
        built = _ARCH_NAMES.get(config.architecture or "")
        if wanted and built and built != wanted:
            key = ("Architectures",) if function.has("Architectures") else ()
            yield Hit(function.path(*key) if key else item.code.path,
                      f"image {item.image_display} is built for {config.architecture}, but function "
                      f"{function.logical_id} runs on {wanted}", function.logical_id)
    if model.cdk is None:
        return
    from lambdalint.model.dockerfile import image_asset_builds, platform_architecture

    for function, build in image_asset_builds(model):  # a CDK image asset, built at deploy time
        built, wanted = platform_architecture(build.platform), single_architecture(function)
        if built and wanted and built != wanted:
            key = ("Architectures",) if function.has("Architectures") else ()
            yield Hit(function.path(*key) if key else function.resource.path,
                      f"image asset {build.shown} is built for {build.platform} ({build.platform_from}), but "
                      f"function {function.logical_id} runs on {wanted}", function.logical_id)


_RIC_MARKERS = ("awslambdaric", "aws-lambda-ric", "aws_lambda_ric", "aws-lambda-java-runtime-interface-client",
                "amazon.lambda.runtimesupport", "lambda-entrypoint.sh")
_INTERPRETERS = lazy_pattern(r"^(python[\d.]*|node|nodejs|java|ruby|dotnet|sh|bash|npm|npx)$")


@rule(id="LL1019", name="image-without-runtime-client", severity=Severity.WARNING,
      summary="Container image without a Lambda runtime interface client", source=IMAGES)
def check_image_runtime_client(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For an image function with a local image, checks that what the function runs (the image's
    ENTRYPOINT and CMD, each replaced by the function's `ImageConfig` when set) talks to the
    Lambda Runtime API: an AWS base image (`/lambda-entrypoint.sh`, `LAMBDA_TASK_ROOT`), a
    runtime interface client (`awslambdaric`, `aws-lambda-ric`, ...), or a `bootstrap`. Images
    whose command is a compiled program are not judged (the client may be linked into it).
    For a CDK image asset not built yet, its Dockerfile is read instead, and reported only
    when the text decides it: the final stage builds on an official image with no client
    (`python`, `node`, `amazonlinux`, ...), its ENTRYPOINT and CMD are in exec form and run an
    interpreter, and neither the Dockerfile nor a file it copies names a client or a
    `bootstrap`. An `ARG` in `FROM`, a `COPY --from`, a `RUN` that makes files, or any other
    base leave it to the build, and nothing is said.

    ## Why is this bad?
    A plain `python:3.12` image running `python app.py` starts, never asks Lambda for an
    event, and every invocation times out.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Lambda::Function
      Properties:
        PackageType: Image     # FROM python:3.12-slim, CMD ["python", "app.py"]
    ```
    Use instead: `FROM public.ecr.aws/lambda/python:3.12`, or `pip install awslambdaric`
    and `ENTRYPOINT ["python", "-m", "awslambdaric"]`.
    """
    for item in function_packages(model):
        image = item.image
        runs = item.image_command()  # what the function runs: its ImageConfig replaces the image's
        if image is None or runs is None or not image.complete:
            continue  # absence is known only when every layer was read
        config = image.config
        command = list(runs[0]) + list(runs[1])
        words = " ".join(command).lower()
        if "LAMBDA_TASK_ROOT" in config.env or "LAMBDA_RUNTIME_DIR" in config.env:
            continue
        if any(marker in words for marker in _RIC_MARKERS):
            continue
        if not command or not _INTERPRETERS.match(posixpath.basename(command[0])):
            continue  # a compiled program may embed the client
        if any(marker in name.lower() for name in image.names() for marker in _RIC_MARKERS):
            continue
        if any(posixpath.basename(name) == "bootstrap" for name in image.names()):
            continue
        yield Hit(item.code.path, f"image {item.image_display} runs {' '.join(command)!r} without a Lambda runtime "
                                  f"interface client: it never receives events", item.function.logical_id)
    if model.cdk is not None:
        yield from _image_asset_runtime_clients(model)


def _image_asset_runtime_clients(model: TemplateModel) -> Iterator[Hit]:
    """A CDK image asset whose Dockerfile runs an interpreter on a plain official image, with no client."""
    from lambdalint.model.dockerfile import copied_files_mention_client, image_asset_builds

    for function, build in image_asset_builds(model):
        dockerfile = build.dockerfile
        if not dockerfile.plain_base or dockerfile.mentions_client or not dockerfile.files_known \
                or dockerfile.runs is None:
            continue  # another base may hold a client; files made at build time may be one
        command = _asset_command(function, dockerfile.runs)
        if not command or not _INTERPRETERS.match(posixpath.basename(command[0])):
            continue  # no command: the base's CMD runs (LL1015's matter); a program may embed the client
        if any(marker in " ".join(command).lower() for marker in _RIC_MARKERS):
            continue
        if copied_files_mention_client(build) is not False:
            continue  # the copied code or its requirements may install and start a client
        where, _ = image_uri(function)
        yield Hit(where or function.resource.path,
                  f"image asset {build.shown} builds on {dockerfile.base} and runs {' '.join(command)!r} without a "
                  f"Lambda runtime interface client: it never receives events", function.logical_id)


def _asset_command(function: Function, runs: Tuple[Optional[Tuple[str, ...]], Optional[Tuple[str, ...]]]
                   ) -> Optional[List[str]]:
    """ENTRYPOINT + CMD the function runs, each replaced by its ImageConfig; None when one is not known."""
    words: List[str] = []
    for key, own in zip(("EntryPoint", "Command"), runs):
        if function.has("ImageConfig", key):
            value = function.value("ImageConfig", key)
            if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
                return None
            words.extend(value)
        elif own is None:
            return None  # shell form: /bin/sh runs it
        else:
            words.extend(own)
    return words


_ECR = lazy_pattern(r"^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/[^\s]+$")
_ECR_SUB = lazy_pattern(r"\.dkr\.ecr(-fips)?\.[^/]*\.(amazonaws\.com|\$\{AWS::URLSuffix\})(\.cn)?/")


@rule(id="LL1020", name="image-uri-not-ecr", severity=Severity.ERROR,
      summary="ImageUri that is not an Amazon ECR image URI", source=IMAGES)
def check_image_uri(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks that an image function's `ImageUri` names a private Amazon ECR repository
    (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG` or `@sha256:...`). In SAM templates a
    bare local name (`myfunction:latest`) is left alone, since `sam deploy` pushes it to ECR;
    a name on another registry (Docker Hub, ECR Public, GHCR, ...) is reported.

    ## Why is this bad?
    Lambda pulls images only from Amazon ECR in the function's account or one that grants it
    access; the deployment fails.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Lambda::Function
      Properties:
        PackageType: Image
        Code:
          ImageUri: docker.io/library/python:3.12
    ```
    Use instead: push the image to ECR and use
    `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2`.
    """
    for function in model.functions:
        path, raw = image_uri(function)
        if path is None:
            continue
        for value in model.candidates(raw):
            if isinstance(value, str):
                if _ECR.match(value):
                    continue
                registry = value.split("/", 1)[0] if "/" in value else ""
                looks_remote = "." in registry or ":" in registry or registry == "localhost"
                if function.is_sam and not looks_remote:
                    continue
                if function.is_sam and sam_builds_image(function):
                    continue
                yield Hit(path, f"ImageUri {value!r} is not an Amazon ECR image URI; Lambda pulls images "
                                f"only from Amazon ECR", function.logical_id)
                break
            text = sub_text(raw)
            if text is not None and "${" not in text.split("/", 1)[0] and not _ECR_SUB.search(text):
                yield Hit(path, f"ImageUri {text!r} is not an Amazon ECR image URI", function.logical_id)
                break
