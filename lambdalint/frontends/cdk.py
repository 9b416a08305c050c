"""A CDK cloud assembly (`cdk.out`) as lambdalint reads it, beside its stack templates.

`cdk synth` writes, in the assembly folder:

- `manifest.json`: the artifacts. A stack's construct metadata is inline (`metadata`, older
  CDK) or in `<Stack>.metadata.json` (`additionalMetadataFile`, CDK 2.2xx): for each construct
  path its logical ID (`aws:cdk:logicalId`), the stack trace of its creation
  (`aws:cdk:creationStack`) and, for a stack or nested stack, its template (`aws:cdk:templateFile`).
  Nested stacks' constructs are in their parent stack's metadata.
- `<Stack>.assets.json`: each file asset's staged source (`asset.<hash>`, a nested template)
  and the S3 object key it is published to; each image asset's build directory and tag.
  With `--no-asset-metadata` the templates say nothing else about where code came from.
- `validation-report.json` (CDK 2.262+): what CDK's own validation found at synth.

Everything here is read once per assembly folder and only for templates inside one. A file
that cannot be read or does not have the expected shape is taken as absent: the template
is still checked, only without what that file would have added.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

from ..lazy import lazy_pattern
from ..records import Record

if TYPE_CHECKING:
    from ..findings import Finding

STACK = "aws:cloudformation:stack"
NESTED_ASSEMBLY = "cdk:cloud-assembly"
ASSET_MANIFEST = "cdk:asset-manifest"
# manifest, metadata, asset manifests and the validation report: a few hundred KB at most
MAX_JSON_BYTES = 32 * 1024 * 1024

# A frame of a recorded stack trace: `new HandlerStack (/app/lib/stack.ts:12:5)`,
# `at Object.<anonymous> (/app/bin/app.js:5:1)`, `at /app/bin/app.js:5:1`.
_FRAME = lazy_pattern(r"(?:\(|^\s*(?:at\s+)?)(?P<file>[^()\s][^()]*?):(?P<line>\d+):(?P<column>\d+)\)?\s*$")
_TRAILING_STRING = lazy_pattern(r"([^/:]+)$")

# CDK's synth-time validation reports cfn-lint rules by their IDs; these are the ones whose
# finding is one of ours (docs/cfn-lint.md lists the reviewed twins of the plug-in).
VALIDATION_TWINS: Mapping[str, Tuple[str, ...]] = {
    "E3505": ("LL6001",),  # SQS visibility timeout below the function timeout
    "E3663": ("LL2005",),  # reserved environment variable
    "E3677": ("LL1016",),  # inline code with an unsupported runtime
    "E3685": ("LL1018",),  # image function with Handler, Runtime or Layers
    "E2531": ("LL2006",), "E2533": ("LL2006",),  # runtime creation or update blocked
    "W2531": ("LL2007",),  # deprecated runtime
    "E3696": ("LL8003",),  # log level with the Text log format
}


class SourcePlace(Record):
    """Where the user's code created a construct: the first frame of its creation stack outside node_modules."""

    __slots__ = ("file", "line", "column")

    def __init__(self, file: str, line: int, column: int) -> None:
        self.file = file
        self.line = line
        self.column = column


class Violation(Record):
    """One construct CDK's synth-time validation reported, by rule."""

    __slots__ = ("rule", "template", "logical_id")

    def __init__(self, rule: str, template: str, logical_id: str) -> None:
        self.rule = rule
        self.template = template  # absolute, normalized
        self.logical_id = logical_id


