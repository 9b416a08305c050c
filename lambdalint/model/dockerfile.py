"""What an image asset's Dockerfile says before it is built: the final stage's base, platform, command and files.

A CDK image asset (`DockerImageFunction`, `aws:asset:property: Code.ImageUri`) is built by
`cdk deploy`; lambdalint never runs a build. It reads the staged build context
(`asset.<hash>/`) and its Dockerfile (`aws:asset:dockerfile-path`, default `Dockerfile`) and
answers what the text decides. Whatever is left to build time is unknown, and the rules
asking about it say nothing: an `ARG` in `FROM`, a parser directive, a `COPY --from`, a
remote `ADD`, a glob, or a `RUN` other than a package install leave the image's files unknown.
"""

from __future__ import annotations

import json
import os
from typing import Any, List, Optional, Tuple

from ..lazy import lazy_pattern
from ..records import Record
from .template import Function, TemplateModel

MAX_DOCKERFILE_BYTES = 1024 * 1024
# A RUN that only installs packages does not make the handler's module (the image's own code).
_INSTALL_ONLY = lazy_pattern(r"^(?:(?:pip3?|python3?\s+-m\s+pip)\s+install\b(?![^&;|]*\s\.(?:\s|$))[^&;|]*"
                             r"|npm\s+(?:ci|install)\b[^&;|]*|(?:dnf|yum|microdnf)\s+(?:-y\s+)?install\b[^&;|]*)$")
_CONTINUATION = lazy_pattern(r"\\\s*\n")
# What a runtime interface client is called where it is installed, imported or started.
RUNTIME_CLIENT_MARKERS = ("awslambdaric", "aws-lambda-ric", "aws_lambda_ric",
                          "aws-lambda-java-runtime-interface-client", "amazon.lambda.runtimesupport",
                          "lambda-entrypoint.sh", "aws-lambda-cpp")
# Official images that hold no runtime interface client and whose ENTRYPOINT, if any, only
# runs the CMD (node's docker-entrypoint.sh, eclipse-temurin's certificate script): what such
# an image runs is what its Dockerfile says. Any other base may bring a client of its own.
_PLAIN_BASE = lazy_pattern(r"^(?:(?:docker\.io/)?(?:library/)?|public\.ecr\.aws/docker/library/)"
                           r"(?P<name>python|node|ruby|debian|ubuntu|alpine|amazoncorretto|eclipse-temurin)(?::[\w.-]+)?$"
                           r"|^(?:(?:docker\.io/)?(?:library/)?|public\.ecr\.aws/amazonlinux/)amazonlinux(?::[\w.-]+)?$")
_LAMBDA_BASE = lazy_pattern(r"^(?:public\.ecr\.aws/lambda/|amazon/aws-lambda-)(?P<family>[a-z]+)")


class Dockerfile(Record):
    """The final stage of a Dockerfile as far as its text decides it (None: not decided by the text)."""

    __slots__ = ("base", "platform", "command", "sources", "files_known", "runs", "mentions_client")

    def __init__(self, base: Optional[str], platform: Optional[str], command: Optional[Tuple[str, ...]],
                 sources: Tuple[str, ...], files_known: bool,
                 runs: Optional[Tuple[Optional[Tuple[str, ...]], Optional[Tuple[str, ...]]]] = None,
                 mentions_client: bool = True) -> None:
        self.base = base  # the external image the final stage builds on
        self.platform = platform  # FROM --platform=..., literal
        self.command = command  # CMD in exec form, ENTRYPOINT unset
        self.sources = sources  # what COPY/ADD take from the build context into the final stage
        self.files_known = files_known  # no instruction puts files there that the text does not name
        # (ENTRYPOINT, CMD) the text sets in the final stage: () when not set, None when not in exec form
        # (a shell form runs through /bin/sh, what it starts is not read); runs None: not read
        self.runs = runs
        self.mentions_client = mentions_client  # a runtime interface client or `bootstrap` anywhere in the text

    @property
    def lambda_base_family(self) -> Optional[str]:
        """`python`, `nodejs`, ... for an AWS Lambda base image (public.ecr.aws/lambda/python:3.12)."""
        match = _LAMBDA_BASE.match(self.base or "")
        return match.group("family") if match else None


    @property
    def plain_base(self) -> bool:
        """The base is an official image known to hold no runtime interface client (python:3.12-slim)."""
        return bool(_PLAIN_BASE.match(self.base or ""))


class _Stage:
    def __init__(self, name: Optional[str], base: Optional[str], platform: Optional[str]) -> None:
        self.name = name
        self.base = base
        self.platform = platform
        self.command: Optional[Tuple[str, ...]] = None
        self.entrypoint = False
        self.cmd_set = False
        self.entrypoint_words: Optional[Tuple[str, ...]] = None
        self.sources: List[str] = []
        self.files_known = True


