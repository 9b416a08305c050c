"""Where a function's or layer's code lives: a local path, S3, inline, an image, or unknown.

SAM (`CodeUri`, `ContentUri`, `InlineCode`, `ImageUri`), CloudFormation before
`aws cloudformation package` (`Code: ./src`), after it (`Code: {S3Bucket, S3Key}`),
and CDK output (`Metadata: {aws:asset:path: asset.<hash>}`) all end up here.

A local path outside the template's trust boundary (lambdalint.boundary) is kind `outside`:
it carries the value as written and no path, so nothing downstream can read it.
"""

from __future__ import annotations

import os
from typing import Any, Iterator, Optional, Tuple

from ..findings import Path
from ..records import Record
from .template import Function, Resource, TemplateModel
from .values import Reference

LOCAL, S3, INLINE, IMAGE, UNKNOWN_KIND = "local", "s3", "inline", "image", "unknown"
OUTSIDE = "outside"  # a local path the trust boundary refuses: never read
# a serverless.yml read directly whose package cannot be known before `serverless package`
# (plugins that build or add to it, a given artifact or layer folder not built yet)
NOT_PACKAGED = "not-packaged"


class CodeLocation(Record):
    __slots__ = ("owner", "kind", "path", "local_path", "written", "value", "shown", "built", "selection",
                 "single_file", "file_mode")

    def __init__(
        self,
        owner: str,
        kind: str,
        path: Path,
        local_path: Optional[str] = None,
        written: Optional[str] = None,
        value: Any = None,
        shown: Optional[str] = None,
        built: bool = False,
        selection: Optional[Tuple[str, ...]] = None,
        single_file: bool = False,
        file_mode: Optional[int] = None,
    ) -> None:
        self.owner = owner  # logical ID of the function or layer
        self.kind = kind  # local | outside | s3 | inline | image | unknown
        self.path = path  # where in the template it was written
        self.local_path = local_path  # absolute path for kind == local
        self.written = written  # the path as written, for messages
        self.value = value  # the raw S3 location, inline code or image URI
        self.shown = shown  # local_path for messages: relative, never the runner's absolute path
        self.built = built  # local_path is `sam build` output for the source path written
        # the include/exclude globs that pick the package out of the folder at local_path, in
        # order (a serverless.yml read directly: what `serverless package` would zip); None: all of it
        self.selection = selection
        # local_path is one file zipped as the package's only member (Terraform archive_file source_file)
        self.single_file = single_file
        # the permission bits every file is zipped with (archive_file output_file_mode); None: its own
        self.file_mode = file_mode


def _local(model: TemplateModel, owner: str, text: str, where: Path) -> CodeLocation:
    if text.startswith("s3://"):
        return CodeLocation(owner, S3, where, value=text)
    if "://" in text:
        return CodeLocation(owner, UNKNOWN_KIND, where, value=text)
    full = os.path.normpath(os.path.join(model.base_dir, text))
    boundary = model.boundary
    if not boundary.admits(full):
        return CodeLocation(owner, OUTSIDE, where, written=text)
    return CodeLocation(owner, LOCAL, where, full, text, shown=boundary.display(full))


def sam_build(model: TemplateModel) -> Any:
    """The fresh `sam build` output that belongs to this template (lambdalint.sam_build), or None."""
    return model.memo("code:sam-build", _find_sam_build)


def _find_sam_build(model: TemplateModel) -> Any:
    name = model.document.name
    if not isinstance(name, str) or not os.path.isfile(name):
        return None  # text given on stdin or by a library caller: no build beside it
    from ..sam_build import build_for

    return build_for(name, model.document.data)


def _built(model: TemplateModel, location: CodeLocation) -> CodeLocation:
    """The location with its package read from `sam build` output when the build has it."""
    if location.kind != LOCAL:
        return location
    build = sam_build(model)
    path = build.code.get(location.owner) if build is not None else None
    if path is None or not model.boundary.admits(path):
        return location
    return CodeLocation(location.owner, LOCAL, location.path, path, location.written,
                        shown=model.boundary.display(path), built=True)


