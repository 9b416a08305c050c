"""SAM Globals: SAM's merge rules, where inherited values are located, and what counts as SAM."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdalint.api import Linter
from lambdalint.config import Config
from lambdalint.loading import load_text
from lambdalint.model import TemplateModel
from lambdalint.model.sam import merge_function_properties, merge_globals, merged_origin, uses_sam
from lambdalint.model.values import UNKNOWN, Reference

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  HandlerParam: {Type: String, Default: app.handler}
Globals:
  Function:
    Timeout: 30
    Runtime: python3.12
    MemorySize: !Ref AWS::NoValue
    Layers:
      - arn:aws:lambda:us-east-1:123456789012:layer:shared:1
      - arn:aws:lambda:us-east-1:123456789012:layer:other:2
    Environment:
      Variables:
        SHARED: g
        BOTH: from-globals
        NESTED_IN_GLOBALS: g
    Tags: !Ref AWS::NoValue
    Handler: globals.handler
    VpcConfig:
      SecurityGroupIds: [sg-1]
    NotAGlobalProperty: 1
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      CodeUri: s3://b/k
      Handler: !Ref HandlerParam
      Layers:
        - arn:aws:lambda:us-east-1:123456789012:layer:own:1
      Environment:
        Variables:
          OWN: o
          BOTH: from-function
      Tags: {team: a}
      VpcConfig:
        SubnetIds: [subnet-1]
  Bare:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
  Cfn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
"""


@pytest.fixture(scope="module")
def model():
    return TemplateModel(load_text(TEMPLATE, "t.yaml"))


def test_scalar_from_function_overrides_globals(model):
    fn = model.function("Fn")
    assert fn.runtime == "python3.13"
    assert fn.timeout == 30  # inherited


def test_intrinsic_counts_as_a_scalar(model):
    fn = model.function("Fn")
    assert fn.get("Handler") == {"Ref": "HandlerParam"}  # the function's intrinsic wins over the global string
    assert fn.handler == "app.handler"
    assert fn.get("Tags") == {"team": "a"}  # a global intrinsic is replaced by the function's map, not merged


def test_maps_merge_recursively_with_function_winning(model):
    fn = model.function("Fn")
    assert fn.environment_variables == {
        "SHARED": "g", "BOTH": "from-function", "NESTED_IN_GLOBALS": "g", "OWN": "o",
    }
    assert fn.get("VpcConfig") == {"SecurityGroupIds": ["sg-1"], "SubnetIds": ["subnet-1"]}


def test_lists_concatenate_globals_first(model):
    assert model.function("Fn").layers == [
        "arn:aws:lambda:us-east-1:123456789012:layer:shared:1",
        "arn:aws:lambda:us-east-1:123456789012:layer:other:2",
        "arn:aws:lambda:us-east-1:123456789012:layer:own:1",
    ]


def test_function_without_the_property_inherits_all_of_it(model):
    bare = model.function("Bare")
    assert bare.runtime == "python3.12"
    assert bare.handler == "globals.handler"
    assert len(bare.layers) == 2
    assert bare.memory_size is None  # a global AWS::NoValue: as if absent


def test_only_properties_sam_accepts_in_globals_are_merged(model):
    assert not model.function("Bare").has("NotAGlobalProperty")


def test_cloudformation_functions_ignore_globals(model):
    cfn = model.function("Cfn")
    assert cfn.timeout is None
    assert cfn.effective_timeout == 3
    assert cfn.layers == []
    assert cfn.path("Timeout") == ("Resources", "Cfn", "Properties", "Timeout")


