"""`--format sarif`: SARIF 2.1.0 for code-scanning services (GitHub, GitLab, Azure DevOps)."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Dict, List
from urllib.parse import quote_from_bytes

from .. import __version__
from ..findings import Finding, Place, Severity
from ..lazy import lazy_pattern
from .json_format import dumps

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Report
    from ..registry import Registry, Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/lambdalint/lambdalint"
SOURCE_ROOT = "%SRCROOT%"
FINGERPRINT_KEY = "lambdalint/v1"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

# RULES.md families, so code-scanning UIs can filter by area.
FAMILY_TAGS = {
    "LL0": "lambdalint",
    "LL1": "packages",
    "LL2": "configuration",
    "LL3": "deployment",
    "LL4": "networking",
    "LL5": "security",
    "LL6": "invocation",
    "LL7": "edge",
    "LL8": "observability",
}

# GitHub code scanning ranks a rule that has `properties.security-severity` (a number 0.0-10.0, as a
# string) as critical (> 9.0), high (7.0-8.9), medium (4.0-6.9) or low (0.1-3.9) instead of by level:
# https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#reportingdescriptor-object
# Scores follow what an attacker gains from the finding, not the rule's lint severity alone.
SECURITY_SEVERITY = {
    "LL5012": "9.5",  # an access key or private key in the template: anyone who reads the repo holds it
    "LL5008": "8.6",  # anyone on the internet can invoke the function (cost, data, downstream writes)
    "LL5004": "7.5",  # admin or service:* on *: whoever runs code in the function owns the account or service
    "LL5011": "7.5",  # plaintext secret: readable in the template and by every lambda:GetFunctionConfiguration
    "LL5016": "7.2",  # another principal may update the function's code or configuration: code takeover
    "LL5010": "6.5",  # public function URL or credentialed CORS from any origin: often intended, always exposed
    "LL5009": "5.3",  # confused deputy: another account's bucket or topic can invoke the function
    "LL5002": "3.1",  # a shared role: one function's compromise reaches every other's permissions
    "LL5013": "2.0",  # no code signing (opt-in hardening): unsigned code can be deployed
    "LL5015": "1.5",  # AWS-managed key instead of a customer managed one (opt-in hardening): still encrypted
}
# LL5 rules that report a permission the function is missing fail closed: the function breaks,
# nothing is exposed. They get no score, so code scanning keeps showing them by level (an LL5001
# error stays an "error" rather than becoming a "low" security alert). A test makes every new LL5
# rule land in one of the two tables.
FAILS_CLOSED = frozenset({"LL5001", "LL5003", "LL5005", "LL5006", "LL5007", "LL5014", "LL5017"})

_HEADING = lazy_pattern(r"^##\s+(.*?)\s*$", re.MULTILINE)


def docs_section(docs: str, title: str) -> str:
    """The text under `## title` in a rule's markdown docs, or "" when there is no such heading."""
    headings = list(_HEADING.finditer(docs))
    for index, heading in enumerate(headings):
        if heading.group(1).lower() == title.lower():
            end = headings[index + 1].start() if index + 1 < len(headings) else len(docs)
            return docs[heading.end():end].strip()
    return ""


def rule_tags(rule: Rule) -> List[str]:
    tags = ["lambda"]
    family = FAMILY_TAGS.get(rule.id[:3]) if rule.id.startswith("LL") else None
    if family:
        tags.append(family)
    if rule.id in SECURITY_SEVERITY and not rule.third_party and "security" not in tags:
        tags.append("security")  # code scanning treats a rule as a security one by this tag
    if rule.opt_in:
        tags.append("opt-in")
    return tags


def rule_properties(rule: Rule) -> dict:
    properties: Dict[str, object] = {"tags": rule_tags(rule)}
    if rule.source:
        properties["source"] = rule.source
    if rule.id in SECURITY_SEVERITY and not rule.third_party:  # lambdalint's judgement of its own rules
        properties["security-severity"] = SECURITY_SEVERITY[rule.id]
    return properties


