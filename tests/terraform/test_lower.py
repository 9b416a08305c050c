"""The lowering of hand-built Terraform configurations: the template it makes, and where findings land."""

from __future__ import annotations

from lambdalint.api import Linter
from lambdalint.config import Config
from lambdalint.frontends.terraform import read
from lambdalint.frontends.terraform.configuration import Ignore, Interpolation, Position, Reference
from lambdalint.frontends.terraform.lower import UNKNOWN_VALUE, logical_id, lower
from lambdalint.model.values import UNKNOWN
from terraform_blocks import block, configuration

WORKER = "aws_lambda_function.worker"


def worker(line: int = 10, **values):
    arguments = dict(function_name="worker", runtime="python3.12", handler="app.handler")
    arguments.update(values)
    return block(WORKER, line=line, **arguments)


def findings(*blocks, folder="."):
    checked = Linter().check_configuration(read.prepared(configuration(*blocks, folder=folder)))
    return sorted((f.file, f.line, f.rule, f.resource) for f in checked.findings)


def resources(*blocks):
    return lower(configuration(*blocks), ".").document.data["Resources"]


def test_logical_ids_spell_the_address():
    assert logical_id('module.fn["orders"].aws_lambda_function.this[0]') == "ModuleFnOrdersAwsLambdaFunctionThis0"
    ids = list(resources(block("aws_sqs_queue.a_b"), block("aws_sqs_queue.aB")))
    assert ids[0] == "AwsSqsQueueAB" and ids[1].startswith("AwsSqsQueueAB") and len(ids[1]) == len(ids[0]) + 8


def test_arguments_become_properties_and_references_become_ref_and_getatt():
    lowered = resources(
        block("aws_iam_role.r", assume_role_policy='{"Statement": []}'),
        worker(timeout=30, memory_size=256, environment=[{"variables": {"TABLE": "t"}}],
               role=Reference("aws_iam_role.r", ("arn",)), vpc_config=[{"subnet_ids": UNKNOWN}],
               reserved_concurrent_executions=-1, tracing_config=[{"mode": "Active"}]),
    )
    function = lowered["AwsLambdaFunctionWorker"]["Properties"]
    assert function["Timeout"] == 30 and function["MemorySize"] == 256
    assert function["Environment"] == {"Variables": {"TABLE": "t"}}
    assert function["Role"] == {"Fn::GetAtt": ["AwsIamRoleR", "Arn"]}
    assert function["VpcConfig"] == {"SubnetIds": UNKNOWN_VALUE}
    assert function["TracingConfig"] == {"Mode": "Active"}
    assert "ReservedConcurrentExecutions" not in function  # -1: the provider's "unreserved"
    assert lowered["AwsIamRoleR"]["Properties"]["AssumeRolePolicyDocument"] == {"Statement": []}


def test_unknown_and_interpolation():
    lowered = resources(worker(description=Interpolation(("v-", Reference(WORKER, ("function_name",)), "-", UNKNOWN))))
    assert lowered["AwsLambdaFunctionWorker"]["Properties"]["Description"] == {
        "Fn::Join": ["", ["v-", {"Ref": "AwsLambdaFunctionWorker"}, "-", UNKNOWN_VALUE]]}


def test_a_reference_to_a_block_not_lowered_is_unknown():
    lowered = resources(worker(kms_key_arn=Reference("aws_kms_key.k", ("arn",))))
    assert lowered["AwsLambdaFunctionWorker"]["Properties"]["KmsKeyArn"] == UNKNOWN_VALUE


def test_sqs_visibility_below_timeout_lands_on_the_mapping_line():
    found = findings(
        block("aws_sqs_queue.jobs", line=1, name="jobs", redrive_policy='{"maxReceiveCount": 3}'),
        worker(timeout=60),
        block("aws_lambda_event_source_mapping.m", line=30,
              event_source_arn=Reference("aws_sqs_queue.jobs", ("arn",)),
              function_name=Reference(WORKER, ("arn",))),
    )
    assert ("main.tf", 31, "LL6001", "aws_lambda_event_source_mapping.m") in found
    assert not [f for f in found if f[2] == "LL6012"]  # the redrive policy was read


