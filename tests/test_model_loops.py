"""Fn::ForEach expansion (AWS::LanguageExtensions): what loops make, where findings land, what stays unknown."""

from __future__ import annotations

import json
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambdalint.api import Linter
from lambdalint.config import Config
from lambdalint.loading import load_text
from lambdalint.model import TemplateModel
from lambdalint.model.loops import MAX_EXPANDED_KEYS, expand
from lambdalint.settings import Settings

HEAD = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
"""


def model_of(text: str, **parameters) -> TemplateModel:
    return TemplateModel(load_text(HEAD + textwrap.dedent(text), "t.yaml"), Settings(parameters=parameters))


def findings(text: str, select=("ALL",), **config):
    linter = Linter(Config(select=select, **config))
    return linter.lint_text(HEAD + textwrap.dedent(text), "t.yaml")


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle` in the template as linted (with HEAD)."""
    lines = (HEAD + textwrap.dedent(text)).splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


QUEUES = """
Parameters:
  Names:
    Type: CommaDelimitedList
    Default: orders, invoices
Resources:
  Fn::ForEach::Queues:
    - Name
    - !Ref Names
    - ${Name}Queue:
        Type: AWS::SQS::Queue
        Properties:
          QueueName: !Sub "${Name}-${AWS::StackName}"
          Tags:
            - Key: name
              Value: !Ref Name
"""


def test_loop_over_a_parameter_default_makes_one_resource_per_item_with_the_identifier_substituted():
    model = model_of(QUEUES)
    assert sorted(model.resources) == ["invoicesQueue", "ordersQueue"]
    orders = model.resource("ordersQueue")
    assert orders.type == "AWS::SQS::Queue"
    assert orders.get("QueueName") == {"Fn::Sub": "orders-${AWS::StackName}"}
    assert orders.get("Tags", 0, "Value") == "orders"


def test_a_parameter_override_replaces_the_default_collection():
    model = model_of(QUEUES, Names="refunds")
    assert sorted(model.resources) == ["refundsQueue"]


def test_a_list_parameter_without_default_is_given_by_the_configuration():
    text = """
    Parameters:
      Workers:
        Type: List<String>
    Resources:
      Fn::ForEach::Workers:
        - Name
        - !Ref Workers
        - ${Name}Worker:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.7
              Handler: index.handler
              Role: arn:aws:iam::123456789012:role/worker
              Code: {ZipFile: x}
    """
    assert findings(text, select=("LL2006",)) == []  # unknown: nothing, and no error
    given = findings(text, select=("LL2006",), parameters={"Workers": "a, b"})
    assert sorted(f.resource for f in given) == ["aWorker", "bWorker"]


def test_ampersand_placeholders_strip_non_alphanumeric_characters_and_loops_nest():
    model = model_of("""
    Resources:
      Fn::ForEach::Sizes:
        - Size
        - [small, large]
        - Fn::ForEach::Colours:
            - Colour
            - [red, blue-green]
            - ${Size}&{Colour}Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !Sub "${Size}-${Colour}"
    """)
    assert sorted(model.resources) == ["largebluegreenTopic", "largeredTopic",
                                       "smallbluegreenTopic", "smallredTopic"]
    assert model.resource("smallbluegreenTopic").get("TopicName") == {"Fn::Sub": "small-blue-green"}


def test_loops_expand_in_outputs_conditions_and_inside_resource_properties():
    model = model_of("""
    Conditions:
      Fn::ForEach::Regions:
        - Region
        - [east, west]
        - Is${Region}: !Equals [!Ref "AWS::Region", !Ref Region]
    Resources:
      Worker:
        Type: AWS::Lambda::Function
        Properties:
          Environment:
            Variables:
              STAGE: prod
              Fn::ForEach::Tables:
                - Table
                - [USERS, ORDERS]
                - ${Table}_TABLE: !Sub "${Table}-table"
    Outputs:
      Fn::ForEach::Out:
        - Region
        - [east]
        - ${Region}Out:
            Value: !Ref Region
    """)
    assert model.conditions == {"Iseast": {"Fn::Equals": [{"Ref": "AWS::Region"}, "east"]},
                                "Iswest": {"Fn::Equals": [{"Ref": "AWS::Region"}, "west"]}}
    worker = model.function("Worker")
    assert worker.environment_variables == {
        "STAGE": "prod", "USERS_TABLE": {"Fn::Sub": "USERS-table"}, "ORDERS_TABLE": {"Fn::Sub": "ORDERS-table"}}
    assert model.section("Outputs") == {"eastOut": {"Value": "east"}}


def test_an_inner_loop_with_the_same_identifier_shadows_the_outer_one():
    model = model_of("""
    Resources:
      Fn::ForEach::Outer:
        - X
        - [a]
        - Fn::ForEach::Inner:
            - X
            - [b]
            - ${X}Queue:
                Type: AWS::SQS::Queue
    """)
    assert list(model.resources) == ["bQueue"]


