"""Configuration files, their validation, precedence, and suppression in config and templates."""

from __future__ import annotations

import datetime
import json
import os

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from lambdalint.api import Linter
from lambdalint.cli import main
from lambdalint.config import Config, ConfigError, find_config, load_config
from lambdalint.findings import Severity
from lambdalint.registry import load_registry
from sample_templates import TIMEOUT_TEMPLATE

TEMPLATE = TIMEOUT_TEMPLATE  # LL0, LL2: LL2002 error line 13, LL0003 warning and LL2005 error line 16


@pytest.fixture(scope="module")
def known_rules():
    return [rule.id for rule in load_registry()]


def write(folder, name: str, text: str):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def check(*args: str):
    result = CliRunner().invoke(main, ["check", *args, "--format", "json"], catch_exceptions=False)
    report = json.loads(result.stdout) if result.stdout.startswith("{") else None
    return result, report


def rules_of(report):
    return sorted((f["rule"], f["line"]) for f in report["findings"])


# -- discovery -------------------------------------------------------------------------------


def test_config_in_current_folder(cwd):
    write(cwd, ".lambdalint.yaml", "select: [LL2002]\n")
    write(cwd, "t.yaml", TEMPLATE)
    assert find_config(".") == str(cwd / ".lambdalint.yaml")
    _, report = check("t.yaml")
    assert rules_of(report) == [("LL2002", 13)]


def test_config_in_a_parent_folder(cwd, monkeypatch):
    write(cwd, ".lambdalint.yaml", "select: [LL2005]\n")
    write(cwd, "deep/er/t.yaml", TEMPLATE)
    monkeypatch.chdir(cwd / "deep" / "er")
    _, report = check("t.yaml")
    assert rules_of(report) == [("LL2005", 16)]


def test_nearest_config_wins(cwd, monkeypatch):
    write(cwd, ".lambdalint.yaml", "select: [LL2005]\n")
    write(cwd, "sub/.lambdalint.yaml", "select: [LL2002]\n")
    write(cwd, "sub/t.yaml", TEMPLATE)
    monkeypatch.chdir(cwd / "sub")
    _, report = check("t.yaml")
    assert rules_of(report) == [("LL2002", 13)]


def test_setup_cfg_section(cwd):
    write(cwd, "setup.cfg", "[metadata]\nname = app\n\n[lambdalint]\nselect =\n    LL2002,\n    LL0003\nfail-level = none\n")
    write(cwd, "t.yaml", TEMPLATE)
    assert find_config(".") == str(cwd / "setup.cfg")
    result, report = check("t.yaml")
    assert rules_of(report) == [("LL0003", 16), ("LL2002", 13)]
    assert result.exit_code == 0  # fail-level none


def test_setup_cfg_without_the_section_is_not_a_config(cwd):
    write(cwd, "setup.cfg", "[metadata]\nname = app\n")
    assert find_config(".") is None


def test_dot_lambdalint_yaml_beats_setup_cfg_in_the_same_folder(cwd):
    write(cwd, "setup.cfg", "[lambdalint]\nselect = LL2005\n")
    write(cwd, ".lambdalint.yaml", "select: [LL2002]\n")
    assert find_config(".") == str(cwd / ".lambdalint.yaml")


def test_explicit_config_option_beats_discovery(cwd):
    write(cwd, ".lambdalint.yaml", "select: [LL2005]\n")
    write(cwd, "ci/lint.yaml", "select: [LL0003]\n")
    write(cwd, "t.yaml", TEMPLATE)
    _, report = check("t.yaml", "--config", "ci/lint.yaml")
    assert rules_of(report) == [("LL0003", 16)]


@pytest.mark.parametrize("text", ["", "\n\n", "# everything commented out\n# select: [LL2002]\n"])
def test_empty_config_means_defaults(cwd, text):
    write(cwd, ".lambdalint.yaml", text)
    assert load_config(str(cwd / ".lambdalint.yaml")) == Config(source=".lambdalint.yaml", root=str(cwd))


