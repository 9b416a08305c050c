"""LL1 binaries: native code built for another architecture, operating system or Python version.

Only the first bytes of native-looking members are read (`native_binaries` in the model),
once per package for all three rules.
"""

from __future__ import annotations

import re
from typing import Iterator

from lambdalint.findings import Artifact, Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.packages import (
    cpython_extensions,
    function_packages,
    native_binaries,
    python_version,
    readable_packages,
    single_architecture,
    zip_function_packages,
)
from lambdalint.registry import rule

from . import PYTHON_PACKAGE, first_few


def _judged(model: TemplateModel, opened, item) -> bool:
    """Whether the package is what deploys: source a build turns into the package is not
    (a binary the build leaves behind, or rebuilds, says nothing about the package)."""
    # imported here, once a local package is found: start-up without one stays cheaper
    from lambdalint.model.unbuilt import is_unbuilt_package

    return not is_unbuilt_package(model, opened, item)

ARCHITECTURES = "https://docs.aws.amazon.com/lambda/latest/dg/foundation-arch.html"


@rule(id="LL1007", name="binary-architecture-mismatch", severity=Severity.ERROR,
      summary="Native binary built for another architecture than the function's", source=ARCHITECTURES)
def check_binary_architecture(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reads the ELF header of shared libraries, Node addons, `bootstrap` and executables in the
    function's package and local layers (in a local image: its task root, `LAMBDA_TASK_ROOT`
    or /var/task, and /opt), and compares their machine (x86_64 or arm64) with
    the function's `Architectures` (x86_64 when not set).
    Source that a build turns into the package (`Metadata.BuildMethod` makefile,
    rust-cargolambda, ...; a folder awaiting its build, see LL1004) is not judged: the build
    makes the binaries that deploy.

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
    Use instead: build for the function's architecture: for Python, `pip install --platform
    manylinux2014_aarch64 --only-binary=:all:`; for Node.js, `npm install --cpu=arm64 --os=linux`
    (npm 10+: platform packages such as `@img/sharp-linux-arm64`) or install on an arm64 machine;
    or `sam build --use-container`, which builds inside an image of the function's architecture.
    """
    reported = set()
    for opened, item in zip_function_packages(model):
        wanted = single_architecture(item.function)
        if wanted is None or not _judged(model, opened, item):
            continue
        wrong = [name for name, info in native_binaries(opened.package)
                 if info.format == "elf" and info.architecture in ("x86_64", "arm64") and info.architecture != wanted]
        key = (opened.package.path, wanted)
        if wrong and key not in reported:
            reported.add(key)
            other = "arm64" if wanted == "x86_64" else "x86_64"
            yield opened.hit(f"{len(wrong)} native binar{'y' if len(wrong) == 1 else 'ies'} in "
                             f"{opened.display} built for {other}, but function "
                             f"{item.function.logical_id} runs on {wanted}: {first_few(wrong)}", wrong[0])
    yield from _image_binaries(model)


def _image_binaries(model: TemplateModel) -> Iterator[Hit]:
    """The same check inside a local image, on its task root and /opt: what the function's
    code and its "layers" are in an image (its operating system is the base image's)."""
    for item in function_packages(model):
        wanted = single_architecture(item.function) if item.image is not None else None
        shown = item.image_display
        if wanted is None or shown is None or not item.image.complete:
            continue  # a layer not read may replace or delete what the others hold
        roots = item.image_roots()
        wrong = [name for name, info in native_binaries(item.image, roots)
                 if info.format == "elf" and info.architecture in ("x86_64", "arm64") and info.architecture != wanted]
        if wrong:
            other = "arm64" if wanted == "x86_64" else "x86_64"
            where = " and ".join("/" + root.rstrip("/") for root in roots)
            yield Hit(item.code.path, f"{len(wrong)} native binar{'y' if len(wrong) == 1 else 'ies'} in image "
                                      f"{shown} ({where}) built for {other}, but function "
                                      f"{item.function.logical_id} runs on {wanted}: {first_few(wrong)}",
                      item.function.logical_id, Artifact(shown, wrong[0]))


@rule(id="LL1008", name="foreign-os-binary", severity=Severity.ERROR,
      summary="Mach-O or Windows PE binary in the package (built on macOS or Windows)", source=PYTHON_PACKAGE)
def check_foreign_binaries(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds shared libraries, Node addons and `bootstrap` files whose header says Mach-O
    (macOS) or PE (Windows) instead of ELF (Linux).
    Source that a build turns into the package (`Metadata.BuildMethod` makefile,
    rust-cargolambda, ...; a folder awaiting its build, see LL1004) is not judged: the build
    makes the binaries that deploy.

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
    for opened, item in readable_packages(model):
        if opened.package.kind == "image" or not _judged(model, opened, item):
            continue
        foreign = [(name, info) for name, info in native_binaries(opened.package) if info.format in ("macho", "pe")]
        if foreign:
            systems = sorted({"macOS (Mach-O)" if info.format == "macho" else "Windows (PE)" for _, info in foreign})
            names = [name for name, _ in foreign]
            yield opened.hit(f"{len(names)} binar{'y' if len(names) == 1 else 'ies'} in {opened.display} "
                             f"built for {' and '.join(systems)}, not Linux: {first_few(names)}", names[0])


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
    Source that a build turns into the package (`Metadata.BuildMethod` makefile,
    rust-cargolambda, ...; a folder awaiting its build, see LL1004) is not judged: the build
    makes the binaries that deploy.

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
    for opened, item in zip_function_packages(model):
        version = python_version(item.function.runtime)
        key = (opened.package.path, version)
        if version is None or key in reported or not _judged(model, opened, item):
            continue
        in_layer = opened is not item.opened
        wrong = []
        for name, built_for in cpython_extensions(opened.package):
            if in_layer:
                match = re.match(r"python/lib/python(\d+\.\d+)/", name)
                if not name.startswith("python/") or (match and match.group(1) != version):
                    continue
            if built_for != version:
                wrong.append((name, built_for))
        if wrong:
            reported.add(key)
            versions = ", ".join(sorted({found for _, found in wrong}))
            names = [name for name, _ in wrong]
            yield opened.hit(f"{len(names)} python extension module{'' if len(names) == 1 else 's'} in "
                             f"{opened.display} built for Python {versions}, but function "
                             f"{item.function.logical_id} runs {item.function.runtime}: {first_few(names)}",
                             names[0])


RUNTIMES = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"


@rule(id="LL1022", name="wheel-libc-mismatch", severity=Severity.ERROR,
      summary="Installed wheel built for musl libc, or for a newer glibc than the runtime's", source=RUNTIMES)
def check_wheel_platforms(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reads the `Tag:` lines of every installed wheel's `*.dist-info/WHEEL` file in a python
    function's package and its local layers, and compares them with the runtime's operating
    system: Lambda runs Amazon Linux, whose C library is glibc (2.26 on Amazon Linux 2, used by
    python3.8 to python3.11; 2.34 on Amazon Linux 2023, python3.12 and later). A wheel only
    tagged `musllinux_*` is built for musl libc (Alpine); one only tagged `manylinux_X_Y` needs
    glibc X.Y or newer. Pure wheels (`py3-none-any`) and wheels with any tag that fits are fine.

    ## Why is this bad?
    The extension module fails to load at the first import: `ImportError: Error loading shared
    library libc.musl-x86_64.so.1`, or ``version `GLIBC_2.34' not found``.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: build/      # pip install --target build/ on Alpine, or a manylinux_2_34 wheel
        Runtime: python3.11
    ```
    Use instead: `pip install --platform manylinux2014_x86_64 --only-binary=:all: --target build/`
    (glibc 2.17, loads on every runtime), or a runtime on Amazon Linux 2023 (python3.12+) for a
    `manylinux_2_34` wheel.
    """
    from lambdalint import data
    from lambdalint.model.packages import installed_wheels

    reported = set()
    for opened, item in zip_function_packages(model):
        runtime = item.function.runtime
        system = data.runtime_glibc(runtime)
        key = (opened.package.path, runtime)
        if system is None or key in reported:
            continue
        os_name, glibc = system
        musl, newer = [], []
        for wheel in installed_wheels(opened.package, in_layer=opened is not item.opened):
            needs = wheel.glibc_needed()
            if wheel.musl_only():
                musl.append(wheel)
            elif needs is not None and needs > glibc:
                newer.append((wheel, needs))
        reported.add(key)
        if musl:
            yield opened.hit(f"{len(musl)} wheel{'' if len(musl) == 1 else 's'} in {opened.display} built for musl "
                             f"libc ({first_few([wheel.describe() for wheel in musl])}): "
                             f"{'it does' if len(musl) == 1 else 'they do'} not load on {os_name}'s glibc ({runtime})",
                             musl[0].member)
        if newer:
            most = max(needs for _, needs in newer)
            yield opened.hit(f"{len(newer)} wheel{'' if len(newer) == 1 else 's'} in {opened.display} need"
                             f"{'s' if len(newer) == 1 else ''} glibc {most[0]}.{most[1]} "
                             f"({first_few([wheel.describe() for wheel, _ in newer])}); {runtime} runs on "
                             f"{os_name} with glibc {glibc[0]}.{glibc[1]}", newer[0][0].member)
