"""The deployment packages of a template: each function's code, its layers' code, its image.

Packages come from `lambdalint.artifacts` and are opened through ONE `PackageCache` per
process (`package_cache()`). Why module-level rather than one per Linter: a CLI run is one
process (and each `--jobs` worker is its own process), so "per process" is "per run";
templates of one run that share a package (a SAM template and its build, several stacks
in a cdk.out sharing an asset, several functions on one `CodeUri`) index it once; and
`Settings` is a frozen, picklable value that should not carry open state. A host that
lints the same paths again after they changed (an editor, a watch loop) calls
`reset_package_cache()` first.

Nothing here extracts, imports or executes package code: rules read member names,
sizes and modes, and at most a bounded prefix of a few members.
"""

from __future__ import annotations

import os
import posixpath
import re
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

from .. import data
from ..findings import Artifact, Hit, Severity, display_name
from ..records import Record
from .code import IMAGE, LOCAL, NOT_PACKAGED, OUTSIDE, S3, CodeLocation, function_code, layer_code, layer_resource
from .template import Function, Resource, TemplateModel
from .values import NO_VALUE

_CACHE = None


def package_cache():
    """The process-wide PackageCache (created on first use, so importing costs nothing)."""
    global _CACHE
    if _CACHE is None:
        from ..artifacts import PackageCache

        _CACHE = PackageCache()
    return _CACHE


def reset_package_cache() -> None:
    """Forget every indexed package: the next run reads the disk again."""
    global _CACHE
    _CACHE = None


def display_path(path: str, model: Optional[TemplateModel] = None) -> str:
    """A package path for messages: relative to the current folder when below it, else to the
    project root of `model` (lambdalint.boundary); never the runner's absolute path."""
    if model is not None:
        return model.boundary.display(path)
    return display_name(path)


def _shown_error(message: str, full: str, shown: str) -> str:
    """An ArtifactError message with the package's absolute path replaced by its display form.

    The readers name the package by the path they were given (the cache shares one reader
    per package between templates); the message a user sees names it as the template does.
    """
    return message.replace(full, shown) if full and shown else message


class Opened(Record):
    """A local code path and what reading it gave: a package, or why it cannot be read."""

    __slots__ = ("location", "package", "error")
    _hidden = ("package",)

    def __init__(self, location: CodeLocation, package: Any = None, error: Optional[str] = None) -> None:
        self.location = location
        self.package = package  # lambdalint.artifacts.Package
        self.error = error

    @property
    def display(self) -> str:
        return self.location.shown or display_path(self.location.local_path or "")

    def artifact(self, member: Optional[str] = None) -> Artifact:
        return Artifact(self.display, member)

    def hit(self, message: str, member: Optional[str] = None, severity: Optional[Severity] = None) -> Hit:
        """A finding about this package: where its path is written, naming the member if any."""
        return Hit(self.location.path, message, self.location.owner, self.artifact(member), severity)


def open_location(location: CodeLocation) -> Optional[Opened]:
    """The package at a local code location; None when the code is not local (S3, inline, image)."""
    if location.kind != LOCAL or not location.local_path:
        return None
    from ..artifacts import ArtifactError

    shown = location.shown or display_path(location.local_path)
    if not os.path.exists(location.local_path):
        return Opened(location, None, f"{shown}: no such file or folder")
    if location.single_file:
        if not os.path.isfile(location.local_path) or os.path.islink(location.local_path):
            return Opened(location, None, None)  # what the zip would hold of a link or folder is not known here
    elif os.path.isfile(location.local_path) and not _zip_like(location.local_path):
        # A single file (a Go binary, one script): SAM and `cloudformation package` zip it
        # themselves at deploy time. Not a package we can read, and not an error.
        return Opened(location, None, None)
    try:
        package: Any
        if location.single_file:
            from ..artifacts.folder_package import open_one_file

            package = open_one_file(location.local_path)
        else:
            package = package_cache().package(location.local_path)
        if location.selection is not None or location.file_mode is not None:
            from ..artifacts.selection import select

            package = select(package, location.selection or (), location.file_mode)
        return Opened(location, package)
    except ArtifactError as exc:
        return Opened(location, None, _shown_error(exc.message, location.local_path, shown))