# -- precedence: CLI > file > defaults ---------------------------------------------------------


def test_defaults_without_config(cwd):
    config = load_config(None)
    assert config.fail_level is Severity.ERROR
    assert config.select == () and config.ignore == ()


def test_cli_select_replaces_file_select(cwd):
    write(cwd, ".lambdalint.yaml", "select: [LL2005]\n")
    write(cwd, "t.yaml", TEMPLATE)
    _, report = check("t.yaml", "--select", "LL2002")
    assert rules_of(report) == [("LL2002", 13)]


def test_cli_ignore_adds_to_file_ignore(cwd):
    write(cwd, ".lambdalint.yaml", "select: [LL0, LL2]\nignore: [LL2005]\n")
    write(cwd, "t.yaml", TEMPLATE)
    _, report = check("t.yaml", "--ignore", "LL0003")
    assert rules_of(report) == [("LL2002", 13)]


def test_fail_level_file_then_cli(cwd):
    write(cwd, ".lambdalint.yaml", "select: [LL0003]\nfail-level: warning\n")
    write(cwd, "t.yaml", TEMPLATE)
    assert check("t.yaml")[0].exit_code == 1
    assert check("t.yaml", "--fail-level", "error")[0].exit_code == 0


def test_parameters_file_then_cli(cwd):
    write(cwd, ".lambdalint.yaml", "select: [LL2002]\nparameters: {Seconds: 1000}\n")
    write(cwd, "t.yaml", TEMPLATE)
    _, report = check("t.yaml")
    assert [f["message"] for f in report["findings"]] == ["Timeout 1000 s is outside 1-900 s"]
    _, report = check("t.yaml", "--parameter", "Seconds=60")
    assert report["findings"] == []


def test_today_file_then_cli(cwd):
    write(cwd, ".lambdalint.yaml", "select: [LL2006, LL2007]\ntoday: 2027-06-01\n")
    write(cwd, "t.yaml", TEMPLATE.replace("python3.13", "python3.9"))
    _, report = check("t.yaml")
    assert [f["rule"] for f in report["findings"]] == ["LL2006"]
    _, report = check("t.yaml", "--today", "2024-01-01")
    assert report["findings"] == []


# -- validation: one exact sentence, with line:col, exit 2 ---------------------------------------


def test_unknown_key_is_one_exact_sentence(cwd):
    write(cwd, ".lambdalint.yaml", "select: [LL2]\nignroe: [LL2005]\n")
    write(cwd, "t.yaml", TEMPLATE)
    result = CliRunner().invoke(main, ["check", "t.yaml"])
    assert result.exit_code == 2
    assert result.stdout == ""
    known = ("artifact-roots, baseline, exclude, fail-level, format, ignore, images, jobs, limits, parameters, "
             "paths, per-file-ignores, respect-gitignore, rule-timeout, rules-dir, select, serverless-env, severity, "
             "terraform-plan, today")
    assert result.stderr == f".lambdalint.yaml:2:1: LL0005 error: unknown key 'ignroe' (known keys: {known})\n"


def test_unknown_rule_is_one_exact_sentence(cwd):
    write(cwd, ".lambdalint.yaml", "select:\n  - LL2\n  - LL2999\n")
    write(cwd, "t.yaml", TEMPLATE)
    result = CliRunner().invoke(main, ["check", "t.yaml"])
    assert result.exit_code == 2
    assert result.stderr == ".lambdalint.yaml:3:5: LL0005 error: unknown rule 'LL2999' in select\n"


