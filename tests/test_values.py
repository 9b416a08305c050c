"""Template values: the Resolver (what a value is at deploy time, or UNKNOWN when we cannot tell)
and the value helpers every rule and the IAM layer share."""

from __future__ import annotations

import math
import pickle

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambdalint.model.values import (
    INTRINSICS, NO_VALUE, UNKNOWN, Reference, Resolver, as_int, as_number, if_branches, if_conditions, is_intrinsic,
    normalise_value, with_branches,
)

TEMPLATE = {
    "Parameters": {
        "Env": {"Type": "String", "Default": "prod"},
        "Memory": {"Type": "Number", "Default": "512"},
        "Ratio": {"Type": "Number", "Default": "1.5"},
        "NotANumber": {"Type": "Number", "Default": "lots"},
        "Subnets": {"Type": "CommaDelimitedList", "Default": "subnet-a, subnet-b,subnet-c"},
        "SubnetIds": {"Type": "List<AWS::EC2::Subnet::Id>", "Default": "s-1,s-2"},
        "EmptyList": {"Type": "CommaDelimitedList", "Default": ""},
        "NoDefault": {"Type": "String"},
    },
    "Mappings": {
        "Sizes": {"prod": {"Memory": 1024, "Runtime": "python3.12"}, "dev": {"Memory": 128}},
        "ByNumber": {"1": {"Name": "one"}},
    },
    "Resources": {
        "Fn": {"Type": "AWS::Lambda::Function", "Properties": {}},
        "Queue": {"Type": "AWS::SQS::Queue"},
    },
}


@pytest.fixture
def resolver():
    return Resolver(TEMPLATE)


def test_unknown_is_a_falsy_singleton():
    assert not UNKNOWN and not NO_VALUE
    assert type(UNKNOWN)() is UNKNOWN
    assert repr(UNKNOWN) == "UNKNOWN"


# -- Ref -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Env", "prod"),
        ("Memory", 512),
        ("Ratio", 1.5),
        ("NotANumber", UNKNOWN),
        ("Subnets", ["subnet-a", "subnet-b", "subnet-c"]),
        ("SubnetIds", ["s-1", "s-2"]),
        ("EmptyList", []),
        ("NoDefault", UNKNOWN),
        ("Missing", UNKNOWN),
    ],
)
def test_ref_to_parameter(resolver, name, expected):
    result = resolver.resolve({"Ref": name})
    assert result == expected
    if expected is UNKNOWN:
        assert result is UNKNOWN


@pytest.mark.parametrize(
    "pseudo",
    ["AWS::Region", "AWS::AccountId", "AWS::StackName", "AWS::Partition", "AWS::URLSuffix", "AWS::StackId",
     "AWS::NotificationARNs"],
)
def test_pseudo_parameters_are_unknown(resolver, pseudo):
    assert resolver.resolve({"Ref": pseudo}) is UNKNOWN


def test_no_value(resolver):
    assert resolver.resolve({"Ref": "AWS::NoValue"}) is NO_VALUE


def test_override_beats_default_and_is_typed():
    resolver = Resolver(TEMPLATE, {"Env": "dev", "Memory": "2048", "Subnets": "x,y", "NoDefault": "given"})
    assert resolver.resolve({"Ref": "Env"}) == "dev"
    assert resolver.resolve({"Ref": "Memory"}) == 2048
    assert resolver.resolve({"Ref": "Subnets"}) == ["x", "y"]
    assert resolver.resolve({"Ref": "NoDefault"}) == "given"
    assert resolver.resolve({"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Memory"]}) == 128