def rule_descriptor(rule: Rule) -> dict:
    docs = rule.docs.strip() or rule.summary
    descriptor = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": docs_section(rule.docs, "What it does") or rule.summary},
        "help": {"text": docs, "markdown": docs},
        "helpUri": rule.help_uri,  # a third-party rule's own page, or none: never lambdalint's for it
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": rule_properties(rule),
    }
    if descriptor["helpUri"] is None:
        del descriptor["helpUri"]
    return descriptor


def _posix_path(file: str) -> str:
    """The path with forward slashes and without `./` segments, which code scanning would not match."""
    return posixpath.normpath(PurePath(file).as_posix())  # backslashes become slashes on Windows only


def _utf8(text: str) -> bytes:
    try:  # a file name decoded by the OS (os.fsdecode) gets its original bytes back
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # other lone surrogates: still a well-formed URI
        return text.encode("utf-8", "surrogatepass")


def artifact_location(file: str) -> dict:
    """A relative file becomes a %SRCROOT%-based relative URI; an absolute one a file:// URI."""
    if PureWindowsPath(file).drive and PureWindowsPath(file).is_absolute():
        return {"uri": "file:///" + quote_from_bytes(_utf8(PureWindowsPath(file).as_posix()), safe="/:")}
    if PurePosixPath(file).is_absolute():
        return {"uri": "file://" + quote_from_bytes(_utf8(_posix_path(file)), safe="/")}
    return {"uri": quote_from_bytes(_utf8(_posix_path(file)), safe="/"), "uriBaseId": SOURCE_ROOT}


def fingerprint(finding: Finding) -> str:
    """Stable across edits that move lines: rule, file, resource and property path only.

    The resource by the name the user knows (a CDK construct path) when there is one:
    CDK regenerates logical IDs, the construct path stays."""
    key = json.dumps(
        [finding.rule, _posix_path(finding.file), finding.shown_name, list(finding.stable_path)],
        ensure_ascii=True,  # lone surrogates must still hash
        default=str,
    )
    return hashlib.sha256(key.encode("ascii")).hexdigest()[:32]


def result_message(finding: Finding) -> str:
    if finding.artifact is None:
        return finding.message
    return f"{finding.message} ({finding.artifact.where()})"


def generated_location(place: Place) -> dict:
    physical: dict = {"artifactLocation": artifact_location(place.file)}
    if place.line >= 1:
        physical["region"] = {"startLine": place.line, **({"startColumn": place.column} if place.column >= 1 else {})}
    return {"id": 1, "physicalLocation": physical, "message": {"text": "generated template"}}


def result(finding: Finding, rule_index: Dict[str, int]) -> dict:
    physical: dict = {"artifactLocation": artifact_location(finding.file)}
    if finding.line >= 1:  # SARIF regions are 1-based; a file-level finding has none
        region = {"startLine": finding.line}
        if finding.column >= 1:
            region["startColumn"] = finding.column
        physical["region"] = region
    location: dict = {"physicalLocation": physical}
    if finding.resource is not None:
        location["logicalLocations"] = [{"name": finding.resource, "kind": "resource"}]

    item: dict = {"ruleId": finding.rule}
    if finding.rule in rule_index:
        item["ruleIndex"] = rule_index[finding.rule]
    item.update({
        "level": LEVELS[finding.severity],
        "message": {"text": result_message(finding)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding)},
    })
    if finding.generated is not None:  # the template that was read, behind the user's source line
        item["relatedLocations"] = [generated_location(finding.generated)]
    properties: Dict[str, object] = {}
    if finding.path:
        properties["path"] = list(finding.path)
    if finding.artifact is not None:
        properties["artifact"] = finding.artifact.as_dict()
    if finding.origin is not None:
        properties["origin"] = finding.origin.as_dict()
    if properties:
        item["properties"] = properties
    return item


def sarif_document(report: Report, registry: Registry) -> dict:
    rules = list(registry)
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "lambdalint",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(rule) for rule in rules],
            }},
            "columnKind": "unicodeCodePoints",
            "results": [result(finding, rule_index) for finding in report.findings],
        }],
    }


def render(report: Report, registry: Registry) -> str:
    return dumps(sarif_document(report, registry))
