"""LL1 layers: where a layer keeps its code, and how many layers a function has."""

from __future__ import annotations

import re
from typing import Iterator, Set

from lambdalint.findings import Hit, Severity
from lambdalint.lazy import lazy_pattern
from lambdalint.model import NO_VALUE, TemplateModel
from lambdalint.model.packages import build_method, layer_packages, layer_runtimes, python_version, runtime_family
from lambdalint.registry import rule

from . import QUOTAS

LAYER_PATHS = "https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html"
SAM_BUILD_LAYERS = "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/building-layers.html"

# What each runtime family loads from /opt (LAYER_PATHS).
_FAMILY_CODE = {
    "python": (".py",),
    "nodejs": (".js", ".mjs", ".cjs"),
    "java": (".jar",),
    "ruby": (".rb",),
}
_NODE_LOADED = lazy_pattern(r"^nodejs/(node\d+/)?node_modules/")


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

    A layer folder that `sam build` builds (`Metadata.BuildMethod`) is not judged: with a
    runtime build method (`python3.12`, `nodejs22.x`) SAM itself places the files under
    `python/` or `nodejs/`, and with `makefile` the Makefile decides the layout. Nor is an
    extension layer (an `extensions/` folder): the extension loads its own code from where it
    keeps it.

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
        if opened is None or opened.package is None or build_method(model, layer) is not None:
            continue  # with a BuildMethod, `sam build` lays the layer out (SAM_BUILD_LAYERS)
        if opened.package.has_dir("extensions"):
            continue  # an extension runs its own code, from wherever it keeps it
        runtimes = layer_runtimes(model, layer)
        families = {family for family in map(runtime_family, runtimes) if family}
        versions = {version for version in map(python_version, runtimes) if version}
        for family in sorted(families & set(_FAMILY_CODE)):
            code = [name for name in opened.package.names() if name.endswith(_FAMILY_CODE[family])]
            if code and not any(_loaded(family, name, versions) for name in code):
                wanted = {"python": "python/", "nodejs": "nodejs/node_modules/", "java": "java/lib/",
                          "ruby": "ruby/lib/"}[family]
                for_versions = " for Python " + ", ".join(sorted(versions)) if family == "python" and versions else ""
                yield opened.hit(f"layer {layer.logical_id}: no {family} code under {wanted}{for_versions}"
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
