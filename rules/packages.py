"""LL1: deployment packages - zips, folders, layers and container images, read but never run."""

from __future__ import annotations

import posixpath
import re
import stat
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

from lambdalint.findings import Hit, Path, Severity
from lambdalint.lazy import lazy_pattern
from lambdalint.model import Function, TemplateModel
from lambdalint.model.packages import (
    FunctionPackage,
    Opened,
    function_packages,
    layer_packages,
    nodejs_major,
    python_version,
    runtime_family,
    single_architecture,
)
from lambdalint.model.values import NO_VALUE, Reference
from lambdalint.registry import rule

QUOTAS = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"
PERMISSIONS = "https://repost.aws/knowledge-center/lambda-deployment-package-errors"
LAYER_PATHS = "https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html"
IMAGES = "https://docs.aws.amazon.com/lambda/latest/dg/images-create.html"
CODE_PROPERTY = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-code.html"
FUNCTION_PROPERTIES = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html"
BEST_PRACTICES = "https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html"
ARCHITECTURES = "https://docs.aws.amazon.com/lambda/latest/dg/foundation-arch.html"
PYTHON_PACKAGE = "https://docs.aws.amazon.com/lambda/latest/dg/python-package.html"
RUNTIMES = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"

MIB = 1024 * 1024
# How many members' first bytes the binary rules read per package. A package with more
# native libraries than this is judged on the first ones (in archive order).
MAX_SNIFFED = 2000


def _mb(size: int) -> str:
    return f"{size / MIB:.1f} MB"


def _example(names: List[str], limit: int = 3) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _sites(model: TemplateModel) -> Iterator[Tuple[Opened, Optional[FunctionPackage]]]:
    """Every readable package once: function packages (with the first function using it), then layers."""
    seen: Set[str] = set()
    for item in function_packages(model):
        if item.package is not None and item.package.path not in seen:
            seen.add(item.package.path)
            yield item.opened, item
    for opened in layer_packages(model).values():
        if opened.package is not None and opened.package.path not in seen:
            seen.add(opened.package.path)
            yield opened, None


def _package_hit(opened: Opened, message: str, member: Optional[str] = None,
                 severity: Optional[Severity] = None) -> Hit:
    return Hit(opened.location.path, message, opened.location.owner, opened.artifact(member), severity)


# -- sizes --------------------------------------------------------------------------------


@rule(id="LL1001", name="zip-over-direct-upload-limit", severity=Severity.WARNING,
      summary="Zipped package over 50 MB: it must be uploaded through S3", source=QUOTAS)