class Assembly:
    """One cloud assembly folder: construct metadata of all its stacks, its assets, its validation report."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.root = outermost_assembly(folder)  # a stage's assets are staged in the app's assembly
        self.metadata: Dict[str, List[Mapping[str, Any]]] = {}  # construct path -> entries
        self.stack_paths: Dict[str, str] = {}  # template (absolute) -> its stack's construct path
        self.object_keys: Dict[str, str] = {}  # S3 object key -> staged source (absolute)
        self.image_tags: Dict[str, str] = {}  # image tag -> build directory (absolute)
        self.image_platforms: Dict[str, str] = {}  # build directory (absolute) -> `platform` of the asset
        self.violations: List[Violation] = []
        self._sources: Dict[str, Optional[str]] = {}  # recorded file -> found here (many frames name one file)
        self._read()

    # -- reading -------------------------------------------------------------------------
    def _json(self, name: Any) -> Any:
        if not isinstance(name, str):
            return None
        path = self.path(name)
        if path is None:
            return None
        import json

        try:
            if os.path.getsize(path) > MAX_JSON_BYTES:
                return None
            with open(path, encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            return None

    def path(self, name: str) -> Optional[str]:
        """`name` (relative to the assembly, as CDK writes it) as an absolute path, None when it leads
        out of the outermost assembly (a stage's `../asset.<hash>` stays inside it)."""
        full = os.path.normpath(os.path.join(self.folder, name))
        return full if full.startswith(self.root.rstrip(os.sep) + os.sep) else None

    def _read(self) -> None:
        manifest = self._json("manifest.json")
        artifacts = manifest.get("artifacts") if isinstance(manifest, dict) else None
        if not isinstance(artifacts, dict):
            return
        for artifact in artifacts.values():
            if not isinstance(artifact, dict):
                continue
            properties = _mapping(artifact.get("properties"))
            if artifact.get("type") == STACK:
                self._read_metadata(artifact.get("metadata"))
                self._read_metadata(self._json(artifact.get("additionalMetadataFile")))
            elif artifact.get("type") == ASSET_MANIFEST:
                self._read_assets(self._json(properties.get("file")))
        self._read_validation(self._json("validation-report.json"))

    def _read_metadata(self, metadata: Any) -> None:
        if not isinstance(metadata, dict):
            return
        for construct, entries in metadata.items():
            if not isinstance(construct, str) or not isinstance(entries, list):
                continue
            kept = [entry for entry in entries if isinstance(entry, dict)]
            self.metadata.setdefault(construct, []).extend(kept)
            for entry in kept:
                if entry.get("type") == "aws:cdk:templateFile" and isinstance(entry.get("data"), str):
                    template = self.path(entry["data"])
                    if template is not None:
                        self.stack_paths[template] = construct

    def _read_assets(self, assets: Any) -> None:
        if not isinstance(assets, dict):
            return
        files = assets.get("files")
        for entry in (files.values() if isinstance(files, dict) else ()):
            source = entry.get("source") if isinstance(entry, dict) else None
            written = source.get("path") if isinstance(source, dict) else None
            staged = self.path(written) if isinstance(written, str) else None
            destinations = entry.get("destinations") if isinstance(entry, dict) else None
            if staged is None or not isinstance(destinations, dict):
                continue
            for destination in destinations.values():
                if isinstance(destination, dict) and isinstance(destination.get("objectKey"), str):
                    self.object_keys[destination["objectKey"]] = staged
        images = assets.get("dockerImages")
        for entry in (images.values() if isinstance(images, dict) else ()):
            source = _mapping(entry.get("source") if isinstance(entry, dict) else None)
            directory = source.get("directory")
            destinations = entry.get("destinations") if isinstance(entry, dict) else None
            if not isinstance(directory, str) or not isinstance(destinations, dict):
                continue
            built, platform = self.path(directory), source.get("platform")
            if built is not None and isinstance(platform, str):
                self.image_platforms[built] = platform  # `docker build --platform`
            for destination in destinations.values():
                if isinstance(destination, dict) and isinstance(destination.get("imageTag"), str):
                    self.image_tags[destination["imageTag"]] = self.path(directory) or ""

    def _read_validation(self, report: Any) -> None:
        plugins = report.get("pluginReports") if isinstance(report, dict) else None
        for plugin in (plugins if isinstance(plugins, list) else ()):
            violations = plugin.get("violations") if isinstance(plugin, dict) else None
            for violation in (violations if isinstance(violations, list) else ()):
                if not isinstance(violation, dict) or not isinstance(violation.get("ruleName"), str):
                    continue
                for construct in violation.get("violatingConstructs") or ():
                    resource = construct.get("cloudFormationResource") if isinstance(construct, dict) else None
                    if not isinstance(resource, dict):
                        continue
                    template = resource.get("templatePath")
                    full = self.path(template) if isinstance(template, str) else None
                    if full is not None and isinstance(resource.get("logicalId"), str):
                        self.violations.append(Violation(violation["ruleName"], full, resource["logicalId"]))

    # -- questions -----------------------------------------------------------------------
    def construct_of(self, template: str, logical_id: str, cdk_path: Any) -> Optional[str]:
        """The construct path (`/HandlerStack/OrdersFn/Resource`) of a resource of `template`."""
        if isinstance(cdk_path, str) and "/" + cdk_path in self.metadata:
            return "/" + cdk_path
        stack = self.stack_paths.get(template)
        if stack is None:
            return None
        stacks = sorted(self.stack_paths.values(), key=len, reverse=True)
        for construct, entries in self.metadata.items():
            if not construct.startswith(stack + "/"):
                continue
            if any(entry.get("type") == "aws:cdk:logicalId" and entry.get("data") == logical_id for entry in entries):
                owner = next((path for path in stacks if construct.startswith(path + "/")), None)
                if owner == stack:
                    return construct
        return None

    def creation_place(self, construct: str) -> Optional[SourcePlace]:
        for entry in self.metadata.get(construct, ()):
            if entry.get("type") == "aws:cdk:creationStack" and isinstance(entry.get("data"), list):
                return self._user_frame(entry["data"])
        return None

    def _user_frame(self, frames: Sequence[Any]) -> Optional[SourcePlace]:
        for frame in frames:
            match = _FRAME.search(frame) if isinstance(frame, str) else None
            if match is None:
                continue
            recorded = match.group("file")
            if "node_modules" in re.split(r"[\\/]", recorded) or recorded.startswith(("node:", "internal/")):
                continue
            found = self._source_file(recorded)
            if found is None:
                return None  # the user's file is not here: keep the generated template's place
            return SourcePlace(found, int(match.group("line")), int(match.group("column")))
        return None

    def _source_file(self, recorded: str) -> Optional[str]:
        if recorded not in self._sources:
            self._sources[recorded] = self._find_source(recorded)
        return self._sources[recorded]

    def _find_source(self, recorded: str) -> Optional[str]:
        """The file a creation stack names, on this machine.

        As recorded when it exists (synthesized here); else the longest tail of it that
        exists below the folder holding the assembly (synthesized in a container or another
        checkout, then copied), so that `/build/app/lib/stack.ts` is found as `lib/stack.ts`.
        A stage's assembly (`cdk.out/assembly-Prod/`) is inside the app's: the folder holding
        the outermost one is searched.
        """
        if os.path.isabs(recorded) and os.path.isfile(recorded):
            return recorded
        base = os.path.dirname(self.root)
        parts = [part for part in re.split(r"[\\/]", recorded) if part and not part.endswith(":")]
        for start in range(len(parts)):
            candidate = os.path.join(base, *parts[start:])
            if os.path.isfile(candidate):
                return candidate
        return None

    def staged(self, object_key: Any) -> Optional[str]:
        return self.object_keys.get(object_key) if isinstance(object_key, str) else None

    def staged_in_url(self, url: Any) -> Optional[str]:
        """The staged file a nested stack's `TemplateURL` (an `Fn::Join` ending in the object key) publishes."""
        for text in _strings(url):
            tail = _TRAILING_STRING.search(text)
            staged = self.staged(tail.group(1)) if tail else None
            if staged is not None:
                return staged
        return None


def outermost_assembly(folder: str) -> str:
    """The app's cloud assembly holding `folder`: stages nest theirs inside it (`cdk.out/assembly-Prod/`)."""
    for _ in range(8):
        parent = os.path.dirname(folder)
        if parent == folder or not os.path.isfile(os.path.join(parent, "manifest.json")):
            break
        folder = parent
    return folder


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any, depth: int = 0) -> Iterator[str]:
    if depth > 20:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item, depth + 1)


