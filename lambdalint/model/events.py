"""Event sources in one view, whatever declared them, plus the queues, streams and
async invoke settings rules ask about.

Declarations read: `AWS::Lambda::EventSourceMapping`, SAM function `Events` of
every type, S3 bucket `NotificationConfiguration.LambdaConfigurations`, SNS
subscriptions with protocol lambda (`AWS::SNS::Subscription` and
`AWS::SNS::Topic` `Subscription`), CloudWatch Logs subscription filters
(`AWS::Logs::SubscriptionFilter` whose `DestinationArn` is a function), `AWS::Events::Rule` and
`AWS::Scheduler::Schedule` targets, API Gateway methods and integrations whose
URI names the function, and OpenAPI bodies with `x-amazon-apigateway-integration`.

Each source says how Lambda is invoked
(https://docs.aws.amazon.com/lambda/latest/dg/lambda-invocation.html):
synchronously (API Gateway, Cognito, Alexa), asynchronously (S3, SNS,
EventBridge, schedules, CloudWatch Logs, IoT) or by an event source mapping
that polls (SQS, Kinesis, DynamoDB, Kafka, MQ, DocumentDB).
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple, Union

from ..findings import Hit, Path
from ..lazy import lazy_pattern
from ..records import Record
from .function_refs import function_ref, functions_in_uri
from .template import Function, Resource, TemplateModel, dig
from .values import NO_VALUE, UNKNOWN, Reference, as_int, normalise_value

SYNC, ASYNC, POLL = "sync", "async", "poll"
MODE_UNKNOWN = "unknown"

STREAM_KINDS = frozenset({"kinesis", "dynamodb"})
POLL_KINDS = frozenset({"sqs", "kinesis", "dynamodb", "msk", "kafka", "mq", "documentdb"})

# SAM event type -> (kind, invocation mode, property naming the source)
# (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventsource.html)
SAM_EVENT_TYPES: Mapping[str, Tuple[str, str, Optional[str]]] = {
    "SQS": ("sqs", POLL, "Queue"),
    "Kinesis": ("kinesis", POLL, "Stream"),
    "DynamoDB": ("dynamodb", POLL, "Stream"),
    "MSK": ("msk", POLL, "Stream"),
    "MQ": ("mq", POLL, "Broker"),
    "SelfManagedKafka": ("kafka", POLL, None),
    "DocumentDB": ("documentdb", POLL, "Cluster"),
    "S3": ("s3", ASYNC, "Bucket"),
    "SNS": ("sns", ASYNC, "Topic"),
    "EventBridgeRule": ("eventbridge", ASYNC, None),
    "CloudWatchEvent": ("eventbridge", ASYNC, None),
    "Schedule": ("schedule", ASYNC, None),
    "ScheduleV2": ("schedule", ASYNC, None),
    "CloudWatchLogs": ("logs", ASYNC, "LogGroupName"),
    "IoTRule": ("iot", ASYNC, None),
    "Api": ("api", SYNC, "RestApiId"),
    "HttpApi": ("httpapi", SYNC, "ApiId"),
    "Cognito": ("cognito", SYNC, "UserPool"),
    "AlexaSkill": ("alexa", SYNC, None),
}

# Resource type an event source mapping reads from -> kind
_SOURCE_TYPES = {
    "AWS::SQS::Queue": "sqs",
    "AWS::Kinesis::Stream": "kinesis",
    "AWS::Kinesis::StreamConsumer": "kinesis",
    "AWS::DynamoDB::Table": "dynamodb",
    "AWS::DynamoDB::GlobalTable": "dynamodb",
    "AWS::MSK::Cluster": "msk",
    "AWS::MSK::ServerlessCluster": "msk",
    "AWS::AmazonMQ::Broker": "mq",
    "AWS::DocDB::DBCluster": "documentdb",
}
_ARN_SERVICES = {"sqs": "sqs", "kinesis": "kinesis", "dynamodb": "dynamodb", "kafka": "msk", "mq": "mq",
                 "rds": "documentdb"}
_ARN = lazy_pattern(r"^arn:(?:[a-z-]+|\$\{AWS::Partition\}):([a-z0-9-]+):")


class _Parameters:
    """Reading a declaration's own parameters, resolved: shared by EventSource, UnboundMapping and AsyncConfig."""

    __slots__ = ()
    parameters: Mapping[str, Any]
    model: Any

    def has(self, *keys: Any) -> bool:
        return dig(self.parameters, keys, _ABSENT) is not _ABSENT

    def value(self, *keys: Any, default: Any = None) -> Any:
        """A parameter resolved (concrete, Reference, UNKNOWN), or `default` when absent."""
        raw = dig(self.parameters, keys, _ABSENT)
        if raw is _ABSENT:
            return default
        resolved = self.model.resolve(raw)
        return default if resolved is NO_VALUE else resolved

    def integer(self, *keys: Any) -> Any:
        """A parameter as an integer: None when absent, UNKNOWN when not a known integer."""
        value = self.value(*keys)
        return None if value is None else as_int(value)


