"""A GitHub Actions job summary (markdown) from a lambdalint SARIF report.

    python -m lambdalint.action_summary lambdalint.sarif >> "$GITHUB_STEP_SUMMARY"

The action (scripts/action.sh) runs this after lambdalint: counts per severity
and per rule, then the most severe findings with links to the lines. It reads
the SARIF the action writes anyway, so lambdalint runs no third time; it needs
only the standard library. Links point at the commit being checked when the
runner's GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_SHA are set (paths in
the report are relative to the workspace), else file:line is plain text.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence
from urllib.parse import quote, unquote

# SARIF levels as lambdalint names its severities (formats/sarif.py LEVELS), most severe first
SEVERITIES = {"error": "error", "warning": "warning", "note": "info"}
_RANK = {label: rank for rank, label in enumerate(SEVERITIES.values())}
TOP_FINDINGS = 20

# Characters with a meaning in GitHub-flavoured markdown inside a table cell: each is
# shown literally when backslash-escaped (any ASCII punctuation may be). `$` starts math,
# `|` ends the cell, `<` starts HTML, `&` an entity.
_MARKDOWN = set("\\`*_[]<>|~&$")
# what a URL keeps unencoded in a markdown link: no spaces or parentheses, which would end it
_URL_SAFE = ":/?#@!$&'*+,;=%~.-_"


class Result(NamedTuple):
    rule: str
    severity: str
    message: str
    uri: str  # as in the report: relative to the workspace, or a file:// URI
    line: int


class SummaryError(Exception):
    """The report cannot be summarised (missing, not JSON, not SARIF)."""


def markdown_text(text: str) -> str:
    """Text that renders as itself in one table cell: on one line, markup escaped."""
    out = []
    for char in text:
        if char in "\r\n\t":
            out.append(" ")
        elif ord(char) < 32 or ord(char) == 127:
            out.append(f"\\x{ord(char):02x}")
        elif char in _MARKDOWN:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def read_report(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as exc:
        raise SummaryError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise SummaryError(f"{path} is not JSON: {exc}") from None
    runs = document.get("runs") if isinstance(document, dict) else None
    if not isinstance(runs, list):
        raise SummaryError(f"{path} is not a SARIF report (no runs)")
    return document


def _field(value: object, key: str) -> dict:
    """value[key] when both are JSON objects, else {}: a hand-edited report still summarises."""
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, dict) else {}


def _results(run: Mapping) -> List[Result]:
    results = []
    for item in run.get("results") or []:
        if not isinstance(item, dict):
            continue
        locations = item.get("locations")
        physical = _field(locations[0] if isinstance(locations, list) and locations else {}, "physicalLocation")
        line = _field(physical, "region").get("startLine", 0)
        results.append(Result(
            rule=str(item.get("ruleId", "?")),
            severity=_severity(item.get("level")),
            message=str(_field(item, "message").get("text", "")),
            uri=str(_field(physical, "artifactLocation").get("uri", "")),
            line=line if isinstance(line, int) else 0,
        ))
    return results


def _severity(level: Any) -> str:
    """SARIF's level as a severity; warning is SARIF's default level."""
    return SEVERITIES.get(level, "warning") if isinstance(level, str) else "warning"


def _rules(run: Mapping) -> Dict[str, dict]:
    rules = _field(_field(run, "tool"), "driver").get("rules")
    if not isinstance(rules, list):
        return {}
    return {rule["id"]: rule for rule in rules if isinstance(rule, dict) and isinstance(rule.get("id"), str)}


def display_path(uri: str) -> str:
    path = unquote(uri)
    return path[len("file://"):] if path.startswith("file://") else path


def line_link(uri: str, line: int, environ: Mapping[str, str]) -> Optional[str]:
    """The URL of the line in the checked commit, for a path inside the workspace only."""
    names = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")
    server, repository, sha = (environ.get(name, "") for name in names)
    path = display_path(uri)
    if not (server and repository and sha) or uri.startswith("file:") or not path or path.startswith(("../", "/")):
        return None
    anchor = f"#L{line}" if line >= 1 else ""
    return f"{server}/{repository}/blob/{sha}/{quote(path)}{anchor}"


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def render(document: Mapping, environ: Mapping[str, str], limit: int = TOP_FINDINGS) -> str:
    results: List[Result] = []
    rules: Dict[str, dict] = {}
    runs = document.get("runs")
    for run in runs if isinstance(runs, list) else []:
        if isinstance(run, dict):
            results.extend(_results(run))
            rules.update(_rules(run))
    by_severity = {label: 0 for label in SEVERITIES.values()}
    by_rule: Dict[str, List[Result]] = {}
    for result in results:
        by_severity[result.severity] += 1
        by_rule.setdefault(result.rule, []).append(result)

    counts = ", ".join(_count(by_severity[s], s, s + "s") for s in SEVERITIES.values())
    lines = ["## lambdalint", ""]
    if not results:
        lines += ["No findings.", ""]
        return "\n".join(lines)
    lines += [f"**{counts}**", "", "| severity | findings |", "|---|---:|"]
    lines += [f"| {label} | {number} |" for label, number in by_severity.items() if number]
    lines += ["", "| rule | severity | findings | summary |", "|---|---|---:|---|"]

    def rule_order(rule_id: str):
        return (min(_RANK[r.severity] for r in by_rule[rule_id]), -len(by_rule[rule_id]), rule_id)

    for rule_id in sorted(by_rule, key=rule_order):
        descriptor = rules.get(rule_id, {})
        name = markdown_text(rule_id)
        help_uri = descriptor.get("helpUri")
        if isinstance(help_uri, str) and help_uri.startswith("https://"):
            name = f"[{name}]({quote(help_uri, safe=_URL_SAFE)})"
        severities = sorted({r.severity for r in by_rule[rule_id]}, key=_RANK.__getitem__)
        summary = str(_field(descriptor, "shortDescription").get("text", ""))
        lines.append(f"| {name} | {', '.join(severities)} | {len(by_rule[rule_id])} | {markdown_text(summary)} |")

    top = sorted(results, key=lambda r: (_RANK[r.severity], display_path(r.uri), r.line, r.rule))[:limit]
    heading = "Findings" if len(top) == len(results) else f"The {len(top)} most severe of {len(results)} findings"
    lines += ["", f"### {heading}", "", "| severity | rule | where | message |", "|---|---|---|---|"]
    for result in top:
        where = display_path(result.uri) + (f":{result.line}" if result.line >= 1 else "")
        link = line_link(result.uri, result.line, environ)
        where = f"[{markdown_text(where)}]({link})" if link else markdown_text(where)
        rule, message = markdown_text(result.rule), markdown_text(result.message)
        lines.append(f"| {result.severity} | {rule} | {where} | {message} |")
    if len(top) < len(results):
        lines += ["", f"And {len(results) - len(top)} more, not listed here."]
    lines.append("")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lambdalint.action_summary",
                                     description="Markdown job summary of a lambdalint SARIF report.")
    parser.add_argument("report", help="SARIF file written by `lambdalint check --format sarif`")
    parser.add_argument("--limit", type=int, default=TOP_FINDINGS,
                        help="findings listed one by one (default %(default)s)")
    args = parser.parse_args(argv)
    try:
        document = read_report(args.report)
    except SummaryError as exc:
        print(f"lambdalint: no job summary: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render(document, os.environ, max(args.limit, 0)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
