"""The dependency policy (README, Development): tested lower bounds, the newest releases in CI."""

from __future__ import annotations

import importlib.util
import re

import pytest

from repo_paths import REPO

CI = (REPO / ".ci" / "run").read_text(encoding="utf-8")


def load_tool():
    spec = importlib.util.spec_from_file_location("lowest_constraints", REPO / "tools" / "lowest_constraints.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lowest_constraints_file_matches_setup_cfg():
    tool = load_tool()
    expected = tool.lowest_constraints(tool.install_requires())
    current = (REPO / "tools" / "lowest-constraints.txt").read_text(encoding="utf-8")
    assert current == expected, "stale: python tools/lowest_constraints.py > tools/lowest-constraints.txt"


def test_every_runtime_requirement_is_pinned_to_its_lower_bound():
    tool = load_tool()
    requirements = tool.install_requires()
    assert {re.split(r"[<>=!~;, ]", r, maxsplit=1)[0].lower() for r in requirements} == {
        "pyyaml", "click", "tomli", "tree-sitter", "tree-sitter-hcl", "pygls", "lsprotocol"}
    pins = tool.lowest_constraints(requirements).splitlines()[1:]
    # tomli only on Python 3.9/3.10 (3.11+ has tomllib): there its pin is what CI installs
    assert pins == ["pyyaml==6.0", "click==8.0", "tomli==1.1",
                    "tree-sitter==0.23.0", "tree-sitter-hcl==1.2.0", "pygls==2.0.0", "lsprotocol==2025.0.0"]


@pytest.mark.parametrize("requirement, pin", [
    ("pyyaml>=6.0", "pyyaml==6.0"),
    ("click >= 8.0, <9", "click==8.0"),
    ("jsonschema>=4.0.1; python_version >= '3.9'", "jsonschema==4.0.1"),
])
def test_lower_bound_is_read_from_each_requirement_form(requirement, pin):
    assert load_tool().lowest_constraints([requirement]).splitlines()[1:] == [pin]


@pytest.mark.parametrize("requirement", ["pyyaml", "click<9", "jsonschema==4.0.1", "click>8.0"])
def test_requirement_without_a_lower_bound_is_refused(requirement):
    # an unbounded requirement has no lowest version to test, so it cannot pass unnoticed
    with pytest.raises(ValueError, match="no `>=` lower bound"):
        load_tool().lowest_constraints([requirement])


def test_ci_compares_the_config_check_with_the_lowest_jsonschema_the_tests_allow():
    import configparser

    parser = configparser.ConfigParser()
    parser.read(REPO / "setup.cfg", encoding="utf-8")
    extra = [line.strip() for line in parser.get("options.extras_require", "test").splitlines()]
    bound = next(line.split(">=", 1)[1] for line in extra if line.startswith("jsonschema>="))
    lowest_step = CI[CI.index("--constraint tools/lowest-constraints.txt"):CI.index("== newest")]
    install, tests = lowest_step.split("python -m pytest", 1)
    assert f'"jsonschema=={bound}"' in install
    assert "tests/test_config_check.py" in tests


def test_ci_tests_the_lowest_versions_before_the_full_suite_on_the_newest():
    lowest = CI.index("--constraint tools/lowest-constraints.txt")
    lowest_tests = CI.index("tests/test_loading.py tests/test_config.py tests/test_cli.py")
    newest = CI.index("pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]'")
    full_suite = CI.rindex("python -m pytest -q")
    assert lowest < lowest_tests < newest < full_suite
    # CI is judged by the last pytest line it prints: the full suite's
    assert CI.rstrip().splitlines()[-1] == "python -m pytest -q"
