"""LL4: attaching a function to a VPC - subnets and security groups, zones, ENI permissions,
tenancy, and the EFS file systems mounted through it."""

from __future__ import annotations

from typing import Any, Iterator

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel, roles
from lambdalint.model.values import UNKNOWN
from lambdalint.registry import rule

VPC_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html"
EFS_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-filesystem.html"
ENI_ACTIONS = ("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface")


@rule(
    id="LL4001",
    name="vpc-config-incomplete",
    severity=Severity.ERROR,
    summary="VpcConfig with subnets but no security groups (or the reverse), or too many of either",
    source="https://docs.aws.amazon.com/lambda/latest/api/API_VpcConfig.html",
)
def check_vpc_config(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks a function's `VpcConfig`: subnets and security groups must be given together, with
    at most 16 subnets and 5 security groups (limits `vpc_subnets_max`, `vpc_security_groups_max`).

    ## Why is this bad?
    Lambda needs both to create the function's network interfaces and rejects the function
    otherwise; the deployment fails.

    ## Example
    ```yaml
    VpcConfig:
      SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
    ```
    Use instead:
    ```yaml
    VpcConfig:
      SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
      SecurityGroupIds: [!Ref WorkerSecurityGroup]
    ```
    """
    most_subnets, most_groups = model.limit("vpc_subnets_max"), model.limit("vpc_security_groups_max")
    for function in model.functions:
        network = function.network
        if network is None:
            continue
        subnets, groups = network.subnet_ids, network.security_group_ids
        if isinstance(subnets, list) and isinstance(groups, list):
            if subnets and not groups:
                yield function.hit(f"function {function.logical_id} has subnets but no security groups",
                                   "VpcConfig", "SecurityGroupIds")
            elif groups and not subnets:
                yield function.hit(f"function {function.logical_id} has security groups but no subnets",
                                   "VpcConfig", "SubnetIds")
        if isinstance(subnets, list) and len(subnets) > most_subnets:
            yield function.hit(f"function {function.logical_id} lists {len(subnets)} subnets; at most "
                               f"{most_subnets} are allowed", "VpcConfig", "SubnetIds")
        if isinstance(groups, list) and len(groups) > most_groups:
            yield function.hit(f"function {function.logical_id} lists {len(groups)} security groups; at most "
                               f"{most_groups} are allowed", "VpcConfig", "SecurityGroupIds")


@rule(
    id="LL4004",
    name="vpc-function-single-az",
    severity=Severity.WARNING,
    summary="VPC function in a single subnet or a single Availability Zone",
    source="https://docs.aws.amazon.com/lambda/latest/dg/security-resilience.html",
)
def check_single_az(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds VPC functions whose `SubnetIds` list (written in the template) has one subnet, or
    whose subnets, all defined in the template, lie in the same Availability Zone.

    ## Why is this bad?
    Lambda runs a VPC function only in the zones of its subnets. With one zone, an outage
    of that zone takes the function down; AWS recommends subnets in at least two zones.

    ## Example
    ```yaml
    VpcConfig:
      SubnetIds: [!Ref PrivateSubnetA]
      SecurityGroupIds: [!Ref WorkerSecurityGroup]
    ```
    Use instead: `SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]` in two zones.
    """
    for function in model.functions:
        network = function.network
        if network is None or not network.attached:
            continue
        written = function.get("VpcConfig", "SubnetIds")
        if isinstance(written, list) and len(network.subnet_ids) == 1:
            yield function.hit(f"function {function.logical_id} runs in a single subnet (one Availability "
                               f"Zone)", "VpcConfig", "SubnetIds")
            continue
        if not network.all_known:
            continue
        zones = {subnet.zone for subnet in network.subnets}
        if len(zones) == 1 and UNKNOWN not in zones:
            yield function.hit(f"all subnets of function {function.logical_id} are in the same Availability "
                               f"Zone", "VpcConfig", "SubnetIds")


@rule(
    id="LL4005",
    name="vpc-function-without-eni-permissions",
    severity=Severity.ERROR,
    summary="VPC function whose role cannot manage network interfaces",
    source="https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions",
)
def check_eni_permissions(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    For VPC functions whose execution role is known from the template, checks that the role
    allows `ec2:CreateNetworkInterface`, `ec2:DescribeNetworkInterfaces` and
    `ec2:DeleteNetworkInterface` (as `AWSLambdaVPCAccessExecutionRole` does).

    ## Why is this bad?
    Lambda creates the function's network interfaces with its execution role; without these
    permissions creating or updating the function fails.

    ## Example
    ```yaml
    WorkerRole:
      Type: AWS::IAM::Role
      Properties:
        ManagedPolicyArns:
          - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
    ```
    Use instead:
    ```yaml
        ManagedPolicyArns:
          - arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole
    ```
    """
    for function in model.functions:
        network = function.network
        if network is None or not network.attached:
            continue
        role = roles.execution_role(model, function)
        if role is None:
            continue
        missing = [action for action in ENI_ACTIONS if role.permissions.allows(action) is False]
        if missing:
            yield function.hit(f"role {role.key} of VPC function {function.logical_id} does not allow "
                               f"{', '.join(missing)}", "VpcConfig")


@rule(
    id="LL4006",
    name="vpc-dedicated-tenancy",
    severity=Severity.ERROR,
    summary="VPC function in a VPC with dedicated instance tenancy",
    source=VPC_DOC,
)
def check_dedicated_tenancy(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Finds VPC functions whose subnets belong to an `AWS::EC2::VPC` of the template with
    `InstanceTenancy: dedicated`.

    ## Why is this bad?
    Lambda does not support VPCs with dedicated instance tenancy; the function cannot be
    attached there.

    ## Example
    ```yaml
    Vpc:
      Type: AWS::EC2::VPC
      Properties:
        CidrBlock: 10.0.0.0/16
        InstanceTenancy: dedicated
    ```
    Use instead: `InstanceTenancy: default`.
    """
    for function in model.functions:
        network = function.network
        if network is None or not network.attached:
            continue
        from lambdalint.model import network as net  # loaded with function.network: templates without a VPC skip it

        for vpc in network.vpcs:
            if vpc is not None and net.vpc_tenancy(model, vpc) == "dedicated":
                yield function.hit(f"function {function.logical_id} is attached to VPC {vpc}, which has "
                                   f"dedicated instance tenancy; Lambda cannot run there", "VpcConfig", "SubnetIds")


@rule(
    id="LL4007",
    name="efs-config-invalid",
    severity=Severity.ERROR,
    summary="FileSystemConfigs without VpcConfig, outside /mnt/, or with an access point not given by ARN",
    source=EFS_DOC,
)
def check_file_systems(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks `FileSystemConfigs`: the function needs a `VpcConfig` with subnets, each
    `LocalMountPath` must start with `/mnt/`, and each `Arn` must be an EFS access point ARN
    (`!GetAtt AccessPoint.Arn`, not `!Ref AccessPoint`, which is its ID).

    ## Why is this bad?
    Lambda mounts EFS through the function's VPC network interfaces, only below `/mnt/`, and
    only through an access point; otherwise the deployment fails.

    ## Example
    ```yaml
    FileSystemConfigs:
      - Arn: !Ref AccessPoint
        LocalMountPath: /data
    ```
    Use instead:
    ```yaml
    FileSystemConfigs:
      - Arn: !GetAtt AccessPoint.Arn
        LocalMountPath: /mnt/data
    VpcConfig:
      SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
      SecurityGroupIds: [!Ref WorkerSecurityGroup]
    ```
    """
    for function in model.functions:
        configs = function.value("FileSystemConfigs")
        if not isinstance(configs, list) or not configs:
            continue
        network = function.network
        if network is None and not function.has("VpcConfig") or (
                network is not None and isinstance(network.subnet_ids, list) and not network.subnet_ids):
            yield function.hit(f"function {function.logical_id} mounts a file system but has no VpcConfig "
                               f"subnets", "FileSystemConfigs")
        for index, config in enumerate(configs):
            config = model.resolve(config)
            if not isinstance(config, dict):
                continue
            path = model.resolve(config.get("LocalMountPath"))
            if isinstance(path, str) and not path.startswith("/mnt/"):
                yield function.hit(f"LocalMountPath {path!r} must start with /mnt/", "FileSystemConfigs", index,
                                   "LocalMountPath")
            problem = _access_point_problem(model, config.get("Arn"))
            if problem:
                yield function.hit(problem, "FileSystemConfigs", index, "Arn")


def _access_point_problem(model: TemplateModel, value: Any) -> str:
    from lambdalint.model import network as net  # only for a function that mounts a file system

    problem, name = net.mount_target_problem(model, value)
    if problem == net.ACCESS_POINT_ID:
        # worded for both front ends: `!GetAtt X.Arn` in a template, `X.arn` in Terraform
        return f"this is the ID of access point {name}; Lambda mounts an access point by its ARN"
    if problem == net.FILE_SYSTEM:
        return f"{name} is a file system; Lambda mounts an EFS access point (its ARN)"
    if problem == net.NOT_AN_ARN:
        return f"file system {name!r} is not an access point ARN"
    return ""