def _cdk_asset(model: TemplateModel, resource: Resource) -> Optional[CodeLocation]:
    asset = resource.metadata.get("aws:asset:path")
    if isinstance(asset, str) and resource.metadata.get("aws:asset:property") in ("Code", "Content", None):
        return _local(model, resource.logical_id, asset, resource.path + ("Metadata", "aws:asset:path"))
    if asset is None and model.cdk is not None:
        return _staged_asset(model, resource)
    return None


def _staged_asset(model: TemplateModel, resource: Resource) -> Optional[CodeLocation]:
    """`cdk synth --no-asset-metadata`: the S3 key is looked up in the assembly's asset manifests."""
    key = "Content" if resource.type in ("AWS::Lambda::LayerVersion",) else "Code"
    code = resource.get(key)
    staged = model.cdk.staged(code.get("S3Key")) if isinstance(code, dict) and model.cdk is not None else None
    if staged is None:
        return None
    written = os.path.relpath(staged, model.base_dir)
    return _local(model, resource.logical_id, written, resource.property_path(key, "S3Key"))


def _serverless_zip(model: TemplateModel, resource: Resource, key: str) -> Optional[CodeLocation]:
    """A Serverless service: the S3 key the framework uploads to is the zip it wrote in `.serverless/`
    or, for a serverless.yml read directly, the part of the service folder its patterns would zip."""
    code = resource.get(key)
    service = model.serverless
    if service is not None and service.not_packaged(resource.logical_id):
        return CodeLocation(resource.logical_id, NOT_PACKAGED, resource.property_path(key, "S3Key"))
    found = service.zip_for(code.get("S3Key")) if isinstance(code, dict) and service is not None else None
    if found is None or service is None:
        return None
    written = os.path.relpath(found, model.base_dir)
    location = _local(model, resource.logical_id, written, resource.property_path(key, "S3Key"))
    selection = service.selection(resource.logical_id)
    if selection is None or location.kind != LOCAL:
        return location
    return location.replace(selection=selection, shown=f"{location.shown} selected by package.patterns")


def _archived(model: TemplateModel, location: CodeLocation) -> CodeLocation:
    """A Terraform package as the archive_file that zips it makes it of the local path
    (lambdalint.frontends.terraform.archives): its excludes, its one source file, its file mode."""
    lowering = model.terraform
    view = lowering.views.get(location.owner) if lowering is not None else None
    if view is None or location.kind != LOCAL:
        return location
    shown = f"{location.shown} less archive_file excludes" if view.selection is not None else location.shown
    return location.replace(selection=view.selection, single_file=view.single_file, file_mode=view.file_mode,
                            shown=shown)


def function_code(model: TemplateModel, function: Function) -> CodeLocation:
    return _archived(model, _function_code(model, function))


def _function_code(model: TemplateModel, function: Function) -> CodeLocation:
    owner = function.logical_id
    if function.is_sam:
        if function.has("InlineCode"):
            return CodeLocation(owner, INLINE, function.path("InlineCode"), value=function.get("InlineCode"))
        if function.package_type == "Image":
            return CodeLocation(owner, IMAGE, function.path("ImageUri"), value=function.value("ImageUri"))
        asset = _cdk_asset(model, function.resource)
        if asset:
            return asset
        code = function.value("CodeUri")
        where = function.path("CodeUri")
        if isinstance(code, str):
            return _built(model, _local(model, owner, code, where))
        if isinstance(code, dict):
            return CodeLocation(owner, S3, where, value=code)
        return CodeLocation(owner, UNKNOWN_KIND, where)
    asset = _cdk_asset(model, function.resource)
    if asset:
        return asset
    code = function.value("Code")
    where = function.path("Code")
    if isinstance(code, str):
        return _built(model, _local(model, owner, code, where))
    if isinstance(code, dict):
        if "ZipFile" in code:
            return CodeLocation(owner, INLINE, where + ("ZipFile",), value=code["ZipFile"])
        if "ImageUri" in code:
            return CodeLocation(owner, IMAGE, where + ("ImageUri",), value=model.resolve(code["ImageUri"]))
        if "S3Bucket" in code or "S3Key" in code:
            return _serverless_zip(model, function.resource, "Code") or CodeLocation(owner, S3, where, value=code)
    return CodeLocation(owner, UNKNOWN_KIND, where)


