"""serverless.yml read directly, when there is no fresh `.serverless/` package (the pre-commit mode).

Fast and approximate: the service file is loaded with positions, its variables resolved as far
as the files and the run's settings know them (lambdalint.frontends.serverless_variables), and
lowered into the stack `serverless package` would compile (lambdalint.frontends.serverless_compile).
The Document the model reads is that template; its locator points into serverless.yml, so a
finding lands at the line the user edits, named by the function key (`origin`). A function's
package is the part of the service folder its `package` patterns would zip.

What this mode cannot know it does not report: `${ssm:}` and friends are UNKNOWN, plugins
are not run (a run names them once, with the events this mode does not lower), and the
framework's version IDs, which hash the zip, are replaced by IDs that hash the configuration.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ..loading import Document, LoadError, load_file, load_text
from ..model.values import UNKNOWN
from .serverless_compile import LOWERED_EVENTS, Compiler, Lowered
from .serverless_variables import MAX_FILE_BYTES, Context, Resolver, options_from

Path = Tuple[Any, ...]
INCLUDED_SUFFIXES = (".yml", ".yaml", ".json")  # `${file()}` of code (.js, .ts) would have to run
MAX_PACKAGE_JSON_BYTES = 1024 * 1024


class CompiledService:
    """What lambdalint knows beside a template it compiled from serverless.yml (`model.serverless`)."""

    lowered = True

    def __init__(self, folder: str, lowered: Lowered, plugins: Tuple[str, ...] = ()) -> None:
        self.service_folder = folder
        self._lowered = lowered
        self.plugins = plugins

    def zip_for(self, object_key: Any) -> Optional[str]:
        """The local package (the service folder, a layer's folder or a given zip) of a compiled S3 key."""
        written = self._lowered.code.get(object_key) if isinstance(object_key, str) else None
        return os.path.normpath(os.path.join(self.service_folder, written)) if written is not None else None

    def not_packaged(self, logical_id: str) -> bool:
        """The package is not what the folder holds now: plugins build or add to it (serverless-webpack,
        -esbuild, -python-requirements, -wsgi, ...), or a given artifact or layer folder is not built yet."""
        written = self._lowered.code_of.get(logical_id)
        if written is None:
            return False
        if self.plugins:
            return True
        folder = os.path.join(self.service_folder, written)
        if not os.path.exists(folder):
            return True
        # a pattern naming one file that is not there names build output (`build/main.js`)
        literal = [pattern for pattern in self._lowered.selections.get(logical_id, ())
                   if not pattern.startswith("!") and not set(pattern) & set("*?[{")]
        return any(not os.path.lexists(os.path.join(folder, pattern)) for pattern in literal)

    def selection(self, logical_id: str) -> Optional[Tuple[str, ...]]:
        """The globs that pick a function's or layer's package out of its folder, in order."""
        return self._lowered.selections.get(logical_id)

    def is_code_version(self, logical_id: str) -> bool:
        """A version compiled for a function: named by a hash, new whenever the function changes."""
        return logical_id in self._lowered.versions

    def function_key(self, logical_id: str, function_name: Any = None) -> Optional[str]:
        return self._lowered.function_keys.get(logical_id)


def _read_included(boundary: Any) -> Any:
    """`${file(path)}`: a YAML or JSON file inside the trust boundary, loaded; else UNKNOWN."""
    cache: Dict[str, Any] = {}

    def read(path: str) -> Any:
        path = os.path.normpath(path)
        if path in cache:
            return cache[path]
        value = UNKNOWN
        if boundary.admits(path) and not os.path.lexists(path):
            value = None  # known to be absent: a fallback applies
        elif path.lower().endswith(INCLUDED_SUFFIXES) and boundary.admits(path) and os.path.isfile(path):
            try:
                if os.path.getsize(path) <= MAX_FILE_BYTES:
                    value = load_file(path).data
            except (LoadError, OSError):
                value = UNKNOWN
        cache[path] = value
        return value

    return read


def _dev_dependencies(folder: str) -> List[str]:
    """The service's own package.json devDependencies: the framework leaves them out of the zip."""
    import json

    path = os.path.join(folder, "package.json")
    try:
        if os.path.getsize(path) > MAX_PACKAGE_JSON_BYTES:
            return []
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return []
    dev = data.get("devDependencies") if isinstance(data, dict) else None
    return sorted(name for name in dev if isinstance(name, str)) if isinstance(dev, dict) else []


def load_service(path: str, name: str, settings: Any, given_folder: Optional[str] = None,
                 text: Optional[str] = None) -> Document:
    """serverless.yml as the template it compiles to; LoadError when it cannot be read.
    `text`: the file's content when an editor holds it unsaved (else it is read)."""
    from ..boundary import TrustBoundary

    written = load_file(path, name) if text is None else load_text(text, name)
    if not isinstance(written.data, dict):
        raise LoadError("the service file is not a mapping", 1, 1)
    folder = os.path.dirname(os.path.abspath(path))
    boundary = TrustBoundary.around(folder, given_folder, settings.artifact_roots)
    # `${env:}` only when the configuration asks: a CI runner's environment is not the deploy's
    environment = dict(os.environ) if getattr(settings, "serverless_env", False) else None
    context = Context(written.data, folder, options_from(settings.parameters), _read_included(boundary), environment)
    resolver = Resolver(context)
    service = resolver.resolve(written.data)
    stage = resolver.resolve(context.stage)
    region = resolver.resolve(context.region)
    plugins = plugin_names(written.data)
    try:
        lowered = Compiler(service, stage, region, os.path.basename(path), _dev_dependencies(folder),
                           rewritten=bool(plugins)).compile()
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError) as error:
        # a shape the compiler does not expect (the framework would refuse it): one finding, no traceback
        raise LoadError(f"the service cannot be compiled: {type(error).__name__} in the Serverless front end "
                        f"(`serverless package` and check .serverless/ instead)", 1, 1) from None
    return Document(name, lowered.template, written.format, written.text, _locator(lowered.places, written),
                    front_end=CompiledService(folder, lowered, tuple(plugins)))