class _Declared(_Parameters):
    """What a declaration says by its own parameters: shared by EventSource and UnboundMapping."""

    __slots__ = ()
    path: Path
    parameters_path: Path
    source_key: Optional[str]
    source_id: Optional[str]

    @property
    def resource(self) -> Optional[str]:
        return str(self.path[1]) if len(self.path) > 1 and self.path[0] == "Resources" else None

    def hit(self, message: str, *keys: Any) -> Hit:
        path = self.parameters_path + tuple(keys) if keys else self.path
        return Hit(path, message, self.resource)

    def source_hit(self, message: str) -> Hit:
        return self.hit(message, self.source_key) if self.source_key else self.hit(message)

    @property
    def source_resource(self) -> Optional[Resource]:
        return self.model.resource(self.source_id) if self.source_id else None


class EventSource(_Declared, Record):
    """One way a function gets invoked, as declared in the template."""

    __slots__ = ("function", "kind", "mode", "declared_by", "name", "path", "parameters_path", "parameters",
                 "source", "source_key", "source_id", "model")
    _compared = ("kind", "mode", "declared_by", "name", "path", "parameters_path", "source_key", "source_id")
    _hidden = ("function", "parameters", "source", "model")

    def __init__(self, function: Function, kind: str, mode: str, declared_by: str, name: str, path: Path,
                 parameters_path: Path, parameters: Mapping[str, Any], source: Any = None,
                 source_key: Optional[str] = None, source_id: Optional[str] = None, model: Any = None) -> None:
        self.function = function
        self.kind = kind  # sqs, kinesis, dynamodb, msk, kafka, mq, documentdb, s3, sns, eventbridge, schedule, api, ...
        self.mode = mode  # SYNC, ASYNC, POLL or MODE_UNKNOWN
        self.declared_by = declared_by  # "AWS::Lambda::EventSourceMapping", "SAM SQS event", "AWS::S3::Bucket", ...
        self.name = name  # for messages: "event source mapping Esm", "SAM event Fn.Queue", ...
        self.path = path  # the declaration (a resource, a SAM event, a list entry)
        self.parameters_path = parameters_path  # where `parameters` live: hit(..., "BatchSize") points below it
        self.parameters = parameters
        self.source = source  # raw value naming the queue/stream/bucket/...
        self.source_key = source_key  # the parameter holding `source`, for hits
        self.source_id = source_id  # logical ID of the source resource when it is in the template
        self.model = model


class UnboundMapping(_Declared, Record):
    """An `AWS::Lambda::EventSourceMapping` whose `FunctionName` is no function of this template
    (a literal name or ARN, an import): not an event source of any function here, but what Lambda
    accepts for a mapping (batch sizes, a stream's StartingPosition) is judged without the function."""

    __slots__ = ("kind", "name", "path", "parameters_path", "parameters", "source", "source_key", "source_id",
                 "model")
    _compared = ("kind", "name", "path", "parameters_path", "source_key", "source_id")
    _hidden = ("parameters", "source", "model")
    mode = POLL
    declared_by = "AWS::Lambda::EventSourceMapping"

    def __init__(self, kind: str, name: str, path: Path, parameters_path: Path, parameters: Mapping[str, Any],
                 source: Any = None, source_key: Optional[str] = None, source_id: Optional[str] = None,
                 model: Any = None) -> None:
        self.kind = kind
        self.name = name
        self.path = path
        self.parameters_path = parameters_path
        self.parameters = parameters
        self.source = source
        self.source_key = source_key
        self.source_id = source_id
        self.model = model


# A polled source as the mapping rules judge it: of a function here, or of one elsewhere
PolledSource = Union[EventSource, UnboundMapping]


