"""A Serverless Framework package (`.serverless/` after `serverless package`) as lambdalint reads it.

`serverless package` writes, in the service's `.serverless/` folder:

- `cloudformation-template-update-stack.json`: the stack, the template lambdalint checks. Each
  function's `Code` is `S3Bucket`/`S3Key`, the key `<artifactDirectoryName>/<zip name>`.
- the zips: one for the service (`<service>.zip`) or, with `package.individually`, one per
  function (`<function>.zip`), and one per local layer.
- `serverless-state.json`: the service as the framework compiled it. lambdalint reads only
  `package.artifactDirectoryName`, each function's and layer's `package.artifact` (the zip)
  and `versionLogicalId` (the version it published for the code), and the function names.
  It is not a template and is never checked as one.

Findings land in the service file the user edits (`serverless.yml` beside `.serverless/`):
a function's resources at the function's key under `functions:` (a property the function
sets at its own line, an event source mapping at its event), a resource of `resources:` at
its line there; the template's place is kept as `generated`. A file that cannot be read or
has not the expected shape is taken as absent: the template is still checked, only without
what it would have added.
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple

from .serverless_files import (
    CODE_SERVICE_FILES,
    PACKAGE_FOLDER,
    SERVICE_FILES,
    STATE,
    UPDATE_TEMPLATE,
    is_package_folder,
)

if TYPE_CHECKING:
    from ..findings import Finding
    from ..loading import Document

# the state of a service of a few hundred functions is a few MB
MAX_STATE_BYTES = 32 * 1024 * 1024

# The template property of a function -> the key of serverless.yml that sets it (function level,
# then `provider:`), for the properties a finding may be about.
FUNCTION_KEYS: Mapping[str, str] = {
    "Handler": "handler", "Runtime": "runtime", "Timeout": "timeout", "MemorySize": "memorySize",
    "Environment": "environment", "ReservedConcurrentExecutions": "reservedConcurrency",
    "Layers": "layers", "Role": "role", "VpcConfig": "vpc", "Architectures": "architecture",
    "TracingConfig": "tracing", "EphemeralStorage": "ephemeralStorageSize", "Code": "handler",
    "LoggingConfig": "logs", "KmsKeyArn": "kmsKeyArn", "DeadLetterConfig": "onError",
}
# What follows a function's normalized name in the logical IDs the framework compiles for it
# (serverless 3.40.0, lib/plugins/aws/lib/naming.js): the function, its versions, permissions,
# URL, event invoke config, log group, event source mappings, rules and schedules, subscriptions,
# target groups, aliases, custom resources. A resource of `resources:` named `OrdersBucket` is none.
DERIVED_PREFIXES = ("Lambda", "LogGroup", "EventSourceMapping", "EventsRule", "SchedulerSchedule",
                    "SnsSubscription", "IotTopicRule", "IotProvisioningTemplate", "Alb", "ProvConc",
                    "SnapStart", "StreamConsumer", "Websockets", "Custom", "EventBridge")
# Event source mappings' source kinds -> the event keys of serverless.yml that compile to them.
MAPPING_EVENTS = ("sqs", "stream", "msk", "kafka", "activemq", "rabbitmq")


class ServerlessPackage:
    """One `.serverless/` folder: what its state says about the template beside it."""

    def __init__(self, folder: str, state: Mapping[str, Any]) -> None:
        self.folder = folder
        self.service_folder = os.path.dirname(folder)
        service = _mapping(state.get("service"))
        package = _mapping(state.get("package"))
        self.artifact_folder = package.get("artifactDirectoryName")
        self.functions: Dict[str, Mapping[str, Any]] = {
            key: value for key, value in _mapping(service.get("functions")).items()
            if isinstance(key, str) and isinstance(value, dict)}
        layers = _mapping(service.get("layers"))
        artifacts = [package.get("artifact")]
        artifacts += [_mapping(entry.get("package")).get("artifact")
                      for entry in list(self.functions.values()) + [item for item in layers.values()
                                                                    if isinstance(item, dict)]]
        self.zips: Dict[str, str] = {}  # S3 object key -> the zip on this machine
        for artifact in artifacts:
            found = self._zip(artifact)
            if found is not None and isinstance(self.artifact_folder, str):
                self.zips[f"{self.artifact_folder}/{os.path.basename(found)}"] = found
        self.versions = frozenset(value["versionLogicalId"] for value in self.functions.values()
                                  if isinstance(value.get("versionLogicalId"), str))
        self._by_name = {value.get("name"): key for key, value in self.functions.items()
                         if isinstance(value.get("name"), str)}

    def _zip(self, artifact: Any) -> Optional[str]:
        """The zip a recorded `package.artifact` names, on this machine.

        The framework records its absolute path where it packaged (another checkout, a CI
        runner), or the path given in serverless.yml, relative to the service: the zip it
        wrote is in `.serverless/` under the same name, a given one is where it was given.
        """
        if not isinstance(artifact, str) or not artifact.endswith(".zip"):
            return None
        candidates = [os.path.join(self.folder, os.path.basename(artifact))]
        if not os.path.isabs(artifact):
            candidates.insert(0, os.path.normpath(os.path.join(self.service_folder, artifact)))
        inside = self.service_folder.rstrip(os.sep) + os.sep
        return next((path for path in candidates if path.startswith(inside) and os.path.isfile(path)), None)

    lowered = False  # the template is the framework's own output, not one lambdalint compiled

    def selection(self, logical_id: str) -> Optional[Tuple[str, ...]]:
        """Globs picking a function's package out of a folder: none, the zips are the packages."""
        return None

    def not_packaged(self, logical_id: str) -> bool:
        """Whether the package cannot be known yet: never, `serverless package` made it."""
        return False

    def zip_for(self, object_key: Any) -> Optional[str]:
        """The local zip (absolute path) of a `Code.S3Key` / `Content.S3Key` the framework wrote, or None."""
        return self.zips.get(object_key) if isinstance(object_key, str) else None

    def is_code_version(self, logical_id: str) -> bool:
        """The framework named this version after its function's code (`OrdersLambdaVersion<hash>`):
        a new hash, hence a new version, whenever the code or configuration changes."""
        return logical_id in self.versions

    def function_key(self, logical_id: str, function_name: Any = None) -> Optional[str]:
        """The key under `functions:` a resource of the template was compiled from, or None.

        A function is found by its `FunctionName` (the state records each one's); the resources
        the framework adds for it (`<Name>LogGroup`, `<Name>LambdaVersion<hash>`,
        `<Name>EventSourceMapping...`, ...) by the normalized name they start with.
        """
        if isinstance(function_name, str) and function_name in self._by_name:
            return self._by_name[function_name]
        best: Optional[str] = None
        for key in self.functions:
            prefix = normalized_name(key)
            if logical_id.startswith(prefix) and logical_id[len(prefix):].startswith(DERIVED_PREFIXES):
                if best is None or len(prefix) > len(normalized_name(best)):
                    best = key
        return best


