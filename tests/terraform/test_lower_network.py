"""The lowering of aliases, concurrency, VPC and event-source blocks: what the model sees, where findings land."""

from __future__ import annotations

from lambdalint.frontends.terraform.lower import lower
from terraform_blocks import block, configuration

ALIAS = "aws_lambda_alias.live"


def lowered(*blocks):
    return lower(configuration(*blocks), ".")


def test_each_routing_weight_lands_at_its_own_entry():
    routing = [{"additional_version_weights": {"2": 10, "1": 0.1}}]
    lowering = lowered(block(ALIAS, name="live", function_version="2", routing_config=routing))
    alias = lowering.document.data["Resources"]["AwsLambdaAliasLive"]["Properties"]
    assert alias["RoutingConfig"]["AdditionalVersionWeights"] == [
        {"FunctionVersion": "2", "FunctionWeight": 10}, {"FunctionVersion": "1", "FunctionWeight": 0.1}]
    base = ("Resources", "AwsLambdaAliasLive", "Properties", "RoutingConfig", "AdditionalVersionWeights")
    assert lowering.place(base + (1, "FunctionWeight")) == (ALIAS, ("routing_config", 0, "additional_version_weights", "1"))
    assert lowering.place(base) == (ALIAS, ("routing_config", 0, "additional_version_weights"))


