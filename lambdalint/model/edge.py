"""Lambda@Edge: the functions CloudFront distributions of the template run, and where.

An association (`LambdaFunctionAssociations` of the default or an ordered cache
behavior) names a function by a version (`!Ref MyVersion`, SAM
`!Ref Fn.Version`, `!Sub "${Fn.Arn}:3"`), an alias, or the function itself.
The event type decides which limits apply: viewer triggers are stricter than
origin triggers
(https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-restrictions.html).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Tuple

from ..findings import Hit, Path
from ..records import Record
from .function_refs import FunctionRef, function_ref

if TYPE_CHECKING:  # annotations only: TemplateModel.edge_associations imports this module
    from .template import Function, Resource, TemplateModel

VIEWER_EVENTS = frozenset({"viewer-request", "viewer-response"})
ORIGIN_EVENTS = frozenset({"origin-request", "origin-response"})


class EdgeAssociation(Record):
    __slots__ = ("distribution", "path", "event_type", "target", "raw_arn")
    _hidden = ("distribution", "raw_arn")

    def __init__(self, distribution: Resource, path: Path, event_type: Any, target: Optional[FunctionRef],
                 raw_arn: Any = None) -> None:
        self.distribution = distribution
        self.path = path  # the association entry
        self.event_type = event_type  # "viewer-request", ... or UNKNOWN
        self.target = target  # None when the ARN cannot be read
        self.raw_arn = raw_arn

    @property
    def function(self) -> Optional[Function]:
        return self.target.function if self.target else None

    @property
    def is_viewer(self) -> bool:
        return isinstance(self.event_type, str) and self.event_type in VIEWER_EVENTS

    @property
    def is_origin(self) -> bool:
        return isinstance(self.event_type, str) and self.event_type in ORIGIN_EVENTS

    def hit(self, message: str, *keys: Any) -> Hit:
        return Hit(self.path + tuple(keys), message, self.distribution.logical_id)


def edge_associations(model: TemplateModel) -> List[EdgeAssociation]:
    return model.memo("edge_associations", _build)


def edge_functions(model: TemplateModel) -> Dict[str, List[EdgeAssociation]]:
    """Function logical ID -> the associations that run it at the edge."""
    index: Dict[str, List[EdgeAssociation]] = {}
    for association in edge_associations(model):
        if association.function is not None:
            index.setdefault(association.function.logical_id, []).append(association)
    return index


def _build(model: TemplateModel) -> List[EdgeAssociation]:
    return list(_associations(model))


def _associations(model: TemplateModel) -> Iterator[EdgeAssociation]:
    for distribution in model.distributions:
        config = distribution.get("DistributionConfig")
        if not isinstance(config, dict):
            continue
        behaviors: List[Tuple[Tuple[Any, ...], Any]] = [(("DefaultCacheBehavior",), config.get("DefaultCacheBehavior"))]
        ordered = config.get("CacheBehaviors")
        if isinstance(ordered, list):
            behaviors.extend((("CacheBehaviors", index), item) for index, item in enumerate(ordered))
        for keys, behavior in behaviors:
            if not isinstance(behavior, dict):
                continue
            entries = behavior.get("LambdaFunctionAssociations")
            if not isinstance(entries, list):
                continue
            for index, entry in enumerate(entries):
                if not isinstance(entry, dict):
                    continue
                path = distribution.property_path("DistributionConfig", *keys, "LambdaFunctionAssociations", index)
                arn = entry.get("LambdaFunctionARN")
                yield EdgeAssociation(distribution, path, model.resolve(entry.get("EventType")),
                                      function_ref(model, arn) if arn is not None else None, arn)
