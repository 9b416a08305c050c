"""Execution roles: which role each function runs with, and what that role may do.

A function's `Role` naming an `AWS::IAM::Role` of the template gives a template role: its
inline `Policies`, its `ManagedPolicyArns` (AWS managed from `data/managed_policies.json`,
customer managed from an `AWS::IAM::ManagedPolicy` of the template), and every
`AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` and `AWS::IAM::RolePolicy` that names it.
A SAM function without `Role` gets the role the SAM transform would generate
(`<Function>Role`, see `samtranslator/model/sam_resources.py` `_construct_role` and the
pull event sources in `samtranslator/model/eventsources/pull.py`):
  - `AWSLambdaBasicExecutionRole`; `AWSXrayWriteOnlyAccess` when `Tracing` is set and not
    `Disabled`; `AWSLambdaVPCAccessExecutionRole` when `VpcConfig` is set;
  - what `Policies` names (managed names/ARNs, statements, SAM policy templates);
  - the DLQ policy (sqs:SendMessage / sns:Publish on the target);
  - `EventInvokeConfig` destination policies (with `Type`);
  - the managed poller policy of each SQS, Kinesis, DynamoDB and MSK event (and of an SNS event
    with `SqsSubscription`, which SAM turns into a queue it polls), and the on-failure
    destination policy of those events (with `Type`).
Anything else that could add permissions (MQ, Kafka or DocumentDB events, connectors, a
policy attached by an unresolvable role name, a customer managed policy we cannot see)
makes the permissions incomplete: `allows` then never answers False.

A role given as an ARN, a parameter or an import is unknown: `execution_role` returns None.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ..findings import Hit, Path, Severity
from ..iam import ANY, Permissions
from ..iam.managed import managed_permissions
from ..iam.policy import allows_all, allows_any
from ..iam.sam_policies import sam_policies_permissions
from ..records import Record
from .template import Function, Resource, TemplateModel
from .values import NO_VALUE, if_branches, is_intrinsic

ROLE_TYPE = "AWS::IAM::Role"
POLICY_TYPES = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
ROLE_POLICY_TYPE = "AWS::IAM::RolePolicy"
TEMPLATE, SAM = "template", "sam"

AWS_MANAGED = "arn:${AWS::Partition}:iam::aws:policy/"
BASIC_EXECUTION = AWS_MANAGED + "service-role/AWSLambdaBasicExecutionRole"
VPC_ACCESS = AWS_MANAGED + "service-role/AWSLambdaVPCAccessExecutionRole"
XRAY_WRITE = AWS_MANAGED + "AWSXrayWriteOnlyAccess"  # SAM's choice in the aws partition
POLLER_POLICIES = {
    "SQS": AWS_MANAGED + "service-role/AWSLambdaSQSQueueExecutionRole",
    "Kinesis": AWS_MANAGED + "service-role/AWSLambdaKinesisExecutionRole",
    "DynamoDB": AWS_MANAGED + "service-role/AWSLambdaDynamoDBExecutionRole",
    "MSK": AWS_MANAGED + "service-role/AWSLambdaMSKExecutionRole",
}
# SAM events that add role statements we do not model
_UNMODELLED_POLL_EVENTS = frozenset({"MQ", "SelfManagedKafka", "DocumentDB"})
LAMBDA_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Action": ["sts:AssumeRole"], "Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]}},
    ],
}


class ExecutionRole(Record):
    """The role a function runs with, with everything that grants it permissions."""

    __slots__ = ("key", "kind", "resource", "function", "managed_policy_arns", "documents", "permissions",
                 "trust_policy")
    _compared = ("key", "kind", "resource", "managed_policy_arns", "documents", "trust_policy")
    _hidden = ("function",)

    def __init__(self, key: str, kind: str, resource: Optional[Resource], function: Optional[Function] = None,
                 managed_policy_arns: Tuple[Any, ...] = (), documents: Tuple[Any, ...] = (), *,
                 permissions: RolePermissions, trust_policy: Any = None) -> None:
        self.key = key  # logical ID of the role (the SAM-generated one is `<Function>Role`)
        self.kind = kind  # TEMPLATE or SAM
        self.resource = resource  # the AWS::IAM::Role (TEMPLATE)
        self.function = function  # the SAM function (SAM)
        self.managed_policy_arns = managed_policy_arns  # as written / as SAM writes them
        self.documents = documents  # inline policy documents (not SAM `Policies`)
        self.permissions = permissions
        self.trust_policy = trust_policy

    def hit(self, message: str, *keys: Any, severity: Optional[Severity] = None) -> Hit:
        """A finding about the role: on the role resource, or on the SAM function that generates it."""
        if self.resource is not None:
            return self.resource.hit(message, *keys, severity=severity)
        assert self.function is not None
        return self.function.hit(message, *keys, severity=severity)

    def trusts_lambda(self) -> Optional[bool]:
        """Whether the trust policy lets lambda.amazonaws.com assume the role; None when unsure."""
        return trust_allows_lambda(self.trust_policy)


def execution_role(model: TemplateModel, function: Function) -> Optional[ExecutionRole]:
    """The role `function` runs with, or None when it is not known from the template."""
    return model.memo("roles.by_function", _build_by_function).get(function.logical_id)


def functions_by_role(model: TemplateModel) -> Dict[str, List[Function]]:
    """Role key -> functions running with it (known roles only)."""
    def build(model: TemplateModel) -> Dict[str, List[Function]]:
        index: Dict[str, List[Function]] = {}
        for function in model.functions:
            role = execution_role(model, function)
            if role is not None:
                index.setdefault(role.key, []).append(function)
        return index

    return model.memo("roles.functions_by_role", build)


def distinct_roles(model: TemplateModel) -> List[Tuple[ExecutionRole, List[Function]]]:
    """Each known execution role once (in the order functions name them), with its functions."""
    def build(model: TemplateModel) -> List[Tuple[ExecutionRole, List[Function]]]:
        found: List[Tuple[ExecutionRole, List[Function]]] = []
        seen = set()
        for function in model.functions:
            role = execution_role(model, function)
            if role is None or role.key in seen:
                continue
            seen.add(role.key)
            found.append((role, functions_by_role(model).get(role.key, [function])))
        return found

    return model.memo("roles.distinct", build)


def template_role(model: TemplateModel, logical_id: str) -> Optional[ExecutionRole]:
    """The view of an AWS::IAM::Role of the template (whether or not a function uses it)."""
    cache = model.memo("roles.template_roles", lambda _: {})
    if logical_id not in cache:
        resource = model.resource(logical_id)
        cache[logical_id] = _template_role(model, resource) if resource and resource.type == ROLE_TYPE else None
    return cache[logical_id]


def _build_by_function(model: TemplateModel) -> Dict[str, ExecutionRole]:
    roles: Dict[str, ExecutionRole] = {}
    for function in model.functions:
        role = _role_of(model, function)
        if role is not None:
            roles[function.logical_id] = role
    return roles


def _role_of(model: TemplateModel, function: Function) -> Optional[ExecutionRole]:
    if function.is_sam and not function.has("Role"):
        return sam_generated_role(model, function)
    raw = function.get("Role")
    if function.is_sam and model.resolve(raw) is NO_VALUE:
        return sam_generated_role(model, function)
    reference = model.referenced(raw)
    if reference is None or reference.attribute not in ("Arn", None):
        return None
    resource = model.resource(reference.target)
    if resource is None or resource.type != ROLE_TYPE:
        return None
    if reference.attribute is None:
        return None  # Ref of a role is its name, not the ARN Lambda needs: not our question here
    return template_role(model, resource.logical_id)


# --------------------------------------------------------------------------- policy documents as written


def written_policy_documents(model: TemplateModel, role: ExecutionRole) -> List[Tuple[Path, Any]]:
    """(template path, document) of every policy document the template writes for `role`.

    A template role: each inline `Policies` entry's `PolicyDocument` (both branches of an
    `Fn::If` entry), each `AWS::IAM::ManagedPolicy` of the template its `ManagedPolicyArns`
    names, and each policy resource that surely attaches to it. A SAM role: the inline
    statements of the function's `Policies` (not managed policies or SAM policy templates,
    which the template does not spell out) and the policy resources naming `<Function>Role`.
    """
    found: List[Tuple[Path, Any]] = []
    if role.resource is not None:
        resource = role.resource
        policies = resource.get("Policies")
        if isinstance(policies, list):
            for index, entry in enumerate(policies):
                found.extend(_written_inline(entry, resource.property_path("Policies", index), "PolicyDocument", 0))
        arns = resource.get("ManagedPolicyArns")
        for entry in arns if isinstance(arns, list) else []:
            reference = model.referenced(entry)
            if reference is None or reference.attribute not in (None, "PolicyArn"):
                continue
            target = model.resource(reference.target)
            if target is not None and target.type == "AWS::IAM::ManagedPolicy":
                found.append((target.property_path("PolicyDocument"), target.get("PolicyDocument")))
        attached_to = resource
    else:
        assert role.function is not None
        function = role.function
        policies = function.resource.get("Policies")
        path = function.resource.property_path("Policies")
        if isinstance(policies, dict):
            found.extend(_written_inline(policies, path, None, 0))
        elif isinstance(policies, list):
            for index, entry in enumerate(policies):
                found.extend(_written_inline(entry, path + (index,), None, 0))
        attached_to = _pseudo_role(function)
    role_name = model.resolve(attached_to.get("RoleName"))

    def names_it(entry: Any) -> bool:
        # `!Ref <Fn>Role` names the role SAM generates, which is no resource of the template
        return entry == {"Ref": role.key} or _names_role(model, entry, attached_to, role_name) is True

    for policy in model.by_type(*POLICY_TYPES):
        names = policy.get("Roles")
        if isinstance(names, list) and any(names_it(entry) for entry in names):
            found.append((policy.property_path("PolicyDocument"), policy.get("PolicyDocument")))
    for policy in model.by_type(ROLE_POLICY_TYPE):
        if names_it(policy.get("RoleName")):
            found.append((policy.property_path("PolicyDocument"), policy.get("PolicyDocument")))
    return [(path, document) for path, document in found if isinstance(document, dict)]


def _written_inline(entry: Any, path: Path, key: Optional[str], depth: int) -> List[Tuple[Path, Any]]:
    """The document of one inline policy entry (under `key`, or the entry itself), through `Fn::If`."""
    branches = if_branches(entry)
    if branches is not None and depth < 10:
        return [found for index, branch in enumerate(branches)
                for found in _written_inline(branch, path + ("Fn::If", index + 1), key, depth + 1)]
    if not isinstance(entry, dict):
        return []
    if key is None:
        return [(path, entry)] if "Statement" in entry else []
    return [(path + (key,), entry[key])] if key in entry else []


# --------------------------------------------------------------------------- trust policies


def trust_allows_lambda(document: Any) -> Optional[bool]:
    """Whether a trust policy has an Allow statement for a lambda.* (or any) service principal:
    True, False, or None when a statement, principal or document cannot be read."""
    if isinstance(document, str):
        import json

        try:
            document = json.loads(document)
        except ValueError:
            return None
    if not isinstance(document, dict) or is_intrinsic(document):
        return None
    statements = document.get("Statement")
    statements = statements if isinstance(statements, list) else [statements]
    unsure = False
    for statement in statements:
        if not isinstance(statement, dict) or is_intrinsic(statement):
            return None
        if statement.get("Effect") != "Allow":
            unsure |= not isinstance(statement.get("Effect"), str)
            continue
        services = _principal_services(statement.get("Principal"))
        if services is None:
            unsure = True
            continue
        for service in services:
            if service == "*" or service.startswith("lambda."):
                return True
            unsure |= "${" in service
    return None if unsure else False


def _principal_services(principal: Any) -> Optional[List[str]]:
    """Service principals of a trust statement; None when unreadable, ["*"] for everyone."""
    if principal == "*":
        return ["*"]
    if not isinstance(principal, dict):
        return None
    if principal.get("AWS") == "*":
        return ["*"]
    services = principal.get("Service")
    if services is None:
        return []
    values = services if isinstance(services, list) else [services]
    if any(not isinstance(value, str) for value in values):
        return None
    return values


# --------------------------------------------------------------------------- template roles


def _template_role(model: TemplateModel, resource: Resource) -> ExecutionRole:
    parts: List[Permissions] = []
    documents: List[Any] = []
    policies = resource.get("Policies")
    if policies is not None:
        if isinstance(policies, list):
            for entry in policies:
                parts.append(_inline_entry(entry, documents, in_branch=False, depth=0))
        else:
            parts.append(Permissions.unknown())
    arns = resource.get("ManagedPolicyArns")
    managed: List[Any] = []
    if arns is not None:
        resolved = arns if isinstance(arns, list) else model.resolve(arns)
        if isinstance(resolved, list):
            for entry in resolved:
                managed.append(entry)
                parts.append(_managed_entry(model, entry, in_branch=False, depth=0))
        else:
            parts.append(Permissions.unknown())
    parts.extend(_attached_policies(model, resource))
    if _connector_may_attach(model, resource.logical_id):
        parts.append(Permissions.unknown())
    return ExecutionRole(
        key=resource.logical_id, kind=TEMPLATE, resource=resource, managed_policy_arns=tuple(managed),
        documents=tuple(documents), permissions=RolePermissions(Permissions.combine(parts)),
        trust_policy=resource.get("AssumeRolePolicyDocument"),
    )


def _inline_entry(entry: Any, documents: List[Any], in_branch: bool, depth: int) -> Permissions:
    if depth > 10:
        return Permissions.unknown()
    if entry == {"Ref": "AWS::NoValue"}:
        return Permissions()
    branches = if_branches(entry)
    if branches is not None:
        return Permissions.combine(_inline_entry(b, documents, True, depth + 1) for b in branches)
    if isinstance(entry, dict) and "PolicyDocument" in entry:
        documents.append(entry["PolicyDocument"])
        return Permissions.from_document(entry["PolicyDocument"], origin="").marked_in_branch(in_branch)
    return Permissions.unknown()


def _managed_entry(model: TemplateModel, entry: Any, in_branch: bool, depth: int) -> Permissions:
    if depth > 10:
        return Permissions.unknown()
    if entry == {"Ref": "AWS::NoValue"}:
        return Permissions()
    branches = if_branches(entry)
    if branches is not None:
        return Permissions.combine(_managed_entry(model, b, True, depth + 1) for b in branches)
    reference = model.referenced(entry)
    if reference is not None:
        target = model.resource(reference.target)
        if (target is not None and target.type == "AWS::IAM::ManagedPolicy"
                and reference.attribute in (None, "PolicyArn")):
            return Permissions.from_document(target.get("PolicyDocument"), origin="").marked_in_branch(in_branch)
        return Permissions.unknown()
    resolved = model.resolve(entry)
    return managed_permissions(resolved if isinstance(resolved, str) else entry).marked_in_branch(in_branch)


def _attached_policies(model: TemplateModel, role: Resource) -> List[Permissions]:
    """AWS::IAM::Policy / ManagedPolicy / RolePolicy resources that name `role`."""
    parts: List[Permissions] = []
    if model.has_unknown_loops():
        parts.append(Permissions.unknown())  # a loop that could not be expanded may attach one
    role_name = model.resolve(role.get("RoleName"))
    for policy in model.by_type(*POLICY_TYPES):
        names = policy.get("Roles")
        if names is None:
            continue
        entries = names if isinstance(names, list) else model.resolve(names)
        if not isinstance(entries, list):
            parts.append(Permissions.unknown())
            continue
        verdicts = [_names_role(model, entry, role, role_name) for entry in entries]
        if True in verdicts:
            document = Permissions.from_document(policy.get("PolicyDocument"))
            parts.append(document.marked_in_branch(bool(policy.condition)))
        elif None in verdicts:
            parts.append(Permissions.unknown())
    for policy in model.by_type(ROLE_POLICY_TYPE):
        verdict = _names_role(model, policy.get("RoleName"), role, role_name)
        if verdict:
            document = Permissions.from_document(policy.get("PolicyDocument"))
            parts.append(document.marked_in_branch(bool(policy.condition)))
        elif verdict is None:
            parts.append(Permissions.unknown())
    return parts


def _names_role(model: TemplateModel, entry: Any, role: Resource, role_name: Any) -> Optional[bool]:
    """Does a `Roles` entry (a role name) surely (True), surely not (False) or perhaps (None) name `role`?"""
    reference = model.referenced(entry)
    if reference is not None:
        return reference.target == role.logical_id and reference.attribute is None
    if if_branches(entry) is not None:
        return None
    value = model.resolve(entry)
    if isinstance(value, str):
        if isinstance(role_name, str):
            return value == role_name
        return False if role_name is None else None  # a generated name is never spelled in advance
    return None


def _connector_may_attach(model: TemplateModel, role_id: str) -> bool:
    """SAM connectors add policies to the role of their source or destination (SQS -> function
    gives the function's role read access): a connector touching the role's function, or one we
    cannot read, counts as an unknown grant."""
    unreadable, targets = model.memo("roles.connector_endpoints", _connector_endpoints)
    if unreadable:
        return True
    for target in targets:
        if target == role_id:
            return True
        function = model.function(target)
        if function is not None and _role_key(model, function) in (None, role_id):
            return True
    return False


def _connector_endpoints(model: TemplateModel) -> Tuple[bool, List[str]]:
    """(some connector cannot be read, logical IDs of every connector endpoint), once per model."""
    targets: List[str] = []
    for resource in model.resources.values():
        endpoints: List[Any] = []
        if resource.type == "AWS::Serverless::Connector":
            endpoints = [resource.get("Source"), *_as_list(resource.get("Destination"))]
        embedded = resource.definition.get("Connectors")
        if embedded is not None:
            endpoints.append({"Id": resource.logical_id})
            if not isinstance(embedded, dict):
                return True, []
            for connector in embedded.values():
                properties = connector.get("Properties") if isinstance(connector, dict) else None
                if not isinstance(properties, dict):
                    return True, []
                endpoints.extend(_as_list(properties.get("Destination")))
        for endpoint in endpoints:
            if not isinstance(endpoint, dict) or "Arn" in endpoint or not isinstance(endpoint.get("Id"), str):
                if isinstance(endpoint, dict) and "Arn" in endpoint and "RoleName" not in endpoint:
                    continue  # an ARN endpoint of another service gets no role policy from us
                return True, []
            targets.append(endpoint["Id"])
    return False, targets


def _as_list(value: Any) -> List[Any]:
    return value if isinstance(value, list) else [value]


def _role_key(model: TemplateModel, function: Function) -> Optional[str]:
    if function.is_sam and not function.has("Role"):
        return function.logical_id + "Role"
    reference = model.referenced(function.get("Role"))
    return reference.target if reference is not None else None


# --------------------------------------------------------------------------- SAM-generated roles


def sam_generated_role(model: TemplateModel, function: Function) -> ExecutionRole:
    """The role the SAM transform generates for a SAM function without `Role`."""
    managed: List[Any] = [{"Fn::Sub": BASIC_EXECUTION}]
    documents: List[Any] = []
    incomplete = False
    if function.has("DurableConfig"):
        managed = [{"Fn::Sub": AWS_MANAGED + "service-role/AWSLambdaBasicDurableExecutionRolePolicy"}]
    tracing = function.get("Tracing")
    if tracing and model.resolve(tracing) != "Disabled":
        managed.append({"Fn::Sub": XRAY_WRITE})
    if function.get("VpcConfig"):
        managed.append({"Fn::Sub": VPC_ACCESS})

    dlq = function.get("DeadLetterQueue")
    if isinstance(dlq, dict) and dlq.get("Type") in ("SQS", "SNS"):
        action = "sqs:SendMessage" if dlq["Type"] == "SQS" else "sns:Publish"
        documents.append(_statement_document(action, dlq.get("TargetArn")))
    elif dlq:
        incomplete = True

    incomplete |= _event_invoke_documents(model, function, documents)
    incomplete |= _event_documents(model, function, managed, documents)
    if _connector_may_attach(model, function.logical_id + "Role"):
        incomplete = True

    parts = [managed_permissions(arn) for arn in managed]
    parts.extend(Permissions.from_document(document) for document in documents)
    parts.append(sam_policies_permissions(function.get("Policies")))
    parts.extend(_attached_policies(model, _pseudo_role(function)))
    if incomplete:
        parts.append(Permissions.unknown())
    trust = function.get("AssumeRolePolicyDocument")
    return ExecutionRole(
        key=function.logical_id + "Role", kind=SAM, resource=None, function=function,
        managed_policy_arns=tuple(managed), documents=tuple(documents),
        permissions=RolePermissions(Permissions.combine(parts)),
        trust_policy=LAMBDA_TRUST_POLICY if trust is None else trust,
    )


def _pseudo_role(function: Function) -> Resource:
    """The generated role as a resource, so policies naming `!Ref <Fn>Role` attach to it."""
    return Resource(function.logical_id + "Role", ROLE_TYPE, {"Type": ROLE_TYPE, "Properties": {}})


def _statement_document(action: str, resource: Any) -> Dict[str, Any]:
    return {"Statement": [{"Action": action, "Effect": "Allow", "Resource": resource}]}


_INVOKE_DESTINATION_ACTIONS = {
    "SQS": ("sqs:SendMessage",),
    "SNS": ("sns:publish",),
    "EventBridge": ("events:PutEvents",),
    "Lambda": ("lambda:InvokeFunction",),
}


def _event_invoke_documents(model: TemplateModel, function: Function, documents: List[Any]) -> bool:
    """Policies SAM adds for `EventInvokeConfig.DestinationConfig`; True when some are not modelled."""
    config = function.get("EventInvokeConfig")
    if not config:
        return False
    destinations = config.get("DestinationConfig") if isinstance(config, dict) else None
    if destinations is None:
        return False
    if not isinstance(destinations, dict):
        return True
    incomplete = False
    for event in ("OnSuccess", "OnFailure"):
        destination = destinations.get(event)
        if not isinstance(destination, dict) or not destination.get("Type"):
            incomplete |= destination is not None and not isinstance(destination, dict)
            continue
        kind = destination["Type"]
        arn = destination.get("Destination")
        if not isinstance(kind, str) or if_branches(arn) is not None:
            incomplete = True  # SAM builds conditional resources and policies: not modelled
            continue
        if arn is None:
            generated = function.logical_id + "EventInvokeConfig" + event
            if kind == "SQS":
                arn = {"Fn::GetAtt": [generated + "Queue", "Arn"]}
            elif kind == "SNS":
                arn = {"Ref": generated + "Topic"}
            else:
                continue
        if kind == "S3Bucket":
            documents.append(_s3_destination_document(arn))
        elif kind in _INVOKE_DESTINATION_ACTIONS:
            documents.append(_statement_document(_INVOKE_DESTINATION_ACTIONS[kind][0], arn))
        else:
            incomplete = True
    return incomplete


def _s3_destination_document(arn: Any) -> Dict[str, Any]:
    return {"Statement": [
        {"Action": "s3:PutObject", "Effect": "Allow", "Resource": {"Fn::Join": ["/", [arn, "*"]]}},
        {"Action": "s3:ListBucket", "Effect": "Allow", "Resource": arn},
    ]}


def _event_documents(model: TemplateModel, function: Function, managed: List[Any], documents: List[Any]) -> bool:
    events = function.resource.properties.get("Events")
    if not isinstance(events, dict):
        return events is not None
    incomplete = False
    for event in events.values():
        if not isinstance(event, dict):
            incomplete = True
            continue
        kind = event.get("Type")
        properties = event.get("Properties")
        if not isinstance(properties, dict):
            properties = {}
        if isinstance(kind, str) and kind in POLLER_POLICIES:  # an intrinsic or list here is not a SAM event
            arn = {"Fn::Sub": POLLER_POLICIES[kind]}
            if arn not in managed:
                managed.append(arn)
            if kind == "MSK" and (properties.get("SourceAccessConfigurations")
                                  or properties.get("SchemaRegistryConfig")):
                incomplete = True
            on_failure = properties.get("DestinationConfig", {}).get("OnFailure") \
                if isinstance(properties.get("DestinationConfig"), dict) else None
            if isinstance(on_failure, dict) and on_failure.get("Type"):
                target = on_failure.get("Destination")
                if on_failure["Type"] == "SQS":
                    documents.append(_statement_document("sqs:SendMessage", target))
                elif on_failure["Type"] == "SNS":
                    documents.append(_statement_document("sns:publish", target))
                elif on_failure["Type"] == "S3":
                    documents.append(_s3_destination_document(target))
        elif kind == "SNS" and properties.get("SqsSubscription"):
            # SAM puts a queue between topic and function and polls it (eventsources/push.py SNS)
            arn = {"Fn::Sub": POLLER_POLICIES["SQS"]}
            if arn not in managed:
                managed.append(arn)
        elif not isinstance(kind, str) or kind in _UNMODELLED_POLL_EVENTS:
            incomplete = True
    return incomplete


# --------------------------------------------------------------------------- fast evaluation


class RolePermissions:
    """`Permissions` with the same answers, faster (an adapter over the IAM layer).

    The IAM layer matches every action item of every statement with a general glob matcher
    (a dynamic program per pair); a role asked about `logs:PutLogEvents` need not glob its
    `s3:GetObject` items. Per queried action we keep only the items that may match it.
    """

    def __init__(self, permissions: Permissions):
        self.inner = permissions
        self._by_action: Dict[str, Permissions] = {}

    @property
    def statements(self) -> Tuple[Any, ...]:
        return self.inner.statements

    @property
    def incomplete(self) -> bool:
        return self.inner.incomplete

    def _for(self, action: Any) -> Permissions:
        if not isinstance(action, str) or not action:
            return self.inner
        key = action.lower()
        if key not in self._by_action:
            kept = []
            for statement in self.inner.statements:
                narrowed = _narrowed(statement, key)
                if narrowed is not None:
                    kept.append(narrowed)
            self._by_action[key] = Permissions(tuple(kept), self.inner.incomplete)
        return self._by_action[key]

    def allows(self, action: str, resource: Any = ANY) -> Any:
        return self._for(action).allows(action, resource)

    def allows_all(self, actions: Any, resource: Any = ANY) -> Any:
        return allows_all(self.allows, actions, resource)

    def allows_any(self, actions: Any, resource: Any = ANY) -> Any:
        return allows_any(self.allows, actions, resource)

    def wildcard_grants(self) -> Any:
        return self.inner.wildcard_grants()


def _narrowed(statement: Any, action: str) -> Any:
    """The statement with only the action items that may match `action` (None: none may).

    A plain item (no `*`, `?` or `${`) matches only itself, ignoring case; dropping the others
    leaves the IAM layer's answer unchanged and spares it a glob match per item."""
    if statement.actions is None:
        return statement  # NotAction: leave to the IAM layer
    items = tuple(
        item for item in statement.actions
        if not isinstance(item, str) or any(ch in item for ch in "*?$") or item.lower() == action
    )
    if not items:
        return None
    return statement if len(items) == len(statement.actions) else statement.replace(actions=items)