@pytest.mark.parametrize("kind", [
    "AWS::SSM::Parameter::Value<String>",
    "AWS::SSM::Parameter::Value<List<String>>",
    "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
    "AWS::SSM::Parameter::Value<CommaDelimitedList>",
])
def test_ssm_parameter_types_are_unknown_whatever_is_written_or_passed(kind):
    # The Default (or a given value) is the NAME of an SSM parameter; what deploys is its value
    template = {"Parameters": {"Layer": {"Type": kind, "Default": "/lambda-web-adapter/layer/x86_64/latest"},
                               "Name": {"Type": "AWS::SSM::Parameter::Name", "Default": "/app/name"}}}
    for overrides in ({}, {"Layer": "/other/name"}):
        resolver = Resolver(template, overrides)
        assert resolver.resolve({"Ref": "Layer"}) is UNKNOWN
        assert resolver.resolve({"Fn::Sub": "${Layer}:1"}) is UNKNOWN
        assert resolver.resolve({"Fn::Join": [",", [{"Ref": "Layer"}]]}) is UNKNOWN
    # A parameter of type ...::Name holds the name itself: it stays known
    assert Resolver(template).resolve({"Ref": "Name"}) == "/app/name"


@pytest.mark.parametrize("value", [
    "{{resolve:ssm:/platform/layers/web-adapter-arn}}",
    "arn:aws:lambda:eu-west-1:123456789012:layer:{{resolve:ssm:/layer/name}}:3",
    {"Fn::Sub": "{{resolve:secretsmanager:${Env}-db:SecretString:password}}"},
    {"Fn::Join": ["", ["{{resolve:ssm:", {"Ref": "Env"}, "-runtime}}"]]},
])
def test_dynamic_references_are_unknown(resolver, value):
    # CloudFormation replaces them with an SSM parameter's or a secret's value at deploy time
    assert resolver.resolve(value) is UNKNOWN
    assert resolver.resolve_deep({"Layers": [value]}) == {"Layers": [UNKNOWN]}


def test_override_cannot_turn_a_resource_into_a_string():
    # CloudFormation forbids a parameter named like a resource: Ref stays a reference
    resolver = Resolver(TEMPLATE, {"Fn": "not-a-function"})
    assert resolver.resolve({"Ref": "Fn"}) == Reference("Fn")


def test_ref_and_getatt_to_resources_are_references(resolver):
    assert resolver.resolve({"Ref": "Queue"}) == Reference("Queue")
    assert resolver.resolve({"Fn::GetAtt": ["Fn", "Arn"]}) == Reference("Fn", "Arn")
    assert resolver.resolve({"Fn::GetAtt": "Fn.Arn"}) == Reference("Fn", "Arn")
    assert resolver.resolve({"Fn::GetAtt": ["Nope", "Arn"]}) is UNKNOWN
    assert resolver.resolve({"Fn::GetAtt": ["Fn"]}) is UNKNOWN


# -- Fn::If --------------------------------------------------------------------------------


def test_if_gives_both_candidates(resolver):
    value = {"Fn::If": ["IsProd", 1024, {"Ref": "Memory"}]}
    assert resolver.candidates(value) == [1024, 512]
    assert resolver.resolve(value) is UNKNOWN


def test_if_with_equal_branches_resolves(resolver):
    assert resolver.resolve({"Fn::If": ["IsProd", 512, {"Ref": "Memory"}]}) == 512


def test_nested_if_flattens_candidates(resolver):
    value = {"Fn::If": ["A", {"Fn::If": ["B", 1, 2]}, {"Ref": "AWS::NoValue"}]}
    assert resolver.candidates(value) == [1, 2, NO_VALUE]


def test_if_with_an_unknown_branch_is_unknown(resolver):
    assert resolver.resolve({"Fn::If": ["A", 1, {"Ref": "AWS::Region"}]}) is UNKNOWN