def test_messages_name_addresses():
    checked = Linter().check_configuration(read.prepared(configuration(
        block("aws_sqs_queue.jobs", line=1),
        worker(timeout=60),
        block("aws_lambda_event_source_mapping.m", line=30, event_source_arn=Reference("aws_sqs_queue.jobs", ("arn",)),
              function_name=Reference(WORKER, ("function_name",))))))
    message = next(f.message for f in checked.findings if f.rule == "LL6001")
    assert message == ("queue aws_sqs_queue.jobs has a visibility timeout of 30s, shorter than the 60s timeout "
                       "of function aws_lambda_function.worker: Lambda refuses the mapping")
    finding = next(f for f in checked.findings if f.rule == "LL6001")
    assert finding.origin.as_dict() == {"kind": "terraform", "name": "aws_lambda_event_source_mapping.m"}
    assert finding.generated is None


def test_alias_on_version_of_an_unpublished_function_is_latest():
    alias = block("aws_lambda_alias.live", line=40, name="live", function_name=Reference(WORKER, ("function_name",)),
                  function_version=Reference(WORKER, ("version",)))
    assert ("main.tf", 43, "LL3004", "aws_lambda_alias.live") in findings(worker(), alias)
    published = findings(worker(publish=True), alias)
    assert not [f for f in published if f[2] in ("LL3004", "LL3005")]


def test_qualified_arn_without_publish_is_latest():
    provisioned = block("aws_lambda_provisioned_concurrency_config.p", line=50,
                          function_name=Reference(WORKER, ("function_name",)),
                          qualifier=Reference(WORKER, ("version",)), provisioned_concurrent_executions=2)
    lowered = resources(worker(publish=True), provisioned)
    assert lowered["AwsLambdaFunctionWorkerVersion"]["Properties"]["ProvisionedConcurrencyConfig"] == {
        "ProvisionedConcurrentExecutions": 2}
    mapping = block("aws_lambda_event_source_mapping.m", line=30,
                    event_source_arn=Reference("aws_sqs_queue.q", ("arn",)),
                    function_name=Reference(WORKER, ("qualified_arn",)))
    lowered = resources(worker(), block("aws_sqs_queue.q"), mapping)
    assert lowered["AwsLambdaEventSourceMappingM"]["Properties"]["FunctionName"] == {
        "Fn::Join": [":", [{"Fn::GetAtt": ["AwsLambdaFunctionWorker", "Arn"]}, "$LATEST"]]}


def test_ignore_comment_above_an_attribute_or_block():
    queue = block("aws_sqs_queue.jobs", line=1)
    mapping = dict(line=30, event_source_arn=Reference("aws_sqs_queue.jobs", ("arn",)),
                   function_name=Reference(WORKER, ("arn",)))
    on_arn = Ignore(("LL6001", "LL6012"), "tested", ("event_source_arn",), Position("main.tf", 30, 3))
    on_other = Ignore(("LL6001",), "elsewhere", ("batch_size",), Position("main.tf", 30, 3))
    assert not [f for f in findings(queue, worker(timeout=60),
                                    block("aws_lambda_event_source_mapping.m", ignores=(on_arn,), **mapping))
                if f[2] in ("LL6001", "LL6012")]
    kept = findings(queue, worker(timeout=60),
                    block("aws_lambda_event_source_mapping.m", ignores=(on_other,), **mapping))
    assert ("main.tf", 31, "LL6001", "aws_lambda_event_source_mapping.m") in kept


def test_conditional_block_is_maybe():
    lowered = lower(configuration(worker(), block("aws_sqs_queue.q", conditional=True)), ".").document.data
    assert lowered["Resources"]["AwsSqsQueueQ"]["Condition"] == "TerraformMaybe"
    assert "TerraformMaybe" in lowered["Conditions"] and "Default" not in lowered["Parameters"]["TerraformUnknown"]


def test_policy_document_data_source_is_inlined():
    document = block("data.aws_iam_policy_document.trust", line=60, statement=[{
        "actions": ["sts:AssumeRole"], "principals": [{"type": "Service", "identifiers": ["ec2.amazonaws.com"]}]}])
    role = block("aws_iam_role.r", line=70, assume_role_policy=Reference(document.address, ("json",)))
    found = findings(document, role, worker(role=Reference("aws_iam_role.r", ("arn",))))
    assert ("main.tf", 60, "LL5001", document.address) in found  # where the trust policy is written


def test_local_folder_package_is_read(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "other.py").write_text("def handler(event, context):\n    return 1\n")
    archive = block("data.archive_file.zip", line=80, source_dir="src", output_path="build/fn.zip")
    found = findings(archive, worker(filename=Reference(archive.address, ("output_path",))), folder=str(tmp_path))
    assert ("main.tf", 13, "LL1004", WORKER) in found  # at `handler`: app.py is not in src/