def _zip_like(path: str) -> bool:
    if path.lower().endswith((".zip", ".jar")):
        return True
    import zipfile

    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return True  # unreadable: let opening it say why


class LayerUse(Record):
    """One entry of a function's `Layers`.

    `resource` is the layer of this template it names (None: an ARN from elsewhere, or an
    expression we cannot follow); `opened` its package when its content is a local path.
    """

    __slots__ = ("index", "value", "resource", "opened")
    _hidden = ("value", "resource")

    def __init__(self, index: int, value: Any, resource: Optional[Resource] = None,
                 opened: Optional[Opened] = None) -> None:
        self.index = index
        self.value = value
        self.resource = resource
        self.opened = opened

    @property
    def package(self):
        return self.opened.package if self.opened else None

    @property
    def known(self) -> bool:
        """True when we hold the layer's content."""
        return self.package is not None


class FunctionPackage(Record):
    __slots__ = ("function", "code", "opened", "layers", "image", "image_path", "image_error")
    _hidden = ("function", "image")

    def __init__(self, function: Function, code: CodeLocation, opened: Optional[Opened],
                 layers: Tuple[LayerUse, ...] = (), image: Any = None, image_path: Optional[str] = None,
                 image_error: Optional[str] = None) -> None:
        self.function = function
        self.code = code
        self.opened = opened
        self.layers = layers
        self.image = image  # lambdalint.artifacts.ImagePackage
        self.image_path = image_path
        self.image_error = image_error

    @property
    def package(self):
        return self.opened.package if self.opened else None

    @property
    def image_display(self) -> Optional[str]:
        """The image path for messages (relative, never the runner's absolute path), with its tag."""
        if not self.image_path:
            return None
        shown = display_path(self.image_path, self.function.model)
        found = image_given(self.function.model, self.function)
        return f"{shown}:{found[1]}" if found and found[1] else shown

    def image_command(self) -> Optional[Tuple[Tuple[str, ...], Tuple[str, ...]]]:
        """(entrypoint, cmd) the function runs: the image's, each replaced by the function's
        `ImageConfig.EntryPoint` / `ImageConfig.Command` when set; None when one of those is
        not a list of known strings (behind an intrinsic we cannot resolve)."""
        if self.image is None:
            return None
        config = self.image.config
        words = []
        for key, own in (("EntryPoint", config.entrypoint), ("Command", config.cmd)):
            if not self.function.has("ImageConfig", key):
                words.append(tuple(own or ()))
                continue
            value = self.function.value("ImageConfig", key)
            if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
                return None
            words.append(tuple(value))
        return words[0], words[1]

    def image_roots(self) -> Tuple[str, ...]:
        """Where in the image Lambda's package rules apply: the task root (`LAMBDA_TASK_ROOT`,
        /var/task by default) and /opt (where layers go), as member-name prefixes."""
        if self.image is None:
            return ()
        root = self.image.config.env.get("LAMBDA_TASK_ROOT") or "/var/task"
        task_root = posixpath.normpath("/" + root).strip("/")
        return (task_root + "/", "opt/") if task_root and task_root != "opt" else ("opt/",)

    @property
    def layers_known(self) -> bool:
        """Every layer's content is in hand (so absence from all of them means absence)."""
        return all(layer.known for layer in self.layers)

    def known_layers(self) -> List[LayerUse]:
        return [layer for layer in self.layers if layer.known]

    @property
    def is_source(self) -> bool:
        """The package read is source that `sam build` turns into something else before deploy.

        A folder is built when its function names a build method that makes the package
        (`builds_package`: esbuild, makefile, rust-cargolambda, dotnet, go1.x, java...), or,
        for a SAM function, when its runtime always compiles (Java, .NET, Go, custom runtimes):
        the handler file or `bootstrap` appears only then.
        """
        if self.package is None or self.package.kind != "folder":
            return False
        if self.code.built:
            return False  # read from the `sam build` output that belongs to the template
        model = self.function.model
        if builds_package(model, self.function.resource):
            return True
        if not self.function.is_sam or build_method(model, self.function.resource) is not None:
            return False  # a runtime build method copies the folder: it is the package
        if is_sam_build_output(model):
            return False
        return runtime_family(self.function.runtime) in ("java", "dotnet", "go", "provided")


