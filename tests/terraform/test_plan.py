"""Plan JSON (`terraform show -json`) read and laid over a configuration (frontends/terraform/plan.py).

The plans read here are real: fixtures/real/terraform/<name>/plan.json, written by
tools/real_fixtures/terraform.py with the terraform binary. The configurations the overlay is
tried on are built by hand, as the evaluator would hand them over.
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdalint.frontends.terraform import plan as plan_module
from lambdalint.frontends.terraform.configuration import Block, Configuration, Interpolation, Position, Reference
from lambdalint.frontends.terraform.plan import fill, find_plan, looks_like_plan, overlay, plan_beside, read_plan
from lambdalint.model.values import UNKNOWN
from repo_paths import FIXTURES

TERRAFORM = FIXTURES / "real" / "terraform"
MODULES_PLAN = str(TERRAFORM / "modules" / "plan.json")
UNKNOWNS_PLAN = str(TERRAFORM / "unknowns" / "plan.json")
HERE = Position("main.tf", 1, 1)


def _block(address: str, values: dict, conditional: bool = False) -> Block:
    name = address.rsplit(".", 1)[1].split("[")[0]
    return Block(address, "resource", "terraform_data", name, values, HERE, {("input",): Position("main.tf", 3, 11)},
                 conditional=conditional)


def _configuration(*blocks: Block) -> Configuration:
    return Configuration("root", tuple(blocks), ("main.tf",))


# -- reading a real plan ----------------------------------------------------------------------


def test_every_planned_address_of_modules_for_each_and_count():
    plan = read_plan(MODULES_PLAN)
    assert plan.error is None and plan.terraform_version == "1.11.4"
    assert sorted(plan.resources) == [
        'module.fn["orders"].module.logs.terraform_data.group',
        'module.fn["orders"].terraform_data.function',
        'module.fn["payments"].module.logs.terraform_data.group',
        'module.fn["payments"].terraform_data.function',
        "module.worker[0].module.logs.terraform_data.group",
        "module.worker[0].terraform_data.function",
        "module.worker[1].module.logs.terraform_data.group",
        "module.worker[1].terraform_data.function",
        "terraform_data.mapping[0]",
        "terraform_data.mapping[1]",
        'terraform_data.queue["dead"]',
        'terraform_data.queue["jobs"]',
    ]


def test_values_come_from_tfvars_locals_and_module_inputs():
    plan = read_plan(MODULES_PLAN)
    assert plan.variables == {
        "stage": "prod",
        "functions": {"orders": {"memory": 512, "timeout": 60}, "payments": {"memory": 1024, "timeout": 900}},
        "workers": 2,
    }
    payments = plan.resources['module.fn["payments"].terraform_data.function']
    assert payments == {
        "id": UNKNOWN,
        "input": {
            "function_name": "shop-prod-payments", "memory_size": 1024, "timeout": 900,
            "runtime": "python3.13", "handler": "app.handler",
            "environment": [{"variables": {"STAGE": "prod", "LOG_LEVEL": "info", "FUNCTION": "payments"}}],
        },
        "output": UNKNOWN,
        "triggers_replace": None,
    }
    worker = plan.resources["module.worker[1].terraform_data.function"]["input"]
    assert (worker["function_name"], worker["memory_size"], worker["timeout"]) == ("shop-prod-worker-1", 128, 3)
    assert worker["environment"] == [{"variables": {}}]
    assert plan.resources['module.fn["orders"].module.logs.terraform_data.group']["input"] == {
        "name": "/aws/lambda/shop-prod-orders", "retention_in_days": 14}
    assert plan.resources['terraform_data.queue["jobs"]']["input"]["visibility_timeout_seconds"] == 180
    assert plan.resources['terraform_data.queue["dead"]']["input"]["visibility_timeout_seconds"] == 30


def test_what_is_computed_at_apply_is_unknown_not_absent():
    plan = read_plan(UNKNOWNS_PLAN)
    function = plan.resources["terraform_data.function"]["input"]
    assert function["role"] is UNKNOWN  # left out of planned_values: only after_unknown says it is there
    assert function["layers"] == ["base", UNKNOWN]  # null in planned_values
    assert function["environment"] == [{"variables": {"REGION": "eu-west-1", "TOKEN": "s3cr3t", "RUN_ID": UNKNOWN}}]
    assert (function["function_name"], function["code_sha256"], function["subnet_cidr"], function["deployed_on"]) == (
        "ORDERS-EU-WEST-1", "c13367945d5d4c91047b3b50234aa7ab", "10.0.1.0/24", "2026-12-01")
    assert plan.resources["terraform_data.stamp"]["input"] is UNKNOWN
    assert plan.resources["terraform_data.optional[0]"]["input"] == {
        "reserved_concurrent_executions": -1, "description": None}  # null: known to be unset


def test_data_sources_come_from_prior_state():
    data = json.loads(open(UNKNOWNS_PLAN, encoding="utf-8").read())
    data["prior_state"] = {"format_version": "1.0", "values": {"root_module": {"resources": [
        {"address": "data.aws_caller_identity.current", "mode": "data", "type": "aws_caller_identity",
         "name": "current", "values": {"account_id": "123456789012"}},
        {"address": "terraform_data.role", "mode": "managed", "values": {"input": "stale state"}},
    ]}}}
    plan = plan_module.plan_from("plan.json", data)
    assert plan.resources["data.aws_caller_identity.current"] == {"account_id": "123456789012"}
    assert plan.resources["terraform_data.role"]["input"] == "lambda-role"  # planned, not the prior state


# -- files that are not a plan: one error each, never an exception -----------------------------


@pytest.mark.parametrize("content, error", [
    (b"{not json", "plan file is not JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
    (b"\xff\xfe{}", "plan file is not UTF-8 text"),
    (b'{"format_version": "1.2"}', "JSON file is not a Terraform plan (`terraform show -json` output has "
                                   "format_version and planned_values)"),
    (b"[1, 2]", "JSON file is not a Terraform plan (`terraform show -json` output has "
                "format_version and planned_values)"),
    (b'{"format_version": "2.0", "planned_values": {}}', "plan format_version '2.0' is not one lambdalint reads (1.x)"),
    (b"[" * 100_000 + b"]" * 100_000,
     "plan file is not JSON Terraform writes (nested too deeply or a number too long)"),
])
def test_a_file_that_is_not_a_plan_is_one_error(tmp_path, content, error):
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    plan = read_plan(str(path))
    assert (plan.error, plan.resources, plan.variables) == (error, {}, {})


def test_a_plan_past_the_size_bound_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(plan_module, "MAX_PLAN_BYTES", 1024 * 1024)
    path = tmp_path / "plan.json"
    path.write_bytes(b" " * (1024 * 1024 + 1))
    assert read_plan(str(path)).error == "plan file is larger than 1 MB: not read"


def test_a_missing_plan_is_one_error(tmp_path):
    assert read_plan(str(tmp_path / "absent.json")).error == "plan file cannot be read: No such file or directory"


def test_the_overlay_reports_an_unreadable_plan_as_a_configuration_error(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text("{}", encoding="utf-8")
    configuration = _configuration(_block("terraform_data.a", {"input": UNKNOWN}))
    laid = overlay(configuration, read_plan(str(path)))
    assert laid.blocks == configuration.blocks
    assert laid.errors == ((Position(str(path), 1, 1), "JSON file is not a Terraform plan (`terraform show -json` "
                                                       "output has format_version and planned_values)"),)


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=30))
def test_any_json_document_reads_without_raising(document):
    for data in (document, {"format_version": "1.2", "planned_values": document, "resource_changes": document,
                            "prior_state": document, "variables": document}):
        plan = plan_module.plan_from("plan.json", data)
        assert plan.error is not None or isinstance(plan.resources, dict)


# -- the overlay ------------------------------------------------------------------------------


def test_unknowns_are_filled_and_known_values_references_and_positions_stay():
    role = Reference("terraform_data.role", ("id",))
    configured = _block("terraform_data.function", {"input": {
        "function_name": UNKNOWN,  # upper(): a function the evaluator does not run
        "role": role,
        "code_sha256": UNKNOWN,
        "subnet_cidr": "configured",  # known: the plan never replaces it
        "deployed_on": Interpolation(("20", UNKNOWN)),  # no reference in it: the plan's string
        "layers": ["base", Interpolation(("x-", role))],  # a reference in it: stays
        "environment": [{"variables": {"REGION": "eu-west-1", "RUN_ID": UNKNOWN, "TOKEN": UNKNOWN}}],
    }})
    laid = overlay(_configuration(configured), read_plan(UNKNOWNS_PLAN))
    (block,) = laid.blocks
    assert block.values == {"input": {
        "function_name": "ORDERS-EU-WEST-1",
        "role": role,
        "code_sha256": "c13367945d5d4c91047b3b50234aa7ab",
        "subnet_cidr": "configured",
        "deployed_on": "2026-12-01",
        "layers": ["base", Interpolation(("x-", role))],
        "environment": [{"variables": {"REGION": "eu-west-1", "RUN_ID": UNKNOWN, "TOKEN": "s3cr3t"}}],
    }}
    assert (block.position, block.positions) == (configured.position, configured.positions)
    assert laid.errors == () and laid.files == ("main.tf",)


def test_a_value_the_plan_does_not_know_stays_as_configured():
    # the plan's whole input is unknown (timestamp()): what the configuration says about it stays
    configured = _block("terraform_data.stamp", {"input": {"a": 1, "b": UNKNOWN}})
    configuration = _configuration(configured)
    assert overlay(configuration, read_plan(UNKNOWNS_PLAN)) is configuration


def test_attributes_the_configuration_does_not_set_are_not_added():
    configured = _block('module.fn["orders"].terraform_data.function', {"input": {"function_name": UNKNOWN}})
    (block,) = overlay(_configuration(configured), read_plan(MODULES_PLAN)).blocks
    assert block.values == {"input": {"function_name": "shop-prod-orders"}}


def test_a_conditional_block_the_plan_names_exists_and_others_stay_as_they_are():
    named = _block("terraform_data.optional[0]", {"input": UNKNOWN}, conditional=True)
    unnamed = _block("terraform_data.elsewhere", {"input": UNKNOWN}, conditional=True)
    blocks = overlay(_configuration(named, unnamed), read_plan(UNKNOWNS_PLAN)).blocks
    assert blocks[0].conditional is False
    assert blocks[0].values == {"input": {"reserved_concurrent_executions": -1, "description": None}}
    assert blocks[1] is unnamed


def test_lists_of_another_length_stay_as_configured():
    assert fill([UNKNOWN], [1, 2]) == [UNKNOWN]
    assert fill({"a": [UNKNOWN, 2]}, {"a": [1, 3]}) == {"a": [1, 2]}


_leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=3) | st.just(UNKNOWN)


def _trees(leaves):
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.sampled_from("abcd"), inner, max_size=3), max_leaves=12)


def _known_leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _known_leaves(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _known_leaves(item, path + (index,))
    elif value is not UNKNOWN:
        yield path, value


def _at(value, path):
    for step in path:
        value = value[step]
    return value


@settings(max_examples=150, deadline=None)
@given(_trees(_leaves), _trees(_leaves))
def test_the_overlay_never_changes_a_known_configured_value(configured, planned):
    filled = fill(configured, planned)
    for path, value in _known_leaves(configured):
        assert _at(filled, path) == value
    if not _has_unknown(configured):
        assert filled is configured


def _has_unknown(value):
    if isinstance(value, dict):
        return any(_has_unknown(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_unknown(item) for item in value)
    return value is UNKNOWN


@settings(max_examples=100, deadline=None)
@given(_trees(_leaves))
def test_a_wholly_unknown_configured_value_takes_the_plan(planned):
    assert fill(UNKNOWN, planned) == planned


# -- which file is the plan -------------------------------------------------------------------


def test_the_plan_beside_the_tf_files_is_found_by_content(tmp_path):
    (tmp_path / "main.tf").write_text("", encoding="utf-8")
    (tmp_path / "package.json").write_text('{"name": "x", "format_version": "1"}', encoding="utf-8")
    (tmp_path / "main.tf.json").write_text('{"format_version": "1.2", "terraform_version": "1"}', encoding="utf-8")
    assert plan_beside(str(tmp_path)) is None
    with open(MODULES_PLAN, encoding="utf-8") as handle:
        (tmp_path / "tfplan-prod.json").write_text(handle.read(), encoding="utf-8")
    assert plan_beside(str(tmp_path)) == str(tmp_path / "tfplan-prod.json")
    assert plan_beside(str(tmp_path), admits=lambda path: False) is None
    assert plan_beside(str(tmp_path / "absent")) is None


def test_a_symlinked_plan_is_read_only_when_the_boundary_admits_it(tmp_path):
    from lambdalint.boundary import TrustBoundary

    outside, project = tmp_path / "outside", tmp_path / "project"
    outside.mkdir()
    project.mkdir()
    (outside / "plan.json").write_bytes(open(MODULES_PLAN, "rb").read())
    os.symlink(outside / "plan.json", project / "plan.json")
    assert plan_beside(str(project), TrustBoundary([str(project)]).admits) is None
    assert plan_beside(str(project), TrustBoundary([str(tmp_path)]).admits) == str(project / "plan.json")


def test_real_plans_look_like_plans_and_other_json_does_not():
    assert looks_like_plan(MODULES_PLAN) and looks_like_plan(UNKNOWNS_PLAN)
    assert not looks_like_plan(str(TERRAFORM / "modules" / "sources.json"))


# -- the fixtures are what terraform writes ---------------------------------------------------


def _planned(shown: str):
    data = json.loads(shown)
    return data["planned_values"], [(change["address"], change["change"]) for change in data["resource_changes"]]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["modules", "unknowns"])
def test_terraform_plans_the_fixture_as_committed(name):
    """Planned again offline with the local terraform: the same values (the timestamp aside)."""
    import shutil
    import sys

    if shutil.which("terraform") is None:
        pytest.skip("terraform is not installed: the committed plan is what tools/real_fixtures/terraform.py wrote")
    sys.path.insert(0, str(FIXTURES.parent))
    from tools.real_fixtures.terraform import show_json

    shown, version = show_json(TERRAFORM / name)
    committed = (TERRAFORM / name / "plan.json").read_text(encoding="utf-8")
    if version != json.loads(committed)["terraform_version"]:
        pytest.skip(f"terraform {version} is not the {json.loads(committed)['terraform_version']} that planned it")
    assert _planned(shown) == _planned(committed)


# -- a plan of other code ---------------------------------------------------------------------


def _planned_folder(tmp_path, plan_time: int, code_time: int):
    (tmp_path / "plan.json").write_bytes(open(UNKNOWNS_PLAN, "rb").read())
    (tmp_path / "main.tf").write_text("", encoding="utf-8")
    os.utime(tmp_path / "plan.json", (plan_time, plan_time))
    os.utime(tmp_path / "main.tf", (code_time, code_time))
    block = _block("terraform_data.function", {"input": {"code_sha256": UNKNOWN}})
    return Configuration(str(tmp_path), (block,), (str(tmp_path / "main.tf"),))


def test_a_plan_newer_than_the_code_is_laid_over(tmp_path):
    configuration = _planned_folder(tmp_path, plan_time=1_700_000_100, code_time=1_700_000_000)
    plan = find_plan(str(tmp_path))
    assert plan is not None and plan.modified == 1_700_000_100 * 10**9
    laid = overlay(configuration, plan)
    assert laid.blocks[0].values == {"input": {"code_sha256": "c13367945d5d4c91047b3b50234aa7ab"}}
    assert laid.unchecked == ()


def test_a_plan_older_than_the_code_is_said_once_and_not_laid_over(tmp_path):
    configuration = _planned_folder(tmp_path, plan_time=1_700_000_000, code_time=1_700_000_100)
    laid = overlay(configuration, find_plan(str(tmp_path)))
    assert laid.blocks == configuration.blocks
    assert laid.unchecked == (("terraform-plan-stale", str(tmp_path / "plan.json")),)


def test_a_given_plan_is_read_whatever_its_name_and_wins_over_one_beside(tmp_path):
    _planned_folder(tmp_path, 1, 1)
    given = tmp_path / "elsewhere.txt"
    given.write_bytes(open(MODULES_PLAN, "rb").read())
    assert sorted(find_plan(str(tmp_path), str(given)).variables) == ["functions", "stage", "workers"]
    assert find_plan(str(tmp_path), str(tmp_path / "missing.json")).error == \
        "plan file cannot be read: No such file or directory"
    assert find_plan(str(tmp_path / "nothing-here")) is None
