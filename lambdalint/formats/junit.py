"""`--format junit`: JUnit XML for CI test-report views.

One `testsuite` per file, one `testcase` per finding. A finding at or above the fail level
(`--fail-level`, default error) is a `failure` (type = its severity), so the test view and the
exit code agree; the others pass with the finding in `system-out`. Each checked file without
findings is one passing testcase named after the file, so CI shows it ran.

Test case names are stable across runs (rule, resource, property path, package member), never
a line number: CI tools track a test by its name, and an edit above a finding moves its line.
The line is in the `line` attribute and the failure text.
"""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING, Optional, Sequence

from ..findings import Finding, Severity
from ..lazy import lazy_pattern
from .text import context_suffix

if TYPE_CHECKING:  # pragma: no cover
    import xml.etree.ElementTree as ET

    from ..findings import Report
    from ..registry import Registry

SUITES_NAME = "lambdalint"

# XML 1.0 `Char`: no C0 control but tab, LF, CR; no surrogates; no U+FFFE/U+FFFF.
# ElementTree escapes markup but writes these raw, giving a document no parser accepts.
_NOT_XML = lazy_pattern("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _testcase_name(finding: Finding) -> str:
    parts = [finding.rule]
    path = [str(part) for part in finding.path]
    if finding.resource is not None:
        parts.append(finding.resource)
        if path[:2] == ["Resources", finding.resource]:
            path = path[2:]
    if path:
        parts.append(".".join(path))
    if finding.artifact is not None:
        parts.append(f"({finding.artifact.where()})")
    return xml_text(" ".join(parts))


def _full_text(finding: Finding, registry: Registry) -> str:
    line = (f"{finding.file}:{finding.line}:{finding.column}: {finding.rule} "
            f"{finding.severity.label}: {finding.message}{context_suffix(finding)}")
    rule = registry.get(finding.rule)
    if rule is not None:
        line += f"\n{rule.name}: {rule.summary}"
        if rule.help_uri:
            line += f"\n{rule.help_uri}"
    return xml_text(line)


def _fails(finding: Finding, fail_level: Optional[Severity]) -> bool:
    return fail_level is not None and finding.severity >= fail_level


def _suite(parent: ET.Element, name: str, findings: Sequence[Finding], registry: Registry,
           fail_level: Optional[Severity]) -> None:
    import xml.etree.ElementTree as ET

    failures = sum(1 for finding in findings if _fails(finding, fail_level))
    suite = ET.SubElement(parent, "testsuite", {
        "name": xml_text(name),
        "tests": str(max(len(findings), 1)),
        "failures": str(failures),
        "errors": "0",
        "skipped": "0",
    })
    if not findings:
        ET.SubElement(suite, "testcase", {"name": xml_text(name), "classname": xml_text(name),
                                          "file": xml_text(name)})
        return
    for finding in findings:
        case = ET.SubElement(suite, "testcase", {
            "name": _testcase_name(finding),
            "classname": xml_text(finding.file),
            "file": xml_text(finding.file),
            "line": str(finding.line),
        })
        if _fails(finding, fail_level):
            failure = ET.SubElement(case, "failure", {
                "type": finding.severity.label,
                "message": xml_text(finding.message + context_suffix(finding)),
            })
            failure.text = _full_text(finding, registry)
        else:
            ET.SubElement(case, "system-out").text = _full_text(finding, registry)


def render(report: Report, registry: Registry, *, fail_level: Optional[Severity] = Severity.ERROR) -> str:
    import xml.etree.ElementTree as ET

    by_file = [(file, list(group)) for file, group in groupby(report.findings, key=lambda f: f.file)]
    root = ET.Element("testsuites", {"name": SUITES_NAME})
    for file, findings in by_file:
        _suite(root, file, findings, registry, fail_level)
    with_findings = {file for file, _ in by_file}
    for file in report.checked_files:
        if file not in with_findings:
            _suite(root, file, [], registry, fail_level)

    suites = list(root)
    root.set("tests", str(sum(int(suite.get("tests", "0")) for suite in suites)))
    root.set("failures", str(sum(int(suite.get("failures", "0")) for suite in suites)))
    root.set("errors", "0")
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
