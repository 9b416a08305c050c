"""Arbitrary text in a finding never breaks a format's well-formedness or terminal safety."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdalint.findings import Artifact, Finding, Report, Severity
from lambdalint.formats import render
from lambdalint.formats.junit import xml_text
from lambdalint.formats.text import context_suffix, visible

# Any code point, controls and lone surrogates included (a JSON template can
# hold "\ud800"; os.fsdecode gives file names with \udcXX), weighted towards
# the characters every format must treat specially.
SPECIAL = "\x00\x07\x0b\x0c\x1b\x1c\x7f\x85\x9b\r\n\t%:,<>&\"'\\\u2028\u2029\u202e\ufeff\uffff"
characters = st.one_of(
    st.characters(exclude_categories=()),
    st.characters(categories=["Cs"]),
    st.sampled_from(SPECIAL),
)
texts = st.text(alphabet=characters, max_size=40)
severities = st.sampled_from(list(Severity))


@st.composite
def findings(draw):
    artifact = draw(st.none() | st.builds(Artifact, package=texts, member=st.none() | texts))
    return Finding(
        file=draw(texts.filter(bool)), line=draw(st.integers(0, 10**6)), column=draw(st.integers(0, 500)),
        rule=draw(st.sampled_from(["LL1004", "LL6001", "LL8001", "XX0001"])), severity=draw(severities),
        message=draw(texts), resource=draw(st.none() | texts), path=tuple(draw(st.lists(texts | st.integers(0, 9),
                                                                                          max_size=4))),
        artifact=artifact,
    )


reports = st.lists(findings(), max_size=4).map(
    lambda items: Report(findings=tuple(sorted(items)), files=len({item.file for item in items}) + 1))


def same_text(left: str, right: str) -> bool:
    """Equal once adjacent lone surrogates that form a pair are joined (JSON cannot tell them apart)."""
    def join(text: str) -> str:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
    return join(left) == join(right)


@pytest.fixture(scope="module")
def sarif_validator():
    import jsonschema

    schema = json.loads((Path(__file__).parent.parent / "fixtures" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(reports)
def test_json_is_valid_utf8_and_round_trips(report):
    output = render("json", report, None)
    output.encode("utf-8")
    document = json.loads(output)
    assert len(document["findings"]) == len(report.findings)
    for item, finding in zip(document["findings"], report.findings):
        assert same_text(item["message"], finding.message)
        assert same_text(item["file"], finding.file)


@pytest.mark.slow
@settings(max_examples=100, deadline=None)
@given(reports)
def test_sarif_is_valid_utf8_and_schema_valid(sarif_validator, report):
    from lambdalint.registry import Registry

    output = render("sarif", report, Registry())
    output.encode("utf-8")
    document = json.loads(output)
    assert not list(sarif_validator.iter_errors(document))
    assert len(document["runs"][0]["results"]) == len(report.findings)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(reports, st.none() | severities)
def test_junit_parses_and_keeps_everything_xml_allows(report, fail_level):
    from lambdalint.registry import Registry

    output = render("junit", report, Registry(), fail_level=fail_level)
    root = ET.fromstring(output.encode("utf-8"))
    # every finding is a test case; only those at or above the fail level fail
    assert len([case for case in root.iter("testcase") if case.get("line") is not None]) == len(report.findings)
    failing = [f for f in report.findings if fail_level is not None and f.severity >= fail_level]
    assert root.get("failures") == str(len(failing))
    failures = list(root.iter("failure"))
    assert len(failures) == len(failing)
    for element, finding in zip(failures, failing):
        assert element.get("message") == xml_text(finding.message + context_suffix(finding))
        assert element.get("type") == finding.severity.label


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(reports, st.booleans())
def test_text_has_one_line_per_finding_and_no_raw_control(report, color):
    output = render("text", report, None, color=color, show_infos=True)
    output.encode("utf-8")
    if color:  # our own colour codes are the only escapes allowed
        for code in ("\x1b[1;31m", "\x1b[1;33m", "\x1b[1;36m", "\x1b[0m"):
            output = output.replace(code, "")
    lines = output.splitlines()  # splits on every line break Python knows, \x85 and \u2028 included
    expected = len(report.findings) + 2 if report.findings else 1
    assert len(lines) == expected
    assert not any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in output.replace("\n", ""))
    for line, finding in zip(lines, report.findings):
        assert line.endswith(visible(finding.message + context_suffix(finding)))
        assert f":{finding.line}:{finding.column}: {finding.rule} {finding.severity.label}: " in line


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(reports)
def test_github_has_one_command_per_finding_and_no_raw_control(report):
    output = render("github", report, None, show_infos=True)
    output.encode("utf-8")
    lines = output.splitlines()
    assert len(lines) == len(report.findings)
    assert not any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in output.replace("\n", ""))
    for line, finding in zip(lines, report.findings):
        head, _, _ = line.partition("::")[2].partition("::")
        command, _, properties = head.partition(" ")
        assert command in ("error", "warning", "notice")
        names = [item.partition("=")[0] for item in properties.split(",")]
        assert names[0] == "file" and names[-1] == "title"
        assert set(names) <= {"file", "line", "col", "title"}
