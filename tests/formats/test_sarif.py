from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import lambdalint
from lambdalint.findings import Artifact, Finding, Origin, Place, Report, Severity
from lambdalint.formats.sarif import artifact_location, docs_section, fingerprint, render

SCHEMA_FILE = Path(__file__).parent.parent / "fixtures" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator():
    import jsonschema

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    # The validator class the schema's own `$schema` declares (draft-04 for this file).
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def sarif(report, registry) -> dict:
    return json.loads(render(report, registry))


def assert_valid(validator, document) -> None:
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_validates_against_the_official_schema(validator, report, registry):
    assert_valid(validator, sarif(report, registry))


def test_empty_report_validates(validator, empty_report, registry):
    document = sarif(empty_report, registry)
    assert_valid(validator, document)
    assert document["runs"][0]["results"] == []


def test_generated_template_is_a_related_location(validator, registry):
    """A finding in the CDK app's source keeps the generated template as a relatedLocation."""
    item = Finding(file="lib/stack.ts", line=34, column=20, rule="LL6001", severity=Severity.ERROR, message="m",
                   resource="OrdersFnC7735A71", path=("Resources", "OrdersFnC7735A71"),
                   generated=Place("cdk.out/HandlerStack.template.json", 80, 5),
                   origin=Origin("cdk", "HandlerStack/OrdersFn"))
    document = sarif(Report(findings=(item,), files=1), registry)
    assert_valid(validator, document)
    result = document["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "lib/stack.ts"
    assert result["relatedLocations"] == [{
        "id": 1, "message": {"text": "generated template"},
        "physicalLocation": {"artifactLocation": {"uri": "cdk.out/HandlerStack.template.json", "uriBaseId": "%SRCROOT%"},
                             "region": {"startLine": 80, "startColumn": 5}}}]
    assert result["properties"]["origin"] == {"kind": "cdk", "name": "HandlerStack/OrdersFn"}
    # the construct path, not the regenerated logical ID, keys the fingerprint
    renamed = item.replace(resource="OrdersFn0123ABCD", path=("Resources", "OrdersFn0123ABCD"))
    assert fingerprint(renamed) == fingerprint(item)


def test_validator_rejects_a_broken_document(validator, report, registry):
    # proves the schema check has teeth: a result without a message is invalid
    document = sarif(report, registry)
    del document["runs"][0]["results"][0]["message"]
    assert list(validator.iter_errors(document))


def test_header_and_driver(report, registry):
    document = sarif(report, registry)
    assert document["version"] == "2.1.0"
    assert document["$schema"].endswith("sarif-schema-2.1.0.json")
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "lambdalint"
    assert driver["version"] == lambdalint.__version__
    assert urlsplit(driver["informationUri"]).scheme == "https"


def test_every_registry_rule_is_described(report, registry):
    rules = sarif(report, registry)["runs"][0]["tool"]["driver"]["rules"]
    assert [item["id"] for item in rules] == [rule.id for rule in registry]
    for item, rule in zip(rules, registry):
        assert item["name"] == rule.name
        assert item["shortDescription"] == {"text": rule.summary}
        assert item["fullDescription"]["text"] == docs_section(rule.docs, "What it does")
        assert item["help"] == {"text": rule.docs, "markdown": rule.docs}
        assert item["helpUri"] == rule.help_uri
        assert urlsplit(item["helpUri"]).scheme == "https"
        assert "lambda" in item["properties"]["tags"]
    levels = {item["id"]: item["defaultConfiguration"]["level"] for item in rules}
    assert levels == {"LL1004": "error", "LL6001": "error", "LL8001": "note"}
    assert rules[2]["properties"]["tags"] == ["lambda", "observability", "opt-in"]


def test_results_point_back_at_rules_and_locations(report, registry):
    run = sarif(report, registry)["runs"][0]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["LL8001", "LL6001", "LL1004"]
    for item in results:
        assert run["tool"]["driver"]["rules"][item["ruleIndex"]]["id"] == item["ruleId"]
    assert [r["level"] for r in results] == ["note", "error", "warning"]
    slow = results[1]
    assert slow["message"]["text"] == report.findings[1].message
    location = slow["locations"][0]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "api/template.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 12, "startColumn": 7},
    }
    assert location["logicalLocations"] == [{"name": "SlowWorker", "kind": "resource"}]
    assert "logicalLocations" not in results[0]["locations"][0]  # resource None


def test_artifact_finding_carries_package_and_member(report, registry):
    worker = sarif(report, registry)["runs"][0]["results"][2]
    assert worker["message"]["text"].endswith("(build/worker.zip: src/app.py)")
    assert worker["properties"]["artifact"] == {"package": "build/worker.zip", "member": "src/app.py"}


def test_effective_severity_wins_over_rule_default(registry):
    downgraded = Finding(file="t.yaml", line=1, column=1, rule="LL6001", severity=Severity.WARNING, message="m")
    result = sarif(Report(findings=(downgraded,), files=1), registry)["runs"][0]["results"][0]
    assert result["level"] == "warning"


def test_unknown_rule_has_no_rule_index(validator, registry):
    stray = Finding(file="t.yaml", line=1, column=1, rule="XX9999", severity=Severity.ERROR, message="m")
    document = sarif(Report(findings=(stray,), files=1), registry)
    assert "ruleIndex" not in document["runs"][0]["results"][0]
    assert_valid(validator, document)


