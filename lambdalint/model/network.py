"""VPC topology as far as the template defines it.

subnet -> route table (its `AWS::EC2::SubnetRouteTableAssociation`) -> default route
(`AWS::EC2::Route` to 0.0.0.0/0) -> target kind: NAT gateway, internet gateway, transit
gateway, instance, network interface, peering, VPC endpoint, or none. A subnet of the
template without an association uses its VPC's main route table, which the template
cannot give routes to: its default route is unknown. Subnets, route tables and VPCs
not defined in the template are unknown; rules say nothing about them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Dict, List, NamedTuple, Optional, Tuple

from .. import data
from ..lazy import lazy_pattern
from .values import NO_VALUE, UNKNOWN, as_int, normalise_value

if TYPE_CHECKING:  # annotations only: template.Function.network imports this module
    from .template import Function, Resource, TemplateModel

NAT, IGW, TGW, INSTANCE, ENI, PEERING, VPCE, NONE, UNKNOWN_ROUTE = (
    "nat", "igw", "tgw", "instance", "eni", "peering", "vpce", "none", "unknown")
# Route properties naming the target, in the order AWS documents them
_ROUTE_TARGETS = (
    ("NatGatewayId", NAT), ("TransitGatewayId", TGW), ("InstanceId", INSTANCE), ("NetworkInterfaceId", ENI),
    ("VpcPeeringConnectionId", PEERING), ("VpcEndpointId", VPCE), ("CarrierGatewayId", UNKNOWN_ROUTE),
    ("LocalGatewayId", UNKNOWN_ROUTE), ("CoreNetworkArn", UNKNOWN_ROUTE),
)
_DEFAULT_CIDR = "0.0.0.0/0"


# Plain immutable records are NamedTuples, not frozen dataclasses: creating a dataclass
# execs its generated methods (~0.7 ms each at import), which a cold start pays for every one.
class Subnet(NamedTuple):
    logical_id: str
    vpc: Optional[str]  # logical ID of the AWS::EC2::VPC, when it is one of the template
    zone: Any  # a zone name, ("index", n) for `!Select [n, !GetAZs ...]`, or UNKNOWN
    route_table: Optional[str]  # logical ID of the associated route table, None: main route table
    default_route: str  # one of the kinds above

    @property
    def is_public(self) -> bool:
        return self.default_route == IGW


class Endpoint(NamedTuple):
    logical_id: str
    vpc: Optional[str]
    service: Optional[str]  # "s3", "dynamodb", "sqs", ... or None when unreadable
    kind: str  # "Gateway" | "Interface" | ...


class FunctionNetwork(NamedTuple):
    """A VPC function's subnets and security groups, as far as the template says."""

    subnet_ids: Any  # list of raw entries, or UNKNOWN
    security_group_ids: Any  # list of raw entries, or UNKNOWN
    subnets: Tuple[Optional[Subnet], ...]  # per entry: the template subnet, or None (unknown)

    @property
    def all_known(self) -> bool:
        return isinstance(self.subnet_ids, list) and bool(self.subnets) and all(s is not None for s in self.subnets)

    @property
    def attached(self) -> bool:
        """The function is surely in a VPC: its subnets are a list, and not an empty one."""
        return isinstance(self.subnet_ids, list) and bool(self.subnet_ids)

    @property
    def vpcs(self) -> Tuple[Optional[str], ...]:
        return tuple(sorted({s.vpc for s in self.subnets if s is not None}, key=str))


def subnets(model: TemplateModel) -> Dict[str, Subnet]:
    return model.memo("network.subnets", _build_subnets)


def endpoints(model: TemplateModel) -> List[Endpoint]:
    return model.memo("network.endpoints", _build_endpoints)


def endpoint_services(model: TemplateModel, vpc: Optional[str]) -> frozenset:
    """Services with a VPC endpoint in `vpc` (gateway or interface)."""
    return frozenset(e.service for e in endpoints(model) if e.vpc == vpc and e.service)


def vpc_has_unreadable_endpoint(model: TemplateModel, vpc: Optional[str]) -> bool:
    return any(e.vpc == vpc and e.service is None for e in endpoints(model))


def vpc_tenancy(model: TemplateModel, vpc: Optional[str]) -> Any:
    resource = model.resource(vpc)
    if resource is None or resource.type != "AWS::EC2::VPC":
        return UNKNOWN
    return model.resolve(resource.get("InstanceTenancy", default="default"))