@functools.lru_cache(maxsize=32)
def _assembly(folder: str, synthesized: int) -> Assembly:
    return Assembly(folder)


def assembly_of(template: str) -> Optional[Assembly]:
    """The cloud assembly a template file belongs to (its folder holds a manifest.json), or None.

    Read once per assembly and synth (the manifest's modification time), so that a
    long-running process sees a new `cdk synth`.
    """
    if not isinstance(template, str) or not template.endswith(".template.json"):
        return None
    folder = os.path.dirname(os.path.abspath(template))
    try:
        synthesized = os.stat(os.path.join(folder, "manifest.json")).st_mtime_ns
    except OSError:
        return None
    return _assembly(folder, synthesized)


class CdkTemplate:
    """One template of a cloud assembly: what the model asks of CDK for it."""

    def __init__(self, assembly: Assembly, template: str) -> None:
        self.assembly = assembly
        self.template = os.path.normpath(os.path.abspath(template))

    def construct(self, logical_id: str, metadata: Mapping[str, Any]) -> Optional[str]:
        return self.assembly.construct_of(self.template, logical_id, metadata.get("aws:cdk:path"))

    def origin_name(self, logical_id: str, metadata: Mapping[str, Any]) -> Optional[str]:
        """`HandlerStack/OrdersFn`: the construct path as `cdk` shows it, without the L1 `Resource` child."""
        construct = self.construct(logical_id, metadata)
        path = construct.lstrip("/") if construct else metadata.get("aws:cdk:path")
        if not isinstance(path, str) or not path:
            return None
        for hidden in ("/Resource", "/Default"):
            if path.endswith(hidden):
                return path[: -len(hidden)]
        return path

    def source_place(self, logical_id: str, metadata: Mapping[str, Any]) -> Optional[SourcePlace]:
        construct = self.construct(logical_id, metadata)
        return self.assembly.creation_place(construct) if construct else None

    def staged(self, object_key: Any) -> Optional[str]:
        """The staged asset (absolute path) published to this S3 object key: `--no-asset-metadata` output."""
        return self.assembly.staged(object_key)

    def image_asset(self, image_uri: Any) -> bool:
        """The image URI names an image asset of the assembly (`...:<tag>`): built and pushed at deploy time."""
        return any(text.rpartition(":")[2] in self.assembly.image_tags for text in _strings(image_uri) if ":" in text)

    def image_platform(self, context: str) -> Optional[str]:
        """The platform an image asset is built for (`platform` of `fromImageAsset`), None when not set."""
        return self.assembly.image_platforms.get(os.path.normpath(context))

    def reported_by_cdk(self, rule: str, resource: Optional[str], message: str) -> Optional[str]:
        """The rule of CDK's validation report that reported this finding too, or None.

        The same finding: a twin rule (VALIDATION_TWINS) on this template, about the finding's
        resource or a resource its message names (LL6001 is on the mapping, CDK's on the queue).
        """
        for violation in self.assembly.violations:
            if violation.template != self.template or rule not in VALIDATION_TWINS.get(violation.rule, ()):
                continue
            if violation.logical_id == resource or re.search(rf"\b{re.escape(violation.logical_id)}\b", message):
                return violation.rule
        return None