def test_region_partition_and_account_data_sources_are_the_pseudo_parameters():
    from lambdalint.frontends.terraform.configuration import Interpolation, Reference

    service = Interpolation(("com.amazonaws.", Reference("data.aws_region.current", ("name",)), ".dynamodb"))
    role = Interpolation(("arn:", Reference("data.aws_partition.current", ("partition",)), ":iam::",
                          Reference("data.aws_caller_identity.current", ("account_id",)), ":role/worker"))
    resources = lowered(
        block("data.aws_region.current"), block("data.aws_partition.current"),
        block("data.aws_caller_identity.current"), block("data.aws_region.west", name="us-west-2"),
        block("aws_vpc_endpoint.dynamodb", service_name=service),
        block("aws_vpc_endpoint.west", service_name=Interpolation(
            ("com.amazonaws.", Reference("data.aws_region.west", ("name",)), ".s3"))),
        block("aws_lambda_function.worker", role=role),
    ).document.data["Resources"]
    assert resources["AwsVpcEndpointDynamodb"]["Properties"]["ServiceName"] == {
        "Fn::Join": ["", ["com.amazonaws.", {"Ref": "AWS::Region"}, ".dynamodb"]]}
    # a region named by an argument is that region's own value, never the stack's region
    assert resources["AwsVpcEndpointWest"]["Properties"]["ServiceName"] == "com.amazonaws.us-west-2.s3"
    assert resources["AwsLambdaFunctionWorker"]["Properties"]["Role"] == {"Fn::Join": ["", [
        "arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":role/worker"]]}


def test_efs_access_point_id_and_arn_are_ref_and_getatt():
    from lambdalint.frontends.terraform.configuration import Reference

    resources = lowered(
        block("aws_efs_file_system.data"),
        block("aws_efs_access_point.data", file_system_id=Reference("aws_efs_file_system.data", ("id",))),
        block("aws_lambda_function.worker", file_system_config=[
            {"arn": Reference("aws_efs_access_point.data", ("id",)), "local_mount_path": "/mnt/a"},
            {"arn": Reference("aws_efs_access_point.data", ("arn",)), "local_mount_path": "/mnt/b"}]),
    ).document.data["Resources"]
    assert resources["AwsEfsAccessPointData"] == {"Type": "AWS::EFS::AccessPoint", "Properties": {
        "FileSystemId": {"Ref": "AwsEfsFileSystemData"}}}
    assert [config["Arn"] for config in resources["AwsLambdaFunctionWorker"]["Properties"]["FileSystemConfigs"]] == [
        {"Ref": "AwsEfsAccessPointData"}, {"Fn::GetAtt": ["AwsEfsAccessPointData", "Arn"]}]


def test_bucket_versioning_inside_the_bucket_block_is_read():
    from lambdalint.frontends.terraform.configuration import Reference
    from lambdalint.frontends.terraform.lower import UNKNOWN_VALUE

    resources = lowered(
        block("aws_s3_bucket.on", versioning=[{"enabled": True}]),
        block("aws_s3_bucket.off", versioning=[{"enabled": False}]),
        block("aws_s3_bucket.later", versioning=[{"enabled": Reference("aws_ssm_parameter.p", ("value",))}]),
        block("aws_s3_bucket.unset"),
    ).document.data["Resources"]
    statuses = {name: resource["Properties"].get("VersioningConfiguration") for name, resource in resources.items()}
    assert statuses == {"AwsS3BucketOn": {"Status": "Enabled"}, "AwsS3BucketOff": {"Status": "Suspended"},
                        "AwsS3BucketLater": {"Status": UNKNOWN_VALUE}, "AwsS3BucketUnset": None}


def test_api_gateway_integrations_are_what_the_model_reads():
    from lambdalint.frontends.terraform.configuration import Reference

    resources = lowered(
        block("aws_lambda_function.items", timeout=30),
        block("aws_api_gateway_rest_api.api", name="items"),
        block("aws_api_gateway_integration.get", rest_api_id=Reference("aws_api_gateway_rest_api.api", ("id",)),
              type="AWS_PROXY", uri=Reference("aws_lambda_function.items", ("invoke_arn",)), timeout_milliseconds=5000),
        block("aws_apigatewayv2_integration.post", api_id="abc", integration_type="AWS_PROXY",
              integration_uri=Reference("aws_lambda_function.items", ("arn",))),
    ).document.data["Resources"]
    method = resources["AwsApiGatewayIntegrationGet"]
    assert method["Type"] == "AWS::ApiGateway::Method"
    assert method["Properties"]["RestApiId"] == {"Ref": "AwsApiGatewayRestApiApi"}
    assert method["Properties"]["Integration"]["Type"] == "AWS_PROXY"
    assert method["Properties"]["Integration"]["TimeoutInMillis"] == 5000
    assert resources["AwsApigatewayv2IntegrationPost"]["Properties"]["IntegrationUri"] == {
        "Fn::GetAtt": ["AwsLambdaFunctionItems", "Arn"]}


def test_provisioned_concurrency_on_an_alias_named_by_text():
    from lambdalint.frontends.terraform.configuration import Reference

    function = Reference("aws_lambda_function.worker", ("function_name",))
    resources = lowered(
        block("aws_lambda_function.worker", function_name="worker", publish=True),
        block("aws_lambda_alias.live", name="live", function_name=function, function_version="1"),
        block("aws_lambda_alias.other", name="canary", function_name="someone-else", function_version="1"),
        block("aws_lambda_provisioned_concurrency_config.by_name", function_name="worker", qualifier="live",
              provisioned_concurrent_executions=3),
        block("aws_lambda_provisioned_concurrency_config.by_alias_function",
              function_name=Reference("aws_lambda_alias.other", ("function_name",)), qualifier="canary",
              provisioned_concurrent_executions=4),
        block("aws_lambda_provisioned_concurrency_config.unknown_alias", function_name=function, qualifier="beta",
              provisioned_concurrent_executions=5),
    ).document.data["Resources"]
    assert resources["AwsLambdaAliasLive"]["Properties"]["ProvisionedConcurrencyConfig"] == {
        "ProvisionedConcurrentExecutions": 3}
    # "someone-else" is no function of this configuration: which alias "canary" is cannot be known
    assert "ProvisionedConcurrencyConfig" not in resources["AwsLambdaAliasOther"]["Properties"]


def test_http_api_quick_create_target_is_an_integration():
    from lambdalint.frontends.terraform.configuration import Reference

    resources = lowered(
        block("aws_lambda_function.items"),
        block("aws_apigatewayv2_api.http", protocol_type="HTTP", target=Reference("aws_lambda_function.items", ("arn",))),
        block("aws_apigatewayv2_api.proxy", protocol_type="HTTP", target="https://example.com"),
        block("aws_apigatewayv2_api.plain", protocol_type="HTTP"),
    ).document.data["Resources"]
    assert resources["AwsApigatewayv2ApiHttpTarget"] == {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
        "ApiId": {"Ref": "AwsApigatewayv2ApiHttp"}, "IntegrationType": "AWS_PROXY",
        "IntegrationUri": {"Fn::GetAtt": ["AwsLambdaFunctionItems", "Arn"]}}}
    assert "IntegrationType" not in resources["AwsApigatewayv2ApiProxyTarget"]["Properties"]
    assert "AwsApigatewayv2ApiPlainTarget" not in resources
