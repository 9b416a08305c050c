"""The model's answer to "which resource-level keys does CloudFormation ignore?" (LL0008)."""

from __future__ import annotations

import json
import pathlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambdalint.loading import load_text
from lambdalint.model import TemplateModel
from lambdalint.model.attributes import (
    CUSTOM_ONLY,
    KNOWN_PROPERTIES,
    MISSPELT,
    PROPERTY,
    RESOURCE_ATTRIBUTES,
    UNKNOWN_KEY,
    attributes_of,
    unknown_resource_keys,
)
from sample_templates import model_of


def keys_of(model: TemplateModel):
    return [(found.resource.logical_id, found.key, found.kind, found.meant) for found in unknown_resource_keys(model)]


def test_each_unknown_key_is_classified():
    model = model_of("""
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Runtime: python3.13
            condition: X
            Version: "2"
            Colour: blue
            Properties: {}
          Hook:
            Type: Custom::Hook
            Version: "2"
            Properties: {ServiceToken: arn:aws:lambda:eu-west-1:123456789012:function:hook}
    """)
    assert keys_of(model) == [
        ("Fn", "Runtime", PROPERTY, None),
        ("Fn", "condition", MISSPELT, "Condition"),
        ("Fn", "Version", CUSTOM_ONLY, None),
        ("Fn", "Colour", UNKNOWN_KEY, None),
    ]
    assert unknown_resource_keys(model)[0].path == ("Resources", "Fn", "Runtime")


@pytest.mark.parametrize("transform", ["[Count]", "{Name: Count, Parameters: {}}", "!Ref Macro"])
def test_a_macro_may_read_any_key_so_nothing_is_said(transform):
    model = model_of(f"""
        Transform: {transform}
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
            Count: 3
    """)
    assert keys_of(model) == []


def test_aws_transforms_and_include_snippets():
    model = model_of("""
        Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
        Resources:
          Included:
            Type: AWS::SNS::Topic
            Colour: blue
            Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://b/k.yaml}}
          Plain:
            Type: AWS::SNS::Topic
            Colour: blue
    """)
    assert keys_of(model) == [("Plain", "Colour", UNKNOWN_KEY, None)]


@given(key=st.text(alphabet=st.characters(min_codepoint=48, max_codepoint=122), min_size=1, max_size=12),
       resource_type=st.sampled_from(sorted(KNOWN_PROPERTIES) + ["AWS::SQS::Queue", "Custom::Thing"]))
def test_a_key_is_reported_exactly_when_it_is_no_attribute_of_the_type(key, resource_type):
    definition = {"Type": resource_type, "Properties": {}, key: "x"}
    model = TemplateModel(load_text(json.dumps({"Resources": {"R": definition}}), "t.json"))
    reported = [found.key for found in unknown_resource_keys(model)]
    expected = [] if key in attributes_of(resource_type) or key.startswith("Fn::") else [key]
    assert reported == expected


def _cfn_lint_data() -> pathlib.Path:
    cfnlint = pytest.importorskip("cfnlint")
    return pathlib.Path(cfnlint.__file__).parent / "data" / "schemas"


def test_attributes_are_those_cfn_lint_admits():
    schema = json.loads((_cfn_lint_data() / "other" / "resources" / "configuration.json").read_text())
    admitted = set(schema["definitions"]["ResourceConfiguration"]["properties"])
    assert admitted == set(RESOURCE_ATTRIBUTES) | {"Version"}


CLOUDFORMATION_TYPES = [t for t in sorted(KNOWN_PROPERTIES) if not t.startswith("AWS::Serverless::")]


@pytest.mark.parametrize("resource_type", CLOUDFORMATION_TYPES)
def test_known_properties_are_writable_properties_of_the_schema(resource_type):
    """A property named in our table that its schema does not have would send users to the wrong place."""
    data = _cfn_lint_data()
    providers = json.loads((data / "providers" / "us-east-1.json").read_text())
    schema = json.loads((data / "resources" / f"{providers[resource_type]}.json").read_text())
    read_only = {path.rsplit("/", 1)[-1] for path in schema.get("readOnlyProperties", [])}
    writable = set(schema["properties"]) - read_only
    assert KNOWN_PROPERTIES[resource_type] <= writable