def test_unknown_collection_makes_nothing_and_is_no_error():
    text = """
    Parameters:
      Tenants:
        Type: CommaDelimitedList
    Resources:
      Fn::ForEach::Tenants:
        - Tenant
        - !Ref Tenants
        - ${Tenant}Queue:
            Type: AWS::SQS::Queue
    Outputs:
      Acme:
        Value: !GetAtt AcmeQueue.Arn
      Typo:
        Value: !GetAtt Nothing.Arn
    """
    model = model_of(text)
    assert model.resources == {}
    assert model.could_be_made_by_loop("Resources", "AcmeQueue")
    assert not model.could_be_made_by_loop("Resources", "AcmeTopic")
    rules = sorted((f.rule, f.line) for f in findings(text, select=("LL0002", "LL0003")))
    # No LL0002 ("Resources is empty"), no LL0003 for AcmeQueue; the name no loop could make stays dangling.
    assert rules == [("LL0003", line_of(text, "Nothing.Arn"))]


def test_findings_on_expanded_resources_land_in_the_loop_body_one_per_resource():
    text = """
    Parameters:
      Workers:
        Type: CommaDelimitedList
        Default: orders,invoices
    Resources:
      Fn::ForEach::Workers:
        - Name
        - !Ref Workers
        - ${Name}Worker:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: python3.7
              Handler: index.handler
              Role: arn:aws:iam::123456789012:role/worker
              Code:
                ZipFile: "def handler(event, context): pass"
    """
    found = findings(text, select=("LL2006",))
    runtime_line = line_of(text, "Runtime: python3.7")
    assert sorted((f.rule, f.line, f.column, f.resource) for f in found) == [
        ("LL2006", runtime_line, 11, "invoicesWorker"), ("LL2006", runtime_line, 11, "ordersWorker")]
    assert {f.path for f in found} == {("Resources", "ordersWorker", "Properties", "Runtime"),
                                       ("Resources", "invoicesWorker", "Properties", "Runtime")}


def test_the_source_map_maps_expanded_paths_of_nested_and_property_loops_back_to_the_written_path():
    text = """
    Resources:
      Fn::ForEach::Outer:
        - A
        - [x, y]
        - Fn::ForEach::Inner:
            - B
            - ["1"]
            - Fn${A}${B}:
                Type: AWS::Lambda::Function
                Properties:
                  Environment:
                    Variables:
                      Fn::ForEach::Vars:
                        - V
                        - [ONE]
                        - ${V}_${A}: value
    """
    model = model_of(text)
    key_line = line_of(text, "Fn${A}${B}:")
    assert model.locate(("Resources", "Fny1")) == (key_line, (HEAD + textwrap.dedent(text)).splitlines()[key_line - 1].index("Fn$") + 1)
    assert model.locate(("Resources", "Fny1", "Properties", "Environment", "Variables", "ONE_y"))[0] == \
        line_of(text, "${V}_${A}: value")
    assert model.loops.written_path(("Resources", "Fnx1", "Type")) == (
        "Resources", "Fn::ForEach::Outer", 2, "Fn::ForEach::Inner", 2, "Fn${A}${B}", "Type")


def test_json_templates_expand_and_locate_too():
    template = {
        "Transform": "AWS::LanguageExtensions",
        "Resources": {"Fn::ForEach::Fns": ["N", ["a", "b"], {"${N}Fn": {
            "Type": "AWS::Lambda::Function",
            "Properties": {"Runtime": "nodejs12.x", "Handler": "index.handler", "Role": "arn:aws:iam::1:role/r",
                           "Code": {"ZipFile": "x"}}}}]},
    }
    text = json.dumps(template, indent=2)
    found = Linter(Config(select=("LL2006",))).lint_text(text, "t.json")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "nodejs12.x" in row)
    assert sorted((f.line, f.resource) for f in found) == [(line, "aFn"), (line, "bFn")]


def test_without_the_transform_a_loop_is_an_error_and_makes_nothing():
    text = """
    Resources:
      Fn::ForEach::Queues:
        - Name
        - [a]
        - ${Name}Queue: {Type: AWS::SQS::Queue}
    """
    template = load_text(textwrap.dedent(text), "t.yaml")
    model = TemplateModel(template)
    assert model.resources == {}
    found = Linter(Config(select=("LL0002",))).lint_text(textwrap.dedent(text), "t.yaml")
    assert [(f.rule, f.line, f.resource) for f in found] == [("LL0002", 3, None)]  # the loop's line
    assert "AWS::LanguageExtensions" in found[0].message


