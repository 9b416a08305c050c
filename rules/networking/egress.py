"""LL4: what a VPC function can reach - the internet through its subnets' routes, AWS services
through a NAT gateway or VPC endpoints."""

from __future__ import annotations

from typing import Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel, roles
from lambdalint.registry import rule

VPC_INTERNET_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc-internet.html"


@rule(
    id="LL4002",
    name="vpc-function-in-public-subnet",
    severity=Severity.WARNING,
    summary="VPC function in a subnet whose default route is an internet gateway",
    source=VPC_INTERNET_DOC,
)
def check_public_subnet(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Follows each subnet of a function's `VpcConfig` that the template defines to its route
    table and reports subnets whose default route (0.0.0.0/0) goes to an internet gateway.

    ## Why is this bad?
    Lambda's network interfaces never get a public IP address, so a function in a public subnet
    has no internet access at all: calls to the internet or to AWS APIs time out. Put VPC
    functions in private subnets whose default route is a NAT gateway.

    ## Example
    ```yaml
    VpcConfig:
      SubnetIds: [!Ref PublicSubnet]     # 0.0.0.0/0 -> InternetGateway
      SecurityGroupIds: [!Ref WorkerSecurityGroup]
    ```
    Use instead: `SubnetIds: [!Ref PrivateSubnet]`, routed through a NAT gateway.
    """
    for function in model.functions:
        network = function.network
        if network is None or not network.attached:
            continue
        for index, subnet in enumerate(network.subnets):
            if subnet is not None and subnet.is_public:
                yield function.hit(f"subnet {subnet.logical_id} routes 0.0.0.0/0 to an internet gateway: "
                                   f"Lambda gets no public IP there, so {function.logical_id} has no internet "
                                   f"access", "VpcConfig", "SubnetIds", index)


@rule(
    id="LL4003",
    name="vpc-function-without-egress",
    severity=Severity.WARNING,
    summary="VPC function without a NAT route whose role reaches AWS services with no VPC endpoint",
    source=VPC_INTERNET_DOC,
)
def check_no_egress(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For a function whose subnets are all defined in the template and none has a default route
    to a NAT gateway (or any other egress), lists the AWS services its execution role grants
    actions on (S3, DynamoDB, SQS, ...) that have no VPC endpoint in the function's VPC.

    It counts only the services the grants say the function calls through their public API:
    not the extra services a broad AWS managed policy brings beside the one it is named for
    (`AmazonS3ReadOnlyAccess` also grants `s3-object-lambda`), not connections that stay in the
    VPC (IAM database authentication `rds-db:connect`, ElastiCache and MemoryDB `Connect`, MSK
    `kafka-cluster:*`, DAX and Neptune data planes, an OpenSearch domain's HTTP API unless every
    domain named is a template domain without `VPCOptions`), and not what Lambda itself calls
    (logs, X-Ray, network interfaces, event source polling).

    ## Why is this bad?
    Inside a VPC the function reaches AWS APIs only through a NAT gateway or a VPC endpoint.
    Without either, every SDK call to those services hangs until the function times out.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        Policies: [DynamoDBCrudPolicy: {TableName: !Ref Table}]
        VpcConfig:
          SubnetIds: [!Ref IsolatedSubnet]   # route table without 0.0.0.0/0
          SecurityGroupIds: [!Ref WorkerSecurityGroup]
    ```
    Use instead: add a gateway endpoint (`com.amazonaws.${AWS::Region}.dynamodb`) to the VPC, or
    route 0.0.0.0/0 through a NAT gateway.
    """
    for function in model.functions:
        network = function.network
        if network is None or not network.attached or not network.all_known:
            continue
        from lambdalint.model import network as net  # loaded with function.network: templates without a VPC skip it

        if any(subnet.default_route not in (net.NONE, net.IGW) for subnet in network.subnets):
            continue
        vpcs = network.vpcs
        if len(vpcs) != 1 or vpcs[0] is None or net.vpc_has_unreadable_endpoint(model, vpcs[0]):
            continue
        role = roles.execution_role(model, function)
        if role is None:
            continue
        covered = net.endpoint_services(model, vpcs[0])
        missing = [service for service in net.api_services_reached(model, role) if service not in covered]
        if missing:
            yield function.hit(f"function {function.logical_id} has no route to a NAT gateway and no VPC "
                               f"endpoint for {', '.join(missing)}, which its role grants access to: those "
                               f"calls will time out", "VpcConfig", "SubnetIds")