def layer_code(model: TemplateModel, layer: Resource) -> CodeLocation:
    return _archived(model, _layer_code(model, layer))


def _layer_code(model: TemplateModel, layer: Resource) -> CodeLocation:
    owner = layer.logical_id
    asset = _cdk_asset(model, layer)
    if asset:
        return asset
    key = "ContentUri" if layer.is_sam else "Content"
    content = model.resolve(layer.get(key))
    where = layer.property_path(key)
    if isinstance(content, str):
        return _built(model, _local(model, owner, content, where))
    if isinstance(content, dict):
        return _serverless_zip(model, layer, key) or CodeLocation(owner, S3, where, value=content)
    return CodeLocation(owner, UNKNOWN_KIND, where)


def code_locations(model: TemplateModel) -> Iterator[CodeLocation]:
    """Every function's and layer's code location, functions first, in template order."""
    for function in model.functions:
        yield function_code(model, function)
    for layer in model.layers:
        yield layer_code(model, layer)


def layer_resource(model: TemplateModel, value: Any) -> Optional[Resource]:
    """The layer resource of this template a `Layers` entry refers to, if any."""
    reference = model.referenced(value)
    if isinstance(reference, Reference):
        resource = model.resource(reference.target)
        if resource is not None and resource.type in ("AWS::Lambda::LayerVersion", "AWS::Serverless::LayerVersion"):
            return resource
    return None


def is_cdk_asset(resource: Resource) -> bool:
    """The resource's code is a CDK asset (`Metadata: aws:asset:path`): named by its content hash."""
    return bool(resource.metadata.get("aws:asset:path"))


def s3_code(owner: Any) -> Optional[Tuple[Path, Any, bool]]:
    """(where, key, has a version) of a function's or layer's code in S3; None when not in S3.

    `owner` is a Function (SAM Globals merged) or a layer Resource. S3 code is `S3Bucket`/`S3Key`
    (`S3ObjectVersion`) in CloudFormation, `Bucket`/`Key` (`Version`) or an `s3://` URI
    (`?versionId=`) in SAM's `CodeUri`/`ContentUri`.
    """
    function = isinstance(owner, Function)
    where = owner.path if function else owner.property_path
    if owner.is_sam:
        sam_key = "CodeUri" if function else "ContentUri"
        value = owner.get(sam_key)
        if isinstance(value, dict) and "Key" in value and "Bucket" in value:
            return where(sam_key), value.get("Key"), "Version" in value
        if isinstance(value, str) and value.startswith("s3://"):
            key, _, query = value[5:].split("/", 1)[-1].partition("?")
            return where(sam_key), key, "versionId=" in query
        return None
    cfn_key = "Code" if function else "Content"
    value = owner.get(cfn_key)
    if isinstance(value, dict) and "S3Key" in value and "S3Bucket" in value:
        return where(cfn_key), value.get("S3Key"), "S3ObjectVersion" in value
    return None


def image_uri(function: Function) -> Tuple[Optional[Path], Any]:
    """(where, value as written) of a function's `ImageUri` (SAM) or `Code.ImageUri`; (None, None) without one."""
    if function.is_sam:
        if not function.has("ImageUri"):
            return None, None
        return function.path("ImageUri"), function.get("ImageUri")
    if not function.has("Code", "ImageUri"):
        return None, None
    return function.path("Code", "ImageUri"), function.get("Code", "ImageUri")


def sam_builds_image(function: Function) -> bool:
    """`sam build` builds the function's image (`Metadata: DockerContext` or `Dockerfile`), `sam deploy` pushes it."""
    metadata = function.resource.metadata
    return bool(metadata.get("DockerContext") or metadata.get("Dockerfile"))


def template_size(model: TemplateModel) -> Optional[int]:
    """Bytes of the template file (inline code counts against CloudFormation's template size); None if unknown."""
    try:
        return os.path.getsize(model.document.name)
    except (OSError, ValueError, TypeError):
        return None
