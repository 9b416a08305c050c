"""The GitHub Action: action.yml wiring, its shell steps run locally, and `--format github` escaping."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap

import pytest
import yaml
from click.testing import CliRunner

from repo_paths import REPO
from lambdalint.cli import main

SCRIPT = REPO / "scripts" / "action.sh"
LAMBDALINT = os.path.join(os.path.dirname(sys.executable), "lambdalint")

BROKEN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Worker:
    Properties:
      Runtime: python3.12
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: !Ref MissingKey
"""

CLEAN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Queue:
    Type: AWS::SQS::Queue
"""


def load_action():
    with open(REPO / "action.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_action_passes_every_input_to_the_script():
    action = load_action()
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    commands = [step["run"] for step in steps]
    assert commands == ['"$GITHUB_ACTION_PATH/scripts/action.sh" install',
                        '"$GITHUB_ACTION_PATH/scripts/action.sh" run']
    passed = {}
    for step in steps:
        assert step["shell"] == "bash"
        for name, value in step.get("env", {}).items():
            passed[value] = name
    for name in action["inputs"]:
        assert "${{ inputs.%s }}" % name in passed, f"input {name} never reaches the script"
    for name, output in action["outputs"].items():
        assert output["value"] == "${{ steps.run.outputs.%s }}" % name
    # the script reads exactly the variables the action sets
    script = SCRIPT.read_text()
    for variable in set(passed.values()):
        assert variable in script


def run_step(cwd, env=None, command="run"):
    output_file = cwd / "github-output.txt"
    output_file.write_text("")
    full_env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(cwd)),
        "GITHUB_OUTPUT": str(output_file),
        "LAMBDALINT": LAMBDALINT,
        "LAMBDALINT_PYTHON": sys.executable,
        "INPUT_PATHS": "infra",
        "INPUT_FAIL_LEVEL": "error",
        "INPUT_FORMAT": "github",
        "INPUT_SARIF_FILE": "lambdalint.sarif",
        "INPUT_ARGS": "--select LL0002,LL0003",
    }
    full_env.update(env or {})
    result = subprocess.run(["bash", str(SCRIPT), command], cwd=cwd, env=full_env, capture_output=True,
                            text=True, timeout=120)
    outputs = dict(line.split("=", 1) for line in output_file.read_text().splitlines())
    return result, outputs


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "infra").mkdir()
    return tmp_path


def test_run_step_annotates_writes_sarif_and_fails(workspace):
    (workspace / "infra" / "template.yaml").write_text(BROKEN)
    result, outputs = run_step(workspace)
    assert result.returncode == 1, result.stderr
    annotations = result.stdout.splitlines()
    assert annotations == [
        "::error file=infra/template.yaml,line=3,col=3,title=LL0002::resource Worker has no Type [Worker]",
        "::warning file=infra/template.yaml,line=9,col=7,title=LL0003::"
        "Ref to 'MissingKey', which is neither a parameter nor a resource [Topic]",
    ]
    assert outputs == {"sarif-file": "lambdalint.sarif", "exit-code": "1"}
    sarif = json.loads((workspace / "lambdalint.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["LL0002", "LL0003"]


def test_run_step_passes_on_a_clean_template(workspace):
    (workspace / "infra" / "template.yaml").write_text(CLEAN)
    result, outputs = run_step(workspace)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""  # no annotations
    assert outputs == {"sarif-file": "lambdalint.sarif", "exit-code": "0"}
    assert json.loads((workspace / "lambdalint.sarif").read_text())["runs"][0]["results"] == []


@pytest.mark.parametrize("fail_level, expected", [("error", 0), ("warning", 1), ("none", 0)])
def test_fail_level_decides_the_exit_code_not_the_sarif_run(workspace, fail_level, expected):
    (workspace / "infra" / "template.yaml").write_text(BROKEN.replace("  Worker:\n    Properties:\n      Runtime: python3.12\n", ""))
    result, outputs = run_step(workspace, {"INPUT_FAIL_LEVEL": fail_level})
    assert result.returncode == expected, result.stderr
    assert outputs["exit-code"] == str(expected)
    assert result.stdout.startswith("::warning file=infra/template.yaml,line=")  # annotations either way


def test_several_paths_and_no_sarif(workspace):
    (workspace / "infra" / "template.yaml").write_text(CLEAN)
    (workspace / "other").mkdir()
    (workspace / "other" / "broken.yaml").write_text(BROKEN)
    (workspace / "ignored").mkdir()
    (workspace / "ignored" / "broken.yaml").write_text(BROKEN)
    result, outputs = run_step(workspace, {"INPUT_PATHS": "infra\n  other/broken.yaml ", "INPUT_SARIF_FILE": "",
                                           "INPUT_FORMAT": "text"})
    assert result.returncode == 1
    assert "other/broken.yaml:3:3: LL0002 error" in result.stdout
    assert "ignored" not in result.stdout and "in 2 files" in result.stdout
    assert outputs == {"exit-code": "1"}
    assert not (workspace / "lambdalint.sarif").exists()


def test_usage_error_stops_with_exit_2(workspace):
    (workspace / "infra" / "template.yaml").write_text(BROKEN)
    result, outputs = run_step(workspace, {"INPUT_ARGS": "--select NOPE9999"})
    assert result.returncode == 2
    assert outputs == {"exit-code": "2"}
    assert "NOPE9999" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("args, option, input_name", [
    ("--fail-level warning", "--fail-level", "fail-level"),
    ("--select LL0002 --fail-level=info", "--fail-level", "fail-level"),
    ("--format text", "--format", "format"),
    ("--format=json", "--format", "format"),
    ("-f text", "-f", "format"),
    ("-ftext", "-ftext", "format"),
    ("-qf text", "-qf", "format"),
    ("--output report.txt", "--output", "sarif-file"),
    ("-o report.txt", "-o", "sarif-file"),
])
def test_options_the_action_sets_are_refused_in_args(workspace, args, option, input_name):
    # before, `--fail-level warning` failed the SARIF pass (no annotations, no sarif-file) and
    # `--format text` wrote text into the SARIF file: the inputs must decide these
    (workspace / "infra" / "template.yaml").write_text(BROKEN)
    result, outputs = run_step(workspace, {"INPUT_ARGS": args})
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        f"::error title=lambdalint::args must not contain {option}: the action sets it; use the '{input_name}' input instead"
    ]
    assert outputs == {"exit-code": "2"}
    assert not (workspace / "lambdalint.sarif").exists()
    assert not (workspace / "report.txt").exists()


def test_options_after_a_double_dash_are_paths_not_refused(workspace):
    (workspace / "infra" / "template.yaml").write_text(CLEAN)
    (workspace / "-o.yaml").write_text(BROKEN)
    result, outputs = run_step(workspace, {"INPUT_ARGS": "--select LL0002 -- -o.yaml", "INPUT_PATHS": ""})
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("::error file=-o.yaml,line=3,")  # the user's `--` is the only one
    assert outputs == {"sarif-file": "lambdalint.sarif", "exit-code": "1"}


def summary_env(workspace, **more):
    env = {"GITHUB_STEP_SUMMARY": str(workspace / "step-summary.md"), "GITHUB_SERVER_URL": "https://github.com",
           "GITHUB_REPOSITORY": "acme/infra", "GITHUB_SHA": "0123abc"}
    env.update(more)
    return env


def test_job_summary_counts_findings_and_links_their_lines(workspace):
    (workspace / "infra" / "template.yaml").write_text(BROKEN)
    (workspace / "step-summary.md").write_text("earlier step\n")
    result, outputs = run_step(workspace, summary_env(workspace))
    assert result.returncode == 1, result.stderr
    assert outputs == {"sarif-file": "lambdalint.sarif", "exit-code": "1"}
    summary = (workspace / "step-summary.md").read_text()
    assert summary.startswith("earlier step\n## lambdalint\n")  # appended, as every step's summary is
    assert "**1 error, 1 warning, 0 infos**" in summary
    assert "| error | 1 |" in summary and "| warning | 1 |" in summary
    assert "| [LL0002](https://github.com/lambdalint/lambdalint/blob/main/docs/rules.md#ll0002) | error | 1 |" in summary
    assert ("| error | LL0002 | [infra/template.yaml:3](https://github.com/acme/infra/blob/0123abc/infra/template.yaml#L3)"
            " | resource Worker has no Type |") in summary
    assert summary.index("| error | LL0002 |") < summary.index("| warning | LL0003 |")


def test_job_summary_without_sarif_file_uses_a_temporary_report(workspace):
    (workspace / "infra" / "template.yaml").write_text(BROKEN)
    runner_temp = workspace / "runner-temp"
    runner_temp.mkdir()
    result, outputs = run_step(workspace, summary_env(workspace, INPUT_SARIF_FILE="", RUNNER_TEMP=str(runner_temp)))
    assert result.returncode == 1, result.stderr
    assert outputs == {"exit-code": "1"}  # no sarif-file output: the user asked for none
    assert not (workspace / "lambdalint.sarif").exists()
    assert "| error | LL0002 |" in (workspace / "step-summary.md").read_text()


def test_job_summary_of_a_clean_run(workspace):
    (workspace / "infra" / "template.yaml").write_text(CLEAN)
    result, _ = run_step(workspace, summary_env(workspace))
    assert result.returncode == 0
    assert (workspace / "step-summary.md").read_text() == "## lambdalint\n\nNo findings.\n"


def test_job_summary_input_false_writes_none(workspace):
    (workspace / "infra" / "template.yaml").write_text(BROKEN)
    result, _ = run_step(workspace, summary_env(workspace, INPUT_JOB_SUMMARY="false", INPUT_SARIF_FILE=""))
    assert result.returncode == 1
    assert not (workspace / "step-summary.md").exists()


def test_a_summary_that_fails_is_a_warning_and_keeps_lambdalints_exit_code(workspace):
    (workspace / "infra" / "template.yaml").write_text(CLEAN)
    result, outputs = run_step(workspace, summary_env(workspace, LAMBDALINT_PYTHON="false"))
    assert result.returncode == 0
    assert outputs["exit-code"] == "0"
    assert "::warning title=lambdalint::no job summary written" in result.stdout


def fake_python(folder):
    """A stand-in for python3 that records what the install step asks of it."""
    log = folder / "calls.log"
    script = folder / "fake-python"
    script.write_text(textwrap.dedent(f"""\
        #!/usr/bin/env bash
        echo "$0 $*" >> {log}
        if [ "$1 $2" = "-m venv" ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; fi
    """))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, log


@pytest.mark.parametrize("version, spec", [("", "{action}"), ("1.2.3", "lambdalint==1.2.3")])
def test_install_step_pins_the_version_into_its_own_venv(tmp_path, version, spec):
    python, log = fake_python(tmp_path)
    action_path = tmp_path / "action-checkout"
    env = {"PYTHON": str(python), "INPUT_VERSION": version, "GITHUB_ACTION_PATH": str(action_path),
           "RUNNER_TEMP": str(tmp_path / "runner-temp")}
    result, _ = run_step(tmp_path, env, command="install")
    assert result.returncode == 0, result.stderr
    venv = tmp_path / "runner-temp" / "lambdalint-venv"
    assert log.read_text().splitlines() == [
        f"{python} -m venv {venv}",
        f"{venv}/bin/python -m pip install --disable-pip-version-check --quiet {spec.format(action=action_path)}",
    ]


def test_unknown_step_is_a_usage_error(tmp_path):
    result, _ = run_step(tmp_path, command="deploy")
    assert result.returncode == 2 and "usage" in result.stderr


# --- `--format github` escaping, end to end through the CLI ---------------------------

AWKWARD_RULE = '''
from lambdalint.findings import Hit, Severity
from lambdalint.registry import rule


@rule(id="ZZ0001", name="awkward-message", severity=Severity.ERROR, summary="Message with workflow-command syntax",
      source="https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands")
def check(model):
    """
    ## What it does
    Test rule.
    ## Why is this bad?
    Test rule.
    ## Example
    None.
    """
    yield Hit(("Resources", "Queue", "Type"), "100% sure:\\nline two\\r::error::fake, injected")
'''


def test_github_format_escapes_percent_newlines_and_colons(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "awkward.py").write_text(AWKWARD_RULE)
    name = "we%ird:na,me.yaml"
    (tmp_path / name).write_text(CLEAN)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["check", "--rules-dir", "rules", "--select", "ZZ0001", "--format", "github",
                                           name], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "::error file=we%25ird%3Ana%2Cme.yaml,line=4,col=5,title=ZZ0001::"
        "100%25 sure:%0Aline two%0D::error::fake, injected [Queue]"
    ]
    # the message's own `::` cannot start a second command: it is on the same line, after the first `::`
    assert len(lines) == 1


@pytest.mark.parametrize("packaged", [True, False], ids=["serverless-package", "serverless-yml"])
def test_run_step_in_a_serverless_project_annotates_serverless_yml(workspace, packaged):
    # the Action unchanged in a Serverless project: `paths: svc` is the service folder, findings
    # land at serverless.yml lines whether `.serverless/` is there (packaged) or not (read directly)
    from test_serverless_frontend import copy_app

    app = copy_app("shop", workspace / "apps")
    shutil.move(str(app), str(workspace / "svc"))
    if not packaged:
        shutil.rmtree(workspace / "svc" / ".serverless")
    result, outputs = run_step(workspace, {"INPUT_PATHS": "svc", "INPUT_ARGS": "--select LL6001,LL6012,LL1004"})
    assert result.returncode == 1, result.stderr
    assert [line.split("::")[1] for line in result.stdout.splitlines()] == [
        "error file=svc/serverless.yml,line=32,col=9,title=LL6001",
        "warning file=svc/serverless.yml,line=32,col=9,title=LL6012",
        "error file=svc/serverless.yml,line=38,col=5,title=LL1004",
    ]
    assert outputs == {"sarif-file": "lambdalint.sarif", "exit-code": "1"}
    results = json.loads((workspace / "lambdalint.sarif").read_text())["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {"svc/serverless.yml"}