@pytest.mark.parametrize(
    "text, position, message",
    [
        ("ignore: [LL0003, XX]\n", (1, 18), "unknown rule 'XX' in ignore"),
        ("severity:\n  LL2002: warning\n  LL7777: error\n", (3, 3), "unknown rule 'LL7777' in severity"),
        ("per-file-ignores:\n  'a/*.yaml':\n    - LL2\n    - LL7777\n", (4, 7), "unknown rule 'LL7777' in per-file-ignores"),
        ("severity: {LL2002: loud}\n", (1, 12), "invalid value for severity.LL2002: 'loud' is not one of"),
        ("select: LL2002\n", (1, 1), "invalid value for select: 'LL2002' is not of type 'array'"),
        ("today: tomorrow\n", (1, 1), "invalid value for today: 'tomorrow' does not match"),
        ("severity:\n  1: error\n", (1, 1), "invalid value for severity: 1 is not of type 'string'"),
        ("today: 2026-02-30\n", (1, 1), "today: '2026-02-30' is not a date (YYYY-MM-DD)"),
        ("- select\n", (1, 1), "configuration must be a mapping of keys"),
        ("select: [\n", (2, 1), "YAML syntax"),
        ("select: []\nselect: []\n", (2, 1), "duplicate key 'select'"),
        # a template deploys the last of a repeated key (LL0009); a configuration may not repeat one
        ("severity:\n  LL2002: warning\n  LL2002: error\n", (3, 3), "duplicate key 'LL2002' (first defined on line 2)"),
    ],
)
def test_config_errors_name_the_place(cwd, known_rules, text, position, message):
    write(cwd, "c.yaml", text)
    with pytest.raises(ConfigError) as caught:
        load_config("c.yaml", known_rules)
    assert message in caught.value.message
    assert (caught.value.line, caught.value.column) == position
    assert str(caught.value).startswith(f"c.yaml:{position[0]}:{position[1]}: LL0005 error: ")


def test_setup_cfg_errors_point_at_the_key(cwd, known_rules):
    write(cwd, "setup.cfg", "[metadata]\nname = x\n\n[lambdalint]\nselect =\n    LL2002\nbogus = 1\n")
    with pytest.raises(ConfigError) as caught:
        load_config("setup.cfg", known_rules)
    assert caught.value.message.startswith("unknown key 'bogus'")
    assert caught.value.line == 7


def test_missing_config_file_exits_2(cwd):
    write(cwd, "t.yaml", TEMPLATE)
    result = CliRunner().invoke(main, ["check", "t.yaml", "--config", "nope.yaml"])
    assert result.exit_code == 2
    assert result.stderr == "nope.yaml:1:1: LL0005 error: configuration file not found\n"


# -- severity and per-file ignores ------------------------------------------------------------


def test_severity_override_changes_a_finding(cwd):
    write(cwd, ".lambdalint.yaml", "select: [LL2002, LL0003]\nseverity: {LL2002: warning, LL0003: error}\n")
    write(cwd, "t.yaml", TEMPLATE)
    result, report = check("t.yaml")
    assert {(f["rule"], f["severity"]) for f in report["findings"]} == {("LL2002", "warning"), ("LL0003", "error")}
    assert report["summary"]["errors"] == 1 and report["summary"]["warnings"] == 1
    assert result.exit_code == 1  # the LL0003 error


def test_severity_override_of_an_unreadable_file(cwd):
    write(cwd, ".lambdalint.yaml", "severity: {LL0001: warning}\n")
    write(cwd, "broken.yaml", "Resources: [\n")
    result, report = check("broken.yaml", "missing.yaml")
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [("LL0001", "warning")] * 2
    assert result.exit_code == 0


def test_per_file_ignores(cwd):
    write(cwd, ".lambdalint.yaml", "select: [LL0, LL2]\nper-file-ignores:\n  'legacy/*': [LL2]\n  '*/old.yaml': [LL0003]\n")
    write(cwd, "legacy/t.yaml", TEMPLATE)
    write(cwd, "new/t.yaml", TEMPLATE)
    write(cwd, "new/old.yaml", TEMPLATE)
    _, report = check("legacy", "new")
    by_file = {}
    for finding in report["findings"]:
        by_file.setdefault(finding["file"].replace("\\", "/"), set()).add(finding["rule"])
    assert by_file == {
        "legacy/t.yaml": {"LL0003"},
        "new/t.yaml": {"LL0003", "LL2002", "LL2005"},
        "new/old.yaml": {"LL2002", "LL2005"},
    }


