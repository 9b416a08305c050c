"""Package folders that are source a build has not turned into the package yet.

A checkout before its build holds `index.ts` and a `webpack.config.js` but no `bundle.js`,
`main.go` and a `Makefile` but no `bootstrap`. Judged as a package it looks broken; it is
only unbuilt. Two signs say so:

- the function names a build method that makes the package (`FunctionPackage.is_source`:
  SAM `Metadata.BuildMethod` esbuild, makefile, ..., or a SAM runtime that always compiles);
- the handler file is missing and the folder's root holds build inputs (`BUILD_FILES`, a
  project file such as `*.csproj`, a `package.json` whose scripts build).

A folder whose handler file is there is a package, build files or not, and is checked as one.
Imported only once a local package exists (it loads the handler model).
"""

from __future__ import annotations

from typing import List, Optional

from .handlers import find_handler, handler_spec, typescript_only
from .packages import FunctionPackage, Opened, builds_package, function_packages, runtime_family
from .template import TemplateModel

NOT_BUILT = "not-built"  # the `summary.unchecked` reason

# Files at a folder's root that a build reads to make the package: bundler and compiler
# configurations, and the manifests of the build tools `sam build` and others run.
BUILD_FILES = frozenset({
    "Makefile", "makefile", "GNUmakefile",
    "webpack.config.js", "webpack.config.cjs", "webpack.config.mjs", "webpack.config.ts",
    "rollup.config.js", "rollup.config.mjs", "rollup.config.ts",
    "esbuild.config.js", "esbuild.config.mjs", "esbuild.js", "esbuild.mjs",
    "tsconfig.json", "tsconfig.build.json",
    "Cargo.toml", "go.mod", "pom.xml", "build.gradle", "build.gradle.kts", "build.sbt",
    "Package.swift",
})
PROJECT_SUFFIXES = (".csproj", ".fsproj", ".vbproj")
# npm runs `prepare` and `prepack` when it packs a folder (as `sam build` does); a `build`,
# `compile` or `bundle` script is how a project says it must be built first.
BUILD_SCRIPTS = ("build", "compile", "bundle", "prepare", "prepack")
PACKAGE_JSON_LIMIT = 256 * 1024


def build_inputs(package) -> List[str]:
    """The build inputs at the root of a folder package, sorted; [] for zips and images."""
    if package is None or package.kind != "folder":
        return []
    found = []
    for name in package.names():
        if "/" in name:
            continue
        if name in BUILD_FILES or name.endswith(PROJECT_SUFFIXES):
            found.append(name)
        elif name == "package.json" and _npm_builds(package):
            found.append(name)  # with a build script: see _npm_builds
    return sorted(found)


def _npm_builds(package) -> bool:
    import json

    from ..artifacts import ArtifactError

    try:
        manifest = json.loads(package.read("package.json", limit=PACKAGE_JSON_LIMIT).decode("utf-8-sig"))
    except (ArtifactError, ValueError, UnicodeDecodeError, RecursionError):
        return False  # unreadable: no evidence of a build
    scripts = manifest.get("scripts") if isinstance(manifest, dict) else None
    return isinstance(scripts, dict) and any(isinstance(scripts.get(name), str) for name in BUILD_SCRIPTS)


def awaiting_build(item: FunctionPackage) -> List[str]:
    """The build inputs of a function's folder when its handler file is missing; [] otherwise."""
    if item.package is None or item.function.package_type == "Image":
        return []
    spec = handler_spec(item.function)
    if spec is None or typescript_only(item, spec):
        return []
    found, unsure = find_handler(item)
    if found is not None or unsure:
        return []
    return build_inputs(item.package)


def is_unbuilt(item: FunctionPackage) -> bool:
    """The function's folder is source for a build, not the package that deploys.

    A SAM custom runtime without a build method is the one compiled runtime whose folder may
    deploy as it is: it is a package when its `bootstrap` is there, and unbuilt otherwise.
    """
    if item.package is None:
        return False
    if item.is_source:
        if builds_package(item.function.model, item.function.resource):
            return True
        return runtime_family(item.function.runtime) != "provided" or find_handler(item)[0] is None
    return bool(awaiting_build(item))


def is_unbuilt_package(model: TemplateModel, opened: Opened, item: Optional[FunctionPackage]) -> bool:
    """The same for any package a rule reads: a function's (with `item`), or a layer's, which
    is source when its layer names a build method that makes it (makefile)."""
    if item is not None and opened is item.opened:
        return is_unbuilt(item)
    owner = model.resource(opened.location.owner)
    return owner is not None and opened.package is not None and opened.package.kind == "folder" \
        and builds_package(model, owner)


def not_built(model: TemplateModel) -> List[str]:
    """Logical IDs of the functions whose code is unbuilt source (`summary.unchecked`)."""
    return [item.function.logical_id for item in function_packages(model) if is_unbuilt(item)]
