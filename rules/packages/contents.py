"""LL1 contents: what a package carries - an SDK the runtime has, dead weight, unsafe entries."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional, Tuple

from lambdalint.findings import Artifact, Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.packages import (
    FunctionPackage,
    Opened,
    display_path,
    function_packages,
    nodejs_major,
    readable_packages,
    runtime_family,
)
from lambdalint.registry import rule

from . import BEST_PRACTICES, first_few, human_size, megabytes

RUNTIMES = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"


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
        if item.opened is None or item.package is None or item.package.path in reported:
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
        yield item.opened.hit(f"{item.opened.display} bundles {what} ({megabytes(size)}), which "
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
    for opened, _ in readable_packages(model):
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
            detail = ", ".join(f"{kind} {human_size(size)}" for kind, size in sorted(sizes.items()))
            yield opened.hit(f"{opened.display} carries {human_size(sum(sizes.values()))} no function "
                             f"runs: {detail}", first)


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
    # (package or image, its Opened for a package, its function for an image)
    sites: List[Tuple[Any, Optional[Opened], Optional[FunctionPackage]]] = [
        (opened.package, opened, item) for opened, item in readable_packages(model)]
    sites += [(item.image, None, item) for item in function_packages(model) if item.image is not None]
    seen = set()
    for package, opened, item in sites:
        if not package.problems or package.path in seen:
            continue
        seen.add(package.path)
        problems = package.problems
        described = [f"{problem.member or '(archive)'}: {problem.reason}" for problem in problems]
        message = f"unsafe {package.kind} {display_path(package.path, model)}: {first_few(described, 3)}"
        member = next((problem.member for problem in problems if problem.member), None)
        if opened is not None:
            yield opened.hit(message, member)
        elif item is not None:
            yield Hit(item.code.path, message, item.function.logical_id,
                      Artifact(display_path(package.path, model), member))
