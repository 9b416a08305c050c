"""`--format junit`: JUnit XML for CI test-report views.

One `testsuite` per template file, one `testcase` per finding: errors and
warnings fail (`failure type="error|warning"`), infos pass with the finding
in `system-out`. A clean file gets one passing testcase so CI shows it ran.
"""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING, Iterable, List, Optional, Sequence

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
    resource = f" {finding.resource}" if finding.resource is not None else ""
    return xml_text(f"{finding.rule}{resource} at {finding.line}:{finding.column}")


def _full_text(finding: Finding, registry: "Registry") -> str:
    line = (f"{finding.file}:{finding.line}:{finding.column}: {finding.rule} "
            f"{finding.severity.label}: {finding.message}{context_suffix(finding)}")
    rule = registry.get(finding.rule)
    if rule is not None:
        line += f"\n{rule.name}: {rule.summary}\n{rule.help_uri}"
    return xml_text(line)


def _suite(parent: "ET.Element", name: str, findings: Sequence[Finding], registry: "Registry") -> None:
    import xml.etree.ElementTree as ET

    failures = sum(1 for finding in findings if finding.severity >= Severity.WARNING)
    suite = ET.SubElement(parent, "testsuite", {
        "name": xml_text(name),
        "tests": str(max(len(findings), 1)),
        "failures": str(failures),
        "errors": "0",
        "skipped": "0",
    })
    if not findings:
        ET.SubElement(suite, "testcase", {"name": "no findings", "classname": xml_text(name),
                                          "file": xml_text(name)})
        return
    for finding in findings:
        case = ET.SubElement(suite, "testcase", {
            "name": _testcase_name(finding),
            "classname": xml_text(finding.file),
            "file": xml_text(finding.file),
            "line": str(finding.line),
        })
        if finding.severity >= Severity.WARNING:
            failure = ET.SubElement(case, "failure", {
                "type": finding.severity.label,
                "message": xml_text(finding.message + context_suffix(finding)),
            })
            failure.text = _full_text(finding, registry)
        else:
            ET.SubElement(case, "system-out").text = _full_text(finding, registry)


def _clean_files(report: "Report", files_with_findings: Iterable[str]) -> Optional[List[str]]:
    # Report only counts files; if it ever lists them (`checked_files`), name each clean one.
    checked = getattr(report, "checked_files", None)
    if checked is None:
        return None
    seen = set(files_with_findings)
    return [file for file in checked if file not in seen]


def render(report: "Report", registry: "Registry") -> str:
    import xml.etree.ElementTree as ET

    by_file = [(file, list(group)) for file, group in groupby(report.findings, key=lambda f: f.file)]
    root = ET.Element("testsuites", {"name": SUITES_NAME})
    for file, findings in by_file:
        _suite(root, file, findings, registry)

    clean = _clean_files(report, (file for file, _ in by_file))
    if clean is not None:
        for file in clean:
            _suite(root, file, [], registry)
    else:
        unnamed = report.files - len(by_file)
        if unnamed > 0:
            noun = "file" if unnamed == 1 else "files"
            _suite(root, f"{unnamed} other {noun}", [], registry)

    suites = list(root)
    root.set("tests", str(sum(int(suite.get("tests", "0")) for suite in suites)))
    root.set("failures", str(sum(int(suite.get("failures", "0")) for suite in suites)))
    root.set("errors", "0")
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