def test_finding_without_position_has_no_region(validator, registry):
    whole_file = Finding(file="t.yaml", line=0, column=0, rule="LL6001", severity=Severity.ERROR, message="m")
    document = sarif(Report(findings=(whole_file,), files=1), registry)
    assert "region" not in document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert_valid(validator, document)


@pytest.mark.parametrize("file, expected", [
    ("template.yaml", {"uri": "template.yaml", "uriBaseId": "%SRCROOT%"}),
    ("./stacks/my app#1.yaml", {"uri": "stacks/my%20app%231.yaml", "uriBaseId": "%SRCROOT%"}),
    ("../other/t.yaml", {"uri": "../other/t.yaml", "uriBaseId": "%SRCROOT%"}),
    ("stacks/Größe.yaml", {"uri": "stacks/Gr%C3%B6%C3%9Fe.yaml", "uriBaseId": "%SRCROOT%"}),
    ("/srv/app/template.yaml", {"uri": "file:///srv/app/template.yaml"}),
    ("C:\\work\\template.yaml", {"uri": "file:///C:/work/template.yaml"}),
    ("t\udcff.yaml", {"uri": "t%FF.yaml", "uriBaseId": "%SRCROOT%"}),  # os.fsdecode'd byte
])
def test_artifact_location_is_an_escaped_posix_uri(file, expected):
    assert artifact_location(file) == expected


def base_finding(**changes) -> Finding:
    values = dict(file="t.yaml", line=12, column=7, rule="LL6001", severity=Severity.ERROR, message="m",
                  resource="Worker", path=("Resources", "Worker", "Properties", "Timeout"))
    values.update(changes)
    return Finding(**values)


def test_fingerprint_ignores_line_column_message_and_severity():
    moved = base_finding(line=40, column=3, message="other words", severity=Severity.WARNING,
                         artifact=Artifact("a.zip"))
    assert fingerprint(moved) == fingerprint(base_finding())
    assert fingerprint(base_finding(file="./t.yaml")) == fingerprint(base_finding())


@pytest.mark.parametrize("change", [
    {"rule": "LL6002"}, {"file": "u.yaml"}, {"resource": "Other"}, {"resource": None},
    {"path": ("Resources", "Worker", "Properties", "MemorySize")},
    {"path": ("Resources", "Worker", "Properties", "Timeout", 0)},
    {"path": ("Resources", "Worker", "Properties", "Timeout", "0")},
])
def test_fingerprint_changes_with_identity(change):
    assert fingerprint(base_finding(**change)) != fingerprint(base_finding())


def test_fingerprint_is_stable_across_runs():
    # The recipe written out by hand: a change here silently resets every code-scanning alert.
    import hashlib

    key = '["LL6001", "t.yaml", "Worker", ["Resources", "Worker", "Properties", "Timeout"]]'
    assert fingerprint(base_finding()) == hashlib.sha256(key.encode()).hexdigest()[:32]
    assert fingerprint(base_finding()) == "798908edb2ed591b7214219feeb4bbe9"


# -- security-severity (GitHub code scanning ranks security alerts by it) -----------------------


@pytest.fixture(scope="module")
def builtin_registry():
    from lambdalint.registry import load_registry

    return load_registry()


def test_every_builtin_security_rule_is_scored_or_declared_fail_closed(builtin_registry):
    from lambdalint.formats.sarif import FAILS_CLOSED, SECURITY_SEVERITY

    family = {rule.id for rule in builtin_registry if rule.id.startswith("LL5")}
    assert not set(SECURITY_SEVERITY) & FAILS_CLOSED
    assert family <= set(SECURITY_SEVERITY) | FAILS_CLOSED  # a new LL5 rule needs a decision
    assert set(SECURITY_SEVERITY) <= family  # no score for a rule that does not exist


def test_security_severity_is_a_number_string_in_range(builtin_registry):
    from lambdalint.formats.sarif import SECURITY_SEVERITY

    for rule_id, score in SECURITY_SEVERITY.items():
        assert isinstance(score, str), rule_id
        assert 0.0 < float(score) <= 10.0, rule_id


def test_scored_rules_carry_security_severity_and_the_security_tag(validator, builtin_registry):
    document = sarif(Report(findings=(), files=0), builtin_registry)
    assert_valid(validator, document)
    descriptors = {item["id"]: item for item in document["runs"][0]["tool"]["driver"]["rules"]}
    credentials = descriptors["LL5012"]["properties"]
    assert float(credentials["security-severity"]) > 9.0  # critical: key material in the repository
    assert "security" in credentials["tags"]
    assert 7.0 <= float(descriptors["LL5008"]["properties"]["security-severity"]) < 9.0  # high: public invoke
    assert float(descriptors["LL5013"]["properties"]["security-severity"]) < 4.0  # low: opt-in hardening
    # a missing permission breaks the function but exposes nothing: ranked by its level, not as an alert
    assert "security-severity" not in descriptors["LL5001"]["properties"]
    assert "security-severity" not in descriptors["LL6001"]["properties"]
    assert "security" not in descriptors["LL6001"]["properties"]["tags"]