def parse(text: str) -> Optional[Dockerfile]:
    """The final stage of a Dockerfile; None when its text does not decide even the base image."""
    lines = _CONTINUATION.sub(" ", text).splitlines()
    if lines and lines[0].lstrip().startswith("#") and "=" in lines[0]:
        return None  # a parser directive (escape=`, syntax=...) may change how the rest reads
    stages: List[_Stage] = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        keyword, rest = keyword.upper(), rest.strip()
        if keyword == "FROM":
            stages.append(_from(rest, stages))
        elif not stages:
            continue  # ARG before FROM
        elif keyword == "CMD":
            stages[-1].command = _exec_form(rest)
            stages[-1].cmd_set = True
        elif keyword == "ENTRYPOINT":
            stages[-1].entrypoint = True
            stages[-1].entrypoint_words = _exec_form(rest)
        elif keyword in ("COPY", "ADD"):
            _copy(stages[-1], keyword, rest)
        elif keyword in ("RUN", "ONBUILD") and not _INSTALL_ONLY.match(rest):
            stages[-1].files_known = False
    if not stages or stages[-1].base is None:
        return None
    final = stages[-1]
    entrypoint = final.entrypoint_words if final.entrypoint else ()
    cmd = final.command if final.cmd_set else ()
    lowered = text.lower()
    mentions = any(marker in lowered for marker in RUNTIME_CLIENT_MARKERS + ("bootstrap",))
    return Dockerfile(final.base, final.platform, None if final.entrypoint else final.command,
                      tuple(final.sources), final.files_known, (entrypoint, cmd), mentions)


def _from(rest: str, stages: List[_Stage]) -> _Stage:
    words = rest.split()
    platform = None
    while words and words[0].startswith("--"):
        flag = words.pop(0)
        if flag.startswith("--platform="):
            platform = flag.split("=", 1)[1]
    image = words[0] if words else None
    name = words[2].lower() if len(words) >= 3 and words[1].upper() == "AS" else None
    if image is None or "$" in image or (platform is not None and "$" in platform):
        return _Stage(name, None, None)
    earlier = next((stage for stage in reversed(stages) if stage.name == image.lower()), None)
    if earlier is None:
        return _Stage(name, image.lower(), platform)
    stage = _Stage(name, earlier.base, platform or earlier.platform)
    stage.command, stage.entrypoint = earlier.command, earlier.entrypoint
    stage.cmd_set, stage.entrypoint_words = earlier.cmd_set, earlier.entrypoint_words
    stage.sources, stage.files_known = list(earlier.sources), earlier.files_known
    return stage


