"""TemplateModel: one template as rules see it.

Built once per file; every index (resources by type, functions, references)
is computed on first use and cached, so a rule costs what it reads and no
rule needs to scan the whole template again.
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

from ..findings import Hit, Path, Severity
from ..loading import Document, DuplicateKey
from ..records import Record
from ..settings import DEFAULT_SETTINGS, Settings
from . import loops, sam
from .suppressions import read_metadata
from .values import NO_VALUE, UNKNOWN, Reference, Resolver, is_known

if TYPE_CHECKING:
    from ..frontends.cdk import CdkTemplate
    from ..frontends.serverless import ServerlessPackage
    from ..frontends.terraform.lower import Lowering
    from .edge import EdgeAssociation
    from .suppressions import MetadataIgnores

FUNCTION_TYPES = ("AWS::Lambda::Function", "AWS::Serverless::Function")
LAYER_TYPES = ("AWS::Lambda::LayerVersion", "AWS::Serverless::LayerVersion")
DISTRIBUTION_TYPE = "AWS::CloudFront::Distribution"  # runs Lambda@Edge functions (model/edge.py)


class Resource(Record):
    __slots__ = ("logical_id", "type", "definition")
    _hidden = ("definition",)

    def __init__(self, logical_id: str, type: str, definition: Mapping[str, Any]) -> None:
        self.logical_id = logical_id
        self.type = type
        self.definition = definition

    @property
    def path(self) -> Path:
        return ("Resources", self.logical_id)

    @property
    def properties(self) -> Mapping[str, Any]:
        value = self.definition.get("Properties")
        return value if isinstance(value, dict) else {}

    @property
    def metadata(self) -> Mapping[str, Any]:
        value = self.definition.get("Metadata")
        return value if isinstance(value, dict) else {}

    @property
    def condition(self) -> Optional[str]:
        value = self.definition.get("Condition")
        return value if isinstance(value, str) else None

    def property_path(self, *keys: Any) -> Path:
        return self.path + ("Properties",) + keys

    def get(self, *keys: Any, default: Any = None) -> Any:
        return dig(self.properties, keys, default)

    def hit(self, message: str, *keys: Any, severity: Optional[Severity] = None) -> Hit:
        return Hit(self.property_path(*keys) if keys else self.path, message, self.logical_id, severity=severity)

    @property
    def is_sam(self) -> bool:
        return self.type.startswith("AWS::Serverless::")


class Function:
    """An AWS::Lambda::Function, or an AWS::Serverless::Function with Globals applied.

    `get` reads the effective properties; `path` says where a property was
    written (the function itself, or the Globals section it inherited from).
    """

    def __init__(self, resource: Resource, model: TemplateModel):
        self.resource = resource
        self.model = model
        self.logical_id = resource.logical_id
        self.is_sam = resource.type == "AWS::Serverless::Function"
        own = resource.properties
        self._globals = _applied_globals(model.globals_section("Function"), resource) if self.is_sam else {}
        self.properties: Mapping[str, Any] = (
            sam.merge_function_properties(self._globals, own) if self._globals else own
        )

    def __repr__(self) -> str:
        return f"Function({self.logical_id})"

    # -- raw and resolved access --------------------------------------------------------
    def get(self, *keys: Any, default: Any = None) -> Any:
        return dig(self.properties, keys, default)

    def value(self, *keys: Any, default: Any = None) -> Any:
        """The resolved value of a property: concrete, a Reference, UNKNOWN, or `default` when absent."""
        raw = dig(self.properties, keys, _ABSENT)
        if raw is _ABSENT:
            return default
        resolved = self.model.resolve(raw)
        return default if resolved is NO_VALUE else resolved

    def candidates(self, *keys: Any) -> List[Any]:
        raw = dig(self.properties, keys, _ABSENT)
        if raw is _ABSENT:
            return []
        return [c for c in self.model.candidates(raw) if c is not NO_VALUE]

    def has(self, *keys: Any) -> bool:
        return dig(self.properties, keys, _ABSENT) is not _ABSENT

    def path(self, *keys: Any) -> Path:
        """Where `keys` was written: the Globals entry when the value came from there."""
        if self._globals:
            source, keys = sam.merged_origin(self._globals, self.resource.properties, keys)
            if source == "globals":
                return ("Globals", "Function") + keys
        return self.resource.property_path(*keys)

    def hit(self, message: str, *keys: Any, severity: Optional[Severity] = None) -> Hit:
        return Hit(self.path(*keys) if keys else self.resource.path, message, self.logical_id, severity=severity)

    # -- the properties most rules ask for, under one name for SAM and CloudFormation ----
    @property
    def package_type(self) -> Any:
        value = self.value("PackageType", default=None)
        if value is None and self.is_sam and self.has("ImageUri"):
            return "Image"
        return "Zip" if value is None else value

    @property
    def runtime(self) -> Any:
        return self.value("Runtime")

    @property
    def runtimes(self) -> List[str]:
        """Every runtime name the function may have (each `Fn::If` branch); unresolvable ones left out."""
        return [candidate for candidate in self.candidates("Runtime") if isinstance(candidate, str)]

    @property
    def handler(self) -> Any:
        return self.value("Handler")

    @property
    def memory_size(self) -> Any:
        return self.value("MemorySize")

    @property
    def timeout(self) -> Any:
        return self.value("Timeout")

    @property
    def effective_timeout(self) -> Any:
        """Timeout in seconds with Lambda's 3 s default applied."""
        value = self.timeout
        return 3 if value is None else value

    @property
    def architectures(self) -> Any:
        value = self.value("Architectures")
        return ["x86_64"] if value is None else value

    @property
    def environment_variables(self) -> Any:
        """The raw Environment.Variables map (values unresolved), {} when absent, UNKNOWN when not a map."""
        value = self.value("Environment", "Variables", default={})
        return value if isinstance(value, dict) else UNKNOWN

    @property
    def declares_environment_variables(self) -> bool:
        """`Environment.Variables` is written as a non-empty mapping (an intrinsic there counts too)."""
        value = self.get("Environment", "Variables")
        return isinstance(value, dict) and bool(value)

    @property
    def layers(self) -> List[Any]:
        value = self.value("Layers", default=[])
        return value if isinstance(value, list) else []

    @property
    def name(self) -> Any:
        return self.value("FunctionName")

    @property
    def tracing_mode(self) -> Any:
        if self.is_sam:
            return self.value("Tracing")
        return self.value("TracingConfig", "Mode")

    @property
    def network(self) -> Any:
        """The function's VPC attachment (`network.FunctionNetwork`), None without a `VpcConfig`."""
        if not isinstance(self.value("VpcConfig"), dict):
            return None
        from .network import function_network  # only for a function with a VpcConfig: most have none

        return function_network(self.model, self)