def _locator(places: Mapping[Path, Tuple[Path, bool]], written: Document) -> Any:
    """Template path -> (line, column) in serverless.yml, through the deepest place recorded for it."""

    def locate(path: Path) -> Optional[Tuple[int, int]]:
        for cut in range(len(path), 0, -1):
            entry = places.get(tuple(path[:cut]))
            if entry is not None:
                target, carries = entry
                return written.locate(target + tuple(path[cut:]) if carries else target)
        return None

    return locate


# -- what a run says once about a service read this way ---------------------------------------

def read_directly(path: str, shown: str, stale_package: Optional[str] = None) -> Tuple[bool, Optional[str]]:
    """Whether the service deploys to AWS, and what a run says once about reading it directly
    (direct_notice), from one load of the file. A file that does not load counts as AWS with no
    notice: the check itself reports it (LL0001)."""
    try:
        data = load_file(path).data
    except LoadError:
        return True, None
    data = data if isinstance(data, dict) else {}
    if not is_aws_service(data):
        return False, None
    return True, direct_notice(data, shown, stale_package)


def is_aws_service(data: Mapping[str, Any]) -> bool:
    """`provider: {name: aws}` (or a variable there): a service of another cloud deploys no Lambda."""
    provider = data.get("provider")
    name = provider.get("name") if isinstance(provider, dict) else provider
    return not isinstance(name, str) or name == "aws" or "${" in name

def plugin_names(data: Mapping[str, Any]) -> List[str]:
    """The plugins a service names (`plugins: [...]` or `plugins: {modules: [...]}`)."""
    plugins = data.get("plugins")
    if isinstance(plugins, dict):
        plugins = plugins.get("modules")
    return [item for item in plugins if isinstance(item, str)] if isinstance(plugins, list) else []


def unlowered_events(data: Mapping[str, Any]) -> List[str]:
    """The event kinds of the service's functions this mode does not lower (`websocket`, `iot`, ...)."""
    functions = data.get("functions")
    kinds = []
    for function in functions.values() if isinstance(functions, dict) else ():
        events = function.get("events") if isinstance(function, dict) else None
        for event in events if isinstance(events, list) else ():
            if isinstance(event, dict) and len(event) == 1:
                kind = next(iter(event))
                if isinstance(kind, str) and kind not in LOWERED_EVENTS and kind not in kinds:
                    kinds.append(kind)
    return kinds


def direct_notice(data: Mapping[str, Any], shown: str, stale_package: Optional[str] = None) -> Optional[str]:
    """What a run says once about a service read from serverless.yml directly, or None: what it
    leaves out (plugins, event kinds it does not lower) and why it did not use `.serverless/`."""
    parts = []
    plugins = plugin_names(data)
    if plugins:
        parts.append(f"plugins not applied: {', '.join(plugins)}")
    events = unlowered_events(data)
    if events:
        parts.append(f"events not checked: {', '.join(events)}")
    if stale_package is None and not parts:
        return None
    why = f"{stale_package} is older" if stale_package else "no .serverless/ package"
    return "; ".join([f"{shown} read directly ({why}; `serverless package` gives the exact stack)"] + parts)