# -- Fn::Sub -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ({"Fn::Sub": "plain text"}, "plain text"),
        ({"Fn::Sub": "fn-${Env}"}, "fn-prod"),
        ({"Fn::Sub": "${Memory}MB"}, "512MB"),
        ({"Fn::Sub": ["${Name}-${Env}", {"Name": "worker"}]}, "worker-prod"),
        ({"Fn::Sub": ["${Name}", {"Name": {"Fn::FindInMap": ["Sizes", "prod", "Runtime"]}}]}, "python3.12"),
        ({"Fn::Sub": "${!Literal}-${Env}"}, "${Literal}-prod"),
        ({"Fn::Sub": "arn:${AWS::Partition}:s3:::b"}, UNKNOWN),
        ({"Fn::Sub": "${Fn.Arn}"}, UNKNOWN),
        ({"Fn::Sub": "${NoDefault}"}, UNKNOWN),
        ({"Fn::Sub": ["${Name}", {"Name": {"Ref": "AWS::Region"}}]}, UNKNOWN),
        ({"Fn::Sub": "${Subnets}"}, UNKNOWN),  # a list is not text
        ({"Fn::Sub": 42}, UNKNOWN),
    ],
)
def test_sub(resolver, value, expected):
    result = resolver.resolve(value)
    assert result == expected
    if expected is UNKNOWN:
        assert result is UNKNOWN


# -- Fn::Join, Fn::Select, Fn::FindInMap ------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ({"Fn::Join": ["-", ["a", {"Ref": "Env"}, 3]]}, "a-prod-3"),
        ({"Fn::Join": [",", {"Ref": "Subnets"}]}, "subnet-a,subnet-b,subnet-c"),
        ({"Fn::Join": ["", []]}, ""),
        ({"Fn::Join": ["", [{"Ref": "AWS::Region"}, "x"]]}, UNKNOWN),
        ({"Fn::Join": ["", [{"Fn::If": ["C", "a", "b"]}]]}, UNKNOWN),
        ({"Fn::Join": ["", [True]]}, UNKNOWN),
        ({"Fn::Join": "x"}, UNKNOWN),
        ({"Fn::Select": [1, ["a", "b"]]}, "b"),
        ({"Fn::Select": ["0", ["a", "b"]]}, "a"),
        ({"Fn::Select": [2, {"Ref": "Subnets"}]}, "subnet-c"),
        ({"Fn::Select": [5, ["a"]]}, UNKNOWN),
        ({"Fn::Select": [-1, ["a"]]}, UNKNOWN),
        ({"Fn::Select": [0, {"Fn::GetAZs": ""}]}, UNKNOWN),
        ({"Fn::FindInMap": ["Sizes", "prod", "Memory"]}, 1024),
        ({"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Memory"]}, 1024),
        ({"Fn::FindInMap": ["ByNumber", 1, "Name"]}, "one"),
        ({"Fn::FindInMap": ["Sizes", "stage", "Memory"]}, UNKNOWN),
        ({"Fn::FindInMap": ["Sizes", "dev", "Runtime"]}, UNKNOWN),
        ({"Fn::FindInMap": ["Nope", "prod", "Memory"]}, UNKNOWN),
        ({"Fn::FindInMap": ["Sizes", {"Ref": "AWS::Region"}, "Memory"]}, UNKNOWN),
        ({"Fn::FindInMap": ["Sizes", "prod"]}, UNKNOWN),
    ],
)
def test_join_select_find_in_map(resolver, value, expected):
    result = resolver.resolve(value)
    assert result == expected
    if expected is UNKNOWN:
        assert result is UNKNOWN


FIND_IN_MAP_TEMPLATE = {
    "Parameters": {"Stage": {"Type": "String"}, "Env": {"Type": "String", "Default": "prod"}},
    "Mappings": {
        "Code": {"us-east-1": {"Key": "functions/orders.zip", "Bucket": "a"},
                 "eu-west-1": {"Key": "functions/orders.zip", "Bucket": "b"}},
        "Stages": {"prod": {"Memory": 1024, "Runtime": "python3.12"}, "dev": {"Memory": 128, "Runtime": "python3.12"}},
        "Partial": {"prod": {"Memory": 1024}, "dev": {"Other": 1}},
    },
}


