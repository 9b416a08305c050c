from __future__ import annotations

import json

from lambdalint.findings import Finding, Origin, Place, Report, Severity
from lambdalint.formats.json_format import render

FINDING_FIELDS = ["rule", "severity", "message", "file", "line", "column", "resource", "path", "artifact",
                  "generated", "origin"]


def test_document_has_exactly_the_contract_keys(report, registry):
    document = json.loads(render(report, registry))
    assert list(document) == ["version", "findings", "summary"]
    assert document["version"] == 1
    assert document["summary"] == {"files": 2, "errors": 1, "warnings": 1, "infos": 1, "unchecked": []}
    for item in document["findings"]:
        assert list(item) == FINDING_FIELDS


def test_findings_round_trip_to_as_dict(report, registry):
    document = json.loads(render(report, registry))
    assert document["findings"] == [finding.as_dict() for finding in report.findings]


def test_contract_example_shape(registry):
    example = Finding(file="template.yaml", line=12, column=7, rule="LL6001", severity=Severity.ERROR,
                      message="...", resource="SlowWorker", path=("Resources", "SlowWorker", "Properties", "Timeout"))
    document = json.loads(render(Report(findings=(example,), files=1), registry))
    assert document == {
        "version": 1,
        "findings": [{"rule": "LL6001", "severity": "error", "message": "...",
                      "file": "template.yaml", "line": 12, "column": 7,
                      "resource": "SlowWorker", "path": ["Resources", "SlowWorker", "Properties", "Timeout"],
                      "artifact": None, "generated": None, "origin": None}],
        "summary": {"files": 1, "errors": 1, "warnings": 0, "infos": 0, "unchecked": []},
    }


def test_a_finding_in_the_users_source_keeps_its_generated_place(registry):
    """DESIGN.md "Where a finding lands": file/line/column where the user edits, `generated` the template read."""
    item = Finding(file="lib/handler-stack.js", line=34, column=20, rule="LL1004", severity=Severity.ERROR,
                   message="...", resource="OrdersFnC7735A71", path=("Resources", "OrdersFnC7735A71"),
                   generated=Place("cdk.out/HandlerStack.template.json", 80, 5),
                   origin=Origin("cdk", "HandlerStack/OrdersFn"))
    finding = json.loads(render(Report(findings=(item,), files=1), registry))["findings"][0]
    assert (finding["file"], finding["line"], finding["column"]) == ("lib/handler-stack.js", 34, 20)
    assert finding["resource"] == "OrdersFnC7735A71"
    assert finding["generated"] == {"file": "cdk.out/HandlerStack.template.json", "line": 80, "column": 5}
    assert finding["origin"] == {"kind": "cdk", "name": "HandlerStack/OrdersFn"}


def test_indented_and_readable_unicode(registry):
    item = Finding(file="t.yaml", line=1, column=1, rule="LL6001", severity=Severity.ERROR, message="Größe ✓")
    output = render(Report(findings=(item,), files=1), registry)
    assert '\n  "findings": [' in output
    assert "Größe ✓" in output


def test_lone_surrogate_is_escaped_so_the_output_encodes(registry):
    item = Finding(file="t\udcff.yaml", line=1, column=1, rule="LL6001", severity=Severity.ERROR, message="a\ud800b")
    output = render(Report(findings=(item,), files=1), registry)
    output.encode("utf-8")  # raises if a raw surrogate got through
    assert json.loads(output)["findings"][0]["message"] == "a\ud800b"
    assert json.loads(output)["findings"][0]["file"] == "t\udcff.yaml"


def test_empty_report(empty_report, registry):
    assert json.loads(render(empty_report, registry)) == {
        "version": 1, "findings": [], "summary": {"files": 0, "errors": 0, "warnings": 0, "infos": 0, "unchecked": []}}


def test_statistics_document_counts_every_finding_per_rule(report, registry):
    document = json.loads(render(report, registry, statistics=True))
    assert set(document) == {"version", "statistics", "summary"}
    assert document["statistics"] == [
        {"rule": "LL1004", "name": "handler-file-missing", "count": 1},
        {"rule": "LL6001", "name": "sqs-visibility-below-timeout", "count": 1},
        {"rule": "LL8001", "name": "tracing-disabled", "count": 1},  # json keeps infos
    ]
    assert document["summary"] == report.summary()


def test_json_lists_infos_without_being_asked(report, registry):
    assert [item["severity"] for item in json.loads(render(report, registry))["findings"]] == [
        "info", "error", "warning"]
