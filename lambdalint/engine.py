"""Run rules over one template and turn their hits into located findings."""

from __future__ import annotations

import os
import time
from typing import Iterable, List, Mapping, Optional, Sequence

from .findings import Finding, Hit, Path, Severity
from .loading import Document, LoadError
from .registry import Rule, engine_rule
from .settings import DEFAULT_SETTINGS, Settings

PARSE_ERROR = engine_rule(
    id="LL0001",
    name="template-unreadable",
    severity=Severity.ERROR,
    summary="File cannot be parsed as a template",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html",
    docs="""
    ## What it does
    Reports a file that cannot be read as a CloudFormation or SAM template: YAML or JSON syntax
    errors, duplicate keys, tabs used for indentation, text that is not UTF-8, an empty file, or
    a document whose top level is not a mapping. The finding names the line and column where
    reading stopped.

    ## Why is this bad?
    CloudFormation rejects the template before it looks at a single resource. Duplicate keys
    are worse: some parsers silently keep the last value, so what you reviewed is not what
    deploys.

    ## Example
    ```yaml
    Resources:
      Fn:
        Type: AWS::Lambda::Function
      Fn:            # duplicate key
        Type: AWS::Lambda::Function
    ```
    Use instead: one key per resource, spaces for indentation, UTF-8 text.
    """,
)

INTERNAL_ERROR = engine_rule(
    id="LL0007",
    name="internal-error",
    severity=Severity.ERROR,
    summary="A rule raised on this input (a lambdalint bug)",
    source="https://github.com/lambdalint/lambdalint/issues",
    docs="""
    ## What it does
    Reports that a rule raised an exception, or ran past its time budget, on this template. The
    message names the rule and the exception; the other rules and files are still checked.

    ## Why is this bad?
    It is a bug in lambdalint (or in a third-party rule pack), not in your template: the rule
    could not say whether the template is right. Please report it with the template.

    ## Example
    ```text
    template.yaml:1:1: LL0007 error: rule LL6001 failed: KeyError: 'Timeout'
    ```
    Use instead: report the bug; meanwhile `--ignore` the failing rule if it blocks you.
    """,
)

ENGINE_RULES = (PARSE_ERROR, INTERNAL_ERROR)


def parse_failure(name: str, error: LoadError) -> Finding:
    return Finding(
        file=name, line=error.line, column=error.column, rule=PARSE_ERROR.id,
        severity=PARSE_ERROR.severity, message=error.message,
    )


def check_document(
    document: Document,
    rules: Sequence[Rule],
    settings: Settings = DEFAULT_SETTINGS,
    severity_overrides: Optional[Mapping[str, Severity]] = None,
    base_dir: Optional[str] = None,
) -> List[Finding]:
    """All findings of `rules` on one loaded template, located and severity-resolved."""
    from .model import TemplateModel

    model = TemplateModel(document, settings, base_dir)
    overrides = severity_overrides or {}
    findings: List[Finding] = []
    for item in rules:
        if item.check is None:
            continue
        started = time.monotonic()
        try:
            for hit in item.check(model):
                findings.append(_locate(document, item, hit, overrides))
                _check_budget(item, started, settings)
        except _OverBudget as exc:
            findings.append(_internal_error(document, item, str(exc), exc.resource))
        except Exception as exc:  # a broken rule must not stop the others: report it as LL0007
            findings.append(_internal_error(document, item, f"{type(exc).__name__}: {exc}", None))
    return findings


class _OverBudget(Exception):
    resource: Optional[str] = None


def _check_budget(item: Rule, started: float, settings: Settings) -> None:
    budget = settings.per_rule_timeout
    if budget is not None and time.monotonic() - started > budget:
        raise _OverBudget(f"ran longer than its {budget:g} s budget")


def _internal_error(document: Document, item: Rule, detail: str, resource: Optional[str]) -> Finding:
    return Finding(
        file=document.name, line=1, column=1, rule=INTERNAL_ERROR.id, severity=INTERNAL_ERROR.severity,
        message=f"rule {item.id} ({item.name}) failed: {detail}", resource=resource,
    )


def _locate(document: Document, item: Rule, hit: Hit, overrides: Mapping[str, Severity]) -> Finding:
    line, column = document.locate(hit.path)
    severity = overrides.get(item.id) or hit.severity or item.severity
    return Finding(
        file=document.name,
        line=line,
        column=column,
        rule=item.id,
        severity=severity,
        message=hit.message,
        resource=hit.resource or resource_of(hit.path),
        path=tuple(hit.path),
        artifact=hit.artifact,
    )


def resource_of(path: Path) -> Optional[str]:
    if len(path) >= 2 and path[0] == "Resources":
        return str(path[1])
    return None


def display_name(path: str) -> str:
    """A file name as given, or relative to the current folder when it lies below it."""
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        return path if relative.startswith("..") else relative
    return os.path.normpath(path)


def sort_findings(findings: Iterable[Finding]) -> List[Finding]:
    return sorted(findings, key=lambda f: (f.file, f.line, f.column, f.rule, f.message))