def function_network(model: TemplateModel, function: Function) -> Optional[FunctionNetwork]:
    """The VPC attachment of `function`; None when it has no `VpcConfig` (or it is unreadable)."""
    config = function.value("VpcConfig")
    if not isinstance(config, dict):
        return None
    subnet_ids = _list(model, config.get("SubnetIds"))
    groups = _list(model, config.get("SecurityGroupIds"))
    known = subnets(model)
    resolved: Tuple[Optional[Subnet], ...] = ()
    if isinstance(subnet_ids, list):
        resolved = tuple(_subnet_of(model, entry, known) for entry in subnet_ids)
    return FunctionNetwork(subnet_ids, groups, resolved)


def _list(model: TemplateModel, value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, list):
        return [entry for entry in value if model.resolve(entry) is not NO_VALUE]
    resolved = model.resolve(value)
    return resolved if isinstance(resolved, list) else UNKNOWN


def _subnet_of(model: TemplateModel, entry: Any, known: Dict[str, Subnet]) -> Optional[Subnet]:
    reference = model.referenced(entry)
    if reference is None or reference.attribute is not None:
        return None
    return known.get(reference.target)


def _target_id(model: TemplateModel, value: Any) -> Optional[str]:
    reference = model.referenced(value)
    return reference.target if reference is not None else None


def _build_subnets(model: TemplateModel) -> Dict[str, Subnet]:
    associations: Dict[str, List[str]] = {}
    for association in model.by_type("AWS::EC2::SubnetRouteTableAssociation"):
        subnet = _target_id(model, association.get("SubnetId"))
        route_table = _target_id(model, association.get("RouteTableId"))
        if subnet is not None:
            associations.setdefault(subnet, []).append(route_table or "?")
    routes = _default_routes(model)
    found = {}
    for resource in model.by_type("AWS::EC2::Subnet"):
        tables = associations.get(resource.logical_id, [])
        table: Optional[str] = None
        if len(tables) == 1 and tables[0] != "?":
            table = tables[0]
            default = routes.get(table, NONE) if model.resource(table) is not None else UNKNOWN_ROUTE
        else:
            table, default = None, UNKNOWN_ROUTE  # main route table, or several/unknown associations
        found[resource.logical_id] = Subnet(
            logical_id=resource.logical_id,
            vpc=_target_id(model, resource.get("VpcId")),
            zone=_zone(model, resource),
            route_table=table,
            default_route=default,
        )
    return found


def _default_routes(model: TemplateModel) -> Dict[str, str]:
    """Route table logical ID -> kind of its 0.0.0.0/0 target (UNKNOWN_ROUTE when several differ)."""
    found: Dict[str, str] = {}
    for route in model.by_type("AWS::EC2::Route"):
        table = _target_id(model, route.get("RouteTableId"))
        if table is None:
            continue
        cidr = model.resolve(route.get("DestinationCidrBlock"))
        if "DestinationCidrBlock" not in route.properties:
            continue  # IPv6 or prefix-list routes: not the IPv4 default route
        if cidr is UNKNOWN or not isinstance(cidr, str):
            kind = UNKNOWN_ROUTE
        elif cidr.strip() != _DEFAULT_CIDR:
            continue
        else:
            kind = _route_kind(model, route)
        if route.condition:
            kind = UNKNOWN_ROUTE
        previous = found.get(table)
        found[table] = kind if previous in (None, kind) else UNKNOWN_ROUTE
    # a route table the template defines but no route names has no default route
    for route_table in model.by_type("AWS::EC2::RouteTable"):
        found.setdefault(route_table.logical_id, NONE)
    return found


def _route_kind(model: TemplateModel, route: Resource) -> str:
    if "GatewayId" in route.properties:
        target = model.resource(_target_id(model, route.get("GatewayId")))
        if target is not None and target.type == "AWS::EC2::InternetGateway":
            return IGW
        if target is not None and target.type == "AWS::EC2::VPNGateway":
            return UNKNOWN_ROUTE
        value = model.resolve(route.get("GatewayId"))
        if isinstance(value, str) and value.startswith("igw-"):
            return IGW
        return UNKNOWN_ROUTE
    for key, kind in _ROUTE_TARGETS:
        if key in route.properties:
            return kind
    return UNKNOWN_ROUTE