_ABSENT = object()


def event_sources(model: TemplateModel, kind: Optional[str] = None) -> List[EventSource]:
    """Every event source of every function in the template (optionally of one kind)."""
    found: List[EventSource] = model.memo("event_sources", _build)
    return found if kind is None else [s for s in found if s.kind == kind]


def sources_of(model: TemplateModel, function: Function) -> List[EventSource]:
    index: Dict[str, List[EventSource]] = model.memo("event_sources_by_function", _by_function)
    return index.get(function.logical_id, [])


def poll_sources(model: TemplateModel, *kinds: str) -> List[EventSource]:
    """Sources an event source mapping polls (optionally only of some kinds), in template order."""
    return [source for source in event_sources(model) if source.mode == POLL and (not kinds or source.kind in kinds)]


def mapping_sources(model: TemplateModel, *kinds: str) -> List[PolledSource]:
    """Polled sources judged by their own parameters: `poll_sources`, plus the event source mappings
    whose function is not in this template (`UnboundMapping`)."""
    unbound: List[UnboundMapping] = model.memo("unbound_mappings", _unbound_mappings)
    found: List[PolledSource] = list(poll_sources(model, *kinds))
    found.extend(mapping for mapping in unbound if not kinds or mapping.kind in kinds)
    return found


def _by_function(model: TemplateModel) -> Dict[str, List[EventSource]]:
    index: Dict[str, List[EventSource]] = {}
    for source in event_sources(model):
        index.setdefault(source.function.logical_id, []).append(source)
    return index


def _build(model: TemplateModel) -> List[EventSource]:
    found: List[EventSource] = []
    for builder in (_sam_events, _mappings, _bucket_notifications, _sns_subscriptions, _log_subscriptions,
                    _event_rules, _schedules, _api_methods, _api_v2_integrations, _openapi_bodies):
        found.extend(builder(model))
    return found


def _reference_id(model: TemplateModel, value: Any) -> Optional[str]:
    reference = model.referenced(value)
    return reference.target if isinstance(reference, Reference) and reference.target in model.resources else None


# --------------------------------------------------------------------------- SAM events

def _sam_events(model: TemplateModel) -> Iterator[EventSource]:
    for function in model.functions:
        if not function.is_sam:
            continue
        events = function.resource.properties.get("Events")
        if not isinstance(events, dict):
            continue
        for event_name, event in events.items():
            if not isinstance(event, dict):
                continue
            event_type = event.get("Type")
            properties = event.get("Properties")
            properties = properties if isinstance(properties, dict) else {}
            kind, mode, source_key = SAM_EVENT_TYPES.get(event_type, ("unknown", MODE_UNKNOWN, None)) \
                if isinstance(event_type, str) else ("unknown", MODE_UNKNOWN, None)
            if kind == "sns" and _truthy(model.resolve(properties.get("SqsSubscription"))):
                mode = POLL  # SAM puts an SQS queue between the topic and the function
            path = function.resource.property_path("Events", event_name)
            source = properties.get(source_key) if source_key else None
            yield EventSource(
                function=function, kind=kind, mode=mode, declared_by=f"SAM {event_type} event",
                name=f"event {event_name} of {function.logical_id}", path=path,
                parameters_path=path + ("Properties",), parameters=properties, source=source,
                source_key=source_key if source_key in properties else None,
                source_id=_reference_id(model, source) if source is not None else None, model=model,
            )


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.lower() == "true"
    return value is True or isinstance(value, dict)


# --------------------------------------------------------------------------- event source mappings

def _mappings(model: TemplateModel) -> Iterator[EventSource]:
    for resource in model.by_type("AWS::Lambda::EventSourceMapping"):
        target = function_ref(model, resource.get("FunctionName"))
        if target is None or target.function is None:
            continue
        arn = resource.get("EventSourceArn")
        source_id = _reference_id(model, arn) if arn is not None else None
        yield EventSource(
            function=target.function, kind=_mapping_kind(model, resource, source_id), mode=POLL,
            declared_by=resource.type, name=f"event source mapping {resource.logical_id}", path=resource.path,
            parameters_path=resource.property_path(), parameters=resource.properties, source=arn,
            source_key="EventSourceArn" if arn is not None else None, source_id=source_id, model=model,
        )