# -- Metadata ignores in the template -----------------------------------------------------------


def lint(text: str, name: str = "t.yaml", select=("LL0", "LL2")):
    findings = Linter(Config(select=select, today=datetime.date(2026, 11, 23))).lint_text(text, name)
    return sorted((f.rule, f.line) for f in findings)


def test_resource_metadata_ignore_yaml():
    text = TEMPLATE.replace(
        "    Type: AWS::Lambda::Function\n",
        "    Type: AWS::Lambda::Function\n    Metadata:\n      lambdalint:\n        ignore: [LL2002, LL0003]\n"
        "        reason: long batch job\n",
    )
    assert lint(text) == [("LL2005", 20)]


def test_resource_metadata_ignore_by_prefix():
    text = TEMPLATE.replace(
        "    Type: AWS::Lambda::Function\n",
        "    Type: AWS::Lambda::Function\n    Metadata: {lambdalint: {ignore: [LL2]}}\n",
    )
    assert lint(text) == [("LL0003", 17)]


def test_resource_metadata_ignore_as_one_string_is_flagged_and_not_applied():
    text = TEMPLATE.replace(
        "    Type: AWS::Lambda::Function\n",
        "    Type: AWS::Lambda::Function\n    Metadata: {lambdalint: {ignore: LL2}}\n",
    )
    unsuppressed = TEMPLATE.replace("    Type: AWS::Lambda::Function\n", "    Type: AWS::Lambda::Function\n    Metadata: {}\n")
    assert lint(text) == sorted(lint(unsuppressed) + [("LL0005", 7)])
    assert {"LL2002", "LL2005"} <= {rule for rule, _ in lint(text)}


def test_resource_metadata_ignore_json():
    template = {
        "Resources": {
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Metadata": {"lambdalint": {"ignore": ["LL2002"]}},
                "Properties": {"Runtime": "python3.13", "Handler": "app.handler", "Timeout": 1800,
                               "Role": "arn:aws:iam::123456789012:role/r", "Code": {"S3Bucket": "b", "S3Key": "k"}},
            },
            "Other": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Runtime": "python3.13", "Handler": "app.handler", "Timeout": 1800,
                               "Role": "arn:aws:iam::123456789012:role/r", "Code": {"S3Bucket": "b", "S3Key": "k"}},
            },
        }
    }
    text = json.dumps(template, indent=2)
    findings = Linter(Config(select=("LL2002",))).lint_text(text, "t.json")
    assert [(f.rule, f.resource) for f in findings] == [("LL2002", "Other")]


def test_sam_resource_metadata_ignore_covers_values_from_globals():
    text = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 1800
Resources:
  Quiet:
    Type: AWS::Serverless::Function
    Metadata:
      lambdalint:
        ignore: [LL2002]
    Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: s3://b/k}
  Loud:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: s3://b/k}
"""
    findings = Linter(Config(select=("LL2002",))).lint_text(text, "t.yaml")
    assert [(f.rule, f.line, f.resource) for f in findings] == [("LL2002", 4, "Loud")]


def test_template_metadata_ignore_yaml_and_json():
    text = "Metadata:\n  lambdalint:\n    ignore: [LL2002, LL0003]\n" + TEMPLATE
    assert lint(text) == [("LL2005", 19)]
    template = {
        "Metadata": {"lambdalint": {"ignore": ["LL2"]}},
        "Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "python3.13", "Handler": "app.handler", "Timeout": 1800, "MemorySize": 1,
            "Role": "arn:aws:iam::123456789012:role/r", "Code": {"S3Bucket": "b", "S3Key": "k"}}}},
    }
    assert lint(json.dumps(template), "t.json") == []


def test_metadata_ignore_of_another_resource_does_not_leak():
    text = TEMPLATE + """\
  Other:
    Type: AWS::SQS::Queue
    Metadata: {lambdalint: {ignore: [LL2002]}}