# `sam build` reads `Metadata.BuildMethod` of functions and layers: a Lambda runtime identifier
# picks its builder, `makefile` runs the folder's Makefile (build-<LogicalId>), and functions also
# take esbuild, rust-cargolambda, ... (AWS SAM developer guide:
# https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/building-layers.html,
# https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/building-custom-runtimes.html,
# https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-using-build-typescript.html).
# The builders of these runtime families copy the source folder and add its dependencies, so
# the source files (their names and modes) are the package's; every other method produces
# the package from the source (a bundle, a compiled binary, a jar, whatever a Makefile copies).
_COPYING_BUILDERS = ("python", "nodejs", "ruby")


def build_method(model: TemplateModel, resource: Resource) -> Optional[str]:
    """The `Metadata.BuildMethod` that `sam build` applies to a function or layer; None when the
    template is itself build output (its folders are what the build made) or names none."""
    method = resource.metadata.get("BuildMethod")
    if not isinstance(method, str) or not method.strip() or is_sam_build_output(model):
        return None
    return method.strip()


def builds_package(model: TemplateModel, resource: Resource) -> bool:
    """The resource's build method makes its package from the source (not a copying builder)."""
    method = build_method(model, resource)
    return method is not None and not method.lower().startswith(_COPYING_BUILDERS)


def function_packages(model: TemplateModel) -> List[FunctionPackage]:
    return model.memo("packages:functions", _build_function_packages)


def function_package(model: TemplateModel, function: Function) -> FunctionPackage:
    return model.memo("packages:by-function", _by_function)[function.logical_id]


def layer_packages(model: TemplateModel) -> Dict[str, Opened]:
    """Layer resources of this template whose content is a local path: logical ID -> Opened."""
    return model.memo("packages:layers", _build_layer_packages)


def readable_packages(model: TemplateModel) -> Iterator[Tuple[Opened, Optional[FunctionPackage]]]:
    """Every readable package once: function packages (with the first function using it), then
    the layers no function package already is (with None)."""
    seen: Set[str] = set()
    for item in function_packages(model):
        if item.opened is not None and item.package is not None and item.package.path not in seen:
            seen.add(item.package.path)
            yield item.opened, item
    for opened in layer_packages(model).values():
        if opened.package is not None and opened.package.path not in seen:
            seen.add(opened.package.path)
            yield opened, None


def zip_function_packages(model: TemplateModel) -> Iterator[Tuple[Opened, FunctionPackage]]:
    """(package, function) for each zip function's own package and its readable layers.

    A package written once and used by several functions is given with each of them (the
    rules that judge it against a function's runtime or architecture need every one); the
    same package written at the same place is given once per function package.
    """
    seen = set()
    for item in function_packages(model):
        if item.function.package_type == "Image":
            continue
        sites = [item.opened] if item.opened is not None and item.package is not None else []
        sites += [layer.opened for layer in item.known_layers() if layer.opened is not None]
        for opened in sites:
            key = (opened.package.path, opened.location.path)
            if key not in seen:
                seen.add(key)
                yield opened, item


def layer_runtimes(model: TemplateModel, layer: Resource) -> List[Any]:
    """The runtimes a layer serves: its `CompatibleRuntimes` when they are all known strings,
    else the runtimes of the functions of this template that use it."""
    declared = model.resolve(layer.get("CompatibleRuntimes"))
    if isinstance(declared, list) and all(isinstance(value, str) for value in declared) and declared:
        return list(declared)
    return [item.function.runtime for item in function_packages(model)
            if any(use.resource is layer for use in item.layers)]


# How many members' first bytes are read per package to find native binaries. A package with
# more native libraries than this is judged on the first ones (in archive order).
MAX_SNIFFED = 2000
_NATIVE_SUFFIXES = (".so", ".node", ".pyd")


def _native_candidates(package: Any) -> Iterator[str]:
    """Members worth sniffing: shared libraries, Node addons, `bootstrap`, executables."""
    for member in package.members:
        if member.is_dir or member.is_symlink or member.size < 64:
            continue
        base = posixpath.basename(member.name)
        if (base.endswith(_NATIVE_SUFFIXES) or ".so." in base or base == "bootstrap"
                or (member.permissions is not None and member.permissions & 0o111 and "." not in base)):
            yield member.name


