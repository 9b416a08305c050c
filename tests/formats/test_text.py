from __future__ import annotations

import pytest

from lambdalint.findings import Artifact, Finding, Report, Severity
from lambdalint.formats.text import render, summary_line, visible


def finding(**changes) -> Finding:
    values = dict(file="template.yaml", line=12, column=7, rule="LL6001", severity=Severity.ERROR,
                  message="visibility 10s is below timeout 30s", resource="SlowWorker")
    values.update(changes)
    return Finding(**values)


def lines_of(*findings: Finding, files: int = 1) -> list:
    return render(Report(findings=findings, files=files), registry=None).splitlines()


def test_line_follows_the_contract():
    assert lines_of(finding())[0] == (
        "template.yaml:12:7: LL6001 error: visibility 10s is below timeout 30s [SlowWorker]")


def test_no_brackets_without_a_resource():
    assert lines_of(finding(resource=None))[0] == (
        "template.yaml:12:7: LL6001 error: visibility 10s is below timeout 30s")


def test_artifact_finding_names_package_and_member():
    line = lines_of(finding(artifact=Artifact("dist/app.zip", "lib/x.so")))[0]
    assert line.endswith(" [SlowWorker] (dist/app.zip: lib/x.so)")


def test_artifact_without_member_names_the_package_only():
    line = lines_of(finding(resource=None, artifact=Artifact("dist/app.zip")))[0]
    assert line.endswith("below timeout 30s (dist/app.zip)")


def test_findings_then_blank_line_then_summary():
    lines = lines_of(finding(), finding(line=20, severity=Severity.WARNING), files=2)
    assert lines[2:] == ["", "1 error, 1 warning, 0 infos in 2 files"]


def test_no_findings_is_just_the_summary():
    assert render(Report(findings=(), files=3), registry=None) == "0 errors, 0 warnings, 0 infos in 3 files\n"


@pytest.mark.parametrize("errors, warnings, infos, files, expected", [
    (1, 0, 0, 1, "1 error, 0 warnings, 0 infos in 1 file"),
    (3, 1, 2, 2, "3 errors, 1 warning, 2 infos in 2 files"),
    (0, 2, 1, 0, "0 errors, 2 warnings, 1 info in 0 files"),
])
def test_summary_wording_and_plurals(errors, warnings, infos, files, expected):
    findings = ([finding(severity=Severity.ERROR)] * errors + [finding(severity=Severity.WARNING)] * warnings
                + [finding(severity=Severity.INFO)] * infos)
    assert summary_line(Report(findings=tuple(findings), files=files)) == expected


def test_color_wraps_only_the_severity_word():
    report = Report(findings=(finding(), finding(severity=Severity.WARNING), finding(severity=Severity.INFO)),
                    files=1)
    colored = render(report, None, color=True)
    lines = colored.splitlines()
    assert "LL6001 \x1b[1;31merror\x1b[0m: visibility" in lines[0]
    assert "LL6001 \x1b[1;33mwarning\x1b[0m: visibility" in lines[1]
    assert "LL6001 \x1b[1;36minfo\x1b[0m: visibility" in lines[2]
    for code in ("\x1b[1;31m", "\x1b[1;33m", "\x1b[1;36m", "\x1b[0m"):
        colored = colored.replace(code, "")
    assert colored == render(report, None)


@pytest.mark.parametrize("raw, shown", [
    ("\x1b[2J", "\\x1b[2J"),
    ("\x07", "\\x07"),
    ("a\rb", "a\\rb"),
    ("a\nb", "a\\nb"),
    ("a\tb", "a\\tb"),
    ("\x00\x7f", "\\x00\\x7f"),
    ("\x9b31m", "\\x9b31m"),  # C1 CSI: some terminals act on it
    ("\u2028\u202e", "\\u2028\\u202e"),  # line separator, right-to-left override
    ("\udc80", "\\udc80"),  # a lone surrogate cannot be written to a UTF-8 terminal
    ("naïve ✓ 日本 😀", "naïve ✓ 日本 😀"),
])
def test_visible_escapes_controls_and_keeps_other_text(raw, shown):
    assert visible(raw) == shown


def test_hostile_values_everywhere_stay_on_one_line():
    hostile = finding(file="t\n.yaml", message="m\x1b]0;title\x07\r\nfake.yaml:1:1: LL0000 error: x",
                      resource="R\x1b[31m", artifact=Artifact("p\x1b.zip", "m\nx"))
    lines = lines_of(hostile)
    assert len(lines) == 3
    assert "\x1b" not in lines[0] and "\x07" not in lines[0] and "\r" not in lines[0]
    assert lines[0] == ("t\\n.yaml:12:7: LL6001 error: m\\x1b]0;title\\x07\\r\\nfake.yaml:1:1: LL0000 error: x "
                        "[R\\x1b[31m] (p\\x1b.zip: m\\nx)")
