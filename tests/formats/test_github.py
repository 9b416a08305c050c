from __future__ import annotations

import pytest

from lambdalint.findings import Artifact, Finding, Report, Severity
from lambdalint.formats.github import escape_data, escape_property, render


def finding(**changes) -> Finding:
    values = dict(file="template.yaml", line=12, column=7, rule="LL6001", severity=Severity.ERROR,
                  message="visibility 10s is below timeout 30s", resource="SlowWorker")
    values.update(changes)
    return Finding(**values)


def test_command_follows_the_contract():
    assert render(Report(findings=(finding(),), files=1), None) == (
        "::error file=template.yaml,line=12,col=7,title=LL6001::visibility 10s is below timeout 30s [SlowWorker]\n")


@pytest.mark.parametrize("severity, command", [
    (Severity.ERROR, "::error "), (Severity.WARNING, "::warning "), (Severity.INFO, "::notice "),
])
def test_severity_picks_the_command(severity, command):
    report = Report(findings=(finding(severity=severity),), files=1)
    assert render(report, None, show_infos=True).startswith(command)


def test_infos_are_annotated_only_when_asked():
    report = Report(findings=(finding(severity=Severity.INFO), finding(line=20)), files=1)
    assert render(report, None).splitlines() == [
        "::error file=template.yaml,line=20,col=7,title=LL6001::visibility 10s is below timeout 30s [SlowWorker]"]
    assert [line.split(" ")[0] for line in render(report, None, show_infos=True).splitlines()] == [
        "::notice", "::error"]


def test_no_findings_no_output():
    assert render(Report(findings=(), files=4), None) == ""


@pytest.mark.parametrize("raw, escaped", [
    ("100%", "100%25"),
    ("a\rb", "a%0Db"),
    ("a\nb", "a%0Ab"),
    ("%0A", "%250A"),  # a literal escape sequence stays literal
    ("a:b,c", "a:b,c"),  # only properties need : and ,
    ("\x1b[31m", "\\x1b[31m"),
])
def test_data_escapes(raw, escaped):
    assert escape_data(raw) == escaped


@pytest.mark.parametrize("raw, escaped", [
    ("100%", "100%25"),
    ("a\r\nb", "a%0D%0Ab"),
    ("C:\\x.yaml", "C%3A\\x.yaml"),
    ("a,b", "a%2Cb"),
    ("%3A", "%253A"),
])
def test_property_escapes(raw, escaped):
    assert escape_property(raw) == escaped


def test_hostile_file_and_message_cannot_add_properties_or_commands():
    hostile = finding(file="x.yaml,line=1,title=fake::\n::error::injected",
                      message="m\n::error file=a::injected %0A", resource=None,
                      artifact=Artifact("p,1.zip", "a:b"))
    output = render(Report(findings=(hostile,), files=1), None)
    assert output.count("\n") == 1
    assert output == ("::error file=x.yaml%2Cline=1%2Ctitle=fake%3A%3A%0A%3A%3Aerror%3A%3Ainjected,"
                      "line=12,col=7,title=LL6001::m%0A::error file=a::injected %250A (p,1.zip: a:b)\n")


def test_finding_without_position_omits_line_and_col():
    output = render(Report(findings=(finding(line=0, column=0),), files=1), None)
    assert output.startswith("::error file=template.yaml,title=LL6001::")
