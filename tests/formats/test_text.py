from __future__ import annotations

import pytest

from lambdalint.findings import Artifact, Finding, Origin, Place, Report, Severity
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


def test_the_origin_name_is_shown_instead_of_the_logical_id():
    located = finding(file="lib/stack.ts", line=34, column=20, resource="OrdersFnC7735A71",
                      generated=Place("cdk.out/HandlerStack.template.json", 80, 5),
                      origin=Origin("cdk", "HandlerStack/OrdersFn"))
    assert lines_of(located)[0] == (
        "lib/stack.ts:34:20: LL6001 error: visibility 10s is below timeout 30s [HandlerStack/OrdersFn]")


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
    colored = render(report, None, color=True, show_infos=True)
    lines = colored.splitlines()
    assert "LL6001 \x1b[1;31merror\x1b[0m: visibility" in lines[0]
    assert "LL6001 \x1b[1;33mwarning\x1b[0m: visibility" in lines[1]
    assert "LL6001 \x1b[1;36minfo\x1b[0m: visibility" in lines[2]
    for code in ("\x1b[1;31m", "\x1b[1;33m", "\x1b[1;36m", "\x1b[0m"):
        colored = colored.replace(code, "")
    assert colored == render(report, None, show_infos=True)


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


# -- infos, statistics, quiet, paths not found -------------------------------------------------


def test_infos_are_counted_in_the_summary_and_listed_only_when_asked():
    report = Report(findings=(finding(severity=Severity.INFO, line=3), finding(), finding(severity=Severity.INFO)),
                    files=1)
    hidden = render(report, None).splitlines()
    assert [line.split(": ")[1] for line in hidden[:-2]] == ["LL6001 error"]
    assert hidden[-1] == "1 error, 0 warnings in 1 file (2 infos hidden: --show-infos to list them)"
    shown = render(report, None, show_infos=True).splitlines()
    assert [line.split(": ")[1] for line in shown[:-2]] == ["LL6001 info", "LL6001 error", "LL6001 info"]
    assert shown[-1] == "1 error, 0 warnings, 2 infos in 1 file"


def test_only_infos_hidden_still_says_so():
    report = Report(findings=(finding(severity=Severity.INFO),), files=2)
    assert render(report, None) == "0 errors, 0 warnings in 2 files (1 info hidden: --show-infos to list them)\n"


def test_paths_not_found_are_named_in_the_summary():
    report = Report(findings=(finding(rule="LL0004"),), files=0, missing=1)
    assert summary_line(report) == "1 error, 0 warnings, 0 infos in 0 files (1 path not found)"
    both = Report(findings=(finding(severity=Severity.INFO),), files=1, missing=2)
    assert summary_line(both, infos_hidden=1) == (
        "0 errors, 0 warnings in 1 file (2 paths not found; 1 info hidden: --show-infos to list them)")


def test_quiet_leaves_the_findings_only():
    report = Report(findings=(finding(), finding(severity=Severity.INFO)), files=1)
    assert render(report, None, summary=False).splitlines() == [
        "template.yaml:12:7: LL6001 error: visibility 10s is below timeout 30s [SlowWorker]"]
    assert render(Report(findings=(), files=1), None, summary=False) == ""


def test_statistics_count_per_rule_most_frequent_first():
    from lambdalint.registry import Registry, rule

    @rule(id="LL6001", name="sqs-visibility-below-timeout", severity=Severity.ERROR, summary="s", source="u")
    def named(model):
        return iter(())

    report = Report(findings=(finding(rule="LL2002"), finding(), finding(line=1), finding(line=2),
                              finding(rule="LL1004", severity=Severity.WARNING),
                              finding(rule="LL8002", severity=Severity.INFO)), files=1)
    assert render(report, Registry([named]), statistics=True).splitlines() == [
        "   3  LL6001  sqs-visibility-below-timeout",
        "   1  LL1004",  # a rule the registry does not know: no name
        "   1  LL2002",
        "",
        "4 errors, 1 warning in 1 file (1 info hidden: --show-infos to list them)",
    ]
    with_infos = render(report, Registry([named]), statistics=True, show_infos=True, summary=False)
    assert with_infos.splitlines()[-1] == "   1  LL8002"