def native_binaries(package: Any, prefixes: Tuple[str, ...] = ()) -> List[Tuple[str, Any]]:
    """(member, lambdalint.artifacts.BinaryInfo) of the native files of a package, read once per package.

    With `prefixes`, only members below them (an image's task root and /opt: the rest of an
    image is its operating system, whose libraries are the base image's business).
    """
    memo = "_lambdalint_binaries" + "|".join(prefixes)
    cached = getattr(package, "_lambdalint_binaries_by", {}).get(memo)
    if cached is not None:
        return cached
    from ..artifacts import ArtifactError, sniff
    from ..artifacts.binaries import SNIFF_BYTES

    found = []
    candidates = _native_candidates(package)
    if prefixes:
        candidates = (name for name in candidates if name.startswith(prefixes))
    for count, name in enumerate(candidates):
        if count >= MAX_SNIFFED:
            break
        try:
            info = sniff(package.head(name, SNIFF_BYTES))
        except ArtifactError:
            continue
        if info is not None:
            found.append((name, info))
    try:  # memo on the shared, cached package object
        package._lambdalint_binaries_by = {**getattr(package, "_lambdalint_binaries_by", {}), memo: found}
    except AttributeError:
        pass
    return found


# -- installed wheels ------------------------------------------------------------------

_LEGACY_MANYLINUX = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
_MANYLINUX = re.compile(r"^manylinux_(\d+)_(\d+)_")
# A WHEEL file is a few hundred bytes; more than this is not one.
_WHEEL_FILE_LIMIT = 16 * 1024


class InstalledWheel(Record):
    """An installed distribution's `*.dist-info/WHEEL`: its name and the tags it was built for."""

    __slots__ = ("member", "name", "tags")

    def __init__(self, member: str, name: str, tags: Tuple[str, ...]) -> None:
        self.member = member
        self.name = name
        self.tags = tags

    def _platforms(self) -> List[str]:
        return [tag.rsplit("-", 1)[-1] for tag in self.tags if tag.count("-") == 2]

    def musl_only(self) -> bool:
        """Every platform tag is musllinux: built against musl libc only."""
        platforms = self._platforms()
        return bool(platforms) and all(platform.startswith("musllinux_") for platform in platforms)

    def glibc_needed(self) -> Optional[Tuple[int, int]]:
        """The oldest glibc any of its tags runs on; None when a tag is not tied to a glibc."""
        found = []
        for platform in self._platforms():
            match = _MANYLINUX.match(platform)
            legacy = _LEGACY_MANYLINUX.get(platform.split("_", 1)[0])
            if match:
                found.append((int(match.group(1)), int(match.group(2))))
            elif legacy and platform.startswith(tuple(_LEGACY_MANYLINUX)):
                found.append(legacy)
            else:
                return None  # `any`, `linux_x86_64` (built here, unknown glibc), macOS, ...
        return min(found) if found else None

    def describe(self) -> str:
        return f"{self.name} {'.'.join(self.tags[:1])}"


def installed_wheels(package: Any, in_layer: bool = False) -> List[InstalledWheel]:
    """The wheels installed at the top of a package (`pip install --target`), or of a layer's
    python folders (`python/`, `python/lib/pythonX.Y/site-packages/`)."""
    from ..artifacts import ArtifactError

    found = []
    for name in package.names():
        folder, base = posixpath.split(name)
        if base != "WHEEL" or not folder.endswith(".dist-info"):
            continue
        parent = posixpath.dirname(folder)
        if in_layer:
            if not (parent == "python" or re.fullmatch(r"python/lib/python\d+\.\d+/site-packages", parent)):
                continue
        elif parent:
            continue
        try:
            text = package.read(name, limit=_WHEEL_FILE_LIMIT).decode("utf-8", errors="replace")
        except ArtifactError:
            continue
        tags = tuple(line.partition(":")[2].strip() for line in text.splitlines() if line.startswith("Tag:"))
        if tags:
            found.append(InstalledWheel(name, posixpath.basename(folder)[: -len(".dist-info")], tags))
    return found


