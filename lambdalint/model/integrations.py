"""How long API Gateway waits for a function it invokes: the integration timeout of a source.

An integration's `TimeoutInMillis` (`timeoutInMillis` in an OpenAPI body) when set, else the
default: 29 s for a REST API (the `apigateway_rest_integration_timeout_s_default` limit, as
regional APIs may raise it) and 30 s, the most, for an HTTP API
(https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). A REST integration
that streams its response may run up to 15 minutes and is not judged here.
"""

from __future__ import annotations

from typing import Any

from .events import EventSource, sources_of
from .template import TemplateModel
from .values import UNKNOWN, normalise_value


def integration_timeout(model: TemplateModel, source: EventSource) -> Any:
    """The integration timeout of an API source in seconds, UNKNOWN when it cannot be read, or
    None when the source is no API integration whose timeout we know."""
    if source.declared_by.startswith("SAM") and source.source_id is not None and any(
        other.source_id == source.source_id and not other.declared_by.startswith("SAM")
        for other in sources_of(model, source.function)
    ):
        return None  # the API's OpenAPI body defines this integration: that entry decides
    if streams_response(source):
        return None
    if source.kind == "api":
        default = model.limit("apigateway_rest_integration_timeout_s_default")
    elif source.kind == "httpapi":
        default = model.limit("apigateway_http_integration_timeout_s_max")
    else:
        return None
    key = "timeoutInMillis" if source.has("timeoutInMillis") else "TimeoutInMillis"
    millis = source.integer(key)
    if millis is None:
        return default
    return UNKNOWN if millis is UNKNOWN else millis / 1000


def streams_response(source: EventSource) -> bool:
    """REST API response streaming (`ResponseTransferMode: STREAM`, or the
    `response-streaming-invocations` URI) lets an integration run for up to 15 minutes."""
    for key in ("responseTransferMode", "ResponseTransferMode"):
        if source.has(key) and source.value(key) != "BUFFERED":
            return True
    uri = normalise_value(source.parameters.get("uri", source.parameters.get("Uri")))
    return isinstance(uri, str) and "response-streaming-invocations" in uri
