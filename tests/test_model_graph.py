"""The template-as-graph views: versions/aliases, VPC topology, execution roles, resource policies."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdalint.iam import Permissions
from lambdalint.model import network, permissions, roles, versions
from sample_templates import model_of


FUNCTION = """
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: {role}
      Code: {{ZipFile: x}}
"""


def test_version_targets_are_classified():
    model = model_of("""
    Parameters:
      P: {Type: String}
    Resources:
      V: {Type: AWS::Lambda::Version, Properties: {FunctionName: f}}
      A: {Type: AWS::Lambda::Alias, Properties: {FunctionName: f, FunctionVersion: "1", Name: a}}
    """)
    kinds = {
        "$LATEST": versions.LATEST_KIND, "12": versions.NUMBER, "live": versions.NAME,
        "arn:aws:lambda:eu-west-1:123456789012:function:f:7": versions.NUMBER,
    }
    for value, kind in kinds.items():
        assert versions.classify(model, value).kind == kind
    assert versions.classify(model, {"Fn::GetAtt": ["V", "Version"]}) == versions.VersionTarget(versions.VERSION, "V")
    assert versions.classify(model, {"Ref": "A"}).kind == versions.ALIAS
    assert versions.classify(model, {"Ref": "P"}).kind == versions.UNKNOWN_KIND


def test_hashed_logical_ids():
    assert versions.has_hashed_logical_id("FnCurrentVersion4f0c2a9d81b7e6c3")
    assert versions.has_hashed_logical_id("MyFunctionVersion640128d35d")
    assert not versions.has_hashed_logical_id("WorkerVersion")
    assert not versions.has_hashed_logical_id("FunctionVersionDeadBeefFacade")  # letters only


TOPOLOGY = """
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16, InstanceTenancy: dedicated}}
  Igw: {Type: AWS::EC2::InternetGateway}
  Public: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  PublicDefault: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Public, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}}
  Private: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  PrivateDefault: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Private, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: nat-123}}
  Isolated: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, AvailabilityZone: !Select [0, !GetAZs ""]}}
  B: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, AvailabilityZone: eu-west-1b}}
  C: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc}}
  D: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc}}
  AA: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref A, RouteTableId: !Ref Public}}
  BA: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref B, RouteTableId: !Ref Private}}
  CA: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref C, RouteTableId: !Ref Isolated}}
  S3: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcId: !Ref Vpc, ServiceName: !Sub "com.amazonaws.${AWS::Region}.s3"}}
  Sqs: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: com.amazonaws.eu-west-1.sqs}}
"""


def test_subnet_routes_zones_and_endpoints():
    model = model_of(TOPOLOGY)
    subnets = network.subnets(model)
    assert subnets["A"].default_route == network.IGW and subnets["A"].zone == ("index", 0)
    assert subnets["B"].default_route == network.NAT and subnets["B"].zone == ("AvailabilityZone", "eu-west-1b")
    assert subnets["C"].default_route == network.NONE
    assert subnets["D"].default_route == network.UNKNOWN_ROUTE  # main route table: not in the template
    assert network.endpoint_services(model, "Vpc") == {"s3", "sqs"}
    assert network.vpc_tenancy(model, "Vpc") == "dedicated"


def test_function_network_keeps_unknown_subnets_unknown():
    model = model_of(TOPOLOGY + """
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig: {SubnetIds: [!Ref A, !ImportValue other], SecurityGroupIds: [sg-1]}
""")
    attachment = network.function_network(model, model.function("Fn"))
    assert attachment.subnets[0].logical_id == "A" and attachment.subnets[1] is None
    assert not attachment.all_known


ROLE = """
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
      ManagedPolicyArns: [!Ref Managed]
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: "*"}]}
  Attached:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: p
      Roles: [!Ref WorkerRole]
      PolicyDocument: {Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: "*"}]}
