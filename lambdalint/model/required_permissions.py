"""What an execution role must allow for what the template wires to its function.

Lambda uses the function's execution role to poll the queues and streams of its event
sources, and to send failed (or finished) events to its dead-letter queue and destinations.
`roles.py` says what a role allows; this module says what it must allow, and on which value
(the ARN as written, which the IAM layer matches against the policies' resources).

A source or destination whose ARN we cannot read, or whose permissions we do not model, needs
nothing here: the rules then say nothing about it.
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

from ..findings import Hit, Path
from ..lazy import lazy_pattern
from ..records import Record
from .events import POLL, EventSource, async_configs, event_sources
from .template import Function, TemplateModel, dig
from .values import normalise_value

# Actions Lambda calls with the execution role to poll a source
# (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions,
# https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html,
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/iam-policy-example-lamda-process-dynamodb-streams.html)
POLLER_READ_ACTIONS = {
    "sqs": ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
    "kinesis": ("kinesis:GetRecords", "kinesis:GetShardIterator"),
    "dynamodb": ("dynamodb:GetRecords", "dynamodb:GetShardIterator"),
}
# Resource types polled with those actions -> (kind, the attribute that is the ARN Lambda reads):
# a table's stream, not the table; a Kinesis stream consumer needs other actions, not modelled.
_POLLED_ARNS = {
    "AWS::SQS::Queue": ("sqs", "Arn"),
    "AWS::Kinesis::Stream": ("kinesis", "Arn"),
    "AWS::DynamoDB::Table": ("dynamodb", "StreamArn"),
    "AWS::DynamoDB::GlobalTable": ("dynamodb", "StreamArn"),
}
_ARN_SERVICE = lazy_pattern(r"^arn:(?:[a-z-]+|\$\{AWS::Partition\}):([a-z0-9-]+):")


def poller_read_actions(source: EventSource) -> Tuple[str, ...]:
    """The actions the role must allow on `source.source` for Lambda to poll it; () when the
    source is not polled with the role, or its value is not an ARN of the source's kind."""
    actions = POLLER_READ_ACTIONS.get(source.kind)
    if not actions or source.mode != POLL or source.source is None:
        return ()
    return actions if _polled_kind(source.model, source.source) == source.kind else ()


def _polled_kind(model: TemplateModel, value: Any) -> Optional[str]:
    """The kind of source an ARN value surely names (sqs, kinesis, dynamodb), else None."""
    reference = model.referenced(value)
    if reference is not None:
        target = model.resource(reference.target)
        if target is None or target.type not in _POLLED_ARNS:
            return None
        kind, attribute = _POLLED_ARNS[target.type]
        return kind if reference.attribute == attribute else None
    text = normalise_value(value)
    if not isinstance(text, str):
        resolved = model.resolve(value)
        text = resolved if isinstance(resolved, str) else None
    match = _ARN_SERVICE.match(text or "")
    if not match:
        return None
    service = match.group(1)
    if service == "dynamodb" and "/stream/" not in (text or ""):
        return None  # a table's ARN, not its stream's
    return service if service in POLLER_READ_ACTIONS else None


def polled_sources(model: TemplateModel) -> List[Tuple[EventSource, Tuple[str, ...]]]:
    """(source, actions the role must allow on it) for each source Lambda polls with the role."""
    found = []
    for source in event_sources(model):
        actions = poller_read_actions(source)
        if actions:
            found.append((source, actions))
    return found


# --------------------------------------------------------------------------- destinations

# What Lambda calls to send there (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html)
DESTINATION_ACTIONS = {"sqs": "sqs:SendMessage", "sns": "sns:Publish", "lambda": "lambda:InvokeFunction",
                       "events": "events:PutEvents"}
# Resource types a destination may name -> (service, the attribute that is its ARN; None: Ref)
_DESTINATION_ARNS = {"AWS::SQS::Queue": ("sqs", "Arn"), "AWS::SNS::Topic": ("sns", None),
                     "AWS::Lambda::Function": ("lambda", "Arn"), "AWS::Serverless::Function": ("lambda", "Arn"),
                     "AWS::Events::EventBus": ("events", "Arn")}


class Destination(Record):
    """A dead-letter queue or an async / event source mapping destination of a function."""

    __slots__ = ("function", "target", "path", "resource", "service")
    _compared = ("path", "resource", "service")
    _hidden = ("function", "target")

    def __init__(self, function: Function, target: Any, path: Path, resource: Optional[str],
                 service: Optional[str]) -> None:
        self.function = function
        self.target = target  # the value naming the queue, topic, function or bus, as written
        self.path = path  # where `target` is written
        self.resource = resource  # the resource declaring it
        self.service = service  # sqs, sns, lambda, events; None when the value names none we know

    @property
    def action(self) -> Optional[str]:
        """What the execution role must allow on `target`, or None when we do not know."""
        return DESTINATION_ACTIONS.get(self.service or "")

    def hit(self, message: str) -> Hit:
        return Hit(self.path, message, self.resource)


def destinations(model: TemplateModel) -> List[Destination]:
    """DLQs (`DeadLetterConfig`, SAM `DeadLetterQueue`) and destinations (SAM `EventInvokeConfig`,
    `AWS::Lambda::EventInvokeConfig`, event source mapping `DestinationConfig`) of every function."""
    return model.memo("required_permissions.destinations", _build_destinations)


def _build_destinations(model: TemplateModel) -> List[Destination]:
    found: List[Destination] = []

    def add(function: Function, target: Any, path: Path, resource: Optional[str]) -> None:
        found.append(Destination(function, target, path, resource, _destination_service(model, target)))

    for function in model.functions:
        keyed: List[Tuple[str, ...]] = [("DeadLetterConfig", "TargetArn")]
        if function.is_sam:
            keyed.append(("DeadLetterQueue", "TargetArn"))
            keyed.extend(("EventInvokeConfig", "DestinationConfig", event, "Destination")
                         for event in ("OnSuccess", "OnFailure"))
        for keys in keyed:
            if function.has(*keys):
                add(function, function.get(*keys), function.path(*keys), function.logical_id)
    declared = [(config.function, config.parameters, config.path) for config in async_configs(model)
                if config.declared_by == "AWS::Lambda::EventInvokeConfig"]
    declared += [(source.function, source.parameters, source.parameters_path) for source in event_sources(model)
                 if source.declared_by == "AWS::Lambda::EventSourceMapping"]
    for function, parameters, path in declared:
        for event in ("OnSuccess", "OnFailure"):
            keys = ("DestinationConfig", event, "Destination")
            target = dig(parameters, keys)
            if target is not None:
                add(function, target, path + keys, str(path[1]))
    return found


def _destination_service(model: TemplateModel, value: Any) -> Optional[str]:
    reference = model.referenced(value)
    if reference is not None:
        target = model.resource(reference.target)
        if target is None or target.type not in _DESTINATION_ARNS:
            return None
        service, attribute = _DESTINATION_ARNS[target.type]
        return service if reference.attribute == attribute else None
    match = _ARN_SERVICE.match(normalise_value(value) or "")
    return match.group(1) if match and match.group(1) in DESTINATION_ACTIONS else None
