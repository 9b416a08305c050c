"""Aliases and versions: what an alias routes to, which versions exist, what SAM publishes.

`FunctionVersion`, `AdditionalVersionWeights[].FunctionVersion`, a function URL's
`Qualifier` and similar values are classified as a `VersionTarget`: a version resource
of the template, an alias resource, `$LATEST`, a literal version number, or unknown.
SAM `AutoPublishAlias` makes the transform create `<Fn>Version<hash>` and `<Fn>Alias<name>`,
which the template does not show: rules read `AutoPublishAlias` on the function instead.
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

from ..findings import Path
from ..lazy import lazy_pattern
from ..records import Record
from .template import Function, Resource, TemplateModel
from .values import UNKNOWN, Reference, as_number

VERSION_TYPE = "AWS::Lambda::Version"
ALIAS_TYPE = "AWS::Lambda::Alias"
URL_TYPE = "AWS::Lambda::Url"
LATEST = "$LATEST"

# kinds of VersionTarget
VERSION, ALIAS, LATEST_KIND, NUMBER, NAME, UNKNOWN_KIND = "version", "alias", "latest", "number", "name", "unknown"


class VersionTarget(Record):
    """What a version-valued property names."""

    __slots__ = ("kind", "resource", "literal")

    def __init__(self, kind: str, resource: Optional[str] = None, literal: Optional[str] = None) -> None:
        self.kind = kind  # version | alias | latest | number | name (an alias name literal) | unknown
        self.resource = resource  # logical ID for version/alias
        self.literal = literal  # the text for latest/number/name

    @property
    def key(self) -> Tuple[str, Optional[str], Optional[str]]:
        """Two targets with the same key surely name the same version."""
        return (self.kind, self.resource, self.literal)

    @property
    def known(self) -> bool:
        return self.kind != UNKNOWN_KIND

    @property
    def description(self) -> str:
        """For messages: `version WorkerV2`, `alias Live`, `$LATEST`, `3`, or the kind."""
        if self.kind in (VERSION, ALIAS):
            return f"{self.kind} {self.resource}"
        return self.literal or self.kind


UNKNOWN_TARGET = VersionTarget(UNKNOWN_KIND)


class Weight(Record):
    __slots__ = ("target", "weight", "path")

    def __init__(self, target: VersionTarget, weight: Any, path: Path) -> None:
        self.target = target
        self.weight = weight  # a number, or UNKNOWN
        self.path = path  # of the entry's FunctionVersion


class Alias(Record):
    __slots__ = ("resource", "function", "version", "weights", "weights_known")

    def __init__(
        self,
        resource: Resource,
        function: Optional[Function],
        version: VersionTarget,
        weights: Tuple[Weight, ...],
        weights_known: bool,
    ) -> None:
        self.resource = resource
        self.function = function  # the function of FunctionName, when it is one of the template
        self.version = version
        self.weights = weights  # AdditionalVersionWeights, in order
        self.weights_known = weights_known  # the routing list itself could be read

    @property
    def logical_id(self) -> str:
        return self.resource.logical_id


def classify(model: TemplateModel, value: Any) -> VersionTarget:
    """What a FunctionVersion/Qualifier value refers to."""
    reference = model.referenced(value)
    if reference is not None:
        return _classify_reference(model, reference)
    resolved = model.resolve(value)
    if isinstance(resolved, bool):
        return UNKNOWN_TARGET
    if isinstance(resolved, int):
        resolved = str(resolved)
    if not isinstance(resolved, str):
        return UNKNOWN_TARGET
    text = resolved.strip()
    if text == LATEST:
        return VersionTarget(LATEST_KIND, literal=text)
    if text.isdigit():
        return VersionTarget(NUMBER, literal=text)
    qualifier = _arn_qualifier(text)
    if qualifier is not None:
        return classify(model, qualifier)
    if text and ":" not in text and "$" not in text:
        return VersionTarget(NAME, literal=text)
    return UNKNOWN_TARGET


_FUNCTION_ARN = lazy_pattern(r"^arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+:(?P<qualifier>[^:]+)$")


def _arn_qualifier(text: str) -> Optional[str]:
    match = _FUNCTION_ARN.match(text)
    return match.group("qualifier") if match else None


def _classify_reference(model: TemplateModel, reference: Reference) -> VersionTarget:
    target = model.resource(reference.target)
    if target is None:
        return UNKNOWN_TARGET
    if target.type == VERSION_TYPE and reference.attribute in (None, "Version"):
        return VersionTarget(VERSION, resource=target.logical_id)
    if target.type == ALIAS_TYPE and reference.attribute in (None, "AliasArn", "Name"):
        return VersionTarget(ALIAS, resource=target.logical_id)
    return UNKNOWN_TARGET


def aliases(model: TemplateModel) -> List[Alias]:
    """Every AWS::Lambda::Alias of the template, with its routing resolved."""
    return model.memo("versions.aliases", _build_aliases)


def _build_aliases(model: TemplateModel) -> List[Alias]:
    found = []
    for resource in model.by_type(ALIAS_TYPE):
        function = model.referenced_function(resource.get("FunctionName"))
        version = classify(model, resource.get("FunctionVersion")) if "FunctionVersion" in resource.properties \
            else UNKNOWN_TARGET
        weights, known = _weights(model, resource)
        found.append(Alias(resource, function, version, weights, known))
    return found


def _weights(model: TemplateModel, resource: Resource) -> Tuple[Tuple[Weight, ...], bool]:
    routing = model.resolve(resource.get("RoutingConfig"))
    if routing is None:
        return (), True
    if not isinstance(routing, dict):
        return (), False
    raw = model.resolve(routing.get("AdditionalVersionWeights"))
    if raw is None:
        return (), True
    if not isinstance(raw, list):
        return (), False
    weights = []
    for index, entry in enumerate(raw):
        entry = model.resolve(entry)
        if not isinstance(entry, dict):
            weights.append(Weight(UNKNOWN_TARGET, UNKNOWN, resource.property_path("RoutingConfig")))
            continue
        raw_weight = model.resolve(entry.get("FunctionWeight"))
        weight = as_number(raw_weight)
        if isinstance(raw_weight, str) and weight is not UNKNOWN:
            weight = float(weight)  # FunctionWeight is a Double: text reads as one ("1" is 1.0)
        path = resource.property_path("RoutingConfig", "AdditionalVersionWeights", index, "FunctionVersion")
        weights.append(Weight(classify(model, entry.get("FunctionVersion")), weight, path))
    return tuple(weights), True


def versions(model: TemplateModel) -> List[Resource]:
    return model.by_type(VERSION_TYPE)


def version_function(model: TemplateModel, version: Resource) -> Optional[Function]:
    return model.referenced_function(version.get("FunctionName"))


def publishes_versions(model: TemplateModel, function: Function) -> bool:
    """A version of the function is ever published: SAM `AutoPublishAlias`, or an
    `AWS::Lambda::Version` of it (one whose `FunctionName` cannot be read might be of it)."""
    if function.is_sam and function.has("AutoPublishAlias"):
        return True
    for version in versions(model):
        target = model.referenced(version.get("FunctionName"))
        if target is None or target.target == function.logical_id:
            return True
    return False


def qualified_urls(model: TemplateModel) -> List[Resource]:
    """`AWS::Lambda::Url` resources with a `Qualifier` (an alias or `$LATEST`, Lambda says)."""
    return [url for url in model.by_type(URL_TYPE) if "Qualifier" in url.properties]


def provisioned_qualifiers(model: TemplateModel, function: Function) -> List[Resource]:
    """The aliases and versions of the template that give `function` provisioned concurrency."""
    return [
        resource for resource in model.by_type(ALIAS_TYPE, VERSION_TYPE)
        if resource.get("ProvisionedConcurrencyConfig") is not None
        and model.referenced_function(resource.get("FunctionName")) is function
    ]


_HASHED_SUFFIX = lazy_pattern(r"[0-9a-fA-F]{8,}$")


def has_hashed_logical_id(logical_id: str, cdk_path: Any = None) -> bool:
    """CDK (`currentVersion`) and SAM put a content hash at the end of a version's logical ID.

    Every CDK logical ID ends in 8 hex digits hashed from its construct path (`aws:cdk:path`):
    `new lambda.Version(this, 'V1')` is `V108D1B095` whatever the code. That suffix says where
    the version is, not what it holds, so it is taken off before looking for a content hash.
    """
    if cdk_path is not None:
        from ..frontends.cdk import path_hash

        if path_hash(cdk_path, logical_id):
            logical_id = logical_id[:-8]
    tail = _HASHED_SUFFIX.search(logical_id)
    return bool(tail) and any(ch.isdigit() for ch in tail.group(0)) and any(ch.isalpha() for ch in tail.group(0))