"""
    assert ("LL2002", 13) in lint(text)


@pytest.mark.parametrize(
    "metadata",
    ["{lambdalint: {ignore: 5}}", "{lambdalint: [LL2002]}", "[1, 2]", "{lambdalint: {ignore: [1, {a: b}]}}"],
)
def test_malformed_metadata_ignores_suppress_nothing_and_never_crash(metadata):
    text = TEMPLATE.replace("    Type: AWS::Lambda::Function\n",
                            f"    Type: AWS::Lambda::Function\n    Metadata: {metadata}\n")
    rules = {rule for rule, _ in lint(text)}
    assert {"LL2002", "LL2005", "LL0003"} <= rules
    assert "LL0007" not in rules


def test_setup_cfg_numbers_are_numbers(tmp_path):
    from lambdalint.config import load_config

    (tmp_path / "setup.cfg").write_text("[lambdalint]\njobs = 2\nrule-timeout = 2.5\n")
    config = load_config(str(tmp_path / "setup.cfg"))
    assert config.jobs == 2 and config.rule_timeout == 2.5


# -- limits: names and types from limits.json ----------------------------------------------------


@pytest.mark.parametrize(
    "text, position, message",
    [
        ("limits:\n  account_concurrency_default: 3000\n  timeout_s_maxx: 10\n", (3, 3),
         "unknown limit 'timeout_s_maxx' (did you mean 'timeout_s_max'?"),
        ("limits:\n  zzz_nothing_like_it: 1\n", (2, 3), "unknown limit 'zzz_nothing_like_it' (docs/usage.md"),
        ("limits:\n  timeout_s_max: '900'\n", (2, 3), "limits.timeout_s_max: '900' is not an integer (default 900)"),
        ("limits:\n  timeout_s_max: 900.5\n", (2, 3), "limits.timeout_s_max: 900.5 is not an integer"),
        ("limits:\n  timeout_s_max: true\n", (2, 3), "limits.timeout_s_max: True is not an integer"),
        ("limits:\n  memory_mb_max: 0\n", (2, 3), "limits.memory_mb_max: 0 must be greater than 0"),
        ("limits:\n  esm_batching_window_s_min: -1\n", (2, 3), "esm_batching_window_s_min: -1 must be at least 0"),
        ("limits:\n  alias_routing_weight_max: high\n", (2, 3), "alias_routing_weight_max: 'high' is not a number"),
        ("limits:\n  reserved_environment_variables: AWS_REGION\n", (2, 3), "is not a list of strings"),
        ("limits:\n  function_name_pattern: '[a-'\n", (2, 3), "function_name_pattern: '[a-' is not a regular expression"),
        ("limits:\n  function_name_pattern: 64\n", (2, 3), "function_name_pattern: 64 is not a string"),
    ],
)
def test_limits_are_checked_against_limits_json(cwd, known_rules, text, position, message):
    write(cwd, "c.yaml", text)
    with pytest.raises(ConfigError) as caught:
        load_config("c.yaml", known_rules)
    assert message in caught.value.message
    assert (caught.value.line, caught.value.column) == position


def test_valid_limits_are_kept_with_their_types(cwd):
    write(cwd, "c.yaml", "limits:\n  account_concurrency_default: 3000\n  alias_routing_weight_max: 1\n"
                         "  esm_maximum_retry_attempts_min: -1\n  reserved_environment_variables: [A, B]\n")
    assert load_config("c.yaml").limits == {"account_concurrency_default": 3000, "alias_routing_weight_max": 1,
                                            "esm_maximum_retry_attempts_min": -1,
                                            "reserved_environment_variables": ["A", "B"]}


def test_a_wrong_limit_is_ll0005_exit_2_not_an_internal_error(cwd):
    write(cwd, ".lambdalint.yaml", "limits:\n  timeout_s_max: lots\n")
    write(cwd, "t.yaml", TEMPLATE)
    result = CliRunner().invoke(main, ["check", "t.yaml"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (".lambdalint.yaml:2:3: LL0005 error: invalid value for limits.timeout_s_max: "
                             "'lots' is not an integer (default 900)\n")


def test_setup_cfg_limits_are_read_as_their_kind_and_errors_point_at_their_line(cwd):
    write(cwd, "setup.cfg", "[lambdalint]\nlimits =\n    memory_mb_max = 3000\n"
                            "    reserved_environment_variables = A, B\n    alias_routing_weight_max = 1\n")
    assert load_config("setup.cfg").limits == {"memory_mb_max": 3000, "reserved_environment_variables": ["A", "B"],
                                               "alias_routing_weight_max": 1.0}
    write(cwd, "setup.cfg", "[lambdalint]\nselect = LL2\nlimits =\n    memory_mb_max = 3000\n    timeout_s_mx = 5\n")
    write(cwd, "t.yaml", TEMPLATE)
    result = CliRunner().invoke(main, ["check", "t.yaml"])
    assert result.exit_code == 2
    assert result.stderr.startswith("setup.cfg:5:1: LL0005 error: unknown limit 'timeout_s_mx' (did you mean 'timeout_s_max'?")
    write(cwd, "setup.cfg", "[lambdalint]\nlimits =\n    timeout_s_max = soon\n")
    result = CliRunner().invoke(main, ["check", "t.yaml"])
    assert result.exit_code == 2
    assert result.stderr == "setup.cfg:3:1: LL0005 error: invalid value for limits.timeout_s_max: 'soon' is not an integer (default 900)\n"


def test_an_overridden_limit_reaches_the_rules(cwd):
    write(cwd, "t.yaml", TEMPLATE)
    _, before = check("t.yaml", "--select", "LL2002")
    write(cwd, ".lambdalint.yaml", "limits:\n  timeout_s_max: 100000\n")
    _, after = check("t.yaml", "--select", "LL2002")
    assert rules_of(before) == [("LL2002", 13)] and rules_of(after) == []


@given(st.integers(min_value=1, max_value=10**9))
def test_any_positive_integer_is_a_valid_integer_limit(value):
    from lambdalint.limit_overrides import validate

    assert validate({"account_concurrency_default": value}) == {"account_concurrency_default": value}


@given(st.one_of(st.text(), st.floats(allow_nan=False), st.booleans(), st.integers(max_value=0),
                 st.lists(st.integers(), max_size=2), st.none()))
def test_anything_else_is_refused_for_an_integer_limit(value):
    from lambdalint.limit_overrides import LimitError, validate

    with pytest.raises(LimitError):  # 3000.0 too: a count is written as an integer
        validate({"account_concurrency_default": value})


def test_a_config_outside_the_current_folder_is_named_by_its_absolute_path(tmp_path, monkeypatch):
    work = tmp_path / "a" / "b"
    write(work, "t.yaml", TEMPLATE)
    write(work, "below/c.yaml", "select: [LL99]\n")
    outside = write(tmp_path, "x.yaml", "select: [LL99]\n")
    monkeypatch.chdir(work)
    for given in (str(outside), os.path.join("..", "..", "x.yaml")):
        result = CliRunner().invoke(main, ["check", "t.yaml", "--config", given])
        assert result.exit_code == 2
        assert result.stderr == f"{outside}:1:10: LL0005 error: unknown rule 'LL99' in select\n"
    for given in (str(work / "below" / "c.yaml"), "below/c.yaml", "./below/../below/c.yaml"):
        result = CliRunner().invoke(main, ["check", "t.yaml", "--config", given])
        assert result.stderr == f"{os.path.join('below', 'c.yaml')}:1:10: LL0005 error: unknown rule 'LL99' in select\n"