def cpython_extensions(package: Any) -> Iterator[Tuple[str, str]]:
    """(member, Python version) of each extension module (`.so`, `.pyd`) of a package whose file
    name says which CPython it was built for (`_x.cpython-39-x86_64-linux-gnu.so`: "3.9")."""
    from ..artifacts import python_extension_tag  # only with a local package: cheaper start-up

    for name in package.names():
        if not name.endswith((".so", ".pyd")):
            continue
        tag = python_extension_tag(name)
        if tag is not None and tag.implementation == "cpython" and tag.version:
            yield name, tag.version


def _by_function(model: TemplateModel) -> Dict[str, FunctionPackage]:
    return {item.function.logical_id: item for item in function_packages(model)}


def _build_layer_packages(model: TemplateModel) -> Dict[str, Opened]:
    found = {}
    for layer in model.layers:
        opened = open_location(layer_code(model, layer))
        if opened is not None:
            found[layer.logical_id] = opened
    return found


def _build_function_packages(model: TemplateModel) -> List[FunctionPackage]:
    layers = layer_packages(model)
    result = []
    for function in model.functions:
        code = function_code(model, function)
        uses = []
        for index, value in enumerate(function.layers):
            if any(candidate is NO_VALUE for candidate in model.candidates(value)):
                continue  # `!If [c, !Ref L, !Ref AWS::NoValue]`: maybe no layer at all
            resource = layer_resource(model, value)
            opened = layers.get(resource.logical_id) if resource is not None else None
            uses.append(LayerUse(index, value, resource, opened))
        image = image_path = image_error = None
        if code.kind == IMAGE or function.package_type == "Image":
            image, image_path, image_error = _image_for(model, function)
        result.append(FunctionPackage(function, code, open_location(code), tuple(uses),
                                      image, image_path, image_error))
    return result


def image_source(model: TemplateModel, function: Function) -> Optional[str]:
    """The local image given for a function (`--image ID=PATH[:TAG]` or config `images`), as a path.

    A relative path is taken from the current folder, else from the template's folder.
    """
    found = image_given(model, function)
    return found[0] if found else None


# A tag as OCI and docker write them: no "/" (so a path with a colon is never split).
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")


def image_given(model: TemplateModel, function: Function) -> Optional[Tuple[str, Optional[str]]]:
    """(path, tag or None) of the image given for a function.

    `PATH:TAG` (skopeo's `oci:PATH:TAG` convention) names one tag of an OCI layout or docker
    save tarball holding several; a path that exists as written is never split at a colon.
    """
    given = model.settings.images.get(function.logical_id)
    if not isinstance(given, str) or not given:
        return None
    path = _image_path(model, given)
    if not os.path.exists(path):
        head, colon, tag = given.rpartition(":")
        if colon and head and _TAG.fullmatch(tag) and os.path.exists(_image_path(model, head)):
            return _image_path(model, head), tag
    return path, None


def _image_path(model: TemplateModel, given: str) -> str:
    given = os.path.expanduser(given)
    if os.path.isabs(given) or os.path.exists(given):
        return os.path.abspath(given)
    return os.path.normpath(os.path.join(model.base_dir, given))


def _image_for(model: TemplateModel, function: Function):
    from ..artifacts import ArtifactError

    found = image_given(model, function)
    if found is None:
        return None, None, None
    path, tag = found
    try:
        return package_cache().image(path, tag=tag), path, None
    except ArtifactError as exc:
        return None, path, _shown_error(exc.message, path, display_path(path, model))


# Why a function's code was not inspected (DESIGN.md, `summary.unchecked`), by code kind.
UNCHECKED_REASONS = {OUTSIDE: "outside-project", S3: "s3-object", NOT_PACKAGED: "not-packaged"}
IMAGE_NOT_GIVEN = "image-not-given"
ZSTD_LAYERS_NOT_READ = "zstd-layers-not-read"
IMAGE_ASSET_NOT_BUILT = "image-asset-not-built"  # a CDK image asset: `cdk deploy` builds it from a Dockerfile


def unchecked_code(model: TemplateModel) -> List[Tuple[str, str]]:
    """(function logical ID, reason) for each function whose code no rule could look at.

    Decided from where the code is, without opening any package: a path outside the trust
    boundary, code in S3, an image function without a local image (`--image`); and, for an
    image given, zstd-compressed layers that no installed decoder reads (the image was
    opened for the rules already). A local path that is missing or unreadable is an LL0004
    finding instead, and inline code is read.
    """
    found = []
    for function in model.functions:
        code = function_code(model, function)
        reason = UNCHECKED_REASONS.get(code.kind)
        if reason is None and (code.kind == IMAGE or function.package_type == "Image"):
            given = image_source(model, function) is not None
            reason = _zstd_unread(model, function) if given else _image_reason(model, function)
        if reason is not None:
            found.append((function.logical_id, reason))
    return found