def _exec_form(rest: str) -> Optional[Tuple[str, ...]]:
    try:
        value = json.loads(rest)
    except ValueError:
        return None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _copy(stage: _Stage, keyword: str, rest: str) -> None:
    words = rest.split()
    flags = [word for word in words if word.startswith("--")]
    if any(flag.startswith("--from") for flag in flags):
        stage.files_known = False
        return
    arguments = [word for word in words if not word.startswith("--")]
    if rest.lstrip().startswith("["):
        arguments = list(_exec_form(rest) or ())
    for source in arguments[:-1]:
        if "://" in source or any(char in source for char in "*?[$") or (keyword == "ADD" and source.endswith(
                (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz"))):
            stage.files_known = False  # remote, globbed, variable or unpacked: not named by the text
        else:
            stage.sources.append(source)


class ImageBuild(Record):
    """An image asset's build: its context folder, Dockerfile and the platform it is built for."""

    __slots__ = ("context", "dockerfile", "shown", "platform", "platform_from")

    def __init__(self, context: str, dockerfile: Dockerfile, shown: str, platform: Optional[str],
                 platform_from: str = "") -> None:
        self.context = context
        self.dockerfile = dockerfile
        self.shown = shown  # the Dockerfile for messages, relative
        self.platform = platform  # FROM --platform, else the asset's `platform` (docker build --platform)
        self.platform_from = platform_from  # which of the two said it, for messages


def image_asset_build(model: TemplateModel, function: Function) -> Optional[ImageBuild]:
    """The staged build of a CDK image asset function, when its Dockerfile can be read."""
    metadata = function.resource.metadata
    asset, dockerfile = metadata.get("aws:asset:path"), metadata.get("aws:asset:dockerfile-path") or "Dockerfile"
    if metadata.get("aws:asset:property") != "Code.ImageUri" or not isinstance(asset, str) or model.cdk is None:
        return None
    if not isinstance(dockerfile, str):
        return None
    context = os.path.normpath(os.path.join(model.base_dir, asset))
    path = os.path.normpath(os.path.join(context, dockerfile))
    boundary = model.boundary
    if not boundary.admits(context) or not boundary.admits(path):
        return None
    try:
        if os.path.getsize(path) > MAX_DOCKERFILE_BYTES:
            return None
        with open(path, encoding="utf-8") as handle:
            parsed = parse(handle.read())
    except (OSError, UnicodeDecodeError):
        return None
    if parsed is None:
        return None
    if parsed.platform:
        return ImageBuild(context, parsed, boundary.display(path), parsed.platform, "FROM --platform")
    platform = model.cdk.image_platform(context)
    return ImageBuild(context, parsed, boundary.display(path), platform, "the asset's platform" if platform else "")


def image_asset_builds(model: TemplateModel) -> List[Tuple[Function, ImageBuild]]:
    """(function, build) for each image function built from a CDK image asset and given no `--image`."""
    from .packages import image_source

    found = []
    for function in model.functions:
        if function.package_type != "Image" or image_source(model, function) is not None:
            continue
        build = image_asset_build(model, function)
        if build is not None:
            found.append((function, build))
    return found


def image_handler(build: ImageBuild, function: Function) -> Optional[Tuple[str, List[str]]]:
    """(handler, files that would hold it) for an AWS base image's handler command; None when not decided.

    The handler is the function's `ImageConfig.Command`, else the Dockerfile's `CMD`, with one
    `module.function` word: what the AWS base image's entrypoint imports from its task root.
    """
    family = build.dockerfile.lambda_base_family
    if family not in ("python", "nodejs") or function.has("ImageConfig", "EntryPoint"):
        return None
    command: Any = function.value("ImageConfig", "Command") if function.has("ImageConfig", "Command") \
        else build.dockerfile.command
    if not isinstance(command, (list, tuple)) or len(command) != 1 or not isinstance(command[0], str):
        return None
    handler = command[0]
    module, _, name = handler.rpartition(".")
    if not module or not name or "/" in handler or "$" in handler:
        return None
    from .handlers import HandlerSpec, task_root_candidates

    return handler, task_root_candidates(HandlerSpec(family, module, name))


def copied_file(build: ImageBuild, relative: str) -> bool:
    """Whether a COPY/ADD source of the final stage is, or holds, a file whose path ends in `relative`."""
    suffix = relative.replace("\\", "/").lstrip("/")
    for source in build.dockerfile.sources:
        full = os.path.normpath(os.path.join(build.context, source))
        if full != build.context and not full.startswith(build.context.rstrip(os.sep) + os.sep):
            continue  # a source leading out of the build context: docker refuses it
        if os.path.isfile(full) and (full.replace(os.sep, "/").endswith("/" + suffix)
                                     or os.path.basename(full) == os.path.basename(suffix)):
            return True
        if os.path.isdir(full):
            for folder, _, files in os.walk(full):
                for name in files:
                    if os.path.join(folder, name).replace(os.sep, "/").endswith("/" + suffix):
                        return True
    return False


_MAX_COPIED_FILES = 2000
_MAX_COPIED_BYTES = 8 * 1024 * 1024


def copied_files_mention_client(build: ImageBuild) -> Optional[bool]:
    """Whether a file the final stage copies names a runtime interface client or is a `bootstrap`.

    A requirements.txt or package.json can install a client and the copied code can start it
    itself (awslambdaric.bootstrap.run); None when the copied files are too many or too large
    to read, or one lies outside the build context.
    """
    files: List[str] = []
    for source in build.dockerfile.sources:
        full = os.path.normpath(os.path.join(build.context, source))
        if full != build.context and not full.startswith(build.context.rstrip(os.sep) + os.sep):
            return None
        if os.path.isdir(full):
            files.extend(os.path.join(folder, name) for folder, _, names in os.walk(full) for name in names)
        elif os.path.isfile(full):
            files.append(full)
        else:
            return None  # not staged: the build would fail or copy something else
        if len(files) > _MAX_COPIED_FILES:
            return None
    total = 0
    for path in files:
        if os.path.basename(path) == "bootstrap":
            return True
        try:
            total += os.path.getsize(path)
            if total > _MAX_COPIED_BYTES:
                return None
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8", "replace").lower()
        except OSError:
            return None
        if any(marker in text for marker in RUNTIME_CLIENT_MARKERS):
            return True
    return False


def platform_architecture(platform: Any) -> Optional[str]:
    """x86_64 or arm64 for a docker platform (`linux/amd64`, `linux/arm64/v8`); None otherwise."""
    if not isinstance(platform, str):
        return None
    parts = platform.lower().split("/")
    if len(parts) < 2 or parts[0] != "linux":
        return None
    return {"amd64": "x86_64", "x86_64": "x86_64", "arm64": "arm64", "aarch64": "arm64"}.get(parts[1])