@pytest.mark.parametrize(
    "function, keys, path, line",
    [
        ("Fn", ("Timeout",), ("Globals", "Function", "Timeout"), 6),
        ("Fn", ("Runtime",), ("Resources", "Fn", "Properties", "Runtime"), 26),
        ("Fn", ("Handler",), ("Resources", "Fn", "Properties", "Handler"), 28),
        ("Fn", ("Environment", "Variables", "SHARED"), ("Globals", "Function", "Environment", "Variables", "SHARED"), 14),
        ("Fn", ("Environment", "Variables", "BOTH"), ("Resources", "Fn", "Properties", "Environment", "Variables", "BOTH"), 34),
        ("Fn", ("Environment", "Variables", "OWN"), ("Resources", "Fn", "Properties", "Environment", "Variables", "OWN"), 33),
        ("Fn", ("Environment", "Variables"), ("Resources", "Fn", "Properties", "Environment", "Variables"), 32),
        # concatenated lists: the first entries are the Globals ones
        ("Fn", ("Layers", 0), ("Globals", "Function", "Layers", 0), 10),
        ("Fn", ("Layers", 1), ("Globals", "Function", "Layers", 1), 11),
        ("Fn", ("Layers", 2), ("Resources", "Fn", "Properties", "Layers", 0), 30),
        ("Fn", ("Layers",), ("Resources", "Fn", "Properties", "Layers"), 29),
        ("Fn", ("VpcConfig", "SecurityGroupIds", 0), ("Globals", "Function", "VpcConfig", "SecurityGroupIds", 0), 20),
        ("Fn", ("VpcConfig", "SubnetIds", 0), ("Resources", "Fn", "Properties", "VpcConfig", "SubnetIds", 0), 37),
        ("Fn", ("Tags", "team"), ("Resources", "Fn", "Properties", "Tags", "team"), 35),
        ("Bare", ("Layers", 1), ("Globals", "Function", "Layers", 1), 11),
        ("Bare", ("Runtime",), ("Globals", "Function", "Runtime"), 7),
        # absent everywhere: the function's own properties
        ("Bare", ("ReservedConcurrentExecutions",), ("Resources", "Bare", "Properties", "ReservedConcurrentExecutions"), 40),
        ("Bare", ("NotAGlobalProperty",), ("Resources", "Bare", "Properties", "NotAGlobalProperty"), 40),
    ],
)
def test_path_points_where_the_value_was_written(model, function, keys, path, line):
    fn = model.function(function)
    assert fn.path(*keys) == path
    assert model.document.locate(fn.path(*keys))[0] == line


@pytest.mark.parametrize(
    "global_value, local_value, merged",
    [
        (1, 2, 2),
        ("a", {"Ref": "X"}, {"Ref": "X"}),
        ({"Ref": "X"}, {"a": 1}, {"a": 1}),
        ({"a": 1, "b": {"c": 1, "d": 1}}, {"b": {"d": 2, "e": 2}}, {"a": 1, "b": {"c": 1, "d": 2, "e": 2}}),
        ([1, 2], [3], [1, 2, 3]),
        ([1], {"Fn::If": ["C", [2], [3]]}, {"Fn::If": ["C", [2], [3]]}),
        ({"a": 1}, [1], [1]),
    ],
)
def test_merge_globals_rules(global_value, local_value, merged):
    assert merge_globals(global_value, local_value) == merged


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["Layers", "Environment", "Timeout", "Bogus"]),
                    st.recursive(st.integers(0, 3), lambda c: st.lists(c, max_size=3) | st.dictionaries(
                        st.sampled_from(["a", "b"]), c, max_size=2), max_leaves=6), max_size=4),
    st.dictionaries(st.sampled_from(["Layers", "Environment", "Timeout"]),
                    st.recursive(st.integers(4, 7), lambda c: st.lists(c, max_size=3) | st.dictionaries(
                        st.sampled_from(["a", "b"]), c, max_size=2), max_leaves=6), max_size=3),
    st.lists(st.one_of(st.sampled_from(["Layers", "Environment", "Timeout", "a", "b"]), st.integers(0, 5)),
             min_size=1, max_size=4),
)
def test_merged_origin_finds_the_merged_value(globals_function, own, keys):
    """Whatever the merged value at `keys` is, the origin holds that same value."""
    from lambdalint.model.template import dig

    merged = merge_function_properties(globals_function, own)
    missing = object()
    value = dig(merged, keys, missing)
    source, inner = merged_origin(globals_function, own, keys)
    if value is missing or isinstance(value, (dict, list)):
        return  # containers merge from both sides; absent values fall back to a parent
    assert dig(globals_function if source == "globals" else own, inner, missing) == value