LAYER_NOT_IN_TEMPLATE = "layer-not-in-template"  # a published layer (ARN): its content is not here
SAM_BUILD_STALE = "sam-build-stale"  # `.aws-sam/build` older than the template: the source was read


def partly_unchecked(model: TemplateModel, listed: Set[str]) -> List[Tuple[str, str]]:
    """(function logical ID, reason) for functions whose own code was read but part of what
    Lambda runs was not: a layer named by ARN (or an expression we cannot follow), whose
    content is not in the project, so sizes (LL1002), binaries and layout leave it out; or
    a `sam build` output beside the template that is older than it, so the source folders
    were read instead of the built packages `sam deploy` uploads. Functions in `listed` are
    already counted and stay counted once.
    """
    found = []
    stale = _stale_sam_build(model)
    for item in function_packages(model):
        logical_id = item.function.logical_id
        if item.package is None or logical_id in listed:
            continue
        if any(layer.resource is None for layer in item.layers):
            found.append((logical_id, LAYER_NOT_IN_TEMPLATE))
        elif stale and item.code.kind == LOCAL:
            found.append((logical_id, SAM_BUILD_STALE))
    return found


def _stale_sam_build(model: TemplateModel) -> bool:
    name = model.document.name
    if not isinstance(name, str) or not os.path.isfile(name) or is_sam_build_output(model):
        return False
    from ..sam_build import is_stale_build

    return is_stale_build(name)


def _zstd_unread(model: TemplateModel, function: Function) -> Optional[str]:
    image = function_package(model, function).image
    if image is None:
        return None
    from ..artifacts.image import ZSTD_NOT_READ

    return ZSTD_LAYERS_NOT_READ if any(layer.error == ZSTD_NOT_READ for layer in image.layers) else None


def _image_reason(model: TemplateModel, function: Function) -> str:
    """Why an image function's image was not inspected: not given, or a CDK asset not built yet."""
    metadata = function.resource.metadata
    if metadata.get("aws:asset:property") == "Code.ImageUri" or (
            model.cdk is not None and model.cdk.image_asset(function.get("Code", "ImageUri"))):
        return IMAGE_ASSET_NOT_BUILT
    return IMAGE_NOT_GIVEN


def is_sam_build_output(model: TemplateModel) -> bool:
    """The template is `sam build` output (`.aws-sam/build/template.yaml`): its folders are built."""
    folder = os.path.normpath(model.base_dir)
    return os.path.basename(folder) == "build" and os.path.basename(os.path.dirname(folder)) == ".aws-sam"


# -- runtimes -------------------------------------------------------------------------


def runtime_family(runtime: Any) -> Optional[str]:
    """python, nodejs, java, dotnet, ruby, provided (custom runtimes and go1.x's successors)."""
    if not isinstance(runtime, str):
        return None
    row = data.runtime(runtime)
    if row:
        return row["family"]
    match = re.match(r"^(nodejs|python|java|dotnet|ruby|provided|go)", runtime)
    return match.group(1) if match else None


def python_version(runtime: Any) -> Optional[str]:
    """"3.12" for python3.12; None for anything else."""
    if isinstance(runtime, str):
        match = re.fullmatch(r"python(\d)\.(\d+)", runtime)
        if match:
            return f"{match.group(1)}.{match.group(2)}"
    return None


def nodejs_major(runtime: Any) -> Optional[int]:
    if isinstance(runtime, str):
        match = re.fullmatch(r"nodejs(\d+)(?:\.\w+)*(?:-edge)?", runtime)
        if match:
            return int(match.group(1))
    return None


def single_architecture(function: Function) -> Optional[str]:
    """x86_64 or arm64 when the function declares exactly one concrete architecture."""
    value = function.architectures
    if isinstance(value, list) and len(value) == 1 and value[0] in ("x86_64", "arm64"):
        return value[0]
    return None
