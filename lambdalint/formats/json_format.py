"""`--format json`: the stable machine-readable contract of DESIGN.md."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..lazy import lazy_pattern

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Report
    from ..registry import Registry

JSON_VERSION = 1

_LONE_SURROGATE = lazy_pattern("[\ud800-\udfff]")


def dumps(document: object) -> str:
    """Pretty JSON that keeps non-ASCII text readable and is always encodable as UTF-8.

    `ensure_ascii=False` would pass a lone surrogate (a JSON template can
    hold `"\\ud800"`) through raw, and writing it to a UTF-8 stream fails.
    Surrogates can only occur inside strings, so writing them back as `\\uXXXX`
    escapes keeps the document valid JSON with the same value.
    """
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return _LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"


def render(report: Report, registry: Registry, *, statistics: bool = False) -> str:
    """Every selected finding, infos included; with `statistics`, counts per rule instead."""
    if statistics:
        return dumps({
            "version": JSON_VERSION,
            "statistics": [statistic(rule_id, count, registry) for rule_id, count in report.rule_counts()],
            "summary": report.summary(),
        })
    return dumps({
        "version": JSON_VERSION,
        "findings": [finding.as_dict() for finding in report.findings],
        "summary": report.summary(),
    })


def statistic(rule_id: str, count: int, registry: Registry) -> dict:
    known = registry.get(rule_id) if registry is not None else None
    return {"rule": rule_id, "name": known.name if known is not None else None, "count": count}
