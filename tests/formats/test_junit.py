from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Tuple

from lambdalint.findings import Finding, Report, Severity
from lambdalint.formats.junit import render, xml_text


def parse(report, registry) -> ET.Element:
    return ET.fromstring(render(report, registry).encode("utf-8"))


def test_parses_with_one_suite_per_file(report, registry):
    root = parse(report, registry)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "2", "0")
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == ["api/template.yaml", "stacks/worker v2,final.yaml"]
    assert [(s.get("tests"), s.get("failures")) for s in suites] == [("2", "1"), ("1", "1")]


def test_errors_and_warnings_fail_with_their_severity_as_type(report, registry):
    cases = parse(report, registry).iter("testcase")
    info, error, warning = list(cases)
    assert info.find("failure") is None
    assert "LL8001 info: function Api has no active tracing" in info.find("system-out").text
    assert error.find("failure").get("type") == "error"
    assert warning.find("failure").get("type") == "warning"
    assert warning.find("failure").get("message").endswith("[Worker] (build/worker.zip: src/app.py)")
    assert error.get("name") == "LL6001 SlowWorker at 12:7"
    assert error.get("classname") == error.get("file") == "api/template.yaml"
    assert error.get("line") == "12"


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


def test_clean_files_without_names_get_one_passing_suite(registry):
    one = Finding(file="a.yaml", line=1, column=1, rule="LL6001", severity=Severity.ERROR, message="m")
    root = parse(Report(findings=(one,), files=3), registry)
    clean = root.findall("testsuite")[1]
    assert clean.get("name") == "2 other files"
    assert clean.get("failures") == "0"
    assert [case.get("name") for case in clean.findall("testcase")] == ["no findings"]
    assert root.get("tests") == "2"


def test_all_clean_run_passes(registry):
    root = parse(Report(findings=(), files=1), registry)
    assert [s.get("name") for s in root.findall("testsuite")] == ["1 other file"]
    assert root.get("failures") == "0"
    assert list(root.iter("failure")) == []


def test_nothing_checked_is_an_empty_report(empty_report, registry):
    root = parse(empty_report, registry)
    assert list(root) == [] and root.get("tests") == "0"


@dataclass(frozen=True)
class ReportWithFileNames:
    findings: Tuple[Finding, ...]
    files: int
    checked_files: Tuple[str, ...]


def test_named_clean_files_each_get_a_passing_testcase(registry):
    one = Finding(file="a.yaml", line=1, column=1, rule="LL6001", severity=Severity.ERROR, message="m")
    root = parse(ReportWithFileNames(findings=(one,), files=3, checked_files=("a.yaml", "b.yaml", "c.yaml")),
                 registry)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["a.yaml", "b.yaml", "c.yaml"]
    assert suites[1].find("testcase").get("name") == "no findings"
    assert suites[1].find("testcase/failure") is None
