"""The `lambdalint` command: exit codes, options, output shapes, and unreadable inputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from cli_support import run
from lambdalint.registry import load_registry
from sample_templates import TIMEOUT_TEMPLATE  # --select LL2002: one error on line 13

CLEAN_TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {S3Bucket: b, S3Key: k}
      MemorySize: 256
      Timeout: 30
"""

NO_DEFAULTS_TEMPLATE = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.9
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {S3Bucket: b, S3Key: k}
"""


def write(folder, name: str, text: str):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def finding_lines(output: str):
    return [line for line in output.splitlines() if ": LL" in line]


# -- exit codes ---------------------------------------------------------------------------


def test_clean_template_exits_0(cwd):
    write(cwd, "t.yaml", CLEAN_TEMPLATE)
    result = run("check", "t.yaml", "--select", "LL0,LL2")
    assert result.exit_code == 0, result.output
    assert finding_lines(result.stdout) == []
    assert "0 errors, 0 warnings, 0 infos in 1 file" in result.stdout


def test_error_finding_exits_1_with_the_text_line(cwd):
    write(cwd, "t.yaml", TIMEOUT_TEMPLATE)
    result = run("check", "t.yaml", "--select", "LL2002")
    assert result.exit_code == 1
    assert finding_lines(result.stdout) == ["t.yaml:13:7: LL2002 error: Timeout 1800 s is outside 1-900 s [Fn]"]


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--bogus-option", "t.yaml"),
        ("check", "t.yaml", "--select", "LL9"),
        ("check", "t.yaml", "--ignore", "XX1"),
        ("check", "t.yaml", "--format", "yaml"),
        ("check", "t.yaml", "--fail-level", "fatal"),
        ("check", "t.yaml", "--today", "2026-13-45"),
        ("check", "t.yaml", "--parameter", "no-equals-sign"),
        ("nosuchcommand",),
    ],
)
def test_usage_errors_exit_2_without_traceback(cwd, args):
    write(cwd, "t.yaml", TIMEOUT_TEMPLATE)
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_unknown_rule_on_the_command_line_is_one_ll0005_line(cwd):
    write(cwd, "t.yaml", CLEAN_TEMPLATE)
    result = run("check", "t.yaml", "--select", "LL2,LL9")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "<command line>:1:1: LL0005 error: unknown rule 'LL9' in --select"
    ]


def test_invalid_config_file_is_one_ll0005_line(cwd):
    write(cwd, "t.yaml", CLEAN_TEMPLATE)
    write(cwd, "lint.yaml", "select: [LL2]\nfail-level: sometimes\n")
    result = run("check", "t.yaml", "--config", "lint.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("lint.yaml:2:1: LL0005 error: invalid value for fail-level: 'sometimes'")


# -- --fail-level ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "select, fail_level, exit_code",
    [
        ("LL0003", None, 0),  # a warning does not fail by default
        ("LL0003", "warning", 1),
        ("LL0003", "info", 1),
        ("LL0003", "error", 0),
        ("LL2002", "none", 0),
        ("LL2002", "warning", 1),
    ],
)
def test_fail_level_with_warnings_and_errors(cwd, select, fail_level, exit_code):
    write(cwd, "t.yaml", TIMEOUT_TEMPLATE)
    args = ["check", "t.yaml", "--select", select] + (["--fail-level", fail_level] if fail_level else [])
    result = run(*args)
    assert result.exit_code == exit_code
    assert len(finding_lines(result.stdout)) == 1


@pytest.mark.parametrize("fail_level, exit_code", [(None, 0), ("warning", 0), ("info", 1), ("none", 0)])
def test_fail_level_with_an_info(cwd, fail_level, exit_code):
    write(cwd, "t.yaml", NO_DEFAULTS_TEMPLATE.replace("python3.9", "python3.13"))
    args = ["check", "t.yaml", "--select", "LL2014"] + (["--fail-level", fail_level] if fail_level else [])
    result = run(*args)
    assert result.exit_code == exit_code
    # an exit 1 on an info must show the info: --fail-level info implies --show-infos
    shown = [line.split(": ")[1] for line in finding_lines(result.stdout)]
    assert shown == (["LL2014 info"] if fail_level == "info" else [])
    assert ("1 info hidden: --show-infos to list them" in result.stdout) is (fail_level != "info")
    assert [line.split(": ")[1] for line in finding_lines(run(*args, "--show-infos").stdout)] == ["LL2014 info"]


# -- output ---------------------------------------------------------------------------------


def test_json_format_exact_shape(cwd):
    write(cwd, "t.yaml", TIMEOUT_TEMPLATE)
    result = run("check", "t.yaml", "--select", "LL0003,LL2002", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"version", "findings", "summary"}
    assert report["version"] == 1
    assert report["summary"] == {"files": 1, "errors": 1, "warnings": 1, "infos": 0,
                                 "unchecked": [{"resource": "Fn", "origin": None, "reason": "s3-object"}]}  # code in S3
    assert report["findings"] == [
        {
            "rule": "LL2002", "severity": "error", "message": "Timeout 1800 s is outside 1-900 s",
            "file": "t.yaml", "line": 13, "column": 7, "resource": "Fn",
            "path": ["Resources", "Fn", "Properties", "Timeout"], "artifact": None,
            "generated": None, "origin": None,
        },
        {
            "rule": "LL0003", "severity": "warning",
            "message": "Ref to 'Missing', which is neither a parameter nor a resource",
            "file": "t.yaml", "line": 16, "column": 11, "resource": "Fn",
            "path": ["Resources", "Fn", "Properties", "Environment", "Variables", "X", "Ref"], "artifact": None,
            "generated": None, "origin": None,
        },
    ]


def test_output_file(cwd):
    write(cwd, "t.yaml", TIMEOUT_TEMPLATE)
    result = run("check", "t.yaml", "--select", "LL2002", "--format", "json", "--output", "report.json")
    assert result.exit_code == 1
    assert result.stdout == ""
    report = json.loads((cwd / "report.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in report["findings"]] == ["LL2002"]


def test_output_to_an_unwritable_place_is_a_usage_error(cwd):
    write(cwd, "t.yaml", CLEAN_TEMPLATE)
    write(cwd, "no", "a file where the report's folder would be")
    result = run("check", "t.yaml", "--output", str(cwd / "no" / "such" / "dir" / "r.txt"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# -- selecting rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, rules",
    [
        (["--select", "LL2"], {"LL2002", "LL2005"}),
        (["--select", "LL200"], {"LL2002", "LL2005"}),
        (["--select", "LL2002"], {"LL2002"}),
        (["--select", "LL0003,LL2002"], {"LL0003", "LL2002"}),
        (["--select", "LL0003", "--select", "LL2005"], {"LL0003", "LL2005"}),
        (["--select", "LL0,LL2", "--ignore", "LL2005"], {"LL0003", "LL2002"}),
        (["--select", "LL0,LL2", "--ignore", "LL2"], {"LL0003"}),
        (["--select", "LL0,LL2", "--ignore", "LL0003,LL2002"], {"LL2005"}),
    ],
)
def test_select_and_ignore_with_prefixes(cwd, options, rules):
    write(cwd, "t.yaml", TIMEOUT_TEMPLATE)
    result = run("check", "t.yaml", "--format", "json", *options)
    assert {f["rule"] for f in json.loads(result.stdout)["findings"]} == rules


@pytest.mark.parametrize(
    "value, messages",
    [
        (None, ["Timeout 1800 s is outside 1-900 s"]),
        ("Seconds=10", []),
        ("Seconds=901", ["Timeout 901 s is outside 1-900 s"]),
        ("Seconds=0", ["Timeout 0 s is outside 1-900 s"]),
    ],
)
def test_parameter_changes_a_finding(cwd, value, messages):
    write(cwd, "t.yaml", TIMEOUT_TEMPLATE)
    args = ["check", "t.yaml", "--select", "LL2002", "--format", "json"] + (["--parameter", value] if value else [])
    result = run(*args)
    assert [f["message"] for f in json.loads(result.stdout)["findings"]] == messages
    assert result.exit_code == (1 if messages else 0)


@pytest.mark.parametrize(
    "today, rules",
    [("2024-01-01", []), ("2025-10-01", ["LL2007"]), ("2026-06-01", ["LL2007"]), ("2027-06-01", ["LL2006"])],
)
def test_today_moves_runtime_deprecation(cwd, today, rules):
    write(cwd, "t.yaml", NO_DEFAULTS_TEMPLATE)
    result = run("check", "t.yaml", "--select", "LL2006,LL2007", "--today", today, "--format", "json")
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == rules


# -- rules and explain -------------------------------------------------------------------------


def test_rules_lists_every_rule(cwd):
    result = run("rules")
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("LL")}
    assert listed == {rule.id for rule in load_registry()}


def test_rules_markdown(cwd):
    result = run("rules", "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith("# lambdalint rules")
    for rule in load_registry():
        opt_in = " (opt-in)" if rule.opt_in else ""
        assert f"| [{rule.id}](#{rule.id.lower()}) | {rule.name} | {rule.severity.label}{opt_in} |" in result.stdout
        assert f"\n## {rule.id}\n" in result.stdout


def test_explain_prints_docs_and_source(cwd):
    rule = load_registry().get("LL2004")
    result = run("explain", "LL2004")
    assert result.exit_code == 0
    for heading in ("What it does", "Why is this bad?", "Example"):
        assert heading in result.stdout
    assert rule.source in result.stdout
    assert "```yaml" in result.stdout
    assert run("explain", "ll2004").stdout == result.stdout
    assert result.stdout.endswith("\n")


def test_explain_unknown_rule_exits_2(cwd):
    result = run("explain", "LL9999")
    assert result.exit_code == 2
    assert "unknown rule 'LL9999'" in result.stderr


# -- which files are checked ---------------------------------------------------------------------


def test_folder_skips_non_templates_silently(cwd):
    write(cwd, "project/template.yaml", TIMEOUT_TEMPLATE)
    write(cwd, "project/docker-compose.yaml", "services:\n  web:\n    image: nginx\n    ports: ['80:80']\n")
    write(cwd, "project/package.json", '{"name": "x", "version": "1.0.0", "dependencies": {}}\n')
    write(cwd, "project/broken-but-not-a-template.yml", "a: [\n")
    write(cwd, "project/tsconfig.json", "{,}")
    result = run("check", "project", "--select", "LL0,LL2002", "--format", "json")
    report = json.loads(result.stdout)
    assert report["summary"]["files"] == 1
    assert {f["file"] for f in report["findings"]} == {os.path.join("project", "template.yaml")}
    assert result.stderr == ""


def test_folder_checks_templates_by_content_whatever_the_name(cwd):
    write(cwd, "infra/stack.template", TIMEOUT_TEMPLATE)
    write(cwd, "infra/sub/one.json", json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}))
    write(cwd, "infra/node_modules/dep/t.yaml", TIMEOUT_TEMPLATE)
    result = run("check", "infra", "--select", "LL2002", "--format", "json")
    report = json.loads(result.stdout)
    assert report["summary"]["files"] == 2
    assert [f["file"] for f in report["findings"]] == [os.path.join("infra", "stack.template")]


@pytest.mark.parametrize(
    "exclude, files",
    [
        ("a.yaml", ["b/c.yaml"]),
        ("b", ["a.yaml"]),
        ("src/b/*", ["a.yaml"]),
        ("*/b/*", ["a.yaml"]),
        ("src/a.yaml", ["b/c.yaml"]),
        ("c.y*ml", ["a.yaml"]),
        ("*.yaml", []),
        ("nothing-matches", ["a.yaml", "b/c.yaml"]),
    ],
)
def test_exclude(cwd, exclude, files):
    write(cwd, "src/a.yaml", TIMEOUT_TEMPLATE)
    write(cwd, "src/b/c.yaml", TIMEOUT_TEMPLATE)
    result = run("check", "src", "--select", "LL2002", "--format", "json", "--exclude", exclude)
    report = json.loads(result.stdout)
    assert sorted(os.path.relpath(f["file"], "src").replace(os.sep, "/") for f in report["findings"]) == files


def test_missing_path_is_a_finding_not_a_traceback(cwd):
    write(cwd, "t.yaml", TIMEOUT_TEMPLATE)
    result = run("check", "t.yaml", "not-there.yaml", "--select", "LL2002")
    assert result.exit_code == 1
    assert finding_lines(result.stdout) == [
        "not-there.yaml:1:1: LL0001 error: no such file or folder",
        "t.yaml:13:7: LL2002 error: Timeout 1800 s is outside 1-900 s [Fn]",
    ]
    assert "Traceback" not in result.output


def test_one_malformed_file_among_a_hundred(cwd):
    for number in range(100):
        if number == 37:
            write(cwd, f"many/t{number:03}.yaml",
                  "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: [\n")
        else:
            write(cwd, f"many/t{number:03}.yaml", TIMEOUT_TEMPLATE.replace("1800", str(1000 + number)))
    result = run("check", "many", "--select", "LL0001,LL2002", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["summary"] == {"files": 100, "errors": 100, "warnings": 0, "infos": 0,
                                 "unchecked": [{"resource": "Fn", "origin": None, "reason": "s3-object"}] * 99}  # the malformed one has no function
    timeouts = {(f["file"], f["message"]) for f in report["findings"] if f["rule"] == "LL2002"}
    assert timeouts == {
        (os.path.join("many", f"t{n:03}.yaml"), f"Timeout {1000 + n} s is outside 1-900 s") for n in range(100) if n != 37
    }
    unreadable = [(f["file"], f["line"]) for f in report["findings"] if f["rule"] == "LL0001"]
    assert unreadable == [(os.path.join("many", "t037.yaml"), 5)]


def _billion_laughs() -> str:
    lines = ["Resources: {}", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


def _deep_yaml(levels: int) -> str:
    return "Resources:\n" + "".join("  " * (depth + 1) + f"k{depth}:\n" for depth in range(levels)) + (
        "  " * (levels + 1) + "leaf: 1\n")


MALFORMED = {
    "broken.yaml": ("Resources:\n  Fn: [unclosed\n", 3),
    "tab.yaml": ("Resources:\n\tFn:\n", 2),
    "latin1.yaml": ("Resources:\n  Fn: café\n".encode("latin-1"), 2),
    "binary.yaml": (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)), 1),
    "empty.yaml": ("", 1),
    "blank.yaml": ("  \n\n   \n", 1),
    "list.yaml": ("- Resources\n- AWS::Lambda::Function\n", 1),
    "scalar.yaml": ("Resources AWS::Lambda::Function\n", 1),
    "trailing-comma.json": ('{"Resources": {"Fn": {"Type": "AWS::Lambda::Function"},}}', 1),
    # PyYAML 6.0.4+ stops deep nesting itself, at its own depth: any line inside the file
    "deep-1000.yaml": (_deep_yaml(1000), None),
    "deep-1000.json": ('{"Resources": ' + "[" * 1000 + "]" * 1000 + "}", 1),
    "alias-bomb.yaml": (_billion_laughs(), 8),
    "recursive-alias.yaml": ("Resources: &r\n  Fn: *r\n", 1),
    "unknown-tag.yaml": ("Resources:\n  Fn:\n    Type: !Bogus AWS::Lambda::Function\n", 3),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_each_malformed_input_is_exactly_one_ll0001_line(cwd, name):
    content, line = MALFORMED[name]
    path = cwd / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = run("check", name)
    assert result.exit_code == 1
    lines = finding_lines(result.stdout)
    assert len(lines) == 1, result.stdout
    assert ": LL0001 error: " in lines[0]
    reported = int(lines[0].split(":")[1])
    if line is None:
        assert 1 <= reported <= len(content.splitlines()), lines[0]
    else:
        assert lines[0].startswith(f"{name}:{line}:"), lines[0]
    assert "Traceback" not in result.output
    assert result.stderr == ""


DUPLICATES = {
    "duplicate.yaml": "Resources:\n  Fn:\n    Type: AWS::SQS::Queue\n  Fn:\n    Type: AWS::Lambda::Function\n"
                      "    Properties:\n      Timeout: 1800\n",
    "duplicate.json": '{"Resources": {"Fn": {"Type": "AWS::SQS::Queue"},\n "Fn": {"Type": "AWS::Lambda::Function", '
                      '"Properties": {"Timeout": 1800}}}}',
}


@pytest.mark.parametrize("name", sorted(DUPLICATES))
def test_a_duplicate_key_is_a_warning_and_the_last_one_is_checked(cwd, name):
    # CloudFormation deploys the second Fn (a function): its Timeout is judged, not skipped
    write(cwd, name, DUPLICATES[name])
    result = run("check", name, "--select", "LL0,LL2002")
    assert result.exit_code == 1, result.stdout  # LL2002 is an error; LL0009 alone would not fail the run
    lines = finding_lines(result.stdout)
    assert [line.split(": ")[1].split()[0] for line in lines] == ["LL0009", "LL2002"], lines
    assert lines[0].startswith(f"{name}:{4 if name.endswith('.yaml') else 2}:")
    assert "duplicate key 'Fn' (also on line " in lines[0] and "deploys this last one" in lines[0]
    assert run("check", name, "--select", "LL0009").exit_code == 0
    assert result.stderr == ""


def test_fifty_levels_deep_is_checked_normally(cwd):
    write(cwd, "deep.yaml", _deep_yaml(50).replace("Resources:\n", "Metadata:\n", 1) + CLEAN_TEMPLATE)
    result = run("check", "deep.yaml", "--select", "LL0,LL2")
    assert result.exit_code == 0, result.stdout
    assert finding_lines(result.stdout) == []


def test_all_malformed_inputs_in_one_run_alongside_a_good_file(cwd):
    for name, (content, _) in MALFORMED.items():
        (cwd / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    write(cwd, "good.yaml", TIMEOUT_TEMPLATE)
    names = sorted(MALFORMED) + ["good.yaml"]
    result = run("check", *names, "--select", "LL0001,LL2002", "--format", "json")
    report = json.loads(result.stdout)
    by_file = {}
    for finding in report["findings"]:
        by_file.setdefault(finding["file"], []).append(finding["rule"])
    assert by_file == {**{name: ["LL0001"] for name in MALFORMED}, "good.yaml": ["LL2002"]}


# -- a real process ----------------------------------------------------------------------------


def test_real_subprocess(tmp_path):
    write(tmp_path, "t.yaml", TIMEOUT_TEMPLATE)
    write(tmp_path, "bad.yaml", "Resources:\n\tFn:\n")
    completed = subprocess.run(
        [sys.executable, "-m", "lambdalint.cli", "check", "t.yaml", "bad.yaml", "--select", "LL0001,LL2002"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 1, completed.stderr
    assert finding_lines(completed.stdout) == [
        "bad.yaml:2:1: LL0001 error: tab character in indentation (YAML indents with spaces only)",
        "t.yaml:13:7: LL2002 error: Timeout 1800 s is outside 1-900 s [Fn]",
    ]
    assert completed.stderr == ""
