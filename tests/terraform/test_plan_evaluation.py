"""The evaluator against terraform itself: what load_configuration computes is what `terraform plan` planned.

fixtures/real/terraform/<name>/plan.json is real terraform output for the `.tf` files beside
it (tools/real_fixtures/terraform.py). Addresses (module instances by for_each key and count
index, resource instances) and every value the evaluator claims to know must be the plan's;
what the plan knows and the evaluator does not is what the overlay fills.
"""

from __future__ import annotations

import os

import pytest

from lambdalint.frontends.terraform.configuration import Interpolation, Reference
from lambdalint.frontends.terraform.load import load_configuration
from lambdalint.frontends.terraform.plan import overlay, read_plan
from lambdalint.model.values import UNKNOWN
from real_fixtures import copy_fixture

NAMES = ["modules", "unknowns"]


def _loaded(name, destination):
    """The fixture's configuration and plan, from a copy whose plan is newer than its code, as terraform left it.

    (git keeps no modification times; a plan older than the code is not laid over.)
    """
    folder = copy_fixture(f"terraform/{name}", destination)
    planned = os.path.join(folder, "plan.json")
    os.utime(planned, (2_000_000_000, 2_000_000_000))
    return load_configuration(folder, root=folder), read_plan(planned)


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, path + (index,))
    else:
        yield path, value


def _at(value, path):
    for step in path:
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif isinstance(value, list) and isinstance(step, int) and step < len(value):
            value = value[step]
        else:
            return UNKNOWN
    return value


@pytest.mark.parametrize("name", NAMES)
def test_the_evaluator_finds_every_planned_address(name, tmp_path):
    configuration, plan = _loaded(name, tmp_path)
    assert configuration.errors == ()
    assert sorted(block.address for block in configuration.blocks) == sorted(plan.resources)
    assert not any(block.conditional for block in configuration.blocks)


@pytest.mark.parametrize("name", NAMES)
def test_every_value_the_evaluator_knows_is_the_planned_one(name, tmp_path):
    configuration, plan = _loaded(name, tmp_path)
    for block in configuration.blocks:
        for path, value in _leaves(block.values):
            if value is UNKNOWN or isinstance(value, (Reference, Interpolation)):
                continue
            assert _at(plan.resources[block.address], path) == value, (block.address, path)


def test_modules_for_each_count_tfvars_and_locals_are_all_known_before_the_plan(tmp_path):
    configuration, plan = _loaded("modules", tmp_path)
    for block in configuration.blocks:
        assert block.values["input"] == plan.resources[block.address]["input"], block.address


def test_what_only_apply_knows_stays_unknown_or_a_reference_after_the_overlay(tmp_path):
    configuration, plan = _loaded("unknowns", tmp_path)
    laid = overlay(configuration, plan)
    assert laid.unchecked == () and laid.errors == ()
    function = laid.block("terraform_data.function").values["input"]
    assert function["role"] == Reference("terraform_data.role", ("id",))
    assert function["layers"] == ["base", Reference("terraform_data.role", ("id",))]
    assert function["environment"][0]["variables"]["RUN_ID"] is UNKNOWN  # uuid()
    assert laid.block("terraform_data.stamp").values["input"] is UNKNOWN  # timestamp()
    for block in laid.blocks:  # everything else the plan knows, the overlaid configuration knows
        for path, value in _leaves(plan.resources[block.address]):
            if path[:1] == ("input",) and value is not UNKNOWN:
                assert _at(block.values, path) == value, (block.address, path)