def _zone(model: TemplateModel, resource: Resource) -> Any:
    for key in ("AvailabilityZone", "AvailabilityZoneId"):
        if key not in resource.properties:
            continue
        raw = resource.get(key)
        value = model.resolve(raw)
        if isinstance(value, str):
            return (key, value)
        text = normalise_value(raw)
        if isinstance(text, str) and _REGION_ONLY.match(text):
            return (key, text)  # `!Sub ${AWS::Region}a`: the same text is the same zone of any one region
        if isinstance(raw, dict) and "Fn::Select" in raw:
            args = raw["Fn::Select"]
            if isinstance(args, list) and len(args) == 2 and isinstance(args[1], dict) and "Fn::GetAZs" in args[1]:
                index = as_int(model.resolve(args[0]))
                region = args[1]["Fn::GetAZs"]
                if index is not UNKNOWN and region in ("", {"Ref": "AWS::Region"}):
                    return ("index", index)
        return UNKNOWN
    return UNKNOWN  # no zone given: EC2 picks one


_REGION_ONLY = lazy_pattern(r"^(?:[^$]|\$\{AWS::Region\})*$")

# `com.amazonaws.<region>.<service>` (interface endpoints may add a suffix, e.g. `ecr.api`)
_SERVICE_NAME = lazy_pattern(r"^(?:com|cn\.com)\.amazonaws\."
                             r"(?:\$\{AWS::Region\}|[a-z0-9-]+)\.(?P<service>[a-z0-9.-]+)$")


def _build_endpoints(model: TemplateModel) -> List[Endpoint]:
    found = []
    for resource in model.by_type("AWS::EC2::VPCEndpoint"):
        text = normalise_value(resource.get("ServiceName"))
        service = None
        if isinstance(text, str):
            resolved = model.resolve(resource.get("ServiceName"))
            text = resolved if isinstance(resolved, str) else text
            match = _SERVICE_NAME.match(text)
            if match:
                service = match.group("service")
        kind = model.resolve(resource.get("VpcEndpointType", default="Gateway"))
        found.append(Endpoint(resource.logical_id, _target_id(model, resource.get("VpcId")), service,
                              kind if isinstance(kind, str) else "unknown"))
    return found


# -- what a function's FileSystemConfigs[].Arn names ----------------------------------------
EFS_ACCESS_POINT_TYPE, EFS_FILE_SYSTEM_TYPE = "AWS::EFS::AccessPoint", "AWS::EFS::FileSystem"
ACCESS_POINT_ID, FILE_SYSTEM, NOT_AN_ARN = "access point ID", "file system", "not an ARN"


def mount_target_problem(model: TemplateModel, value: Any) -> Tuple[Optional[str], Any]:
    """What is wrong with a `FileSystemConfigs` `Arn`, which must be an EFS access point's ARN:
    (ACCESS_POINT_ID, logical ID) for `!Ref` of an access point (its ID), (FILE_SYSTEM, logical
    ID) for a file system of the template, (NOT_AN_ARN, text) for a string that is no ARN;
    (None, None) when nothing is known to be wrong (another resource, an unknown value)."""
    reference = model.referenced(value)
    if reference is not None:
        target = model.resource(reference.target)
        if target is None:
            return None, None
        if target.type == EFS_ACCESS_POINT_TYPE and reference.attribute is None:
            return ACCESS_POINT_ID, target.logical_id
        if target.type == EFS_FILE_SYSTEM_TYPE:
            return FILE_SYSTEM, target.logical_id
        return None, None
    text = model.resolve(value)
    if isinstance(text, str) and not text.startswith("arn:"):
        return NOT_AN_ARN, text
    return None, None


# ----------------------------------------------------------------------- AWS APIs called from the VPC