def cdk_template(template: str) -> Optional[CdkTemplate]:
    assembly = assembly_of(template)
    return CdkTemplate(assembly, template) if assembly is not None else None


def path_hash(cdk_path: Any, logical_id: str) -> Optional[str]:
    """The 8-hex suffix CDK appends to a logical ID for its construct path, when `logical_id` ends in it.

    CDK's logical IDs are the path's readable part plus the first 8 hex digits of the MD5
    of the path below the stack (aws-cdk-lib `makeUniqueId`): a hash of where the construct
    is, not of what it holds. The stack's own name is not part of it, and a nested stack's
    resources hash the path below the nested stack, so every tail of the path is tried.
    """
    if not isinstance(cdk_path, str) or len(logical_id) <= 8:
        return None
    tail = logical_id[-8:]
    components = [part for part in cdk_path.split("/") if part and part != "Default"]
    for start in range(1, len(components)):
        digest = hashlib.md5("/".join(components[start:]).encode("utf-8")).hexdigest()[:8].upper()
        if digest == tail:
            return tail
    return None


def nested_templates(template: str, depth: int = 0) -> List[str]:
    """The nested stack templates a stack template links to, recursively, inside its assembly.

    An `AWS::CloudFormation::Stack` whose `Metadata` has `aws:asset:path` with
    `aws:asset:property: TemplateURL` names its template; without asset metadata
    (`--no-asset-metadata`) the `TemplateURL`'s object key is looked up in the asset manifests.
    """
    assembly = assembly_of(template)
    if assembly is None or depth > 8:
        return []
    import json

    try:
        if os.path.getsize(template) > MAX_JSON_BYTES:
            return []
        with open(template, encoding="utf-8") as handle:
            resources = json.load(handle).get("Resources")
    except (OSError, ValueError, UnicodeDecodeError, AttributeError, RecursionError):
        return []
    found: List[str] = []
    for resource in (resources.values() if isinstance(resources, dict) else ()):
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::CloudFormation::Stack":
            continue
        metadata = _mapping(resource.get("Metadata"))
        properties = _mapping(resource.get("Properties"))
        nested = None
        if metadata.get("aws:asset:property") == "TemplateURL" and isinstance(metadata.get("aws:asset:path"), str):
            nested = assembly.path(metadata["aws:asset:path"])
        if nested is None:
            nested = assembly.staged_in_url(properties.get("TemplateURL"))
        if nested is None or not nested.endswith(".json") or not os.path.isfile(nested) or nested in found:
            continue
        found.append(nested)
        found.extend(path for path in nested_templates(nested, depth + 1) if path not in found)
    return found