def normalized_name(key: str) -> str:
    """How the framework turns a function key into the start of its logical IDs
    (`getNormalizedFunctionName`: first letter upper case, `-` as `Dash`, `_` as `Underscore`)."""
    name = key.replace("-", "Dash").replace("_", "Underscore")
    return name[:1].upper() + name[1:]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _read_json(path: str) -> Any:
    import json

    try:
        if os.path.getsize(path) > MAX_STATE_BYTES:
            return None
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None


@functools.lru_cache(maxsize=32)
def _package(folder: str, packaged: int) -> Optional[ServerlessPackage]:
    state = _read_json(os.path.join(folder, STATE))
    return ServerlessPackage(folder, state) if isinstance(state, dict) else None


def package_of(template: str) -> Optional[ServerlessPackage]:
    """The Serverless package a template belongs to (`.serverless/` with its state), or None.

    Read once per package and `serverless package` run (the state's modification time).
    """
    if os.path.basename(template) != UPDATE_TEMPLATE:
        return None
    folder = os.path.dirname(os.path.abspath(template))
    try:
        packaged = os.stat(os.path.join(folder, STATE)).st_mtime_ns
    except OSError:
        return None
    return _package(folder, packaged)


# -- which files a Serverless project is checked through -------------------------------------

def service_file(folder: str) -> Optional[str]:
    """The service file in `folder` the framework would take (`serverless.yml`, ..., `serverless.ts`), or None."""
    for name in SERVICE_FILES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def is_code_service(path: str) -> bool:
    """A `serverless.js` / `.mjs` / `.cjs` / `.ts`: a program, never run, so never read by lambdalint."""
    return os.path.basename(path) in CODE_SERVICE_FILES