def check_zipped_size(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Measures local `.zip` packages of functions and layers against the 50 MB quota for a
    deployment package uploaded directly to Lambda.

    ## Why is this bad?
    Lambda refuses a direct upload over 50 MB ("RequestEntityTooLargeException"); the package
    has to go through an S3 bucket, and it usually means dependencies that do not belong in it.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: dist/everything.zip    # 80 MB
    ```
    Use instead:
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: dist/function.zip      # dependencies moved to a layer
    ```
    """
    most = model.limit("package_zipped_direct_upload_mb_max") * MIB
    for opened, _ in _sites(model):
        package = opened.package
        if package.kind == "zip" and package.compressed_size and package.compressed_size > most:
            yield _package_hit(opened, f"zipped package {opened.display} is {_mb(package.compressed_size)}; "
                                       f"direct uploads are limited to {_mb(most)} (upload it through S3)")


@rule(id="LL1002", name="unzipped-size-with-layers", severity=Severity.ERROR,
      summary="Unzipped function package plus all its layers over 250 MB", source=QUOTAS)
def check_unzipped_size(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Adds up the unzipped size of a function's package and of every layer it uses that this
    template defines with local content. Layers from elsewhere (ARNs) are not known: the total
    is then a lower bound, and said so.

    ## Why is this bad?
    Lambda refuses to create or update a function whose code and layers exceed 250 MB unzipped.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: build/         # 180 MB unzipped
        Layers: [!Ref Deps]     # 120 MB unzipped
    ```
    Use instead: trim dependencies, or move to a container image (up to 10 GB).
    """
    most = model.limit("package_unzipped_with_layers_mb_max") * MIB
    for item in function_packages(model):
        if item.package is None or item.function.package_type == "Image":
            continue
        total = item.package.uncompressed_size
        for layer in item.known_layers():
            total += layer.package.uncompressed_size
        if total > most:
            bound = "" if item.layers_known else " at least (layers from outside this template not counted)"
            yield _package_hit(item.opened, f"function {item.function.logical_id}: package and layers take"
                                            f"{bound} {_mb(total)} unzipped; the limit is {_mb(most)}")


@rule(id="LL1003", name="image-too-large", severity=Severity.ERROR,
      summary="Container image over 10 GB uncompressed", source=QUOTAS)
def check_image_size(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Adds up the uncompressed size of every layer of a function's container image, read from
    the local image given with `--image LOGICAL_ID=PATH` (a `docker save` tarball or an OCI
    layout). Without a local image nothing is checked.

    ## Why is this bad?
    Lambda refuses images over 10 GB uncompressed, including all layers.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Lambda::Function
      Properties:
        PackageType: Image
        Code:
          ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml:latest   # 12 GB
    ```
    Use instead: a slimmer base image, models loaded from S3 or EFS at run time.
    """
    most = model.limit("container_image_uncompressed_gb_max") * 1024 ** 3
    for item in function_packages(model):
        image = item.image
        if image is not None and image.uncompressed_size > most:
            bound = "" if image.complete else "at least "
            yield Hit(item.code.path, f"image {item.image_display} is {bound}{image.uncompressed_size / 1024 ** 3:.1f} GB "
                                      f"uncompressed; Lambda allows {model.limit('container_image_uncompressed_gb_max')} GB",
                      item.function.logical_id)


# -- handlers -----------------------------------------------------------------------------


@rule(id="LL1004", name="handler-file-missing", severity=Severity.ERROR,
      summary="Handler file in neither the package nor any of its layers",
      source="https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html")
def check_handler_file(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Looks for the file the `Handler` names where the runtime looks: python `app.handler` needs
    `app.py` (or `app/__init__.py`) in the package or under `python/` in a layer; Node.js
    `index.handler` needs `index.js`, `index.mjs` or `index.cjs`; a custom runtime needs
    `bootstrap` in the package or a layer. When a local layer cannot be read the finding is a
    warning; with a layer from outside the template nothing is said.

    ## Why is this bad?
    The deployment succeeds and every invocation fails with `Runtime.ImportModuleError` or
    "Cannot find module".

    ## Example
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: src/
        Handler: app.handler      # src/ holds main.py, not app.py
    ```
    Use instead:
    ```yaml
        Handler: main.handler
    ```
    """
    said = set()  # functions sharing a Globals handler and a package: one finding
    for item in function_packages(model):
        if item.package is None or item.function.package_type == "Image":
            continue
        # imported here, once a local package is found: start-up without one stays cheaper
        from lambdalint.model.handlers import find_handler, handler_spec, task_root_candidates

        spec = handler_spec(item.function)
        if spec is None or item.is_source or _typescript_source(item, spec):
            continue
        if any(layer.resource is None for layer in item.layers):
            continue  # a layer from elsewhere may hold it
        found, unsure = find_handler(item)
        if found is not None or unsure:
            continue
        unreadable = [layer for layer in item.layers if layer.resource is not None and not layer.known]
        if any(layer.opened is None for layer in unreadable):
            continue  # layer content in S3: unknown
        expected = task_root_candidates(spec)
        if spec.family == "python":
            wanted = " or ".join(expected[:2])
        elif spec.family == "nodejs":
            wanted = " or ".join(name for name in expected if name != spec.module)
        else:
            wanted = " or ".join(expected)
        where = "package"
        if item.layers:
            where += " or its layers"
        message = f"handler {item.function.handler!r}: no {wanted} in the {where} ({item.opened.display})"
        severity = None
        if unreadable:
            severity = Severity.WARNING
            names = ", ".join(layer.resource.logical_id for layer in unreadable)
            message += f"; layer {names} could not be read"
        key = ("Handler",) if spec.family != "provided" or item.function.has("Handler") else ()
        path = item.function.path(*key) if key else item.code.path
        if (path, message) not in said:
            said.add((path, message))
            yield Hit(path, message, item.function.logical_id, item.opened.artifact(expected[0]), severity)


def _typescript_source(item: FunctionPackage, spec) -> bool:
    """A Node.js handler whose module exists only as TypeScript: compiled before deploy."""
    return spec.family == "nodejs" and any(item.package.has(spec.module + ext) for ext in (".ts", ".mts", ".cts"))


def _handler_source(item: FunctionPackage):
    from lambdalint.model.handlers import find_handler, handler_spec, read_source

    spec = handler_spec(item.function)
    if spec is None or spec.function is None or item.function.package_type == "Image" or item.is_source:
        return None
    found, _ = find_handler(item)
    if found is None:
        return None
    source = read_source(found)
    if source is None:
        return None
    return spec, found, source


@rule(id="LL1005", name="handler-function-missing", severity=Severity.ERROR,
      summary="Handler function not defined in the handler file",
      source="https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html")
def check_handler_function(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reads the handler file and checks that it defines the handler function: python files are
    parsed with `ast` (never imported) for a module-level `def`, assignment or import of that
    name; Node.js files are checked on a best-effort basis (the name must appear at all).
    Modules that define names dynamically (`from x import *`, a module `__getattr__`) are
    not judged.

    ## Why is this bad?
    Every invocation fails with `Runtime.HandlerNotFound`.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        Handler: worker.process     # worker.py defines handle(), not process()
    ```
    Use instead:
    ```yaml
        Handler: worker.handle
    ```
    """
    for item in function_packages(model):
        if item.package is None:
            continue
        found = _handler_source(item)
        if found is None:
            continue
        from lambdalint.model.handlers import node_mentions, parse_python, python_defines  # only with a local handler file: cheaper start-up

        spec, handler_file, source = found
        if spec.family == "python":
            if not handler_file.member.endswith(".py"):
                continue
            tree = parse_python(source)
            if tree is None or python_defines(tree, spec.function) is not False:
                continue
        elif spec.family == "nodejs":
            if node_mentions(source, spec.function):
                continue
        else:
            continue
        package_name = item.opened.display if not handler_file.in_layer else _display(handler_file.package.path, model)
        yield Hit(item.function.path("Handler"),
                  f"handler {item.function.handler!r}: {handler_file.member} in {package_name} "
                  f"does not define {spec.function!r}",
                  item.function.logical_id, item.opened.artifact(handler_file.member))


@rule(id="LL1021", name="client-created-in-handler", severity=Severity.INFO,
      summary="Handler creates SDK clients or connections on every invocation", source=BEST_PRACTICES)
def check_clients_in_handler(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Parses a python handler with `ast` and finds `boto3.client(...)`, `boto3.resource(...)`,
    `boto3.Session()`, `requests.Session()` and `*.connect(...)` calls in the body of the
    handler function itself.

    ## Why is this bad?
    Code in the handler runs on every invocation; a client or connection created there is
    paid again each time (TLS handshakes, loading the SDK's service model). Created at module
    level it is reused for as long as the execution environment lives.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        Handler: app.handler   # def handler(e, c): table = boto3.resource("dynamodb").Table(...)
    ```
    Use instead:
    ```yaml
        Handler: app.handler   # TABLE = boto3.resource("dynamodb").Table(...) at module level
    ```
    """
    for item in function_packages(model):
        if item.package is None:
            continue
        found = _handler_source(item)
        if found is None:
            continue
        from lambdalint.model.handlers import client_calls, parse_python, python_function  # only with a local handler file: cheaper start-up

        spec, handler_file, source = found
        if spec.family != "python" or not handler_file.member.endswith(".py"):
            continue
        tree = parse_python(source)
        node = python_function(tree, spec.function) if tree is not None else None
        if node is None:
            continue
        calls = client_calls(node)
        if calls:
            first = calls[0]
            more = f" (and {len(calls) - 1} more)" if len(calls) > 1 else ""
            yield Hit(item.function.path("Handler"),
                      f"{spec.function}() in {handler_file.member} calls {first.text} at line {first.line}{more} "
                      f"on every invocation; create it once at module level",
                      item.function.logical_id, item.opened.artifact(handler_file.member))


# -- members --------------------------------------------------------------------------------


def _executable_names(opened: Opened, item: Optional[FunctionPackage]) -> Set[str]:
    names = set()
    if item is not None and runtime_family(item.function.runtime) == "provided":
        names.add("bootstrap")
    if item is None:  # a layer: /opt/bootstrap can be a custom runtime
        names.add("bootstrap")
    return names


@rule(id="LL1006", name="package-permissions", severity=Severity.ERROR,
      summary="Package files not readable by others, or executables others cannot run", source=PERMISSIONS)
def check_permissions(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reads the Unix modes recorded in the package: every file must be readable by others
    (`o+r`, e.g. 644) and every folder readable and searchable (`o+rx`, 755); `bootstrap` and
    files marked executable for their owner must be executable by others too. Zips made on
    Windows record no modes and are not judged. SAM CLI adds read permission when it zips a
    folder, so for SAM folder packages only executables are checked.

    ## Why is this bad?
    Lambda runs your code as a user that owns none of the files: "permission denied" or
    `Runtime.ImportModuleError` at the first invocation.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Lambda::Function
      Properties:
        Code: dist/function.zip   # app.py stored with mode 600
    ```
    Use instead: `chmod -R o+rX` before zipping (644 files, 755 folders and executables).
    """
    for opened, item in _sites(model):
        package = opened.package
        if package.kind == "image":
            continue
        reads_fixed = package.kind == "folder" and _is_sam_owner(model, opened)
        executables = _executable_names(opened, item)
        unreadable: List[str] = []
        not_runnable: List[str] = []
        for member in package.members:
            mode = member.permissions
            if mode is None or member.is_symlink:
                continue
            if member.is_dir:
                if not reads_fixed and (mode & 0o005) != 0o005:
                    unreadable.append(member.name + "/")
                continue
            if not reads_fixed and not mode & stat.S_IROTH:
                unreadable.append(member.name)
            if member.name in executables and not mode & stat.S_IXOTH:
                not_runnable.append(member.name)
            elif mode & stat.S_IXUSR and not mode & stat.S_IXOTH and member.name not in executables:
                not_runnable.append(member.name)
        if unreadable:
            yield _package_hit(opened, f"{len(unreadable)} entr{'y' if len(unreadable) == 1 else 'ies'} of "
                                       f"{opened.display} not readable by others (Lambda needs o+r on files, "
                                       f"o+rx on folders): {_example(unreadable)}", unreadable[0])
        if not_runnable:
            yield _package_hit(opened, f"{len(not_runnable)} executable{'' if len(not_runnable) == 1 else 's'} "
                                       f"in {opened.display} not executable by others (needs o+x, e.g. 755): "
                                       f"{_example(not_runnable)}", not_runnable[0])


def _is_sam_owner(model: TemplateModel, opened: Opened) -> bool:
    resource = model.resource(opened.location.owner)
    return resource is not None and resource.is_sam


_NATIVE_SUFFIXES = (".so", ".node", ".pyd")


def _native_candidates(package) -> Iterator[str]:
    """Members worth sniffing: shared libraries, Node addons, `bootstrap`, executables."""
    for member in package.members:
        if member.is_dir or member.is_symlink or member.size < 64:
            continue
        base = posixpath.basename(member.name)
        if (base.endswith(_NATIVE_SUFFIXES) or ".so." in base or base == "bootstrap"
                or (member.permissions is not None and member.permissions & 0o111 and "." not in base)):
            yield member.name


def _binaries(package) -> List[Tuple[str, Any]]:
    """(member, BinaryInfo) of the native files of a package, read once per package."""
    cached = getattr(package, "_lambdalint_binaries", None)
    if cached is not None:
        return cached
    from lambdalint.artifacts import ArtifactError, sniff
    from lambdalint.artifacts.binaries import SNIFF_BYTES

    found = []
    for count, name in enumerate(_native_candidates(package)):
        if count >= MAX_SNIFFED:
            break
        try:
            info = sniff(package.head(name, SNIFF_BYTES))
        except ArtifactError:
            continue
        if info is not None:
            found.append((name, info))
    try:
        package._lambdalint_binaries = found  # memo on the shared, cached package object
    except AttributeError:
        pass
    return found


def _function_sites(model: TemplateModel) -> Iterator[Tuple[Opened, FunctionPackage]]:
    """(package, function) for each function's package and its local layers, each pair once."""
    seen = set()
    for item in function_packages(model):
        if item.function.package_type == "Image":
            continue
        sites = [item.opened] if item.package is not None else []
        sites += [layer.opened for layer in item.known_layers()]
        for opened in sites:
            key = (opened.package.path, opened.location.path)
            if key not in seen:
                seen.add(key)
                yield opened, item


@rule(id="LL1007", name="binary-architecture-mismatch", severity=Severity.ERROR,
      summary="Native binary built for another architecture than the function's", source=ARCHITECTURES)
def check_binary_architecture(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reads the ELF header of shared libraries, Node addons, `bootstrap` and executables in the
    function's package and local layers, and compares their machine (x86_64 or arm64) with
    the function's `Architectures` (x86_64 when not set).

    ## Why is this bad?
    The library fails to load ("wrong ELF class", "cannot open shared object file",
    `exec format error`) at the first invocation.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: build/              # pip-installed on an x86_64 laptop
        Architectures: [arm64]
    ```
    Use instead: build for the function's architecture (`pip install --platform
    manylinux2014_aarch64 --only-binary=:all:`, or `sam build --use-container`).
    """
    reported = set()
    for opened, item in _function_sites(model):
        wanted = single_architecture(item.function)
        if wanted is None:
            continue
        wrong = [name for name, info in _binaries(opened.package)
                 if info.format == "elf" and info.architecture in ("x86_64", "arm64") and info.architecture != wanted]
        key = (opened.package.path, wanted)
        if wrong and key not in reported:
            reported.add(key)
            other = "arm64" if wanted == "x86_64" else "x86_64"
            yield _package_hit(opened, f"{len(wrong)} native binar{'y' if len(wrong) == 1 else 'ies'} in "
                                       f"{opened.display} built for {other}, but function "
                                       f"{item.function.logical_id} runs on {wanted}: {_example(wrong)}", wrong[0])


@rule(id="LL1008", name="foreign-os-binary", severity=Severity.ERROR,
      summary="Mach-O or Windows PE binary in the package (built on macOS or Windows)", source=PYTHON_PACKAGE)
def check_foreign_binaries(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds shared libraries, Node addons and `bootstrap` files whose header says Mach-O
    (macOS) or PE (Windows) instead of ELF (Linux).

    ## Why is this bad?
    Lambda runs Linux: the native dependency was installed on a laptop and cannot be
    loaded ("invalid ELF header").

    ## Example
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: node_build/         # npm install on macOS: sharp.node is Mach-O
    ```
    Use instead: install dependencies for Linux (`sam build --use-container`, or
    `pip install --platform manylinux2014_x86_64 --only-binary=:all:`).
    """
    for opened, _ in _sites(model):
        if opened.package.kind == "image":
            continue
        foreign = [(name, info) for name, info in _binaries(opened.package) if info.format in ("macho", "pe")]
        if foreign:
            systems = sorted({"macOS (Mach-O)" if info.format == "macho" else "Windows (PE)" for _, info in foreign})
            names = [name for name, _ in foreign]
            yield _package_hit(opened, f"{len(names)} binar{'y' if len(names) == 1 else 'ies'} in {opened.display} "
                                       f"built for {' and '.join(systems)}, not Linux: {_example(names)}", names[0])


@rule(id="LL1009", name="python-extension-version", severity=Severity.ERROR,
      summary="Python extension module built for another Python version than the runtime", source=PYTHON_PACKAGE)
def check_extension_versions(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reads the interpreter tag in the names of python extension modules
    (`_speedups.cpython-39-x86_64-linux-gnu.so`) in the package and its local layers and
    compares it with the function's python runtime. Stable-ABI modules (`abi3`) load on any
    later version and are fine; layer folders for another version (`python/lib/python3.9/`)
    are not loaded at all and are left to LL1013.

    ## Why is this bad?
    `ImportError` at the first invocation: CPython loads only extensions built for its own
    minor version.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: build/            # pydantic_core ... cpython-39 ... .so
        Runtime: python3.12
    ```
    Use instead: install dependencies with the runtime's Python (`sam build --use-container`).
    """
    reported = set()
    for opened, item in _function_sites(model):
        from lambdalint.artifacts import python_extension_tag  # only with a local package: cheaper start-up

        version = python_version(item.function.runtime)
        key = (opened.package.path, version)
        if version is None or key in reported:
            continue
        in_layer = opened is not item.opened
        wrong = []
        for name in opened.package.names():
            if not name.endswith((".so", ".pyd")):
                continue
            if in_layer:
                match = re.match(r"python/lib/python(\d+\.\d+)/", name)
                if not name.startswith("python/") or (match and match.group(1) != version):
                    continue
            tag = python_extension_tag(name)
            if tag is not None and tag.implementation == "cpython" and tag.version and tag.version != version:
                wrong.append((name, tag.version))
        if wrong:
            reported.add(key)
            versions = ", ".join(sorted({found for _, found in wrong}))
            names = [name for name, _ in wrong]
            yield _package_hit(opened, f"{len(names)} python extension module{'' if len(names) == 1 else 's'} in "
                                       f"{opened.display} built for Python {versions}, but function "
                                       f"{item.function.logical_id} runs {item.function.runtime}: {_example(names)}",
                               names[0])


def _size_under(package, prefixes: Tuple[str, ...]) -> Tuple[int, Optional[str]]:
    total, first = 0, None
    for member in package.members:
        if member.name.startswith(prefixes) or member.name in tuple(p.rstrip("/") for p in prefixes):
            total += member.size
            if first is None:
                first = member.name
    return total, first


@rule(id="LL1010", name="bundles-runtime-sdk", severity=Severity.INFO,
      summary="Package bundles an SDK the runtime already provides", source=RUNTIMES)
def check_bundled_sdk(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds `boto3`/`botocore` in a python function's package, and the AWS SDK for JavaScript
    v2 (`node_modules/aws-sdk`) in a package for Node.js 16 or older, whose runtimes include
    them; the message gives the size it adds.

    ## Why is this bad?
    It makes the package bigger and cold starts slower. Bundle it only on purpose, to pin a
    version newer than the runtime's.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: build/          # build/boto3, build/botocore: 25 MB
        Runtime: python3.12
    ```
    Use instead: leave boto3 out of the package (or pin it in a layer shared by all functions).
    """
    reported = set()
    for item in function_packages(model):
        if item.package is None or item.package.path in reported:
            continue
        family = runtime_family(item.function.runtime)
        if family == "python":
            if not (item.package.has("boto3/__init__.py") or item.package.has("botocore/__init__.py")):
                continue
            size, first = _size_under(item.package, ("boto3/", "botocore/", "s3transfer/"))
            what = "boto3/botocore"
        elif family == "nodejs" and (nodejs_major(item.function.runtime) or 99) <= 16:
            if not item.package.has("node_modules/aws-sdk/package.json"):
                continue
            size, first = _size_under(item.package, ("node_modules/aws-sdk/",))
            what = "the AWS SDK for JavaScript v2 (aws-sdk)"
        else:
            continue
        reported.add(item.package.path)
        yield _package_hit(item.opened, f"{item.opened.display} bundles {what} ({_mb(size)}), which "
                                        f"{item.function.runtime} already provides", first)


# Dead weight: folders and files no function needs at run time.
_DEAD_FOLDERS = {"__pycache__": "__pycache__", ".git": ".git", "tests": "tests", "test": "tests",
                 "__tests__": "tests", "docs": "docs", ".pytest_cache": "__pycache__", ".mypy_cache": "__pycache__"}
_DEAD_FILES = {".DS_Store": ".DS_Store", "Thumbs.db": ".DS_Store"}


@rule(id="LL1011", name="package-dead-weight", severity=Severity.INFO,
      summary="Package carries dead weight: caches, .git, tests, .DS_Store, docs", source=BEST_PRACTICES)
def check_dead_weight(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Adds up what a package holds that no function runs: `__pycache__` and tool caches, `.git`,
    `tests`/`test`/`__tests__` folders, `docs`, `.DS_Store` files; the message lists each kind
    with its size.

    ## Why is this bad?
    A bigger package is slower to deploy and to cold-start, and a `.git` folder can leak
    history and secrets.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: ./            # the whole repository, .git included
    ```
    Use instead: point `CodeUri` at the source folder, or exclude these when building.
    """
    for opened, _ in _sites(model):
        if opened.package.kind == "image":
            continue
        sizes: Dict[str, int] = {}
        first: Optional[str] = None
        for member in opened.package.members:
            parts = member.name.split("/")
            kind = _DEAD_FILES.get(parts[-1]) if not member.is_dir else None
            if kind is None:
                for part in parts[:-1] if not member.is_dir else parts:
                    if part in _DEAD_FOLDERS:
                        kind = _DEAD_FOLDERS[part]
                        break
            if kind is not None:
                sizes[kind] = sizes.get(kind, 0) + member.size
                first = first or member.name
        if sizes:
            detail = ", ".join(f"{kind} {_human(size)}" for kind, size in sorted(sizes.items()))
            yield _package_hit(opened, f"{opened.display} carries {_human(sum(sizes.values()))} no function "
                                       f"runs: {detail}", first)


def _human(size: int) -> str:
    if size >= MIB:
        return _mb(size)
    return f"{size / 1024:.1f} KB"


@rule(id="LL1012", name="unsafe-archive", severity=Severity.ERROR,
      summary="Unsafe archive: absolute path, '..' entry, symlink leaving the package, or zip bomb",
      source="https://cwe.mitre.org/data/definitions/22.html")
def check_unsafe_archive(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports package entries that would write or point outside the folder they are unpacked
    into: absolute paths, `..` components, symlinks whose target leaves the package, and zips
    whose central directory claims sizes only a zip bomb has (judged without decompressing).
    Nothing is extracted and no symlink is followed.

    ## Why is this bad?
    Lambda refuses such packages or unpacks them wrongly, and the same archive extracted by a
    build or scanning tool can overwrite files or exhaust the disk ("zip slip").

    ## Example
    ```yaml
    Fn:
      Type: AWS::Lambda::Function
      Properties:
        Code: vendor/package.zip    # holds ../../etc/cron.d/job
    ```
    Use instead: rebuild the zip from a clean folder with relative paths only.
    """
    sites = list(_sites(model))
    for item in function_packages(model):
        if item.image is not None:
            sites.append((None, item))
    seen = set()
    for opened, item in sites:
        package = opened.package if opened is not None else item.image
        if not package.problems or package.path in seen:
            continue
        seen.add(package.path)
        problems = package.problems
        described = [f"{problem.member or '(archive)'}: {problem.reason}" for problem in problems]
        message = f"unsafe {package.kind} {_display(package.path, model)}: {_example(described, 3)}"
        member = next((problem.member for problem in problems if problem.member), None)
        if opened is not None:
            yield _package_hit(opened, message, member)
        else:
            from lambdalint.findings import Artifact

            yield Hit(item.code.path, message, item.function.logical_id, Artifact(_display(package.path, model), member))


def _display(path: str, model: TemplateModel) -> str:
    from lambdalint.model.packages import display_path

    return display_path(path, model)


# -- layers -------------------------------------------------------------------------------

# What each runtime family loads from /opt (https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html).
_FAMILY_CODE = {
    "python": (".py",),
    "nodejs": (".js", ".mjs", ".cjs"),
    "java": (".jar",),
    "ruby": (".rb",),
}
_NODE_LOADED = lazy_pattern(r"^nodejs/(node\d+/)?node_modules/")


def _layer_families(model: TemplateModel, layer) -> Tuple[Set[str], Set[str]]:
    """(runtime families, python versions) a layer serves: its CompatibleRuntimes, else its users'."""
    runtimes: List[Any] = []
    declared = model.resolve(layer.get("CompatibleRuntimes"))
    if isinstance(declared, list) and all(isinstance(value, str) for value in declared) and declared:
        runtimes = declared
    else:
        for item in function_packages(model):
            if any(use.resource is layer for use in item.layers):
                runtimes.append(item.function.runtime)
    families = {runtime_family(runtime) for runtime in runtimes}
    versions = {python_version(runtime) for runtime in runtimes}
    return {family for family in families if family}, {version for version in versions if version}


def _loaded(family: str, name: str, versions: Set[str]) -> bool:
    if name.startswith(("bin/", "lib/", "extensions/")):
        return True
    if family == "python":
        if not name.startswith("python/"):
            return False
        match = re.match(r"python/lib/python(\d+\.\d+)/", name)
        return match is None or not versions or match.group(1) in versions
    if family == "nodejs":
        return _NODE_LOADED.match(name) is not None
    if family == "java":
        return name.startswith("java/lib/")
    return name.startswith(("ruby/gems/", "ruby/lib/"))


@rule(id="LL1013", name="layer-content-path", severity=Severity.WARNING,
      summary="Layer content not under the path the runtime loads", source=LAYER_PATHS)
def check_layer_paths(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks where a layer keeps its code, for the runtimes it serves (its `CompatibleRuntimes`,
    else the functions that use it): python under `python/` or
    `python/lib/pythonX.Y/site-packages/` of a matching version, Node.js under
    `nodejs/node_modules/`, Java under `java/lib/`, Ruby under `ruby/gems/` or `ruby/lib/`;
    `bin/` and `lib/` serve every runtime. It reports a layer whose code files are all
    somewhere else.

    ## Why is this bad?
    Lambda unpacks layers into `/opt` and puts only these folders on the module path: the
    import fails although the layer is attached.

    ## Example
    ```yaml
    Shared:
      Type: AWS::Serverless::LayerVersion
      Properties:
        ContentUri: layers/shared/      # holds shared.py at its root
        CompatibleRuntimes: [python3.12]
    ```
    Use instead: put the code under `layers/shared/python/shared.py`.
    """
    openeds = layer_packages(model)
    for layer in model.layers:
        opened = openeds.get(layer.logical_id)
        if opened is None or opened.package is None:
            continue
        families, versions = _layer_families(model, layer)
        for family in sorted(families & set(_FAMILY_CODE)):
            code = [name for name in opened.package.names() if name.endswith(_FAMILY_CODE[family])]
            if code and not any(_loaded(family, name, versions) for name in code):
                wanted = {"python": "python/", "nodejs": "nodejs/node_modules/", "java": "java/lib/",
                          "ruby": "ruby/lib/"}[family]
                yield _package_hit(opened, f"layer {layer.logical_id}: no {family} code under {wanted}"
                                           f"{' for Python ' + ', '.join(sorted(versions)) if family == 'python' and versions else ''}"
                                           f" where the runtime loads it ({len(code)} file(s) elsewhere, e.g. {code[0]})",
                                   code[0])


@rule(id="LL1014", name="too-many-layers", severity=Severity.ERROR,
      summary="More than 5 layers on one function", source=QUOTAS)
def check_layer_count(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Counts the layers of each function (SAM `Globals` included), condition-aware: a layer
    that an `Fn::If` may remove is not counted.

    ## Why is this bad?
    Lambda allows at most five layers per function; the deployment fails.

    ## Example
    ```yaml
    Layers: [!Ref A, !Ref B, !Ref C, !Ref D, !Ref E, !Ref F]
    ```
    Use instead: merge layers, or move dependencies into the package.
    """
    most = model.limit("layers_per_function_max")
    for function in model.functions:
        counts = []
        for option in function.candidates("Layers"):
            if not isinstance(option, list):
                break
            counts.append(sum(1 for entry in option
                              if not any(c is NO_VALUE for c in model.candidates(entry))))
        else:
            if counts and min(counts) > most:
                yield function.hit(f"function {function.logical_id} has {min(counts)} layers; "
                                   f"Lambda allows at most {most}", "Layers")


# -- images -------------------------------------------------------------------------------

_ARCH_NAMES = {"amd64": "x86_64", "x86_64": "x86_64", "arm64": "arm64", "aarch64": "arm64"}


@rule(id="LL1015", name="image-entrypoint-architecture", severity=Severity.ERROR,
      summary="Container image has no CMD/ENTRYPOINT, or another architecture than the function", source=IMAGES)
def check_image_config(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For an image function with a local image (`--image LOGICAL_ID=PATH`), checks that the
    image (or the function's `ImageConfig`) names what to run, with `CMD` or `ENTRYPOINT`, and
    that the image's architecture matches the function's `Architectures`.

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


_RIC_MARKERS = ("awslambdaric", "aws-lambda-ric", "aws_lambda_ric", "aws-lambda-java-runtime-interface-client",
                "amazon.lambda.runtimesupport", "lambda-entrypoint.sh")
_INTERPRETERS = lazy_pattern(r"^(python[\d.]*|node|nodejs|java|ruby|dotnet|sh|bash|npm|npx)$")


@rule(id="LL1019", name="image-without-runtime-client", severity=Severity.WARNING,
      summary="Container image without a Lambda runtime interface client", source=IMAGES)
def check_image_runtime_client(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For an image function with a local image, checks that something in it talks to the
    Lambda Runtime API: an AWS base image (`/lambda-entrypoint.sh`, `LAMBDA_TASK_ROOT`), a
    runtime interface client (`awslambdaric`, `aws-lambda-ric`, ...), or a `bootstrap`. Images
    whose command is a compiled program are not judged (the client may be linked into it).

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
        if image is None:
            continue
        config = image.config
        command = list(config.entrypoint or ()) + list(config.cmd or ())
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


_ECR = lazy_pattern(r"^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/[^\s]+$")
_ECR_SUB = lazy_pattern(r"\.dkr\.ecr(-fips)?\.[^/]*\.(amazonaws\.com|\$\{AWS::URLSuffix\})(\.cn)?/")


def _image_uri(model: TemplateModel, function) -> Tuple[Optional[Path], Any]:
    if function.is_sam:
        if not function.has("ImageUri"):
            return None, None
        return function.path("ImageUri"), function.get("ImageUri")
    if not function.has("Code", "ImageUri"):
        return None, None
    return function.path("Code", "ImageUri"), function.get("Code", "ImageUri")


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
        path, raw = _image_uri(model, function)
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
                if function.is_sam and (function.resource.metadata.get("DockerContext")
                                        or function.resource.metadata.get("Dockerfile")):
                    continue
                yield Hit(path, f"ImageUri {value!r} is not an Amazon ECR image URI; Lambda pulls images "
                                f"only from Amazon ECR", function.logical_id)
                break
            text = _sub_text(raw)
            if text is not None and "${" not in text.split("/", 1)[0] and not _ECR_SUB.search(text):
                yield Hit(path, f"ImageUri {text!r} is not an Amazon ECR image URI", function.logical_id)
                break


def _sub_text(raw: Any) -> Optional[str]:
    if isinstance(raw, dict) and len(raw) == 1 and "Fn::Sub" in raw:
        body = raw["Fn::Sub"]
        if isinstance(body, list) and body:
            body = body[0]
        return body if isinstance(body, str) else None
    return None


# -- template-only checks -----------------------------------------------------------------


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
    from lambdalint import data
    from lambdalint.model.code import INLINE, function_code

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
        size = _template_size(model)
        if size is not None:
            if size > model.limit("template_body_s3_bytes_max"):
                yield Hit((), f"template is {size} bytes: CloudFormation accepts at most "
                              f"{model.limit('template_body_s3_bytes_max')} bytes, even from S3 (move inline code to files)")
            elif size > model.limit("template_body_direct_bytes_max"):
                yield Hit((), f"template is {size} bytes: over {model.limit('template_body_direct_bytes_max')} bytes "
                              f"it must be deployed from S3", severity=Severity.WARNING)


def _template_size(model: TemplateModel) -> Optional[int]:
    import os

    try:
        return os.path.getsize(model.document.name)
    except (OSError, ValueError, TypeError):
        return None


# Content-addressed keys: `sam package` (an MD5 hex digest), CDK assets (a SHA-256 hex
# digest), or any key carrying a commit hash or a version number.
_CONTENT_ADDRESSED = lazy_pattern(r"[0-9a-fA-F]{7,}|\d+\.\d+|\$\{")


def _s3_code(owner: Any, sam_key: str, cfn_key: str) -> Optional[Tuple[Path, Any, bool]]:
    """(path, key, has a version) of code in S3; None when the code is not an S3 location.

    `owner` is a Function (SAM Globals merged) or a layer Resource.
    """
    where = owner.path if isinstance(owner, Function) else owner.property_path
    if owner.is_sam:
        value = owner.get(sam_key)
        if isinstance(value, dict) and "Key" in value and "Bucket" in value:
            return where(sam_key), value.get("Key"), "Version" in value
        if isinstance(value, str) and value.startswith("s3://"):
            key, _, query = value[5:].split("/", 1)[-1].partition("?")
            return where(sam_key), key, "versionId=" in query
        return None
    value = owner.get(cfn_key)
    if isinstance(value, dict) and "S3Key" in value and "S3Bucket" in value:
        return where(cfn_key), value.get("S3Key"), "S3ObjectVersion" in value
    return None


@rule(id="LL1017", name="s3-code-without-version", severity=Severity.WARNING,
      summary="Code in S3 without S3ObjectVersion: a new upload to the same key is not deployed",
      source=CODE_PROPERTY)
def check_s3_version(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds function and layer code in S3 (`S3Bucket`/`S3Key`, SAM `Bucket`/`Key` or an
    `s3://` URI) with a fixed key and no object version. Keys that change with the content
    (CDK asset hashes, `sam package` digests, keys with a version number or commit hash, keys
    built from parameters) are fine.

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
    owners: List[Tuple[Any, str, str]] = [(function, "CodeUri", "Code") for function in model.functions]
    owners += [(layer, "ContentUri", "Content") for layer in model.layers]
    for owner, sam_key, cfn_key in owners:
        resource = owner.resource if isinstance(owner, Function) else owner
        if resource.metadata.get("aws:asset:path"):
            continue  # CDK: the key is the asset's content hash
        found = _s3_code(owner, sam_key, cfn_key)
        if found is None:
            continue
        path, key, versioned = found
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
