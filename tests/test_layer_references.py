"""LL2015's severity follows what Lambda documents of layer version ARNs: an error only where the
reference cannot deploy (https://docs.aws.amazon.com/lambda/latest/api/API_Layer.html)."""

from __future__ import annotations

import pytest

from lambdalint.api import lint_text
from lambdalint.config import Config
from lambdalint.findings import Severity

TEMPLATE = """
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/worker
      Code: {S3Bucket: b, S3Key: k.zip}
      Layers: [%s]
"""


def layer_findings(layer: str):
    return [(f.severity, f.message) for f in lint_text(TEMPLATE % layer, "t.yaml", Config(select=("LL2015",)))]


@pytest.mark.parametrize("name_length, expected", [(140, []), (141, [Severity.ERROR])])
def test_a_layer_name_over_140_characters_is_an_error(name_length, expected):
    found = layer_findings(f"arn:aws:lambda:us-east-1:123456789012:layer:{'x' * name_length}:1")
    assert [severity for severity, _ in found] == expected
    if found:
        assert "141 characters" in found[0][1] and "140" in found[0][1]


def test_the_awslayer_form_is_a_warning_not_an_error():
    (severity, message), = layer_findings("arn:aws:lambda:::awslayer:AmazonLinux1803")
    assert severity == Severity.WARNING
    assert "awslayer" in message and "may not be available" in message


@pytest.mark.parametrize("layer", ["not-an-arn", "arn:aws:lambda:us-east-1:12345:layer:short-account:1",
                                   "arn:aws:s3:::bucket/layer.zip"])
def test_other_values_outside_the_documented_pattern_stay_errors(layer):
    (severity, message), = layer_findings(layer)
    assert severity == Severity.ERROR and "not a layer version ARN" in message


def test_a_layer_without_version_is_an_error():
    (severity, message), = layer_findings("arn:aws:lambda:us-east-1:123456789012:layer:shared")
    assert severity == Severity.ERROR and "no version" in message