def _unbound_mappings(model: TemplateModel) -> List[UnboundMapping]:
    found = []
    for resource in model.by_type("AWS::Lambda::EventSourceMapping"):
        target = function_ref(model, resource.get("FunctionName"))
        if target is not None and target.function is not None:
            continue
        arn = resource.get("EventSourceArn")
        source_id = _reference_id(model, arn) if arn is not None else None
        found.append(UnboundMapping(
            kind=_mapping_kind(model, resource, source_id), name=f"event source mapping {resource.logical_id}",
            path=resource.path, parameters_path=resource.property_path(), parameters=resource.properties,
            source=arn, source_key="EventSourceArn" if arn is not None else None, source_id=source_id, model=model,
        ))
    return found


def _mapping_kind(model: TemplateModel, resource: Resource, source_id: Optional[str]) -> str:
    if source_id is not None:
        target = model.resources[source_id]
        reference = model.referenced(resource.get("EventSourceArn"))
        if target.type == "AWS::DynamoDB::Table" and (reference is None or reference.attribute != "StreamArn"):
            return "unknown"  # a table's own ARN is no stream
        return _SOURCE_TYPES.get(target.type, "unknown")
    arn = model.resolve(resource.get("EventSourceArn"))
    if isinstance(arn, str):
        match = _ARN.match(arn)
        if match and match.group(1) in _ARN_SERVICES:
            return _ARN_SERVICES[match.group(1)]
    else:
        form = normalise_value(resource.get("EventSourceArn"))
        match = _ARN.match(form) if isinstance(form, str) else None
        if match and match.group(1) in _ARN_SERVICES:
            return _ARN_SERVICES[match.group(1)]
    if resource.get("SelfManagedEventSource") is not None:
        return "kafka"
    return "unknown"


# --------------------------------------------------------------------------- push sources

def _bucket_notifications(model: TemplateModel) -> Iterator[EventSource]:
    for bucket in model.by_type("AWS::S3::Bucket"):
        configs = bucket.get("NotificationConfiguration", "LambdaConfigurations")
        if not isinstance(configs, list):
            continue
        for index, config in enumerate(configs):
            if not isinstance(config, dict):
                continue
            target = function_ref(model, config.get("Function"))
            if target is None or target.function is None:
                continue
            path = bucket.property_path("NotificationConfiguration", "LambdaConfigurations", index)
            yield EventSource(
                function=target.function, kind="s3", mode=ASYNC, declared_by=bucket.type,
                name=f"notification of bucket {bucket.logical_id}", path=path, parameters_path=path,
                parameters=config, source=None, source_id=bucket.logical_id, model=model,
            )


def _sns_subscriptions(model: TemplateModel) -> Iterator[EventSource]:
    for subscription in model.by_type("AWS::SNS::Subscription"):
        if model.resolve(subscription.get("Protocol")) != "lambda":
            continue
        target = function_ref(model, subscription.get("Endpoint"))
        if target is None or target.function is None:
            continue
        topic = subscription.get("TopicArn")
        yield EventSource(
            function=target.function, kind="sns", mode=ASYNC, declared_by=subscription.type,
            name=f"subscription {subscription.logical_id}", path=subscription.path,
            parameters_path=subscription.property_path(), parameters=subscription.properties, source=topic,
            source_key="TopicArn", source_id=_reference_id(model, topic), model=model,
        )
    for topic in model.by_type("AWS::SNS::Topic"):
        subscriptions = topic.get("Subscription")
        if not isinstance(subscriptions, list):
            continue
        for index, entry in enumerate(subscriptions):
            if isinstance(entry, dict) and model.resolve(entry.get("Protocol")) == "lambda":
                yield from _entry_source(model, topic, entry, "Endpoint", ("Subscription", index), "sns",
                                         f"subscription of topic {topic.logical_id}")


def _log_subscriptions(model: TemplateModel) -> Iterator[EventSource]:
    """Subscription filters that deliver a log group to a function of the template: CloudWatch Logs
    invokes it asynchronously (https://docs.aws.amazon.com/lambda/latest/dg/services-cloudwatchlogs.html).
    A filter to a Kinesis stream, a Firehose stream or a Logs destination invokes no function."""
    for subscription in model.by_type("AWS::Logs::SubscriptionFilter"):
        target = function_ref(model, subscription.get("DestinationArn"))
        if target is None or target.function is None:
            continue
        log_group = subscription.get("LogGroupName")
        yield EventSource(
            function=target.function, kind="logs", mode=ASYNC, declared_by=subscription.type,
            name=f"subscription filter {subscription.logical_id}", path=subscription.path,
            parameters_path=subscription.property_path(), parameters=subscription.properties, source=log_group,
            source_key="LogGroupName" if log_group is not None else None,
            source_id=_reference_id(model, log_group) if log_group is not None else None, model=model,
        )