"""


def test_template_role_collects_every_attached_policy():
    model = model_of("Resources:" + FUNCTION.format(role="!GetAtt WorkerRole.Arn") + ROLE)
    role = roles.execution_role(model, model.function("Worker"))
    assert role.kind == roles.TEMPLATE and role.key == "WorkerRole"
    assert role.permissions.allows("s3:GetObject") is True
    assert role.permissions.allows("sqs:SendMessage") is True
    assert role.permissions.allows("dynamodb:GetItem") is False
    assert roles.functions_by_role(model)["WorkerRole"] == [model.function("Worker")]


def test_policy_naming_an_unknown_role_makes_permissions_unknown():
    model = model_of("Parameters:\n  R: {Type: String}\nResources:" + FUNCTION.format(role="!GetAtt WorkerRole.Arn")
                     + ROLE.replace("Roles: [!Ref WorkerRole]", "Roles: [!Ref R]"))
    role = roles.execution_role(model, model.function("Worker"))
    assert role.permissions.allows("dynamodb:GetItem") is None


def test_role_given_as_arn_or_parameter_is_unknown():
    for role in ("arn:aws:iam::123456789012:role/r", "!ImportValue role-arn"):
        model = model_of("Resources:" + FUNCTION.format(role=role))
        assert roles.execution_role(model, model.function("Worker")) is None


def test_sam_generated_role():
    model = model_of("""
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Tracing: Active
          VpcConfig: {SubnetIds: [s-1], SecurityGroupIds: [sg-1]}
          Policies: [DynamoDBReadPolicy: {TableName: t}]
          Events:
            Q: {Type: SQS, Properties: {Queue: arn:aws:sqs:eu-west-1:123456789012:q}}
    """)
    role = roles.execution_role(model, model.function("Fn"))
    assert role.kind == roles.SAM and role.key == "FnRole"
    names = {arn["Fn::Sub"].rsplit("/", 1)[-1] for arn in role.managed_policy_arns}
    assert names == {"AWSLambdaBasicExecutionRole", "AWSXrayWriteOnlyAccess", "AWSLambdaVPCAccessExecutionRole",
                     "AWSLambdaSQSQueueExecutionRole"}
    assert role.permissions.allows("dynamodb:GetItem") is True  # from the expanded SAM policy template
    assert role.permissions.allows("sqs:ReceiveMessage") is True
    assert role.permissions.allows("s3:PutObject") is False


def test_connector_makes_role_unknown():
    model = model_of("""
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.12}}
      Table: {Type: AWS::DynamoDB::Table}
      Link:
        Type: AWS::Serverless::Connector
        Properties: {Source: {Id: Fn}, Destination: {Id: Table}, Permissions: [Read]}
    """)
    assert roles.execution_role(model, model.function("Fn")).permissions.allows("dynamodb:GetItem") is None


def test_permission_principals_and_urls():
    model = model_of("""
    Transform: AWS::Serverless-2016-10-31
    Resources:
      P1: {Type: AWS::Lambda::Permission, Properties: {Principal: "*"}}
      P2: {Type: AWS::Lambda::Permission, Properties: {Principal: s3.amazonaws.com}}
      P3: {Type: AWS::Lambda::Permission, Properties: {Principal: "123456789012"}}
      Fn: {Type: AWS::Serverless::Function, Properties: {FunctionUrlConfig: {AuthType: NONE}}}
    """)
    kinds = {p.resource.logical_id: (p.principal_kind, p.service) for p in permissions.permissions(model)}
    assert kinds == {"P1": (permissions.EVERYONE, None), "P2": (permissions.SERVICE, "s3"),
                     "P3": (permissions.ACCOUNT, None)}
    assert [u.auth_type for u in permissions.function_urls(model)] == ["NONE"]


ACTIONS = st.sampled_from(["s3:GetObject", "s3:*", "S3:Get*", "*", "logs:PutLogEvents", "logs:Put*",
                           "sqs:SendMessage", "s3:G?tObject", "dynamodb:*"])
STATEMENTS = st.builds(
    lambda effect, actions, not_action, resource: {
        "Effect": effect, ("NotAction" if not_action else "Action"): actions, "Resource": resource},
    st.sampled_from(["Allow", "Deny"]), st.lists(ACTIONS, min_size=1, max_size=3), st.booleans(),
    st.sampled_from(["*", "arn:aws:s3:::b/*", {"Fn::GetAtt": ["Q", "Arn"]}]),
)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(STATEMENTS, max_size=4), st.sampled_from(["s3:GetObject", "logs:PutLogEvents", "sqs:SendMessage",
                                                           "dynamodb:Query", "S3:GETOBJECT"]),
       st.sampled_from(["arn:aws:s3:::b/k", {"Fn::GetAtt": ["Q", "Arn"]}, None]))
def test_role_permissions_adapter_answers_like_the_iam_layer(statements, action, resource):
    inner = Permissions.from_document({"Statement": statements})
    adapter = roles.RolePermissions(inner)
    if resource is None:
        assert adapter.allows(action) == inner.allows(action)
    else:
        assert adapter.allows(action, resource) == inner.allows(action, resource)