@pytest.mark.parametrize(
    "value, expected",
    [
        # a key we cannot know may be any key of its level: known when all reachable entries agree
        (["Code", {"Ref": "AWS::Region"}, "Key"], "functions/orders.zip"),
        (["Code", {"Ref": "AWS::Region"}, "Bucket"], UNKNOWN),
        (["Stages", {"Ref": "Stage"}, "Runtime"], "python3.12"),
        (["Stages", {"Ref": "Stage"}, "Memory"], UNKNOWN),
        (["Stages", {"Fn::If": ["C", "prod", "dev"]}, "Runtime"], "python3.12"),
        (["Stages", {"Ref": "Env"}, {"Fn::If": ["C", "Memory", "Runtime"]}], UNKNOWN),
        # entries without the key fail that deploy: the others give the value
        (["Partial", {"Ref": "Stage"}, "Memory"], 1024),
        (["Partial", "dev", "Memory"], UNKNOWN),
        # DefaultValue (AWS::LanguageExtensions): where a lookup may miss, the default is a value too
        (["Partial", "dev", "Memory", {"DefaultValue": 1024}], 1024),
        (["Partial", "dev", "Memory", {"DefaultValue": 512}], 512),
        (["Partial", "prod", "Memory", {"DefaultValue": 512}], 1024),
        (["Partial", {"Ref": "Stage"}, "Memory", {"DefaultValue": 1024}], 1024),
        (["Partial", {"Ref": "Stage"}, "Memory", {"DefaultValue": 512}], UNKNOWN),
        (["Code", {"Ref": "AWS::Region"}, "Key", {"DefaultValue": "functions/orders.zip"}], "functions/orders.zip"),
        (["Code", {"Ref": "AWS::Region"}, "Key", {"DefaultValue": "other.zip"}], UNKNOWN),
        (["Nope", "a", "b", {"DefaultValue": {"Ref": "Env"}}], "prod"),
        (["Stages", "prod", "Memory", {"Default": 1}], UNKNOWN),
        (["Stages", "prod", "Memory", "extra"], UNKNOWN),
        (["Stages", "prod"], UNKNOWN),
    ],
)
def test_find_in_map_with_keys_we_cannot_know_and_defaults(value, expected):
    result = Resolver(FIND_IN_MAP_TEMPLATE).resolve({"Fn::FindInMap": value})
    assert result == expected
    if expected is UNKNOWN:
        assert result is UNKNOWN


def test_find_in_map_default_keeps_its_if_branches():
    resolver = Resolver(FIND_IN_MAP_TEMPLATE)
    value = {"Fn::FindInMap": ["Nope", "a", "b", {"DefaultValue": {"Fn::If": ["C", 1, 2]}}]}
    assert resolver.candidates(value) == [1, 2]


@pytest.mark.parametrize("name", ["Fn::Base64", "Fn::ImportValue", "Fn::GetAZs", "Fn::Cidr", "Fn::Split"])
def test_unmodelled_intrinsics_are_unknown(resolver, name):
    assert resolver.resolve({name: "x"}) is UNKNOWN


def test_plain_values_pass_through(resolver):
    assert resolver.resolve(128) == 128
    assert resolver.resolve({"Ref": "Env", "Other": 1}) == {"Ref": "Env", "Other": 1}  # two keys: not intrinsic
    assert resolver.resolve_deep({"A": {"Ref": "Env"}, "B": [{"Ref": "Memory"}, {"Ref": "AWS::Region"}]}) == {
        "A": "prod", "B": [512, UNKNOWN],
    }


def test_deep_nesting_is_unknown_not_recursion_error(resolver):
    value = "x"
    for _ in range(500):
        value = {"Fn::Join": ["", [value]]}
    assert resolver.resolve(value) is UNKNOWN
    value = {"Ref": "Env"}
    for _ in range(500):
        value = {"Fn::Select": [0, [value]]}
    assert resolver.resolve(value) is UNKNOWN
    value = {"Fn::Sub": "${X}"}
    for _ in range(500):
        value = {"Fn::Sub": ["${X}", {"X": value}]}
    assert resolver.resolve(value) is UNKNOWN


def test_resolve_deep_on_a_very_deep_plain_value():
    value = {"leaf": 1}
    for _ in range(900):  # json.loads accepts this much nesting
        value = {"a": [value]}
    Resolver({}).resolve_deep(value)  # no RecursionError