def test_metadata_ignores_on_a_looped_resource_apply_to_every_resource_it_makes():
    text = """
    Resources:
      Fn::ForEach::Workers:
        - Name
        - [a, b]
        - ${Name}Worker:
            Type: AWS::Lambda::Function
            Metadata:
              lambdalint:
                ignore: [LL2006]
            Properties:
              Runtime: python3.7
              Handler: index.handler
              Role: arn:aws:iam::123456789012:role/worker
              Code: {ZipFile: x}
    """
    assert findings(text, select=("LL2006",)) == []


def test_expansion_beyond_the_budget_leaves_the_loop_unknown():
    many = ",".join(f"q{index}" for index in range(MAX_EXPANDED_KEYS + 1))
    model = model_of(QUEUES, Names=many)
    assert model.resources == {}
    assert model.could_be_made_by_loop("Resources", "q7Queue")


def test_a_template_without_loops_is_returned_as_it_is():
    template = {"Transform": "AWS::LanguageExtensions", "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}
    assert expand(template).template is template
    assert expand(template, text="Resources: {}").template is template


# -- never raises; unknown collections make nothing --------------------------------------------

_SCALARS = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["a", "b-c", "${X}", "&{X}", "X", ""])
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["Ref", "Fn::Sub", "${X}Q", "&{X}R", "Type", "Fn::ForEach::L", "P"]),
                      inner, max_size=3),
    max_leaves=12,
)
_LOOPS = st.lists(_VALUES, max_size=4) | _VALUES


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_LOOPS, st.sampled_from(["Resources", "Outputs", "Conditions"]), st.booleans())
def test_expansion_never_raises_on_any_loop_shape(loop, section, transform):
    template = {"Resources": {}, section: {"Fn::ForEach::L": loop, "Kept": {"Type": "AWS::SQS::Queue"}}}
    if transform:
        template["Transform"] = "AWS::LanguageExtensions"
    expansion = expand(template)
    assert isinstance(expansion.template.get(section), dict)
    assert "Kept" in expansion.template[section]
    for path in list(expansion.origins):
        assert expansion.written_path(path)[0] == section


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([{"Ref": "NoDefault"}, {"Ref": "Nope"}, {"Fn::Split": [",", {"Ref": "NoDefault"}]},
                        {"Fn::GetAZs": ""}, "not-a-list", [{"Ref": "AWS::Region"}], [{"Fn::ImportValue": "x"}]]),
       st.text("abcXY${}&", max_size=8))
def test_a_collection_that_cannot_be_known_makes_nothing_and_reports_nothing(collection, suffix):
    template = {
        "Transform": "AWS::LanguageExtensions",
        "Parameters": {"NoDefault": {"Type": "CommaDelimitedList"}},
        "Resources": {"Fn::ForEach::L": ["X", collection, {"${X}" + suffix: {"Type": "AWS::SQS::Queue"}}]},
    }
    expansion = expand(template)
    assert expansion.template["Resources"] == {}
    assert expansion.problems == []
    if "{" not in suffix:
        assert expansion.could_make("Resources", "anything" + suffix)
        assert not expansion.could_make("Outputs", "anything" + suffix)


def test_an_unknown_loop_may_make_the_log_group_or_policy_so_absence_rules_stay_quiet():
    text = """
    Parameters:
      Names:
        Type: CommaDelimitedList
    Resources:
      Worker:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.12
          Handler: index.handler
          Role: !GetAtt Role.Arn
          Code: {ZipFile: x}
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument: {}
      Fn::ForEach::Extras:
        - Name
        - !Ref Names
        - ${Name}Extra:
            Type: AWS::Logs::LogGroup
            Properties:
              LogGroupName: !Sub /aws/lambda/${Name}
              RetentionInDays: 7
    """
    assert [f.rule for f in findings(text, select=("LL8002", "LL5003"))] == []
    # The same template with the collection known: the loop makes an unrelated group, so both speak.
    known = text.replace("Type: CommaDelimitedList", "Type: CommaDelimitedList\n        Default: other")
    assert sorted(f.rule for f in findings(known, select=("LL8002", "LL5003"))) == ["LL5003", "LL8002"]


def test_a_folder_walk_finds_and_expands_a_template_made_only_of_loops(tmp_path):
    from click.testing import CliRunner

    from lambdalint.cli import main

    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "loops.yaml").write_text(textwrap.dedent("""\
        Transform: AWS::LanguageExtensions
        Resources:
          Fn::ForEach::Workers:
            - Name
            - [orders]
            - ${Name}Worker:
                Type: AWS::Lambda::Function
                Properties:
                  Runtime: nodejs12.x
                  Handler: index.handler
                  Role: arn:aws:iam::123456789012:role/worker
                  Code: {ZipFile: x}
        """))
    result = CliRunner().invoke(main, ["check", "--select", "LL0002,LL2006", "--format", "json", str(tmp_path)])
    found = json.loads(result.output)["findings"]
    assert [(f["rule"], f["line"], f["resource"]) for f in found] == [("LL2006", 9, "ordersWorker")]
    assert result.exit_code == 1