def relocate(findings: Sequence[Finding], model: Any) -> List[Finding]:
    """Findings of a cdk.out template moved to where the user edits (DESIGN.md "Where a finding lands").

    A finding about a resource whose construct's creation stack reaches the user's code lands
    on that line of the app's source, keeps the template's place as `generated` and names the
    construct path as its `origin`; without a creation stack it stays in the template, with
    the origin. One CDK's synth-time validation reported too says so (VALIDATION_TWINS): it is
    kept, at lambdalint's severity, since CDK only warns and `cdk synth` succeeds.
    """
    from ..findings import Origin, Place, display_name

    template: Optional[CdkTemplate] = model.cdk
    if template is None:
        return list(findings)
    moved = []
    for finding in findings:
        reported = template.reported_by_cdk(finding.rule, finding.resource, finding.message)
        if reported is not None:
            finding = finding.replace(message=f"{finding.message} (cdk synth reported it too: {reported})")
        resource = model.resource(finding.resource) if finding.resource else None
        if resource is None:
            moved.append(finding)
            continue
        name = template.origin_name(resource.logical_id, resource.metadata)
        origin = Origin("cdk", name) if name else None
        place = template.source_place(resource.logical_id, resource.metadata)
        if place is None:
            moved.append(finding.replace(origin=origin))
            continue
        moved.append(finding.replace(file=display_name(place.file), line=place.line, column=place.column,
                                     generated=Place(finding.file, finding.line, finding.column), origin=origin))
    return moved


def origin_of(model: Any, logical_id: str) -> Optional[dict]:
    """`{"kind": "cdk", "name": ...}` for a resource of a cdk.out template (summary.unchecked), or None."""
    template: Optional[CdkTemplate] = model.cdk
    resource = model.resource(logical_id) if template is not None else None
    name = template.origin_name(logical_id, resource.metadata) if template is not None and resource else None
    return {"kind": "cdk", "name": name} if name else None
