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
