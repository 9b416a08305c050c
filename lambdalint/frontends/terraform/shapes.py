"""The provider's resource types as CloudFormation resources: which argument is which property.

One Shape per Terraform type the lowering knows. `arguments` pairs a path into the block's
values (the provider's argument names, `terraform show -json` style: a nested block is a list
of dicts, `*` stands for each of its entries) with the CloudFormation property path it becomes;
`attributes` says what a reference to the block's attribute is in CloudFormation (`Ref` or
`GetAtt <name>`). An attribute not listed is the configured argument of that name when the
block sets it, else unknown.

Names of arguments and attributes: the AWS provider's resource documentation,
https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/<type without aws_>
(for example .../docs/resources/lambda_function); CloudFormation's property names:
https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html
and its siblings. Where the provider's default for an unset argument matters to a rule and
differs from CloudFormation's, `defaults` says so; timeout (3 s), memory_size (128 MB) and
visibility_timeout_seconds (30 s) default as CloudFormation does, so they are left unset and
rules that tell a default from a set value (LL2011, LL2014) see what the user wrote.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Tuple

from ...records import Record

# converters named in `arguments` (lambdalint.frontends.terraform.lower applies them)
JSON = "json"  # a policy or redrive policy: JSON text, a jsonencode result or a policy document
UNRESERVED_IS_ABSENT = "unreserved"  # reserved_concurrent_executions -1: no reservation
WEIGHTS = "weights"  # {version: weight} -> [{FunctionVersion, FunctionWeight}]
PRINCIPALS = "principals"  # policy document principals blocks -> Principal
CONDITIONS = "conditions"  # policy document condition blocks -> Condition

REF, ARN = "Ref", "GetAtt:Arn"


class Shape(Record):
    __slots__ = ("cfn_type", "arguments", "attributes", "defaults")

    def __init__(self, cfn_type: str, arguments: Tuple[Tuple[str, str, Optional[str]], ...],
                 attributes: Mapping[str, str], defaults: Mapping[str, Any] = {}) -> None:
        self.cfn_type = cfn_type
        self.arguments = arguments
        self.attributes = attributes
        self.defaults = defaults


def _args(*rows: Any) -> Tuple[Tuple[str, str, Optional[str]], ...]:
    return tuple((row[0], row[1], row[2] if len(row) > 2 else None) for row in rows)


LAMBDA_FUNCTION = "aws_lambda_function"
ARCHIVE_FILE = "archive_file"
S3_OBJECT = "aws_s3_object"
POLICY_DOCUMENT = "aws_iam_policy_document"
KMS_KEY = "aws_kms_key"
AVAILABILITY_ZONES = "aws_availability_zones"  # a data source: its `names` are !GetAZs (lower.py)

# Data sources without arguments that say where the configuration deploys: the pseudo parameter
# a CloudFormation template would use (`"com.amazonaws.${data.aws_region.current.name}.s3"` is
# the `!Sub com.amazonaws.${AWS::Region}.s3` rules know). With an argument (another region) they
# are unknown, as any data source. The `provider` meta-argument is not kept (blocks.py), so one of
# another provider configuration reads as the same region and account: rules compare these only
# inside ARNs and endpoint service names, where the region names no resource of its own.
# https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/region
# https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/partition
# https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/caller_identity
PSEUDO_PARAMETERS: Dict[Tuple[str, str], str] = {
    ("aws_region", "name"): "AWS::Region", ("aws_region", "region"): "AWS::Region",
    ("aws_region", "id"): "AWS::Region",
    ("aws_partition", "partition"): "AWS::Partition", ("aws_partition", "id"): "AWS::Partition",
    ("aws_partition", "dns_suffix"): "AWS::URLSuffix",
    ("aws_caller_identity", "account_id"): "AWS::AccountId", ("aws_caller_identity", "id"): "AWS::AccountId",
}

SHAPES: Dict[str, Shape] = {
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function
    # (code, publish and qualified attributes are lowered by lower.py: they need more than a rename)
    LAMBDA_FUNCTION: Shape("AWS::Lambda::Function", _args(
        ("function_name", "FunctionName"), ("handler", "Handler"), ("runtime", "Runtime"),
        ("timeout", "Timeout"), ("memory_size", "MemorySize"), ("description", "Description"),
        ("environment.0.variables", "Environment.Variables"), ("layers", "Layers"), ("role", "Role"),
        ("vpc_config.0.subnet_ids", "VpcConfig.SubnetIds"),
        ("vpc_config.0.security_group_ids", "VpcConfig.SecurityGroupIds"),
        ("vpc_config.0.ipv6_allowed_for_dual_stack", "VpcConfig.Ipv6AllowedForDualStack"),
        ("architectures", "Architectures"), ("tracing_config.0.mode", "TracingConfig.Mode"),
        ("ephemeral_storage.0.size", "EphemeralStorage.Size"),
        ("dead_letter_config.0.target_arn", "DeadLetterConfig.TargetArn"),
        ("reserved_concurrent_executions", "ReservedConcurrentExecutions", UNRESERVED_IS_ABSENT),
        ("package_type", "PackageType"), ("image_uri", "Code.ImageUri"),
        ("image_config.0.command", "ImageConfig.Command"),
        ("image_config.0.entry_point", "ImageConfig.EntryPoint"),
        ("image_config.0.working_directory", "ImageConfig.WorkingDirectory"),
        ("kms_key_arn", "KmsKeyArn"), ("code_signing_config_arn", "CodeSigningConfigArn"),
        ("logging_config.0.log_format", "LoggingConfig.LogFormat"),
        ("logging_config.0.log_group", "LoggingConfig.LogGroup"),
        ("logging_config.0.application_log_level", "LoggingConfig.ApplicationLogLevel"),
        ("logging_config.0.system_log_level", "LoggingConfig.SystemLogLevel"),
        ("snap_start.0.apply_on", "SnapStart.ApplyOn"),
        ("file_system_config.*.arn", "FileSystemConfigs.*.Arn"),
        ("file_system_config.*.local_mount_path", "FileSystemConfigs.*.LocalMountPath"),
        # s3_key first: a finding about the code in S3 (no version) lands at the key
        ("s3_key", "Code.S3Key"), ("s3_bucket", "Code.S3Bucket"), ("s3_object_version", "Code.S3ObjectVersion"),
    ), {"arn": ARN, "function_name": REF, "id": REF, "invoke_arn": "invoke_arn"}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_alias
    "aws_lambda_alias": Shape("AWS::Lambda::Alias", _args(
        ("name", "Name"), ("function_name", "FunctionName"), ("function_version", "FunctionVersion"),
        ("description", "Description"),
        ("routing_config.0.additional_version_weights", "RoutingConfig.AdditionalVersionWeights", WEIGHTS),
    ), {"arn": REF, "id": REF, "invoke_arn": "invoke_arn"}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_event_source_mapping
    "aws_lambda_event_source_mapping": Shape("AWS::Lambda::EventSourceMapping", _args(
        ("event_source_arn", "EventSourceArn"), ("function_name", "FunctionName"),
        ("batch_size", "BatchSize"), ("maximum_batching_window_in_seconds", "MaximumBatchingWindowInSeconds"),
        ("starting_position", "StartingPosition"), ("starting_position_timestamp", "StartingPositionTimestamp"),
        ("enabled", "Enabled"), ("bisect_batch_on_function_error", "BisectBatchOnFunctionError"),
        ("maximum_retry_attempts", "MaximumRetryAttempts"),
        ("maximum_record_age_in_seconds", "MaximumRecordAgeInSeconds"),
        ("parallelization_factor", "ParallelizationFactor"),
        ("tumbling_window_in_seconds", "TumblingWindowInSeconds"),
        ("function_response_types", "FunctionResponseTypes"),
        ("destination_config.0.on_failure.0.destination_arn", "DestinationConfig.OnFailure.Destination"),
        ("scaling_config.0.maximum_concurrency", "ScalingConfig.MaximumConcurrency"),
        ("filter_criteria.0.filter.*.pattern", "FilterCriteria.Filters.*.Pattern"),
        ("queues", "Queues"), ("topics", "Topics"),
        ("self_managed_event_source.0.endpoints", "SelfManagedEventSource.Endpoints"),
    ), {"uuid": REF, "id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_permission
    "aws_lambda_permission": Shape("AWS::Lambda::Permission", _args(
        ("action", "Action"), ("function_name", "FunctionName"), ("principal", "Principal"),
        ("source_arn", "SourceArn"), ("source_account", "SourceAccount"),
        ("event_source_token", "EventSourceToken"), ("function_url_auth_type", "FunctionUrlAuthType"),
        ("principal_org_id", "PrincipalOrgID"),
    ), {}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_layer_version
    "aws_lambda_layer_version": Shape("AWS::Lambda::LayerVersion", _args(
        ("layer_name", "LayerName"), ("compatible_runtimes", "CompatibleRuntimes"),
        ("compatible_architectures", "CompatibleArchitectures"), ("license_info", "LicenseInfo"),
        ("s3_bucket", "Content.S3Bucket"), ("s3_key", "Content.S3Key"),
        ("s3_object_version", "Content.S3ObjectVersion"),
    ), {"arn": REF, "id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function_url
    "aws_lambda_function_url": Shape("AWS::Lambda::Url", _args(
        ("function_name", "TargetFunctionArn"), ("qualifier", "Qualifier"),
        ("authorization_type", "AuthType"), ("invoke_mode", "InvokeMode"),
        ("cors.0.allow_credentials", "Cors.AllowCredentials"), ("cors.0.allow_origins", "Cors.AllowOrigins"),
        ("cors.0.allow_methods", "Cors.AllowMethods"), ("cors.0.allow_headers", "Cors.AllowHeaders"),
        ("cors.0.expose_headers", "Cors.ExposeHeaders"), ("cors.0.max_age", "Cors.MaxAge"),
    ), {"function_url": "GetAtt:FunctionUrl"}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function_event_invoke_config
    "aws_lambda_function_event_invoke_config": Shape("AWS::Lambda::EventInvokeConfig", _args(
        ("function_name", "FunctionName"), ("qualifier", "Qualifier"),
        ("maximum_event_age_in_seconds", "MaximumEventAgeInSeconds"),
        ("maximum_retry_attempts", "MaximumRetryAttempts"),
        ("destination_config.0.on_failure.0.destination", "DestinationConfig.OnFailure.Destination"),
        ("destination_config.0.on_success.0.destination", "DestinationConfig.OnSuccess.Destination"),
    ), {}, {"Qualifier": "$LATEST"}),  # qualifier unset: the unpublished function ($LATEST)
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sqs_queue
    "aws_sqs_queue": Shape("AWS::SQS::Queue", _args(
        ("name", "QueueName"), ("visibility_timeout_seconds", "VisibilityTimeout"),
        ("fifo_queue", "FifoQueue"), ("redrive_policy", "RedrivePolicy", JSON),
        ("message_retention_seconds", "MessageRetentionPeriod"), ("delay_seconds", "DelaySeconds"),
        ("kms_master_key_id", "KmsMasterKeyId"),
    ), {"arn": ARN, "id": REF, "url": REF, "name": "GetAtt:QueueName"}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role
    "aws_iam_role": Shape("AWS::IAM::Role", _args(
        ("name", "RoleName"), ("assume_role_policy", "AssumeRolePolicyDocument", JSON),
        ("managed_policy_arns", "ManagedPolicyArns"), ("permissions_boundary", "PermissionsBoundary"),
        ("inline_policy.*.name", "Policies.*.PolicyName"),
        ("inline_policy.*.policy", "Policies.*.PolicyDocument", JSON),
    ), {"arn": ARN, "name": REF, "id": REF, "unique_id": "GetAtt:RoleId"}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy
    "aws_iam_role_policy": Shape("AWS::IAM::Policy", _args(
        ("name", "PolicyName"), ("policy", "PolicyDocument", JSON), ("role", "Roles.0"),
    ), {}, {"PolicyName": "terraform-inline-policy"}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_policy
    "aws_iam_policy": Shape("AWS::IAM::ManagedPolicy", _args(
        ("name", "ManagedPolicyName"), ("policy", "PolicyDocument", JSON),
    ), {"arn": REF, "id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key
    # (without `policy` the key has KMS's default key policy, see lower.py; an aws_kms_key_policy sets it)
    KMS_KEY: Shape("AWS::KMS::Key", _args(
        ("description", "Description"), ("policy", "KeyPolicy", JSON), ("key_usage", "KeyUsage"),
        ("enable_key_rotation", "EnableKeyRotation"),
    ), {"arn": ARN, "key_id": REF, "id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document
    # (a data source: inlined where its `json` is used, see lower.py)
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc
    "aws_vpc": Shape("AWS::EC2::VPC", _args(
        ("cidr_block", "CidrBlock"), ("instance_tenancy", "InstanceTenancy"),
    ), {"id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/subnet
    "aws_subnet": Shape("AWS::EC2::Subnet", _args(
        ("vpc_id", "VpcId"), ("cidr_block", "CidrBlock"), ("availability_zone", "AvailabilityZone"),
        ("availability_zone_id", "AvailabilityZoneId"), ("map_public_ip_on_launch", "MapPublicIpOnLaunch"),
    ), {"id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group
    "aws_security_group": Shape("AWS::EC2::SecurityGroup", _args(
        ("description", "GroupDescription"), ("vpc_id", "VpcId"), ("name", "GroupName"),
    ), {"id": "GetAtt:GroupId"}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route_table
    # (inline `route` blocks become AWS::EC2::Route resources, see lower.py)
    "aws_route_table": Shape("AWS::EC2::RouteTable", _args(("vpc_id", "VpcId")), {"id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route
    "aws_route": Shape("AWS::EC2::Route", _args(
        ("route_table_id", "RouteTableId"), ("destination_cidr_block", "DestinationCidrBlock"),
        ("destination_ipv6_cidr_block", "DestinationIpv6CidrBlock"), ("gateway_id", "GatewayId"),
        ("nat_gateway_id", "NatGatewayId"), ("transit_gateway_id", "TransitGatewayId"),
        ("vpc_peering_connection_id", "VpcPeeringConnectionId"), ("network_interface_id", "NetworkInterfaceId"),
        ("egress_only_gateway_id", "EgressOnlyInternetGatewayId"), ("vpc_endpoint_id", "VpcEndpointId"),
    ), {}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route_table_association
    "aws_route_table_association": Shape("AWS::EC2::SubnetRouteTableAssociation", _args(
        ("subnet_id", "SubnetId"), ("route_table_id", "RouteTableId"),
    ), {}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/nat_gateway
    "aws_nat_gateway": Shape("AWS::EC2::NatGateway", _args(
        ("subnet_id", "SubnetId"), ("allocation_id", "AllocationId"), ("connectivity_type", "ConnectivityType"),
    ), {"id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/internet_gateway
    "aws_internet_gateway": Shape("AWS::EC2::InternetGateway", _args(), {"id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_endpoint
    "aws_vpc_endpoint": Shape("AWS::EC2::VPCEndpoint", _args(
        ("vpc_id", "VpcId"), ("service_name", "ServiceName"), ("vpc_endpoint_type", "VpcEndpointType"),
        ("subnet_ids", "SubnetIds"), ("route_table_ids", "RouteTableIds"),
        ("security_group_ids", "SecurityGroupIds"), ("private_dns_enabled", "PrivateDnsEnabled"),
    ), {"id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/efs_file_system
    "aws_efs_file_system": Shape("AWS::EFS::FileSystem", _args(
        ("encrypted", "Encrypted"), ("kms_key_id", "KmsKeyId"), ("performance_mode", "PerformanceMode"),
        ("throughput_mode", "ThroughputMode"),
    ), {"arn": ARN, "id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/efs_access_point
    # (`id` is the access point ID, as CloudFormation's Ref; a function mounts its `arn`)
    "aws_efs_access_point": Shape("AWS::EFS::AccessPoint", _args(
        ("file_system_id", "FileSystemId"), ("root_directory.0.path", "RootDirectory.Path"),
        ("posix_user.0.uid", "PosixUser.Uid"), ("posix_user.0.gid", "PosixUser.Gid"),
    ), {"arn": ARN, "id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/efs_mount_target
    "aws_efs_mount_target": Shape("AWS::EFS::MountTarget", _args(
        ("file_system_id", "FileSystemId"), ("subnet_id", "SubnetId"), ("security_groups", "SecurityGroups"),
        ("ip_address", "IpAddress"),
    ), {"id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_rest_api
    "aws_api_gateway_rest_api": Shape("AWS::ApiGateway::RestApi", _args(
        ("name", "Name"), ("body", "Body", JSON),
    ), {"id": REF, "root_resource_id": "GetAtt:RootResourceId"}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_integration
    # The provider keeps a method's integration in a resource of its own; CloudFormation keeps it in
    # the method's Integration, which is what the model reads. timeout_milliseconds unset is the
    # default (29 s) the model applies, as for a template's method without TimeoutInMillis.
    "aws_api_gateway_integration": Shape("AWS::ApiGateway::Method", _args(
        ("rest_api_id", "RestApiId"), ("resource_id", "ResourceId"), ("http_method", "HttpMethod"),
        ("type", "Integration.Type"), ("uri", "Integration.Uri"),
        ("integration_http_method", "Integration.IntegrationHttpMethod"),
        ("timeout_milliseconds", "Integration.TimeoutInMillis"),
        ("response_transfer_mode", "Integration.ResponseTransferMode"),
    ), {}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/apigatewayv2_api
    "aws_apigatewayv2_api": Shape("AWS::ApiGatewayV2::Api", _args(
        ("name", "Name"), ("protocol_type", "ProtocolType"), ("body", "Body", JSON),
    ), {"id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/apigatewayv2_integration
    "aws_apigatewayv2_integration": Shape("AWS::ApiGatewayV2::Integration", _args(
        ("api_id", "ApiId"), ("integration_type", "IntegrationType"), ("integration_uri", "IntegrationUri"),
        ("integration_method", "IntegrationMethod"), ("payload_format_version", "PayloadFormatVersion"),
        ("timeout_milliseconds", "TimeoutInMillis"),
    ), {"id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_log_group
    "aws_cloudwatch_log_group": Shape("AWS::Logs::LogGroup", _args(
        ("name", "LogGroupName"), ("retention_in_days", "RetentionInDays"), ("kms_key_id", "KmsKeyId"),
    ), {"arn": ARN, "name": REF, "id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sns_topic
    "aws_sns_topic": Shape("AWS::SNS::Topic", _args(("name", "TopicName")), {"arn": REF, "id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sns_topic_subscription
    "aws_sns_topic_subscription": Shape("AWS::SNS::Subscription", _args(
        ("topic_arn", "TopicArn"), ("protocol", "Protocol"), ("endpoint", "Endpoint"),
        ("filter_policy", "FilterPolicy", JSON), ("redrive_policy", "RedrivePolicy", JSON),
    ), {}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket
    "aws_s3_bucket": Shape("AWS::S3::Bucket", _args(("bucket", "BucketName")),
                           {"arn": ARN, "id": REF, "bucket": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kinesis_stream
    "aws_kinesis_stream": Shape("AWS::Kinesis::Stream", _args(("name", "Name"), ("shard_count", "ShardCount")),
                                {"arn": ARN, "id": REF, "name": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kinesis_stream_consumer
    # (its `id` is its ARN as well)
    "aws_kinesis_stream_consumer": Shape("AWS::Kinesis::StreamConsumer", _args(
        ("stream_arn", "StreamARN"), ("name", "ConsumerName"),
    ), {"arn": "GetAtt:ConsumerARN", "id": "GetAtt:ConsumerARN"}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table
    "aws_dynamodb_table": Shape("AWS::DynamoDB::Table", _args(
        ("name", "TableName"), ("stream_view_type", "StreamSpecification.StreamViewType"),
    ), {"arn": ARN, "stream_arn": "GetAtt:StreamArn", "id": REF, "name": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_event_rule
    # (targets come from aws_cloudwatch_event_target blocks, see lower.py)
    "aws_cloudwatch_event_rule": Shape("AWS::Events::Rule", _args(
        ("name", "Name"), ("schedule_expression", "ScheduleExpression"), ("event_pattern", "EventPattern", JSON),
        ("event_bus_name", "EventBusName"), ("state", "State"),
    ), {"arn": ARN, "name": REF, "id": REF}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/scheduler_schedule
    "aws_scheduler_schedule": Shape("AWS::Scheduler::Schedule", _args(
        ("name", "Name"), ("schedule_expression", "ScheduleExpression"),
        ("target.0.arn", "Target.Arn"), ("target.0.role_arn", "Target.RoleArn"), ("target.0.input", "Target.Input"),
        ("target.0.retry_policy.0.maximum_retry_attempts", "Target.RetryPolicy.MaximumRetryAttempts"),
        ("target.0.retry_policy.0.maximum_event_age_in_seconds", "Target.RetryPolicy.MaximumEventAgeInSeconds"),
        ("target.0.dead_letter_config.0.arn", "Target.DeadLetterConfig.Arn"),
        ("flexible_time_window.0.mode", "FlexibleTimeWindow.Mode"),
    ), {"arn": ARN}, {"FlexibleTimeWindow": {"Mode": "OFF"}}),
    # https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution
    "aws_cloudfront_distribution": Shape("AWS::CloudFront::Distribution", _args(
        ("default_cache_behavior.0.lambda_function_association.*.event_type",
         "DistributionConfig.DefaultCacheBehavior.LambdaFunctionAssociations.*.EventType"),
        ("default_cache_behavior.0.lambda_function_association.*.lambda_arn",
         "DistributionConfig.DefaultCacheBehavior.LambdaFunctionAssociations.*.LambdaFunctionARN"),
        ("default_cache_behavior.0.lambda_function_association.*.include_body",
         "DistributionConfig.DefaultCacheBehavior.LambdaFunctionAssociations.*.IncludeBody"),
        ("ordered_cache_behavior.*.path_pattern", "DistributionConfig.CacheBehaviors.*.PathPattern"),
        ("ordered_cache_behavior.*.lambda_function_association.*.event_type",
         "DistributionConfig.CacheBehaviors.*.LambdaFunctionAssociations.*.EventType"),
        ("ordered_cache_behavior.*.lambda_function_association.*.lambda_arn",
         "DistributionConfig.CacheBehaviors.*.LambdaFunctionAssociations.*.LambdaFunctionARN"),
        ("ordered_cache_behavior.*.lambda_function_association.*.include_body",
         "DistributionConfig.CacheBehaviors.*.LambdaFunctionAssociations.*.IncludeBody"),
    ), {"arn": "GetAtt:Arn", "id": REF}),
}
