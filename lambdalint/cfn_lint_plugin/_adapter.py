"""lambdalint rules as cfn-lint rules: one cfn-lint rule class per lambdalint rule.

cfn-lint calls each rule's `match(cfn)` on each template. The lambdalint engine
runs once per template (the first rule to ask runs it, the others reuse its
findings) on the file cfn-lint is checking, read again from disk: cfn-lint's
own copy has gone through the SAM transform, and lambdalint's rules (and its
line numbers) are about the template as written. Each finding becomes a match
at lambdalint's own line and column.

Configuration is lambdalint's, found as `lambdalint check` finds it: each
template's project config from the template's folder upwards (select, ignore,
parameters, limits...); the rules offered to cfn-lint come from the current
folder's config (its rules-dir).
cfn-lint's own `--ignore-checks E9601` and `--include-checks I` work on top.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Dict, List, Optional, Tuple, Type

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from lambdalint.api import Linter
from lambdalint.cfn_lint_plugin._ids import cfn_lint_id
from lambdalint.config import CONFIG_ERROR_ID, Config, ConfigError, config_for, find_config, read_config
from lambdalint.findings import Finding
from lambdalint.projects import configs_and_registry
from lambdalint.registry import Registry, RuleLoadError, load_registry


@functools.cache
def _config_and_registry() -> Tuple[Config, Registry, str]:
    """(config, registry, configuration problem or ""): the current folder's, read as `lambdalint check` reads it."""
    try:
        (config,), registry = configs_and_registry([read_config(find_config("."))])
        return config, registry, ""
    except (ConfigError, RuleLoadError) as exc:
        # reported once, as an LL0005 match on each template, instead of one crash per rule
        return Config(), load_registry(()), str(exc)


@functools.cache
def _project_linter(config_file: Optional[str]) -> Tuple[Any, str]:
    """(the Linter of one project's config, configuration problem or "")."""
    config, registry, problem = _config_and_registry()
    if problem:
        return None, problem
    if config_file != find_config("."):
        try:  # the rules offered to cfn-lint are fixed: the project's rule IDs are checked against them
            config = read_config(config_file).checked([r.id for r in registry])
        except ConfigError as exc:
            return None, str(exc)
    return Linter(config, registry), ""


# The template the findings below belong to. cfn-lint checks one template at a
# time and asks every rule about it, so one entry is enough; holding the
# object (not its id()) means a new template can never be mistaken for it.
_last: List[Any] = [None, []]


def findings_for(cfn: Any) -> List[Finding]:
    if _last[0] is cfn:
        return _last[1]
    filename = getattr(cfn, "filename", None)
    findings: List[Finding] = []
    linter, problem = _project_linter(config_for(filename) if filename else find_config("."))
    if problem:
        findings = [Finding(file=filename or "-", line=1, column=1, rule=CONFIG_ERROR_ID,
                            severity=_severity_of(CONFIG_ERROR_ID), message=problem)]
    elif filename and os.path.isfile(filename):
        # a template from standard input has no file to read as written: nothing to report
        findings = linter.lint_file(filename)
    _last[0], _last[1] = cfn, findings
    return findings


def _severity_of(rule_id: str):
    _, registry, _ = _config_and_registry()
    return registry[rule_id].severity


def _make_rule_class(rule_id: str, cfn_id: str, summary: str, name: str, source: str) -> Type[CloudFormationLintRule]:
    def match(self, cfn):
        matches = []
        for finding in findings_for(cfn):
            if finding.rule != rule_id:
                continue
            line, column = max(finding.line, 1) - 1, max(finding.column, 1) - 1
            matches.append(RuleMatch(
                list(finding.path), f"{finding.message} (lambdalint {rule_id})",
                # cfn-lint positions are 0-based (start line, start column, end line, end column)
                location=(line, column, line, column + 1),
            ))
        return matches

    return type(f"Lambdalint{rule_id}", (CloudFormationLintRule,), {
        "__module__": __name__,
        "__doc__": f"lambdalint {rule_id} {name}",
        "id": cfn_id,
        "shortdesc": f"{summary} (lambdalint {rule_id})",
        "description": f"lambdalint rule {rule_id} ({name}): {summary}. Details: lambdalint explain {rule_id}",
        "source_url": source,
        "tags": ["lambdalint", rule_id, name],
        "match": match,
    })


@functools.cache
def rule_classes() -> Dict[str, Type[CloudFormationLintRule]]:
    """{class name: cfn-lint rule class} for every lambdalint rule the ID scheme covers."""
    _, registry, _ = _config_and_registry()
    classes = {}
    for rule in registry:
        cfn_id = cfn_lint_id(rule.id, rule.severity)
        if cfn_id is None:
            continue
        cls = _make_rule_class(rule.id, cfn_id, rule.summary, rule.name, rule.source)
        classes[cls.__name__] = cls
    return classes