def test_shallow_nesting_still_resolves(resolver):
    value = {"Ref": "Env"}
    for _ in range(5):
        value = {"Fn::Join": ["", [value, "!"]]}
    assert resolver.resolve(value) == "prod!!!!!"


# -- malformed intrinsics never raise ---------------------------------------------------------

_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True),
    st.sampled_from(["", "Env", "Memory", "Subnets", "Fn", "Fn.Arn", "AWS::NoValue", "AWS::Region", "Sizes",
                     "prod", "Memory", "${Env}", "${!x}", "${", "${Fn.Arn}", "${AWS::Region}", "-", "0", "x.y.z"]),
)


def _intrinsic(children):
    return st.builds(lambda name, argument: {name: argument}, st.sampled_from(sorted(INTRINSICS)), children)


_VALUES = st.recursive(
    _LEAF,
    lambda children: st.one_of(
        _intrinsic(children),
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(["Env", "X", "Ref", "Fn::If"]), children, max_size=3),
    ),
    max_leaves=25,
)


@pytest.mark.slow
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_VALUES, st.dictionaries(st.sampled_from(["Env", "Memory", "Subnets", "Fn", "AWS::Region"]),
                                st.one_of(st.text(max_size=4), st.integers(), st.lists(st.text(max_size=2))),
                                max_size=3))
def test_random_intrinsic_shapes_never_raise(value, overrides):
    resolver = Resolver(TEMPLATE, overrides)
    options = resolver.candidates(value)
    assert options  # never empty
    result = resolver.resolve(value)
    if is_intrinsic(value) and len(options) > 1 and any(option is UNKNOWN for option in options):
        assert result is UNKNOWN
    resolver.resolve_deep(value)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.integers() | st.text(max_size=3),
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=3), c, max_size=3),
                    max_leaves=10))
def test_resolver_survives_malformed_sections(section):
    resolver = Resolver({"Parameters": section, "Mappings": section, "Resources": section})
    for value in ({"Ref": "a"}, {"Fn::FindInMap": ["a", "b", "c"]}, {"Fn::GetAtt": ["a", "b"]}, {"Fn::Sub": "${a}"}):
        resolver.resolve(value)


# --------------------------------------------------------------------------- one UNKNOWN

def test_iam_and_the_model_share_one_unknown():
    from lambdalint.iam import policy

    assert policy.UNKNOWN is UNKNOWN
    statement = policy.parse_statement({"Effect": "Allow", "Action": {"Ref": "A"}, "Resource": {"Fn::If": []}})
    assert statement.actions == (UNKNOWN,) and statement.resources[0] is UNKNOWN


def test_unknown_survives_pickling_as_the_same_object():
    assert pickle.loads(pickle.dumps(UNKNOWN)) is UNKNOWN


# --------------------------------------------------------------------------- numbers

@given(st.integers(min_value=-10**9, max_value=10**9))
def test_as_int_reads_numbers_and_numeric_strings(number):
    assert as_int(number) == number
    assert as_int(str(number)) == number
    assert as_int(f" {number} ") == number
    assert as_int(float(number)) == number
    assert as_int(f"{number}.0") == number


@given(st.one_of(st.booleans(), st.text().filter(lambda t: not any(ch.isdigit() for ch in t)), st.none(),
                 st.lists(st.integers()), st.floats().filter(lambda f: not f.is_integer())))
def test_as_int_refuses_everything_else(value):
    assert as_int(value) is UNKNOWN


@given(st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False)))
def test_as_number_reads_numbers_and_their_text(number):
    assert as_number(number) == number
    assert as_number(repr(number)) == number
    assert type(as_number(repr(number))) is type(number)


@pytest.mark.parametrize("text, expected", [("30", 30), ("0.5", 0.5), (" 7 ", 7), ("1e3", 1000.0), ("1.", 1.0)])
def test_as_number_reads_text_as_int_else_float(text, expected):
    assert as_number(text) == expected and type(as_number(text)) is type(expected)


@pytest.mark.parametrize("value", [True, False, None, "", "lots", "nan", "inf", "-Infinity", [1], {"Ref": "P"}, UNKNOWN])
def test_as_number_refuses_what_is_no_finite_number(value):
    assert as_number(value) is UNKNOWN