def is_read_directly(path: str) -> bool:
    """A serverless.yml / .yaml / .json service file: lambdalint compiles it when it has no fresh package."""
    return not is_code_service(path) and is_service_file(path)


def is_service_file(path: str, text: Optional[bytes] = None) -> bool:
    """A file named like a service file that defines a service: the framework's top-level
    `service:` and `provider:` keys (a JS/TS file: both words in its text, as it is not run).
    `text`: the file's content when an editor holds it unsaved (else it is read)."""
    name = os.path.basename(path)
    if name not in SERVICE_FILES:
        return False
    if text is not None:
        head = text[:1 << 20]
    else:
        try:
            with open(path, "rb") as handle:
                head = handle.read(1 << 20)
        except OSError:
            return False
    if name in CODE_SERVICE_FILES:
        return b"service" in head and b"provider" in head
    if name.endswith(".json"):
        import json

        try:
            data = json.loads(head)
        except (ValueError, RecursionError):
            return False
        return isinstance(data, dict) and "service" in data and "provider" in data
    lines = {line.split(b":", 1)[0].strip(b"'\"") for line in head.splitlines() if line[:1].isalpha()}
    return b"service" in lines and b"provider" in lines


def project_templates(folder: str) -> Tuple[List[str], Optional[str]]:
    """(templates to check, what was not checked) for a Serverless service folder.

    The package's update-stack template when `.serverless/` is not older than the service
    file (the zips and the template were made from it); else the service file itself, read
    directly (lambdalint.frontends.serverless_yml), with a sentence when that leaves something
    out. A JS/TS service file is a program: without a fresh package nothing of it can be known
    without running it, and a sentence says so.
    """
    from ..findings import display_name

    service = service_file(folder)
    if service is None or not is_service_file(service):
        return [], None
    package = os.path.join(folder, PACKAGE_FOLDER)
    template = os.path.join(package, UPDATE_TEMPLATE)
    shown = display_name(service)
    code = is_code_service(service)
    stale: Optional[str] = None
    if is_package_folder(package):
        try:
            if os.path.getmtime(template) >= os.path.getmtime(service):
                return [template], None
        except OSError:
            pass
        stale = f"{display_name(package)}{os.sep}"
    if code:
        if stale:
            return [], (f"{stale} is older than {shown}, not checked: run `serverless package` again "
                        f"(a JS/TS service file is code and is never executed)")
        return [], (f"{shown} is not read: a JS/TS service file is code and is never executed; "
                    f"run `serverless package` and check {display_name(package)}{os.sep}")
    from .serverless_yml import read_directly

    aws, notice = read_directly(service, shown, stale)
    if not aws:
        return [], None  # Azure, Google, ...: no Lambda function to check
    return [service], notice


# -- where findings land --------------------------------------------------------------------