def _event_rules(model: TemplateModel) -> Iterator[EventSource]:
    for event_rule in model.by_type("AWS::Events::Rule"):
        targets = event_rule.get("Targets")
        if not isinstance(targets, list):
            continue
        kind = "schedule" if event_rule.get("ScheduleExpression") is not None else "eventbridge"
        for index, entry in enumerate(targets):
            yield from _entry_source(model, event_rule, entry, "Arn", ("Targets", index), kind,
                                     f"rule {event_rule.logical_id}")


def _schedules(model: TemplateModel) -> Iterator[EventSource]:
    for schedule in model.by_type("AWS::Scheduler::Schedule"):
        yield from _entry_source(model, schedule, schedule.get("Target"), "Arn", ("Target",), "schedule",
                                 f"schedule {schedule.logical_id}")


def _entry_source(model: TemplateModel, owner: Resource, entry: Any, function_key: str, keys: Path, kind: str,
                  name: str) -> Iterator[EventSource]:
    """An asynchronous source declared by one entry of `owner` (a topic's subscription, a rule's
    or a schedule's target) whose `function_key` names a function of this template."""
    if not isinstance(entry, dict):
        return
    target = function_ref(model, entry.get(function_key))
    if target is None or target.function is None:
        return
    path = owner.property_path(*keys)
    yield EventSource(
        function=target.function, kind=kind, mode=ASYNC, declared_by=owner.type, name=name, path=path,
        parameters_path=path, parameters=entry, source=None, source_id=owner.logical_id, model=model,
    )


# --------------------------------------------------------------------------- API Gateway

def _api_methods(model: TemplateModel) -> Iterator[EventSource]:
    for method in model.by_type("AWS::ApiGateway::Method"):
        integration = method.get("Integration")
        if not isinstance(integration, dict):
            continue
        if model.resolve(integration.get("Type")) not in ("AWS_PROXY", "AWS"):
            continue
        target = functions_in_uri(model, integration.get("Uri"))
        if target is None or target.function is None:
            continue
        path = method.property_path("Integration")
        yield EventSource(
            function=target.function, kind="api", mode=SYNC, declared_by=method.type,
            name=f"method {method.logical_id}", path=path, parameters_path=path, parameters=integration,
            source=method.get("RestApiId"), source_id=_reference_id(model, method.get("RestApiId")), model=model,
        )


def _api_v2_integrations(model: TemplateModel) -> Iterator[EventSource]:
    for integration in model.by_type("AWS::ApiGatewayV2::Integration"):
        target = functions_in_uri(model, integration.get("IntegrationUri"))
        if target is None or target.function is None:
            continue
        api_id = _reference_id(model, integration.get("ApiId"))
        kind = "apigatewayv2"
        if api_id is not None:
            api = model.resources[api_id]
            if api.type == "AWS::Serverless::HttpApi":
                kind = "httpapi"
            elif api.type == "AWS::ApiGatewayV2::Api":
                protocol = model.resolve(api.get("ProtocolType"))
                kind = {"HTTP": "httpapi", "WEBSOCKET": "websocket"}.get(protocol, kind) \
                    if isinstance(protocol, str) else kind
        yield EventSource(
            function=target.function, kind=kind, mode=SYNC, declared_by=integration.type,
            name=f"integration {integration.logical_id}", path=integration.path,
            parameters_path=integration.property_path(), parameters=integration.properties,
            source=integration.get("ApiId"), source_key="ApiId", source_id=api_id, model=model,
        )


_OPENAPI_BODIES = {
    "AWS::Serverless::Api": ("DefinitionBody", "api"),
    "AWS::ApiGateway::RestApi": ("Body", "api"),
    "AWS::Serverless::HttpApi": ("DefinitionBody", "httpapi"),
    "AWS::ApiGatewayV2::Api": ("Body", "httpapi"),
}


