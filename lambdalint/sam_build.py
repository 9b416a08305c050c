"""`sam build` output that belongs to a source template: where each function's built code is.

`sam build` writes `.aws-sam/build/template.yaml` (the source template with every local
`CodeUri`/`ContentUri` replaced by a folder named after the logical ID) and the built
folders beside it. A user edits the source `template.yaml`; the packages Lambda receives are
the built folders. So when a build belongs to a template and is not older than it, packages
are read from the build and findings land on the source template's lines.

A build belongs to a source template when both define the same functions and layers (same
logical IDs, same types): `sam build -t other.yaml` or a template edited since (a function
added or renamed) does not match. "Not older" compares modification times of the two
templates, the way `make` would: after an edit of the source, the build is stale and the
source folders are read instead.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Optional

from .records import Record

BUILD_FOLDER = os.path.join(".aws-sam", "build")
TEMPLATE_NAMES = ("template.yaml", "template.yml", "template.json")
# The resources whose code `sam build` builds, and the property naming their built folder.
_CODE_PROPERTY = {
    "AWS::Serverless::Function": "CodeUri",
    "AWS::Serverless::LayerVersion": "ContentUri",
    "AWS::Lambda::Function": "Code",
    "AWS::Lambda::LayerVersion": "Content",
}


class SamBuild(Record):
    """A `sam build` output folder and its built code: logical ID -> absolute path."""

    __slots__ = ("folder", "template", "code")

    def __init__(self, folder: str, template: str, code: Dict[str, str]) -> None:
        self.folder = folder
        self.template = template
        self.code = code


def build_template(folder: str) -> Optional[str]:
    """The template file of a build folder (`.aws-sam/build`), or None."""
    for name in TEMPLATE_NAMES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def source_template_of(build_folder: str) -> Optional[str]:
    """The source template a build folder was made from, when it belongs to it and is fresh.

    `build_folder` is `<project>/.aws-sam/build`; the source is `<project>/template.yaml`
    (SAM's default name, also .yml / .json).
    """
    project = os.path.dirname(os.path.dirname(os.path.abspath(build_folder)))
    for name in TEMPLATE_NAMES:
        source = os.path.join(project, name)
        if os.path.isfile(source):
            from .loading import LoadError, load_file

            try:
                data = load_file(source).data
            except LoadError:
                return None
            return source if build_for(source, data) is not None else None
    return None


def build_for(source: str, data: Any) -> Optional[SamBuild]:
    """The fresh build of the template at `source` (parsed as `data`) that belongs to it, or None."""
    folder = os.path.join(os.path.dirname(os.path.abspath(source)), BUILD_FOLDER)
    built = build_template(folder)
    if built is None or os.path.samefile(built, source):
        return None
    try:
        if os.path.getmtime(built) < os.path.getmtime(source):
            return None  # the template changed after the build: the build is stale
    except OSError:
        return None
    from .loading import LoadError, load_file

    try:
        built_data = load_file(built).data
    except LoadError:
        return None
    wanted = _code_owners(data)
    found = _code_owners(built_data)
    if not wanted or set(wanted) != set(found) or any(wanted[key] != found[key] for key in wanted):
        return None
    code = {}
    resources = built_data.get("Resources")
    for logical_id, kind in found.items():
        value = resources[logical_id].get("Properties", {}).get(_CODE_PROPERTY[kind])
        if isinstance(value, str) and "://" not in value:
            path = os.path.normpath(os.path.join(folder, value))
            if path.startswith(folder + os.sep) and os.path.exists(path):
                code[logical_id] = path
    return SamBuild(folder, built, code) if code else None


def is_stale_build(source: str) -> bool:
    """A build folder beside `source` has a template older than it (so build_for ignores it)."""
    built = build_template(os.path.join(os.path.dirname(os.path.abspath(source)), BUILD_FOLDER))
    try:
        return built is not None and not os.path.samefile(built, source) and \
            os.path.getmtime(built) < os.path.getmtime(source)
    except OSError:
        return False


def _code_owners(data: Any) -> Dict[str, str]:
    """Functions and layers of a parsed template: logical ID -> type."""
    resources = data.get("Resources") if isinstance(data, dict) else None
    if not isinstance(resources, dict):
        return {}
    return {str(key): value["Type"] for key, value in resources.items()
            if isinstance(value, dict) and value.get("Type") in _CODE_PROPERTY
            and isinstance(value.get("Properties", {}), dict)}