def test_a_zip_not_built_yet_is_unchecked_not_an_error(tmp_path):
    checked = Linter().check_configuration(read.prepared(configuration(
        worker(filename="build/missing.zip"), folder=str(tmp_path))))
    assert not [f for f in checked.findings if f.rule == "LL0004"]
    assert [(entry.resource, entry.reason) for entry in checked.unchecked] == [
        (WORKER, "code-not-known-before-apply")]


def test_nothing_lowered_is_nothing_checked():
    checked = Linter().check_configuration(read.prepared(configuration(block("aws_s3_object.o", source="x"))))
    assert checked.findings == [] and checked.functions == 0


def test_parse_errors_are_ll0001():
    from lambdalint.frontends.terraform.configuration import Configuration

    broken = Configuration(".", (), ("main.tf",), errors=((Position("main.tf", 3, 5), "unexpected '}'"),))
    checked = Linter().check_configuration(read.prepared(broken))
    assert [(f.file, f.line, f.column, f.rule, f.message) for f in checked.findings] == [
        ("main.tf", 3, 5, "LL0001", "unexpected '}'")]


def test_messages_name_arguments_for_properties():
    checked = Linter().check_configuration(read.prepared(configuration(
        block("aws_kinesis_stream.s", line=1), worker(),
        block("aws_lambda_event_source_mapping.m", line=30,
              event_source_arn=Reference("aws_kinesis_stream.s", ("arn",)),
              function_name=Reference(WORKER, ("arn",)), starting_position="LATEST", batch_size=20000))))
    messages = [f.message for f in checked.findings if f.rule == "LL6003"]
    assert messages == ["batch_size 20000 is outside 1-10000 for a kinesis source"]


def test_a_policy_nested_past_what_python_parses_is_unknown():
    lowered = resources(block("aws_iam_policy.p", policy="[" * 3000), block("aws_sqs_queue.q", redrive_policy="{"))
    assert lowered["AwsIamPolicyP"]["Properties"]["PolicyDocument"] == UNKNOWN_VALUE
    assert lowered["AwsSqsQueueQ"]["Properties"]["RedrivePolicy"] == UNKNOWN_VALUE


def test_a_layer_zip_not_built_yet_is_unknown_content_not_an_error(tmp_path):
    layer = block("aws_lambda_layer_version.deps", line=90, layer_name="deps", filename="build/deps.zip")
    found = findings(layer, worker(layers=[Reference(layer.address, ("arn",))], s3_bucket="b", s3_key="k",
                                   s3_object_version="1"), folder=str(tmp_path))
    assert not [f for f in found if f[2] == "LL0004"]
    assert resources(layer)["AwsLambdaLayerVersionDeps"]["Properties"]["Content"] == UNKNOWN_VALUE
    checked = Linter().check_configuration(read.prepared(configuration(layer, folder=str(tmp_path))))
    assert [(entry.resource, entry.reason) for entry in checked.unchecked] == [
        (layer.address, "code-not-known-before-apply")]  # not inspected, and said so


def test_dotted_properties_are_named_as_arguments():
    checked = Linter().check_configuration(read.prepared(configuration(
        worker(s3_bucket="b", s3_key="k", s3_object_version="1", ephemeral_storage=[{"size": 20480}]))))
    assert [f.message for f in checked.findings if f.rule == "LL2003"] == [
        "ephemeral_storage.size 20480 MB is outside 512-10240 MB"]


def test_messages_say_arguments_and_the_configuration_where_cloudformation_says_properties_and_the_stack():
    checked = Linter().check_configuration(read.prepared(configuration(
        worker(s3_bucket="b", s3_key="worker.zip", timeout=1800, architectures=["x86_64", "arm64"],
               environment=[{"variables": {"AWS_KEY_ID": "AKIA2OGYBAH6TQWERT7Z"}}]))))
    messages = {f.rule: f.message for f in checked.findings}
    assert messages["LL2002"] == "timeout 1800 s is outside 1-900 s"
    assert messages["LL2012"] == "architectures must list exactly one architecture, not 2"
    assert messages["LL1017"] == (
        "code of aws_lambda_function.worker is read from S3 key 'worker.zip' without an object version: uploading "
        "new code to the same key and applying the configuration again deploys nothing")
    assert messages["LL5012"] == "AWS access key ID in the configuration"
    quiet = Linter(Config(select=("LL2014",))).check_configuration(
        read.prepared(configuration(worker(s3_bucket="b", s3_key="k"))))
    assert [f.message for f in quiet.findings if f.rule == "LL2014"] == [
        "memory_size and timeout not set: Lambda uses the default 128 MB and 3 s"]
