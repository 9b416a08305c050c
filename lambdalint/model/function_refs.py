"""What a value naming a Lambda function points at: which function, and which qualifier.

Event sources, CloudFront associations and async invoke configs name a function
in many spellings: `!Ref Fn`, `!GetAtt Fn.Arn`, `!Ref Fn.Version` (SAM
AutoPublishAlias), `!Ref MyVersion`, `!Sub "${Fn.Arn}:3"`, `!Join` of such
parts, or a literal ARN. Values are first brought into `Fn::Sub` syntax (the
IAM layer's normal form) and then read as one string.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Optional

from ..lazy import lazy_pattern
from ..records import Record
from .values import UNKNOWN, normalise_value

if TYPE_CHECKING:  # annotations only: model/edge.py, loaded from TemplateModel, imports this module
    from .template import Function, TemplateModel

UNQUALIFIED = "unqualified"  # the function itself ($LATEST when invoked)
VERSION = "version"  # a numbered version
ALIAS = "alias"
LATEST = "latest"  # an explicit $LATEST qualifier
UNKNOWN_QUALIFIER = "unknown"

VERSION_TYPE = "AWS::Lambda::Version"
ALIAS_TYPE = "AWS::Lambda::Alias"

_TOKEN_ONLY = lazy_pattern(r"^\$\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9]+)(?:\.[A-Za-z0-9]+)?)?\}(?::(.+))?$")
_FUNCTION_ARN = lazy_pattern(r"^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::(.+))?$")
_NUMBER = lazy_pattern(r"^[0-9]+$")
_SINGLE_TOKEN = lazy_pattern(r"^\$\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9]+))?\}$")


class FunctionRef(Record):
    """A function of this template (or None for one outside it) and how it is qualified."""

    __slots__ = ("function", "qualifier", "via", "text")
    _compared = ("qualifier", "via", "text")

    def __init__(self, function: Optional[Function], qualifier: str, via: Optional[str] = None,
                 text: str = "") -> None:
        self.function = function
        self.qualifier = qualifier
        self.via = via  # logical ID of the AWS::Lambda::Version / Alias it went through
        self.text = text  # the value in Fn::Sub syntax, for messages


def function_ref(model: TemplateModel, value: Any) -> Optional[FunctionRef]:
    """What `value` points at, or None when it names nothing we can read as a function."""
    form = normalise_value(value)
    if not isinstance(form, str) or not form:
        return None
    return _read(model, form.strip(), depth=0)


def _read(model: TemplateModel, form: str, depth: int) -> Optional[FunctionRef]:
    if depth > 4:
        return None
    match = _TOKEN_ONLY.match(form)
    if match:
        target, attribute, qualifier = match.groups()
        return _from_token(model, target, attribute, qualifier, form, depth)
    # ARNs spelled with pseudo parameters: arn:${AWS::Partition}:lambda:${AWS::Region}:...
    plain = re.sub(r"\$\{AWS::[A-Za-z]+\}", "x", form)
    match = _FUNCTION_ARN.match(plain)
    if match:
        name, qualifier = match.groups()
        function = _function_by_name(model, name)
        if function is None and _SINGLE_TOKEN.match(name):
            inner = _read(model, name, depth + 1)
            function = inner.function if inner else None
        return FunctionRef(function, _qualifier_kind(model, qualifier), None, form)
    return None


def _from_token(
    model: TemplateModel, target: str, attribute: Optional[str], qualifier: Optional[str], form: str, depth: int
) -> Optional[FunctionRef]:
    function = model.function(target)
    if function is not None:
        if attribute in ("Version",):  # SAM AutoPublishAlias: `!Ref Fn.Version`
            return FunctionRef(function, VERSION, None, form)
        if attribute in ("Alias",):  # SAM AutoPublishAlias: `!Ref Fn.Alias`
            return FunctionRef(function, ALIAS, None, form)
        if attribute not in (None, "Arn"):
            return None
        return FunctionRef(function, _qualifier_kind(model, qualifier), None, form)
    resource = model.resource(target)
    if resource is None or qualifier is not None:
        return None
    if resource.type in (VERSION_TYPE, ALIAS_TYPE):
        inner = _read_value(model, resource.properties.get("FunctionName"), depth)
        owner = inner.function if inner else None
        if resource.type == VERSION_TYPE:
            kind = VERSION if attribute in (None, "Version") else UNKNOWN_QUALIFIER
        else:
            kind = ALIAS if attribute in (None, "AliasArn") else UNKNOWN_QUALIFIER
        return FunctionRef(owner, kind, target, form)
    return None


def _read_value(model: TemplateModel, value: Any, depth: int) -> Optional[FunctionRef]:
    form = normalise_value(value)
    return _read(model, form.strip(), depth + 1) if isinstance(form, str) and form else None


def _qualifier_kind(model: TemplateModel, qualifier: Optional[str]) -> str:
    if qualifier is None:
        return UNQUALIFIED
    if qualifier == "$LATEST":
        return LATEST
    if _NUMBER.match(qualifier):
        return VERSION
    token = _SINGLE_TOKEN.match(qualifier)
    if token:
        target, attribute = token.groups()
        resource = model.resource(target)
        if resource is not None and resource.type == VERSION_TYPE and attribute == "Version":
            return VERSION
        return UNKNOWN_QUALIFIER
    if "${" in qualifier or ":" in qualifier:
        return UNKNOWN_QUALIFIER
    return ALIAS


def _function_by_name(model: TemplateModel, name: str) -> Optional[Function]:
    if "${" in name:
        return None
    for function in model.functions:
        if function.name is not UNKNOWN and function.name == name:
            return function
    return None


def functions_in_uri(model: TemplateModel, value: Any) -> Optional[FunctionRef]:
    """The function an API Gateway integration URI invokes (`.../functions/<arn>/invocations`)."""
    form = normalise_value(value)
    if not isinstance(form, str):
        return None
    if "/functions/" in form:
        inner = form.split("/functions/", 1)[1]
        if inner.endswith("/invocations"):
            inner = inner[: -len("/invocations")]
        return _read(model, inner, depth=0)
    return _read(model, form.strip(), depth=0)  # HTTP APIs accept the function ARN itself