# -- through the engine: a finding from an inherited value sits on the Globals line -----------


def test_inherited_timeout_finding_is_on_the_globals_line():
    text = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 1800
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: s3://b/k}
  B:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: s3://b/k, Timeout: 1000}
  C:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: s3://b/k, Timeout: 10}
"""
    linter = Linter(Config(select=("LL2002",), today=datetime.date(2026, 11, 23)))
    findings = [(f.line, f.column, f.resource) for f in linter.lint_text(text, "t.yaml")]
    assert sorted(findings) == [(4, 5, "A"), (11, 80, "B")]


# -- what counts as SAM ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "template, expected",
    [
        ({"Transform": "AWS::Serverless-2016-10-31", "Resources": {}}, True),
        ({"Transform": ["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"], "Resources": {}}, True),
        ({"Resources": {"F": {"Type": "AWS::Serverless::Function"}}}, True),
        ({"Resources": {"A": {"Type": "AWS::Serverless::Api"}}}, True),
        ({"Resources": {"F": {"Type": "AWS::Lambda::Function"}}}, False),
        ({"Transform": "AWS::LanguageExtensions", "Resources": {"F": {"Type": "AWS::Lambda::Function"}}}, False),
        ({"Resources": ["not", "a", "map"]}, False),
        ({"Transform": {"Name": "AWS::Include"}, "Resources": {"F": "junk"}}, False),
    ],
)
def test_uses_sam(template, expected):
    assert uses_sam(template) is expected


def test_serverless_types_without_transform_get_globals_merged():
    text = """\
Globals:
  Function:
    Timeout: 1800
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: s3://b/k}
"""
    model = TemplateModel(load_text(text, "t.yaml"))
    assert model.is_sam
    assert model.function("Fn").timeout == 1800
    findings = Linter(Config(select=("LL2002",))).lint_text(text, "t.yaml")
    assert [(f.rule, f.line) for f in findings] == [("LL2002", 3)]


def test_unresolvable_global_is_unknown_not_a_guess():
    text = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: !Ref AWS::AccountId
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: s3://b/k, Role: !GetAtt R.Arn}
  R:
    Type: AWS::IAM::Role
"""
    fn = TemplateModel(load_text(text, "t.yaml")).function("Fn")
    assert fn.timeout is UNKNOWN
    assert fn.value("Role") == Reference("R", "Arn")


def test_ignore_globals_opts_a_function_out():
    from lambdalint.loading import load_text
    from lambdalint.model import TemplateModel

    text = """
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.13
    Timeout: 30
    Layers: [arn:aws:lambda:eu-west-1:123456789012:layer:shared:1]
Resources:
  All:
    Type: AWS::Serverless::Function
    IgnoreGlobals: "*"
    Properties: {PackageType: Image, ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1}
  Some:
    Type: AWS::Serverless::Function
    IgnoreGlobals: [Layers]
    Properties: {Handler: app.handler, CodeUri: s3://b/k.zip}
  None_:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.handler, CodeUri: s3://b/k.zip}
"""
    model = TemplateModel(load_text(text, "t.yaml"))
    everything, some, none = (model.function(name) for name in ("All", "Some", "None_"))
    assert not everything.has("Runtime") and not everything.has("Timeout") and everything.layers == []
    assert some.runtime == "python3.13" and some.timeout == 30 and some.layers == []
    assert none.layers == ["arn:aws:lambda:eu-west-1:123456789012:layer:shared:1"]
