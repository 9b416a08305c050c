from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import pytest

from lambdalint.findings import Finding, Report, Severity
from lambdalint.formats.junit import render, xml_text


def parse(report, registry) -> ET.Element:
    return ET.fromstring(render(report, registry).encode("utf-8"))


def test_parses_with_one_suite_per_file(report, registry):
    root = parse(report, registry)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "0")
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == ["api/template.yaml", "stacks/worker v2,final.yaml"]
    assert [(s.get("tests"), s.get("failures")) for s in suites] == [("2", "1"), ("1", "0")]


def test_by_default_only_errors_fail_as_the_exit_code_does(report, registry):
    info, error, warning = list(parse(report, registry).iter("testcase"))
    assert info.find("failure") is None
    assert "LL8001 info: function Api has no active tracing" in info.find("system-out").text
    assert error.find("failure").get("type") == "error"
    assert warning.find("failure") is None
    assert "LL1004 warning: handler file app.py not found" in warning.find("system-out").text
    assert error.get("classname") == error.get("file") == "api/template.yaml"
    assert error.get("line") == "12"


@pytest.mark.parametrize("fail_level, failing", [
    (Severity.INFO, ["info", "error", "warning"]),
    (Severity.WARNING, ["error", "warning"]),
    (Severity.ERROR, ["error"]),
    (None, []),
])
def test_the_fail_level_decides_what_fails(report, registry, fail_level, failing):
    root = ET.fromstring(render(report, registry, fail_level=fail_level).encode("utf-8"))
    assert [failure.get("type") for failure in root.iter("failure")] == failing
    assert root.get("failures") == str(len(failing))
    passing = [case for case in root.iter("testcase") if case.find("failure") is None]
    assert all(case.find("system-out") is not None for case in passing)


def test_test_case_names_are_stable_and_carry_no_line(report, registry):
    names = [case.get("name") for case in parse(report, registry).iter("testcase")]
    assert names == [
        "LL8001 Globals.Function.Tracing",
        "LL6001 SlowWorker Properties.Timeout",
        "LL1004 Worker Properties.Handler (build/worker.zip: src/app.py)",
    ]
    moved = Report(findings=tuple(f.replace(line=f.line + 40, column=1) for f in report.findings), files=2)
    assert [case.get("name") for case in parse(moved, registry).iter("testcase")] == names
    assert [case.get("line") for case in parse(moved, registry).iter("testcase")] == ["43", "52", "48"]


def test_the_cli_passes_its_fail_level_to_junit(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from lambdalint.cli import main
    from sample_templates import TIMEOUT_TEMPLATE

    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text(TIMEOUT_TEMPLATE, encoding="utf-8")
    args = ["check", "t.yaml", "--select", "LL0003", "-f", "junit"]  # one warning
    default = CliRunner().invoke(main, args)
    assert default.exit_code == 0 and ET.fromstring(default.stdout.encode()).get("failures") == "0"
    strict = CliRunner().invoke(main, args + ["--fail-level", "warning"])
    assert strict.exit_code == 1 and ET.fromstring(strict.stdout.encode()).get("failures") == "1"


def test_markup_survives_and_forbidden_characters_are_stripped(report, registry):
    failure = list(parse(report, registry).iter("failure"))[0]
    message = failure.get("message")
    assert "<&>" in message
    assert "a,b\nfake.yaml" in message  # newline kept (escaped as &#10; in the attribute)
    assert "\x1b" not in message and "[2Jdone" in message
    assert "https://github.com/lambdalint/lambdalint/blob/main/docs/rules.md#ll6001" in failure.text


def test_xml_text_strips_exactly_what_xml_1_0_forbids():
    assert xml_text("a\x00b\x08c\x0bd\x0ce\x1bf\x1fg") == "abcdefg"
    assert xml_text("tab\tlf\ncr\r") == "tab\tlf\ncr\r"
    assert xml_text("\ud800x\uffff\ufffe") == "x"
    assert xml_text("\x7f\x85 Größe 😀") == "\x7f\x85 Größe 😀"  # allowed by XML 1.0


def test_clean_files_are_passing_test_cases_named_after_them(registry):
    one = Finding(file="a.yaml", line=1, column=1, rule="LL6001", severity=Severity.ERROR, message="m")
    root = parse(Report(findings=(one,), files=3, checked_files=("a.yaml", "b.yaml", "c.yaml")), registry)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["a.yaml", "b.yaml", "c.yaml"]
    for suite, name in zip(suites[1:], ["b.yaml", "c.yaml"]):
        assert [case.get("name") for case in suite.findall("testcase")] == [name]
        assert suite.find("testcase/failure") is None and suite.get("failures") == "0"
    assert root.get("tests") == "3" and root.get("failures") == "1"


def test_all_clean_run_passes(registry):
    root = parse(Report(findings=(), files=1, checked_files=("template.yaml",)), registry)
    assert [s.get("name") for s in root.findall("testsuite")] == ["template.yaml"]
    assert root.get("failures") == "0"
    assert list(root.iter("failure")) == []


def test_nothing_checked_is_an_empty_report(empty_report, registry):
    root = parse(empty_report, registry)
    assert list(root) == [] and root.get("tests") == "0"


def test_a_real_run_names_its_clean_files(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from lambdalint.cli import main
    from sample_templates import TIMEOUT_TEMPLATE

    monkeypatch.chdir(tmp_path)
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "bad.yaml").write_text(TIMEOUT_TEMPLATE, encoding="utf-8")
    (tmp_path / "infra" / "good.yaml").write_text(TIMEOUT_TEMPLATE.replace("1800", "30"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "infra", "--select", "LL2002", "-f", "junit"])
    suites = ET.fromstring(result.stdout.encode()).findall("testsuite")
    good = os.path.join("infra", "good.yaml")
    assert [s.get("name") for s in suites] == [os.path.join("infra", "bad.yaml"), good]
    assert [case.get("name") for case in suites[1].findall("testcase")] == [good]