class TemplateModel:
    def __init__(
        self,
        document: Document,
        settings: Settings = DEFAULT_SETTINGS,
        base_dir: Optional[str] = None,
        given_folder: Optional[str] = None,
        terraform: Optional[Lowering] = None,
    ):
        self.document = document
        # the Terraform configuration this template was lowered from (its addresses, the places
        # its properties were written), or None: a template read from a file
        self.terraform = terraform
        self.settings = settings
        written = document.data if isinstance(document.data, dict) else {}
        # Fn::ForEach loops are expanded before anything reads the template: rules see the
        # resources CloudFormation would create, and `locate` maps them back to the loop body.
        self.loops = loops.expand(written, settings.parameters, document.text)
        self.template: Mapping[str, Any] = self.loops.template
        self.base_dir = base_dir if base_dir is not None else os.path.dirname(os.path.abspath(document.name))
        self.is_sam = sam.uses_sam(self.template)
        self.resolver = Resolver(self.template, settings.parameters)
        self.given_folder = given_folder  # the command-line folder the template was found in
        self._boundary: Any = None

    def discard(self) -> None:
        """Let go of the template, its views and all derived from them: the check is done.

        Views point back at the model (`Function.model`) and the model's caches hold the views,
        so a checked model is a reference cycle. Left alone, its values and YAML nodes wait for
        the cyclic collector, which traces each of them (a tenth of a corpus run). The model
        cannot be asked anything afterwards.
        """
        self.__dict__.clear()

    @property
    def boundary(self) -> Any:
        """The lambdalint.boundary.TrustBoundary of this template: the folders its paths may lead to.

        The git work tree holding the template, else the command-line folder it was found in
        (else its own folder), plus the configured artifact roots; built when first asked.
        """
        if self._boundary is None:
            from ..boundary import TrustBoundary

            self._boundary = TrustBoundary.around(self.base_dir, self.given_folder, self.settings.artifact_roots)
        return self._boundary

    def locate(self, path: Path) -> Tuple[int, int]:
        """Line and column where the value at `path` of the (expanded) template was written."""
        return self.document.locate(self.loops.written_path(tuple(path)))

    @property
    def duplicate_keys(self) -> Tuple[DuplicateKey, ...]:
        """Keys written twice in one mapping (paths of the written template): the model holds
        the last value of each, which is what CloudFormation deploys."""
        return self.document.duplicates

    def could_be_made_by_loop(self, section: str, name: str) -> bool:
        """Whether `name` in `section` might come from a `Fn::ForEach` whose collection is unknown."""
        return self.loops.could_make(section, name)

    def has_unknown_loops(self, section: str = "Resources") -> bool:
        """Whether a `Fn::ForEach` of `section` could not be expanded: its entries are then not all
        known, and a question "is there a resource that ..." cannot be answered No."""
        return any(loop.section == section for loop in self.loops.unknown)

    @functools.cached_property
    def cdk(self) -> Optional[CdkTemplate]:
        """What the cloud assembly holding this template says about it (a `cdk.out` stack or nested
        stack template: construct paths, creation stacks, asset manifests), or None."""
        if not self.document.name.endswith(".template.json"):
            return None  # a plain template costs no look-up
        from ..frontends.cdk import cdk_template

        return cdk_template(self.document.name)

    @functools.cached_property
    def serverless(self) -> Optional[ServerlessPackage]:
        """The Serverless Framework package this template is the update-stack template of
        (`.serverless/` with its `serverless-state.json`: the zips, the versions), or None."""
        if self.document.front_end is not None:
            return self.document.front_end  # a serverless.yml lowered by lambdalint itself
        if not self.document.name.endswith("cloudformation-template-update-stack.json"):
            return None  # a plain template costs no look-up
        from ..frontends.serverless import package_of

        return package_of(self.document.name)

    @functools.cached_property
    def suppressions(self) -> MetadataIgnores:
        """The Metadata lambdalint ignores of the template and its (expanded) resources."""
        return read_metadata(self.template, self.settings.known_rules)

    # -- sections ---------------------------------------------------------------------
    def section(self, name: str) -> Mapping[str, Any]:
        value = self.template.get(name)
        return value if isinstance(value, dict) else {}

    @property
    def parameters(self) -> Mapping[str, Any]:
        return self.section("Parameters")

    @property
    def conditions(self) -> Mapping[str, Any]:
        return self.section("Conditions")

    @property
    def mappings(self) -> Mapping[str, Any]:
        return self.section("Mappings")

    def globals_section(self, name: str) -> Mapping[str, Any]:
        value = self.section("Globals").get(name)
        return value if isinstance(value, dict) else {}

    # -- resources --------------------------------------------------------------------
    @functools.cached_property
    def resources(self) -> Dict[str, Resource]:
        found = {}
        for logical_id, definition in self.section("Resources").items():
            if isinstance(definition, dict) and isinstance(definition.get("Type"), str):
                found[str(logical_id)] = Resource(str(logical_id), definition["Type"], definition)
        return found

    @functools.cached_property
    def _by_type(self) -> Dict[str, List[Resource]]:
        index: Dict[str, List[Resource]] = {}
        for resource in self.resources.values():
            index.setdefault(resource.type, []).append(resource)
        return index

    def by_type(self, *types: str) -> List[Resource]:
        if len(types) == 1:
            return self._by_type.get(types[0], [])
        return [r for t in types for r in self._by_type.get(t, [])]

    def resource(self, logical_id: Any) -> Optional[Resource]:
        return self.resources.get(logical_id) if isinstance(logical_id, str) else None

    @functools.cached_property
    def functions(self) -> List[Function]:
        return [Function(resource, self) for resource in self.by_type(*FUNCTION_TYPES)]

    @functools.cached_property
    def _functions_by_id(self) -> Dict[str, Function]:
        return {function.logical_id: function for function in self.functions}

    def function(self, logical_id: Any) -> Optional[Function]:
        return self._functions_by_id.get(logical_id) if isinstance(logical_id, str) else None

    @property
    def layers(self) -> List[Resource]:
        return self.by_type(*LAYER_TYPES)

    # -- values -----------------------------------------------------------------------
    def resolve(self, value: Any) -> Any:
        return self.resolver.resolve(value)

    def resolve_deep(self, value: Any) -> Any:
        return self.resolver.resolve_deep(value)

    def candidates(self, value: Any) -> List[Any]:
        return self.resolver.candidates(value)

    def referenced(self, value: Any) -> Optional[Reference]:
        """The resource reference a value stands for (`Ref`, `GetAtt`, `Sub "${X.Arn}"`), if any."""
        resolved = self.resolve(value)
        if isinstance(resolved, Reference):
            return resolved
        if isinstance(value, dict) and "Fn::Sub" in value and isinstance(value["Fn::Sub"], str):
            text = value["Fn::Sub"].strip()
            if text.startswith("${") and text.endswith("}") and text.count("${") == 1:
                name, _, attribute = text[2:-1].partition(".")
                if name in self.resources:
                    return Reference(name, attribute or None)
        return None

    @property
    def distributions(self) -> List[Resource]:
        """The template's CloudFront distributions: where Lambda@Edge functions run."""
        return self.by_type(DISTRIBUTION_TYPE)

    def edge_associations(self) -> List[EdgeAssociation]:
        """The Lambda@Edge associations of the template's CloudFront distributions (`edge.py`)."""
        if not self.distributions:
            return []
        from .edge import edge_associations  # only for a template with a distribution: most have none

        return edge_associations(self)

    def edge_functions(self) -> List[Tuple[Function, List[EdgeAssociation]]]:
        """The functions CloudFront runs at the edge, in template order, each with its associations."""
        if not self.distributions:
            return []
        from .edge import edge_functions

        associations = edge_functions(self)
        return [(function, associations[function.logical_id]) for function in self.functions
                if function.logical_id in associations]

    def referenced_function(self, value: Any) -> Optional[Function]:
        reference = self.referenced(value)
        return self.function(reference.target) if reference else None

    def limit(self, name: str) -> Any:
        return self.settings.limit(name)

    def memo(self, key: str, build: Any) -> Any:
        """Build a derived index once per model: `model.memo("events", build_events)`.

        Model extensions (events, roles, network, ...) live in their own modules
        and cache what they derive here, so no rule rebuilds an index.
        """
        cache = self.__dict__.setdefault("_memo", {})
        if key not in cache:
            cache[key] = build(self)
        return cache[key]

    # -- walking ----------------------------------------------------------------------
    def strings_containing(self, *needles: str) -> Iterator[Tuple[Path, str]]:
        """(path, value) of every string value of the template that contains one of `needles`.

        One search over the written text decides the common case (none of them anywhere)
        without walking the template.
        """
        source = self.document.text
        if source and not any(needle in source for needle in needles):
            return
        for path, value in self.walk():
            if isinstance(value, str) and any(needle in value for needle in needles):
                yield path, value

    def walk(self, value: Any = None, path: Path = ()) -> Iterator[Tuple[Path, Any]]:
        """Every (path, value) below `value` (the whole template by default), depth first."""
        stack: List[Tuple[Path, Any]] = [(path, self.template if value is None else value)]
        while stack:
            here, node = stack.pop()
            yield here, node
            if isinstance(node, dict):
                stack.extend((here + (key,), item) for key, item in reversed(list(node.items())))
            elif isinstance(node, list):
                stack.extend((here + (index,), item) for index, item in reversed(list(enumerate(node))))


_ABSENT = object()


def _applied_globals(globals_function: Mapping[str, Any], resource: Resource) -> Mapping[str, Any]:
    """Globals.Function minus what the resource's SAM `IgnoreGlobals` attribute ('*' or a list
    of property names) opts out of."""
    ignored = resource.definition.get("IgnoreGlobals")
    if ignored == "*":
        return {}
    if isinstance(ignored, list):
        return {key: value for key, value in globals_function.items() if key not in ignored}
    return globals_function


def dig(value: Any, keys: Sequence[Any], default: Any = None) -> Any:
    for key in keys:
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
            value = value[key]
        else:
            return default
    return value


__all__ = [
    "TemplateModel", "Function", "Resource", "dig", "FUNCTION_TYPES", "LAYER_TYPES",
    "UNKNOWN", "NO_VALUE", "Reference", "is_known",
]