def _openapi_bodies(model: TemplateModel) -> Iterator[EventSource]:
    for resource in model.by_type(*_OPENAPI_BODIES):
        key, kind = _OPENAPI_BODIES[resource.type]
        body = resource.get(key)
        if not isinstance(body, dict):
            continue
        for path, node in model.walk(body, resource.property_path(key)):
            if not isinstance(node, dict):
                continue
            integration = node.get("x-amazon-apigateway-integration")
            if not isinstance(integration, dict):
                continue
            target = functions_in_uri(model, integration.get("uri"))
            if target is None or target.function is None:
                continue
            where = path + ("x-amazon-apigateway-integration",)
            yield EventSource(
                function=target.function, kind=kind, mode=SYNC, declared_by=resource.type,
                name=f"OpenAPI integration of {resource.logical_id}", path=where, parameters_path=where,
                parameters=integration, source=None, source_id=resource.logical_id, model=model,
            )


# --------------------------------------------------------------------------- queues and streams

class Queue(Record):
    """An SQS queue a function reads, with the settings the rules compare.

    `generated` marks the queue SAM creates for an SNS event's `SqsSubscription: true`: it is
    not in the template, and SAM gives it no properties (30 s visibility, no redrive policy).
    """

    __slots__ = ("resource", "visibility_timeout", "fifo", "redrive", "generated")

    def __init__(self, resource: Resource, visibility_timeout: Any, fifo: Any, redrive: Any,
                 generated: bool = False) -> None:
        self.resource = resource
        self.visibility_timeout = visibility_timeout  # seconds (default applied) or UNKNOWN
        self.fifo = fifo  # True, False or UNKNOWN
        self.redrive = redrive  # True, False or UNKNOWN
        self.generated = generated

    @property
    def logical_id(self) -> str:
        return self.resource.logical_id

    @property
    def label(self) -> str:
        """How messages name it."""
        if self.generated:
            return f"queue {self.logical_id} (which SAM creates for SqsSubscription)"
        return f"queue {self.logical_id}"


def reads_queue(source: EventSource) -> bool:
    """The source is an SQS queue the function polls: an SQS source, or a SAM SNS event whose
    `SqsSubscription` puts a queue between the topic and the function."""
    return source.mode == POLL and source.kind in ("sqs", "sns")


def queue_sources(model: TemplateModel) -> List[EventSource]:
    """Sources that read an SQS queue (`reads_queue`), in template order."""
    return [source for source in event_sources(model) if reads_queue(source)]


def queue_of(model: TemplateModel, source: PolledSource) -> Optional[Queue]:
    """The SQS queue of this template (or the one SAM generates) a source reads, with its settings."""
    if isinstance(source, EventSource) and source.kind == "sns" and source.mode == POLL:
        return _subscription_queue(model, source)
    resource = source.source_resource
    if source.kind != "sqs" or resource is None or resource.type != "AWS::SQS::Queue":
        return None
    return model.memo(f"queue:{resource.logical_id}", lambda m: _queue(m, resource))


def queue_readers(model: TemplateModel) -> List[Tuple[EventSource, Queue]]:
    """Each source reading a queue this template knows (`queue_of`) with that queue, in template
    order; a queue read by several functions comes once per source."""
    found: List[Tuple[EventSource, Queue]] = model.memo("queue_readers", _queue_readers)
    return found


def _queue_readers(model: TemplateModel) -> List[Tuple[EventSource, Queue]]:
    pairs = [(source, queue_of(model, source)) for source in queue_sources(model)]
    return [(source, queue) for source, queue in pairs if queue is not None]


def queue_hit(source: EventSource, message: str) -> Hit:
    """A finding about the queue a source reads, at the setting that names it: the SAM SNS
    event's `SqsSubscription`, else the source's queue parameter."""
    return source.hit(message, "SqsSubscription") if source.kind == "sns" else source.source_hit(message)


class RecommendedVisibility(Record):
    """The visibility timeout AWS advises for the queue a source reads: `factor` times the
    function's `timeout` plus the mapping's batching `window` (0 when it has none), as
    `seconds` (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html: "set
    the source queue's visibility timeout to at least six times the timeout that you configure
    on your function"; the factor is the limit sqs_visibility_timeout_function_timeout_factor,
    which a project's `limits:` may override)."""

    __slots__ = ("seconds", "factor", "timeout", "window")

    def __init__(self, factor: int, timeout: int, window: int) -> None:
        self.factor = factor
        self.timeout = timeout
        self.window = window
        self.seconds = factor * timeout + window


