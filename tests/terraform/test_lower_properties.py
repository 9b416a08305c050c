"""The lowering never raises and never makes a rule fail, whatever values a configuration holds."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambdalint.api import Linter
from lambdalint.frontends.terraform import read, shapes
from lambdalint.frontends.terraform.configuration import Encoded, Interpolation, Reference
from lambdalint.frontends.terraform.lower import lower
from lambdalint.model.values import UNKNOWN
from terraform_blocks import block, configuration

ADDRESSES = ["aws_lambda_function.f", "aws_sqs_queue.q", "aws_iam_role.r", "aws_lambda_alias.a",
             "data.aws_iam_policy_document.d", "data.archive_file.z", "aws_vpc.v", "aws_subnet.s",
             "aws_iam_role.b0", "aws_kms_key.b1", "aws_iam_policy.b0"]
TYPES = sorted(shapes.SHAPES) + ["aws_iam_role_policy_attachment", "aws_s3_bucket_notification",
                                 "aws_cloudwatch_event_target", "aws_lambda_provisioned_concurrency_config",
                                 "aws_iam_policy_attachment", "aws_kms_key_policy"]
KEYS = ["function_name", "timeout", "role", "roles", "key_id", "policy_arn", "environment", "variables", "statement", "actions", "principals",
        "type", "identifiers", "vpc_config", "subnet_ids", "publish", "filename", "source_dir", "qualifier",
        "lambda_function", "events", "arn", "rule", "policy", "redrive_policy", "route", "gateway_id", "0"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 20000), st.text(max_size=12),
                    st.just(UNKNOWN), st.just('{"Statement": [{"Effect": "Allow"}]}'), st.just("[" * 3000))
references = st.builds(Reference, st.sampled_from(ADDRESSES),
                       st.lists(st.sampled_from(["arn", "id", "name", "version", "qualified_arn", "json",
                                                 "output_path", "invoke_arn", "function_name", 0]),
                                max_size=2).map(tuple))
leaves = st.one_of(scalars, references,
                   st.lists(st.one_of(st.text(max_size=5), references, st.just(UNKNOWN)), max_size=3)
                   .map(lambda parts: Interpolation(tuple(parts))))
values = st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
                                                      # jsonencode of a value with references in it
                                                      st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)
                                                      .map(Encoded)),
                      max_leaves=20)


def _arguments(kind):
    """The type's own top-level argument names (so the generated values reach its converters), and others."""
    shape = shapes.SHAPES.get(kind)
    own = sorted({source.split(".")[0] for source, _, _ in shape.arguments}) if shape is not None else []
    return st.dictionaries(st.sampled_from(own + KEYS), values, max_size=6)


def _block(kind):
    prefix = "data." if kind in ("aws_iam_policy_document", "archive_file") else ""
    return st.builds(lambda index, data, conditional: block(f"{prefix}{kind}.b{index}", conditional=conditional,
                                                            **data),
                     st.integers(0, 2), _arguments(kind), st.booleans())


blocks = st.sampled_from(TYPES + ["aws_iam_policy_document", "archive_file"]).flatmap(_block)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(blocks, max_size=6))
def test_any_configuration_lowers_and_checks_without_failure(generated):
    unique = {item.address: item for item in generated}
    config = configuration(*unique.values())
    lowered = lower(config, ".")
    assert set(lowered.addresses.values()) <= set(unique)
    checked = Linter().check_configuration(read.prepared(config))
    assert not [f.message for f in checked.findings if f.rule == "LL0007"]
