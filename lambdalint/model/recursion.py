"""Ways a function may invoke itself again: writing to the bucket, queue or topic that
triggers it, or invoking itself by name
(https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html).

The questions are asked of the execution role (`roles.py`); here are the resources a write
would go to, spelled the ways policies name them.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

from ..iam import ResourceForms
from ..iam.policy import statement_applies
from ..records import Record
from .events import EventSource, bucket_of
from .roles import ExecutionRole
from .template import Function, TemplateModel
from .values import UNKNOWN


class WriteBack(Record):
    """What a function would write to for its own output to trigger it again."""

    __slots__ = ("what", "action", "forms", "names")

    def __init__(self, what: str, action: str, forms: ResourceForms, names: Tuple[str, ...] = ()) -> None:
        self.what = what  # for messages: "bucket Images"
        self.action = action  # the IAM action of the write: "s3:PutObject"
        self.forms = forms  # the resource as policies spell it
        self.names = names  # what a policy resource that names this one contains: "${Images}", "my-bucket"

    def surely_allowed_by(self, role: ExecutionRole) -> bool:
        """The role surely allows the write, by a statement that names this bucket, queue or topic:
        a grant on every resource (sqs:* on * of AmazonSQSFullAccess) says nothing about where the
        function writes, so it is not counted (as for a function invoking itself)."""
        return role.permissions.allows(self.action, self.forms) is True and \
            _names_resource(role.permissions, self.action, self.names)


def write_back(model: TemplateModel, source: EventSource) -> Optional[WriteBack]:
    """The write that would trigger `source` again, when its bucket, queue or topic is in the
    template and nothing (a prefix or suffix filter, `FilterCriteria`, a `FilterPolicy`) may
    keep the function's own output out."""
    resource = source.source_resource
    if resource is None:
        return None
    bucket = bucket_of(model, source)
    if bucket is not None:
        if _filtered(source) is not False:
            return None
        object_forms = _bucket_object_forms(bucket.logical_id, bucket.name)
        names = _reference_tokens(bucket.logical_id) + ((bucket.name,) if bucket.name else ())
        return WriteBack(f"bucket {bucket.logical_id}", "s3:PutObject", object_forms, names)
    if source.kind == "sqs" and resource.type == "AWS::SQS::Queue" and not source.has("FilterCriteria"):
        return WriteBack(f"queue {resource.logical_id}", "sqs:SendMessage",
                         ResourceForms((f"${{{resource.logical_id}.Arn}}",)), _reference_tokens(resource.logical_id))
    if source.kind == "sns" and resource.type == "AWS::SNS::Topic" and not source.has("FilterPolicy"):
        forms = (f"${{{resource.logical_id}}}", f"${{{resource.logical_id}.TopicArn}}")
        return WriteBack(f"topic {resource.logical_id}", "sns:Publish", ResourceForms(forms),
                         _reference_tokens(resource.logical_id))
    return None


def may_invoke_itself(role: ExecutionRole, function: Function) -> bool:
    """The role surely allows lambda:InvokeFunction on the function, by a statement that names it:
    a grant on every function (lambda:* on *, admin policies) says nothing about this one."""
    self_forms = ResourceForms((f"${{{function.logical_id}.Arn}}",))
    return role.permissions.allows("lambda:InvokeFunction", self_forms) is True and \
        _names_resource(role.permissions, "lambda:InvokeFunction", _reference_tokens(function.logical_id))


def _bucket_object_forms(bucket_id: str, bucket_name: Optional[str]) -> ResourceForms:
    """Spellings of "any object of bucket B" as policies write them."""
    forms = [f"${{{bucket_id}.Arn}}/*"]
    for partition in ("${AWS::Partition}", "aws"):
        forms.append(f"arn:{partition}:s3:::${{{bucket_id}}}/*")
    if bucket_name is not None:
        forms.extend((f"arn:aws:s3:::{bucket_name}/*", f"arn:${{AWS::Partition}}:s3:::{bucket_name}/*"))
    return ResourceForms(tuple(forms))


def _filtered(source: EventSource) -> Any:
    """True when the S3 notification has a prefix or suffix rule (output may be kept out), UNKNOWN if unreadable."""
    rules = source.value("Filter", "S3Key", "Rules")
    if rules is None:
        return False
    if not isinstance(rules, list):
        return UNKNOWN
    for entry in rules:
        if not isinstance(entry, dict):
            return UNKNOWN
        name, value = entry.get("Name"), entry.get("Value")
        if not isinstance(name, str) or not isinstance(value, str):
            return UNKNOWN
        if name.lower() in ("prefix", "suffix") and value:
            return True
    return False


def _reference_tokens(logical_id: str) -> Tuple[str, ...]:
    """How a policy resource that names a template resource spells it: `${Id}`, `${Id.Arn}`, `${Id.TopicArn}`."""
    return (f"${{{logical_id}}}", f"${{{logical_id}.")


def _names_resource(permissions: Any, action: str, tokens: Tuple[str, ...]) -> bool:
    """An unconditional Allow of `action` on a resource whose text holds one of `tokens`."""
    for statement in permissions.statements:
        if statement.effect != "Allow" or statement.conditional or not statement.resources:
            continue
        for item in statement.resources:
            if isinstance(item, str) and any(token in item for token in tokens) and \
                    statement_applies(statement, action, item) is True:
                return True
    return False