def recommended_visibility(model: TemplateModel, source: EventSource) -> Optional[RecommendedVisibility]:
    """AWS's advice for the queue `source` reads, or None when the function timeout or the
    batching window is not known."""
    timeout = as_int(source.function.effective_timeout)
    window = source.integer("MaximumBatchingWindowInSeconds")
    if timeout is UNKNOWN or window is UNKNOWN:
        return None
    return RecommendedVisibility(model.limit("sqs_visibility_timeout_function_timeout_factor"), timeout, window or 0)


def _subscription_queue(model: TemplateModel, source: EventSource) -> Optional[Queue]:
    """The queue of a SAM SNS event's `SqsSubscription`: the one `QueueArn` names, or the one SAM
    generates for `true` (https://github.com/aws/serverless-application-model/issues/3445)."""
    subscription = model.resolve(source.parameters.get("SqsSubscription"))
    if isinstance(subscription, dict):
        resource = model.resource(_reference_id(model, subscription.get("QueueArn")))
        if resource is None or resource.type != "AWS::SQS::Queue":
            return None
        return model.memo(f"queue:{resource.logical_id}", lambda m: _queue(m, resource))
    event_name = source.path[-1] if source.path and isinstance(source.path[-1], str) else ""
    generated = Resource(f"{source.function.logical_id}{event_name}Queue", "AWS::SQS::Queue", {})
    topic = source.source_resource
    fifo = UNKNOWN  # SAM makes the queue FIFO for a FIFO topic
    if topic is not None and topic.type == "AWS::SNS::Topic":
        fifo = _flag(model, topic, "FifoTopic")
    return Queue(generated, model.limit("sqs_visibility_timeout_s_default"), fifo, False, generated=True)


def _queue(model: TemplateModel, resource: Resource) -> Queue:
    return Queue(resource, _visibility(model, resource), _fifo(model, resource), _redrive(model, resource))


def _visibility(model: TemplateModel, resource: Resource) -> Any:
    if "VisibilityTimeout" not in resource.properties:
        return model.limit("sqs_visibility_timeout_s_default")
    value = model.resolve(resource.get("VisibilityTimeout"))
    if value is NO_VALUE:
        return model.limit("sqs_visibility_timeout_s_default")
    return as_int(value)


def _flag(model: TemplateModel, resource: Resource, key: str) -> Any:
    """A boolean property (absent: False; "true"/"false" strings count): True, False or UNKNOWN."""
    raw = resource.get(key)
    value = False if raw is None else model.resolve(raw)
    if value is NO_VALUE:
        value = False
    if isinstance(value, str):
        value = {"true": True, "false": False}.get(value.lower(), UNKNOWN)
    return value if isinstance(value, bool) else UNKNOWN


def _fifo(model: TemplateModel, resource: Resource) -> Any:
    value = _flag(model, resource, "FifoQueue")
    if value is not False:
        return value
    name = model.resolve(resource.get("QueueName"))
    if isinstance(name, str):
        return name.endswith(".fifo")
    return False if resource.get("QueueName") is None else UNKNOWN


def _redrive(model: TemplateModel, resource: Resource) -> Any:
    return _has(model, resource.get("RedrivePolicy"))


class Stream(Record):
    __slots__ = ("resource", "consumer")

    def __init__(self, resource: Resource, consumer: Optional[Resource]) -> None:
        self.resource = resource  # the stream or table
        self.consumer = consumer  # AWS::Kinesis::StreamConsumer (enhanced fan-out) when read through one

    @property
    def logical_id(self) -> str:
        return self.resource.logical_id

    @property
    def is_kinesis_stream(self) -> bool:
        """A Kinesis data stream (not a DynamoDB table, nor whatever else a reference named)."""
        return self.resource.type == "AWS::Kinesis::Stream"


def stream_of(model: TemplateModel, source: EventSource) -> Optional[Stream]:
    resource = source.source_resource
    if source.kind not in STREAM_KINDS or resource is None:
        return None
    if resource.type == "AWS::Kinesis::StreamConsumer":
        stream_id = _reference_id(model, resource.get("StreamARN"))
        stream = model.resource(stream_id)
        return Stream(stream, resource) if stream is not None else None
    return Stream(resource, None)