# Calls Lambda makes for the function outside its VPC (logs, traces, network interfaces)
_SERVICE_SIDE = frozenset({"logs", "xray", "ec2"})
# What event source mappings poll with the role: Lambda's pollers, not the function's code
_POLLER_ACTIONS = frozenset({
    "sqs:receivemessage", "sqs:deletemessage", "sqs:getqueueattributes", "sqs:changemessagevisibility",
    "kinesis:getrecords", "kinesis:getsharditerator", "kinesis:describestream", "kinesis:describestreamsummary",
    "kinesis:liststreams", "kinesis:listshards", "kinesis:subscribetoshard",
    "dynamodb:getrecords", "dynamodb:getsharditerator", "dynamodb:describestream", "dynamodb:liststreams",
})
# Actions that are no call to a public AWS endpoint: a token signed in the function and a connection
# to a database, cache or broker that sits in the VPC, or data-plane calls to a VPC-only cluster.
# An action pattern that may be one of these (`elasticache:*`) says nothing about the service's API.
_IN_VPC_ACTIONS = {
    "rds-db": ("*",),  # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.Connecting.html
    "elasticache": ("connect",),  # https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html
    "memorydb": ("connect",),  # https://docs.aws.amazon.com/memorydb/latest/devguide/auth-iam.html
    "kafka-cluster": ("*",),  # Kafka protocol to the brokers: https://docs.aws.amazon.com/msk/latest/developerguide/iam-access-control.html
    "neptune-db": ("*",),  # https://docs.aws.amazon.com/neptune/latest/userguide/iam-dp-actions.html
    # DAX clusters are always in a VPC: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAX.concepts.vpc.html
    "dax": ("batchgetitem", "batchwriteitem", "conditioncheckitem", "deleteitem", "getitem", "putitem", "query",
            "scan", "updateitem"),
}
# OpenSearch's HTTP data plane goes to the domain's endpoint: inside the VPC for a domain with VPCOptions
_DOMAIN_TYPES = ("AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain")
_DOMAIN_DATA_PLANE = ("eshttpdelete", "eshttpget", "eshttphead", "eshttppatch", "eshttppost", "eshttpput")
_PLACEHOLDER_TARGET = lazy_pattern(r"\$\{([^}.!]+)[^}]*\}")


def api_services_reached(model: TemplateModel, role: Any) -> List[str]:
    """The service prefixes whose public API the execution role's grants say the function calls.

    Said less where the grant does not tell: a service an AWS managed policy brings beside the one
    it is named for (AmazonS3ReadOnlyAccess also grants `s3-object-lambda`), actions that reach no
    public endpoint (IAM database auth, MSK and ElastiCache IAM auth, DAX and Neptune data planes),
    and OpenSearch HTTP calls unless every domain they name is a template domain without VPCOptions.
    """
    managed = {row["name"] for row in data.load("managed_policies.json")["policies"]}
    services: set = set()
    for statement in role.permissions.statements:
        if statement.effect != "Allow" or statement.actions is None or statement.conditional:
            continue
        if statement.origin.startswith("AWSLambda"):
            continue  # the execution/poller managed policies: used by Lambda itself
        for action in statement.actions:
            if not isinstance(action, str) or ":" not in action:
                continue
            service, name = (part.lower() for part in action.split(":", 1))
            if service in _SERVICE_SIDE or service == "*" or action.lower() in _POLLER_ACTIONS:
                continue
            if name.startswith("client"):
                continue  # EFS-style mount permissions (ClientMount, ClientWrite): NFS, not an API call
            if statement.origin in managed and not _names_service(statement.origin, service):
                continue
            if any(_may_match(name, listed) for listed in _IN_VPC_ACTIONS.get(service, ())):
                continue
            if service == "es" and any(_may_match(name, listed) for listed in _DOMAIN_DATA_PLANE):
                if not _public_domains_only(model, statement.resources):
                    continue
            services.add(service)
    return sorted(services)


def _names_service(policy: str, service: str) -> bool:
    """AmazonS3ReadOnlyAccess names s3 (not s3-object-lambda), AmazonDynamoDBFullAccess dynamodb."""
    core = policy.lower()
    for prefix in ("amazon", "aws"):
        if core.startswith(prefix):
            core = core[len(prefix):]
            break
    return core.startswith(service.replace("-", ""))


def _may_match(pattern: str, action: str) -> bool:
    """Whether an IAM action pattern (`*`, `?`) may name `action` (both lower case)."""
    if action == "*":
        return True
    expression = re.escape(pattern).replace("\\*", ".*").replace("\\?", ".")
    return re.fullmatch(expression, action) is not None


def _public_domains_only(model: TemplateModel, resources: Any) -> bool:
    """Every resource names an OpenSearch domain of the template that has no VPCOptions."""
    if not isinstance(resources, tuple) or not resources:
        return False
    for item in resources:
        targets = _PLACEHOLDER_TARGET.findall(item) if isinstance(item, str) else []
        found = [model.resource(target) for target in targets]
        domains = [domain for domain in found if domain is not None and domain.type in _DOMAIN_TYPES]
        if not domains or any("VPCOptions" in domain.properties for domain in domains):
            return False
    return True
