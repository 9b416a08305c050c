"""What `lambdalint check` prints and where: colour, report files, statistics, quiet, infos."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from lambdalint.cli import main
from lambdalint.color import use_color
from sample_templates import TIMEOUT_TEMPLATE  # --select LL2002: one error on line 13

ESC = "\x1b["
NO_COLOR_ENV = {"NO_COLOR": None, "FORCE_COLOR": None}  # CliRunner: None unsets


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text(TIMEOUT_TEMPLATE, encoding="utf-8")
    return tmp_path


def run(*args: str, env=None):
    return CliRunner().invoke(main, list(args), env={**NO_COLOR_ENV, **(env or {})}, catch_exceptions=False)


# -- colour --------------------------------------------------------------------------------------


@pytest.mark.parametrize("flag, environ, tty, expected", [
    (None, {}, True, True),
    (None, {}, False, False),
    (None, {"NO_COLOR": "1"}, True, False),
    (None, {"NO_COLOR": ""}, True, True),  # empty means unset (no-color.org)
    (None, {"FORCE_COLOR": "1"}, False, True),
    (None, {"FORCE_COLOR": "0"}, False, True),  # any non-empty value (force-color.org)
    (None, {"FORCE_COLOR": ""}, False, False),
    (None, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),  # NO_COLOR > FORCE_COLOR
    (False, {"FORCE_COLOR": "1"}, True, False),  # --no-color > FORCE_COLOR
    (True, {"NO_COLOR": "1"}, False, True),  # --color > NO_COLOR
])
def test_colour_precedence(flag, environ, tty, expected):
    assert use_color(flag, to_file=False, environ=environ, isatty=lambda: tty) is expected


@given(flag=st.booleans(), to_file=st.booleans(),
       environ=st.dictionaries(st.sampled_from(["NO_COLOR", "FORCE_COLOR", "TERM"]), st.text(max_size=3)),
       tty=st.booleans())
def test_an_explicit_flag_always_wins(flag, to_file, environ, tty):
    assert use_color(flag, to_file=to_file, environ=environ, isatty=lambda: tty) is flag


def test_a_report_file_is_coloured_only_when_asked():
    assert use_color(None, to_file=True, environ={"FORCE_COLOR": "1"}, isatty=lambda: True) is False
    assert use_color(True, to_file=True, environ={}, isatty=lambda: False) is True


@pytest.mark.parametrize("args, env, coloured", [
    (("--color",), {}, True),
    ((), {}, False),
    ((), {"FORCE_COLOR": "1"}, True),
    ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    (("--no-color",), {"FORCE_COLOR": "1"}, False),
    (("--color",), {"NO_COLOR": "1"}, True),
])
def test_colour_reaches_captured_output(cwd, args, env, coloured):
    result = run("check", "t.yaml", "--select", "LL2002", *args, env=env)
    assert result.exit_code == 1
    assert (ESC in result.stdout) is coloured
    assert "LL2002" in result.stdout


def test_color_into_a_real_pipe(cwd):
    environment = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    command = [sys.executable, "-m", "lambdalint.cli", "check", "t.yaml", "--select", "LL2002"]
    plain = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, env=environment)
    coloured = subprocess.run(command + ["--color"], cwd=cwd, capture_output=True, text=True, timeout=120,
                              env=environment)
    assert ESC not in plain.stdout and "LL2002" in plain.stdout
    assert f"{ESC}1;31merror{ESC}0m" in coloured.stdout


def test_other_formats_are_never_coloured(cwd):
    result = run("check", "t.yaml", "--select", "LL2002", "--color", "-f", "json")
    assert ESC not in result.stdout
    assert json.loads(result.stdout)["summary"]["errors"] == 1


# -- report files ------------------------------------------------------------------------------


def test_output_creates_the_report_folder(cwd):
    result = run("check", "t.yaml", "--select", "LL2002", "-f", "sarif", "-o", "reports/ci/x.sarif")
    assert result.exit_code == 1
    document = json.loads((cwd / "reports" / "ci" / "x.sarif").read_text(encoding="utf-8"))
    assert [item["ruleId"] for item in document["runs"][0]["results"]] == ["LL2002"]
    assert result.stdout == ""


def test_output_that_cannot_be_written_is_a_usage_error(cwd):
    (cwd / "reports").write_text("a file, not a folder", encoding="utf-8")
    result = run("check", "t.yaml", "-o", "reports/x.sarif")
    assert result.exit_code == 2
    assert "cannot write reports/x.sarif" in result.output


# -- infos, statistics, quiet ------------------------------------------------------------------

INFO_AND_ERROR = TIMEOUT_TEMPLATE  # with --select LL2002,LL8002: one error, one info (no log group)


def test_infos_are_summarised_and_shown_on_request(cwd):
    result = run("check", "t.yaml", "--select", "LL2002,LL8002")
    assert [line.split(": ")[1] for line in result.stdout.splitlines() if ": LL" in line] == ["LL2002 error"]
    assert result.stdout.splitlines()[-2:] == ["1 error, 0 warnings in 1 file (1 info hidden: --show-infos to list them)",
                                               "code not inspected for 1 of 1 function: 1 in S3"]  # code in S3
    shown = run("check", "t.yaml", "--select", "LL2002,LL8002", "--show-infos")
    assert sorted(line.split(": ")[1] for line in shown.stdout.splitlines() if ": LL" in line) == [
        "LL2002 error", "LL8002 info"]
    assert shown.stdout.splitlines()[-2] == "1 error, 0 warnings, 1 info in 1 file"


def test_fail_level_info_from_the_config_shows_infos_too(cwd):
    (cwd / ".lambdalint.yaml").write_text("fail-level: info\n", encoding="utf-8")
    result = run("check", "t.yaml", "--select", "LL8002")
    assert result.exit_code == 1
    assert [line.split(": ")[1] for line in result.stdout.splitlines() if ": LL" in line] == ["LL8002 info"]


@pytest.mark.parametrize("format_name", ["json", "sarif", "junit"])
def test_machine_formats_keep_every_info(cwd, format_name):
    result = run("check", "t.yaml", "--select", "LL8002", "-f", format_name)
    assert "LL8002" in result.stdout


def test_statistics_text(cwd):
    result = run("check", "t.yaml", "--select", "LL2002,LL2005", "--statistics")
    assert result.exit_code == 1  # the exit code still follows the findings
    assert result.stdout.splitlines() == [
        "   1  LL2002  timeout-range",
        "   1  LL2005  environment-variable-name",
        "",
        "2 errors, 0 warnings, 0 infos in 1 file",
        "code not inspected for 1 of 1 function: 1 in S3",
    ]


def test_statistics_json(cwd):
    result = run("check", "t.yaml", "--select", "LL2002", "--statistics", "-f", "json")
    assert json.loads(result.stdout)["statistics"] == [{"rule": "LL2002", "name": "timeout-range",
                                                        "count": 1}]


@pytest.mark.parametrize("format_name", ["sarif", "junit", "github"])
def test_statistics_in_other_formats_is_a_usage_error(cwd, format_name):
    result = run("check", "t.yaml", "--statistics", "-f", format_name)
    assert result.exit_code == 2
    assert "--statistics works with --format text or json" in result.output


def test_quiet_prints_findings_only(cwd):
    result = run("check", "t.yaml", "--select", "LL2002", "-q")
    assert result.exit_code == 1
    assert result.stdout == "t.yaml:13:7: LL2002 error: Timeout 1800 s is outside 1-900 s [Fn]\n"
    clean = run("check", "t.yaml", "--select", "LL6001", "--quiet")
    assert clean.exit_code == 0 and clean.stdout == ""


def test_quiet_silences_notices_but_not_errors(cwd):
    loud = run("check", "t.yaml", "--write-baseline", "b.json")
    assert "wrote" in loud.stderr
    quiet = run("check", "t.yaml", "--write-baseline", "b2.json", "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    broken = run("check", "t.yaml", "-q", "--select", "LL9999")
    assert broken.exit_code == 2 and "unknown rule" in broken.stderr


def test_a_missing_path_is_counted_in_the_summary(cwd):
    result = run("check", "t.yaml", "nope.yaml", "--select", "LL2002")
    assert result.stdout.splitlines()[-2:] == ["2 errors, 0 warnings, 0 infos in 1 file (1 path not found)",
                                               "code not inspected for 1 of 1 function: 1 in S3"]
    alone = run("check", "nope.yaml")
    assert alone.exit_code == 1
    assert alone.stdout.splitlines()[-1] == "1 error, 0 warnings, 0 infos in 0 files (1 path not found)"


def test_a_project_failing_at_info_shows_its_infos_in_a_multi_project_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for project, config in (("strict", "fail-level: info\n"), ("relaxed", "")):
        (tmp_path / project).mkdir()
        (tmp_path / project / ".lambdalint.yaml").write_text(config + "select: [LL8002]\n", encoding="utf-8")
        (tmp_path / project / "t.yaml").write_text(TIMEOUT_TEMPLATE, encoding="utf-8")
    result = run("check", "relaxed", "strict")
    assert result.exit_code == 1  # strict fails on its info: the info that explains it is printed
    assert {line.split(":")[0] for line in result.stdout.splitlines() if ": LL8002 info" in line} >= {
        os.path.join("strict", "t.yaml")}


def test_combined_reports_keep_what_was_not_inspected():
    from lambdalint.findings import Report, Unchecked
    from lambdalint.projects import combined

    first = Report((), 1, checked_files=("a.yaml",), unchecked=(Unchecked("a.yaml", "Fn", "s3-object"),),
                   functions=2)
    second = Report((), 1, checked_files=("b.yaml",), missing=1, functions=3)
    both = combined([first, second])
    assert (both.files, both.checked_files, both.missing, both.functions) == (2, ("a.yaml", "b.yaml"), 1, 5)
    assert both.unchecked == first.unchecked