class Bucket(Record):
    """An S3 bucket of the template that notifies a function, with the settings rules ask about."""

    __slots__ = ("resource", "versioned", "name")

    def __init__(self, resource: Resource, versioned: Any, name: Any) -> None:
        self.resource = resource
        self.versioned = versioned  # True (Status Enabled), False (absent, Suspended, ...) or UNKNOWN
        self.name = name  # the BucketName as a string, or None when absent or not known

    @property
    def logical_id(self) -> str:
        return self.resource.logical_id


def bucket_of(model: TemplateModel, source: EventSource) -> Optional[Bucket]:
    """The `AWS::S3::Bucket` of this template whose notification is the source, else None."""
    resource = source.source_resource
    if source.kind != "s3" or resource is None or resource.type != "AWS::S3::Bucket":
        return None
    return model.memo(f"bucket:{resource.logical_id}", lambda m: _bucket(m, resource))


def _bucket(model: TemplateModel, resource: Resource) -> Bucket:
    status = None
    if resource.get("VersioningConfiguration") is not None:
        status = model.resolve(resource.get("VersioningConfiguration", "Status"))
    versioned = UNKNOWN if status is UNKNOWN else status == "Enabled"
    name = model.resolve(resource.get("BucketName"))
    return Bucket(resource, versioned, name if isinstance(name, str) else None)


# --------------------------------------------------------------------------- async invocation

class AsyncConfig(_Parameters, Record):
    """An AWS::Lambda::EventInvokeConfig, or a SAM function's EventInvokeConfig."""

    __slots__ = ("function", "path", "parameters", "declared_by", "model")
    _compared = ("path", "declared_by")
    _hidden = ("function", "parameters", "model")

    def __init__(self, function: Function, path: Path, parameters: Mapping[str, Any], declared_by: str,
                 model: Any = None) -> None:
        self.function = function
        self.path = path
        self.parameters = parameters
        self.declared_by = declared_by
        self.model = model

    def hit(self, message: str, *keys: Any) -> Hit:
        path = self.path + tuple(keys)
        return Hit(path, message, self.function.logical_id if path[0] != "Resources" else None)


def async_configs(model: TemplateModel, function: Optional[Function] = None) -> List[AsyncConfig]:
    found: List[AsyncConfig] = model.memo("async_configs", _build_async_configs)
    if function is None:
        return found
    return [config for config in found if config.function is function]


def _build_async_configs(model: TemplateModel) -> List[AsyncConfig]:
    found = []
    for resource in model.by_type("AWS::Lambda::EventInvokeConfig"):
        target = function_ref(model, resource.get("FunctionName"))
        if target is None or target.function is None:
            continue
        found.append(AsyncConfig(target.function, resource.property_path(), resource.properties,
                                 resource.type, model))
    for function in model.functions:
        if function.is_sam and isinstance(function.get("EventInvokeConfig"), dict):
            found.append(AsyncConfig(function, function.path("EventInvokeConfig"),
                                     function.get("EventInvokeConfig"), "SAM EventInvokeConfig", model))
    return found


def failure_destination(model: TemplateModel, function: Function) -> Any:
    """Whether failed async events go somewhere: a DLQ or an on-failure destination.

    True, False, or UNKNOWN when a condition decides (an `Fn::If` with `AWS::NoValue`).
    """
    answers = [_has(model, function.get("DeadLetterConfig"), "TargetArn")]
    if function.is_sam:
        answers.append(_has(model, function.get("DeadLetterQueue"), "TargetArn"))
    for config in async_configs(model, function):
        answers.append(_has(model, config.parameters.get("DestinationConfig"), "OnFailure"))
    if any(answer is True for answer in answers):
        return True
    return UNKNOWN if any(answer is UNKNOWN for answer in answers) else False


def _has(model: TemplateModel, raw: Any, *keys: str) -> Any:
    """Whether `raw` (and `keys` below it) is surely present: True, False or UNKNOWN across Fn::If branches."""
    if raw is None:
        return False
    answers = []
    for option in model.candidates(raw):
        if option is NO_VALUE or option is None:
            answers.append(False)
        elif not keys:
            answers.append(True)
        elif isinstance(option, dict):
            answers.append(_has(model, option.get(keys[0]), *keys[1:]))
        else:
            answers.append(UNKNOWN)
    if all(answer is True for answer in answers):
        return True
    return False if all(answer is False for answer in answers) else UNKNOWN
