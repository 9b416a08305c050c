"""Questions moved from rule modules into the model: the template structure the LL0 rules ask
about (lambdalint/model/anatomy.py), the whole-template string search of LL5012
(`TemplateModel.strings_containing`), EFS mount targets (LL4) and CPython extension tags (LL1)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from lambdalint.loading import load_text
from lambdalint.model import TemplateModel
from lambdalint.model import anatomy as a
from lambdalint.model.network import ACCESS_POINT_ID, FILE_SYSTEM, NOT_AN_ARN, mount_target_problem
from lambdalint.model.packages import cpython_extensions
from sample_templates import model_of


def test_resources_section_says_missing_null_and_not_a_mapping_apart():
    assert a.resources_section(model_of("Parameters: {}\n")).path == ()
    assert a.resources_section(model_of("Parameters: {}\n")).shape == a.MISSING
    assert a.resources_section(model_of("Resources:\n")).path == ("Resources",)
    assert a.resources_section(model_of("Resources:\n")).shape == a.MISSING
    assert a.resources_section(model_of("Resources: [1]\n")).shape == a.NOT_A_MAPPING


def test_resources_section_lists_each_malformed_entry_in_order():
    section = a.resources_section(model_of("""
        Resources:
          Good: {Type: AWS::SQS::Queue}
          Scalar: 3
          NoType: {Properties: {}}
          Computed: {Type: [AWS::SQS::Queue]}
    """))
    assert section.shape == a.MAPPING and not section.is_empty
    assert [(entry.logical_id, entry.path, entry.problem) for entry in section.malformed] == [
        ("Scalar", ("Resources", "Scalar"), a.ENTRY_NOT_A_MAPPING),
        ("NoType", ("Resources", "NoType"), a.NO_TYPE),
        ("Computed", ("Resources", "Computed", "Type"), a.TYPE_NOT_A_STRING),
    ]


def test_name_uses_finds_every_kind_and_skips_subs_own_variables_and_metadata():
    model = model_of("""
        Resources:
          Queue:
            Type: AWS::SQS::Queue
            DependsOn: [Table]
            Metadata: {Note: {Ref: NotAName}}
            Properties:
              A: {Ref: Bucket}
              B: {"Fn::GetAtt": Role.Arn}
              C: {"Fn::Sub": ["${Own}-${Stream.Arn}", {Own: x}]}
    """)
    uses = sorted((use.kind, use.name, use.written) for use in a.name_uses(model))
    assert uses == [("DependsOn", "Table", "Table"), ("Fn::GetAtt", "Role", "Role"),
                    ("Fn::Sub", "Stream", "Stream.Arn"), ("Ref", "Bucket", "Bucket")]


def test_names_something_knows_parameters_resources_pseudo_and_sam_generated_names():
    model = model_of("""
        Transform: AWS::Serverless-2016-10-31
        Parameters: {Stage: {Type: String}}
        Resources:
          Fn: {Type: AWS::Serverless::Function, Properties: {InlineCode: x, Handler: a.b, Runtime: python3.12}}
    """)
    for name in ("Stage", "Fn", "AWS::Region", "FnRole", "ServerlessRestApi", ["computed"]):
        assert a.names_something(model, name), name
    assert not a.names_something(model, "Typo")


def test_rejected_globals_names_unknown_sections_and_function_properties_in_order():
    model = model_of("""
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Function: {Runtime: python3.12, FunctionName: shared}
          Lambda: {}
        Resources: {}
    """)
    assert list(a.rejected_globals(model)) == [
        (("Globals", "Function", "FunctionName"), a.FUNCTION_PROPERTY, "FunctionName"),
        (("Globals", "Lambda"), a.UNKNOWN_SECTION, "Lambda"),
    ]


def test_mount_target_problem_tells_access_point_id_file_system_and_non_arn_apart():
    model = model_of("""
        Resources:
          Point: {Type: AWS::EFS::AccessPoint}
          Files: {Type: AWS::EFS::FileSystem}
          Queue: {Type: AWS::SQS::Queue}
    """)
    assert mount_target_problem(model, {"Ref": "Point"}) == (ACCESS_POINT_ID, "Point")
    assert mount_target_problem(model, {"Fn::GetAtt": "Point.Arn"}) == (None, None)
    assert mount_target_problem(model, {"Ref": "Files"}) == (FILE_SYSTEM, "Files")
    assert mount_target_problem(model, {"Ref": "Queue"}) == (None, None)
    assert mount_target_problem(model, "fs-12345678") == (NOT_AN_ARN, "fs-12345678")
    assert mount_target_problem(model, "arn:aws:elasticfilesystem:eu-west-1:1:access-point/fsap-1") == (None, None)


@given(st.lists(st.text(alphabet="AKISPRVTE Y-x", max_size=12), max_size=6))
def test_strings_containing_yields_exactly_the_values_with_a_needle(values):
    model = TemplateModel(load_text('{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"Tags": '
                                    + json.dumps(values) + '}}}}', "t.json"))
    found = [value for _, value in model.strings_containing("AKIA", "PRIVATE KEY")]
    assert found == [value for value in values if "AKIA" in value or "PRIVATE KEY" in value]


class _Names:
    def __init__(self, names):
        self._names = names

    def names(self):
        return iter(self._names)


def test_cpython_extensions_reads_the_version_from_tagged_extension_modules_only():
    package = _Names(["a/_x.cpython-39-x86_64-linux-gnu.so", "b/_y.abi3.so", "c/z.py", "d/_w.cp312-win_amd64.pyd",
                      "e/_v.pypy39-pp73-x86_64-linux-gnu.so", "f/plain.so"])
    assert list(cpython_extensions(package)) == [("a/_x.cpython-39-x86_64-linux-gnu.so", "3.9"),
                                                 ("d/_w.cp312-win_amd64.pyd", "3.12")]