class ServiceFile:
    """The service's serverless.yml, loaded with positions: where the user edits what the template holds."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.data = document.data if isinstance(document.data, dict) else {}

    def _has(self, path: Sequence[Any]) -> bool:
        value: Any = self.data
        for key in path:
            if isinstance(value, dict) and key in value:
                value = value[key]
            elif isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
                value = value[key]
            else:
                return False
        return True

    def place(self, package: ServerlessPackage, model: Any, logical_id: str,
              path: Sequence[Any]) -> Tuple[Optional[Tuple[Any, ...]], Optional[str]]:
        """(path in serverless.yml, function key) of a finding on `logical_id` at template `path`."""
        if self._has(("resources", "Resources", logical_id)):
            return ("resources", "Resources", logical_id) + tuple(path[2:]), None
        resource = model.resource(logical_id)
        if resource is None:
            return None, None
        key = package.function_key(logical_id, resource.properties.get("FunctionName")
                                   if resource.type == "AWS::Lambda::Function" else None)
        if key is None or not self._has(("functions", key)):
            return None, key
        function = ("functions", key)
        if resource.type == "AWS::Lambda::Function" and len(path) > 3 and path[2] == "Properties":
            if path[3:5] == ("Environment", "Variables") and len(path) > 5:  # the variable's own line
                for scope in (function, ("provider",)):
                    if self._has(scope + ("environment", path[5])):
                        return scope + ("environment", path[5]), key
            setting = FUNCTION_KEYS.get(path[3])
            if setting is not None and self._has(function + (setting,)):
                return function + (setting,), key
            if setting is not None and self._has(("provider", setting)):
                return ("provider", setting), key
        if resource.type == "AWS::Lambda::EventSourceMapping":
            event = self._mapping_event(key)
            if event is not None:
                return function + ("events", event), key
        return function, key

    def _mapping_event(self, key: str) -> Optional[int]:
        """The index of the function's one event that compiles to an event source mapping, else None."""
        events = self.data["functions"][key].get("events") if isinstance(self.data["functions"][key], dict) else None
        found = [index for index, event in enumerate(events if isinstance(events, list) else ())
                 if isinstance(event, dict) and any(kind in event for kind in MAPPING_EVENTS)]
        return found[0] if len(found) == 1 else None


@functools.lru_cache(maxsize=32)
def _service_document(path: str, name: str, modified: int) -> Optional[ServiceFile]:
    from ..loading import LoadError, load_file

    try:
        return ServiceFile(load_file(path, name))
    except LoadError:
        return None


def _service(package: ServerlessPackage, template_name: str) -> Optional[ServiceFile]:
    """The service file beside the package, named as the template is (`../svc/serverless.yml`)."""
    path = service_file(package.service_folder)
    if path is None:
        return None
    name = os.path.normpath(os.path.join(os.path.dirname(template_name), os.pardir, os.path.basename(path)))
    try:
        return _service_document(path, name, os.stat(path).st_mtime_ns)
    except OSError:
        return None


def relocate(findings: Sequence[Finding], model: Any) -> List[Finding]:
    """Findings of a `.serverless/` template moved to serverless.yml (DESIGN.md "Where a finding lands").

    A finding about a resource compiled from serverless.yml lands where it was written there,
    keeps the template's place as `generated`, and names the function key as its `origin`.
    What the framework adds on its own (the shared role, the deployment bucket) stays in the
    template, with the function key as origin when it belongs to one.
    """
    from ..findings import Origin, Place

    package: Optional[ServerlessPackage] = model.serverless
    if package is not None and package.lowered:  # compiled from serverless.yml: already at its lines
        return [finding.replace(origin=Origin("serverless", key))
                if finding.resource and (key := package.function_key(finding.resource)) else finding
                for finding in findings]
    service = _service(package, model.document.name) if package is not None else None
    if package is None:
        return list(findings)
    moved = []
    for finding in findings:
        if not finding.resource:
            moved.append(finding)
            continue
        written, key = (service.place(package, model, finding.resource, finding.path)
                        if service is not None else (None, package.function_key(finding.resource)))
        origin = Origin("serverless", key) if key else None
        if written is None or service is None:
            moved.append(finding.replace(origin=origin) if origin else finding)
            continue
        line, column = service.document.locate(written)
        moved.append(finding.replace(file=service.document.name, line=line, column=column,
                                     generated=Place(finding.file, finding.line, finding.column), origin=origin))
    return moved


def origin_of(model: Any, logical_id: str) -> Optional[dict]:
    """`{"kind": "serverless", "name": <function key>}` for a resource of a `.serverless/` template, or None."""
    package: Optional[ServerlessPackage] = model.serverless
    resource = model.resource(logical_id) if package is not None else None
    if package is None or resource is None:
        return None
    key = package.function_key(logical_id, resource.properties.get("FunctionName"))
    return {"kind": "serverless", "name": key} if key else None