def test_as_number_keeps_a_float_as_given():
    assert math.isinf(as_number(float("inf")))  # YAML `.inf`: a number, which range rules report


def test_number_parameters_read_like_numbers():
    resolver = Resolver({"Parameters": {"N": {"Type": "Number", "Default": "1e3"},
                                        "Bad": {"Type": "Number", "Default": "nan"}}})
    assert resolver.resolve({"Ref": "N"}) == 1000.0
    assert resolver.resolve({"Ref": "Bad"}) is UNKNOWN


@pytest.mark.parametrize("index, expected", [(1, "b"), ("1", "b"), (1.0, "b"), ("-1", UNKNOWN), (True, UNKNOWN),
                                             ("²", UNKNOWN), (5, UNKNOWN)])
def test_select_index_is_read_as_an_integer(index, expected):
    assert Resolver({}).resolve({"Fn::Select": [index, ["a", "b"]]}) == expected


# --------------------------------------------------------------------------- Fn::If and text forms

@pytest.mark.parametrize("value, expected", [
    ({"Fn::If": ["C", "a", "b"]}, ["a", "b"]),
    ({"Fn::If": ["C", "a"]}, None),
    ({"Fn::If": "C"}, None),
    ({"Fn::If": ["C", "a", "b"], "Other": 1}, None),
    ("text", None),
])
def test_if_branches(value, expected):
    assert if_branches(value) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        ({"Ref": "Q"}, "${Q}"),
        ({"Fn::GetAtt": ["Q", "Arn"]}, "${Q.Arn}"),
        ({"Fn::GetAtt": "Q.Arn"}, "${Q.Arn}"),
        ({"Fn::Sub": "${Q.Arn}/*"}, "${Q.Arn}/*"),
        ({"Fn::Sub": ["arn:${AWS::Partition}:s3:::${b}/*", {"b": {"Ref": "Bucket"}}]}, "arn:${AWS::Partition}:s3:::${Bucket}/*"),
        ({"Fn::Sub": ["${x}", {"x": "literal"}]}, "literal"),
        ({"Fn::Sub": ["${x}", {"x": {"Fn::Select": [0, []]}}]}, None),
        ({"Fn::Join": [":", ["a", {"Ref": "B"}]]}, "a:${B}"),
        ({"Fn::Join": [":", "not-a-list"]}, None),
        ({"Fn::If": ["C", "a", "b"]}, None),
        (42, None),
    ],
)
def test_normalise_value(value, expected):
    assert normalise_value(value) == expected


def test_with_branches_picks_each_named_condition_and_leaves_the_others():
    value = {"A": {"Fn::If": ["C1", {"Fn::If": ["C2", "x", "y"]}, {"Ref": "AWS::NoValue"}]},
             "B": [{"Fn::If": ["C3", 1, 2]}], "C": {"Fn::Sub": ["${V}", {"V": {"Fn::If": ["C2", "p", "q"]}}]}}
    assert if_conditions(value) == ["C1", "C2", "C3"]
    assert with_branches(value, {"C1": True, "C2": False}) == \
        {"A": "y", "B": [{"Fn::If": ["C3", 1, 2]}], "C": {"Fn::Sub": ["${V}", {"V": "q"}]}}
    assert with_branches(value, {"C1": False}) == \
        {"A": {"Ref": "AWS::NoValue"}, "B": [{"Fn::If": ["C3", 1, 2]}], "C": value["C"]}
    assert with_branches(value, {}) == value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_VALUES, st.booleans())
def test_choosing_every_condition_leaves_no_fn_if_and_each_choice_is_a_candidate(value, truth):
    chosen = with_branches(value, {name: truth for name in if_conditions(value)})
    assert if_conditions(chosen) == []
    resolver = Resolver(TEMPLATE)
    picked = resolver.resolve(chosen)
    if picked is not UNKNOWN and not isinstance(picked, (dict, list)):
        assert picked in resolver.candidates(value) or UNKNOWN in resolver.candidates(value)
