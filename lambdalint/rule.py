"""What a rule is: its metadata and its check function, and the decorators that make one.

Rule packs write `from lambdalint.registry import rule` (the registry re-exports these);
the module is separate so that the rules lambdalint reports itself (lambdalint/own_rules.py)
can be declared without importing the registry that loads them.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Iterable, Optional

from .findings import Hit, Severity
from .records import Record

DOCS_URL = "https://github.com/lambdalint/lambdalint/blob/main/docs/rules.md"
RULE_ID_PATTERN = r"^[A-Z]{2,}[0-9]{4}$"  # two or more capitals, four digits: LL2001
DOC_HEADINGS = ("## What it does", "## Why is this bad?", "## Example")


def matches_any(rule_id: str, patterns: Iterable[str]) -> bool:
    """Whether one of `patterns` (a rule ID, a prefix such as `LL6`, or ALL) names `rule_id`: the one
    reading of a rule pattern, for select, ignore, per-file ignores and Metadata ignores."""
    return any(pattern == "ALL" or rule_id.startswith(pattern) for pattern in patterns)


class Rule(Record):
    """A rule: its metadata and its check function (None for a rule whose findings lambdalint itself makes).

    `docs` is the rule's documentation (markdown); it is written as the check function's
    docstring and is dedented only when read, since a run that prints no docs never needs it.
    """

    __slots__ = ("id", "name", "severity", "summary", "source", "check", "opt_in", "raw_docs", "origin", "url",
                 "pack")
    _compared = ("id", "name", "severity", "summary", "source", "opt_in", "raw_docs", "origin", "url", "pack")
    _hidden = ("check", "raw_docs")

    def __init__(self, id: str, name: str, severity: Severity, summary: str, source: str,
                 check: Optional[Callable[..., Iterable[Hit]]], opt_in: bool = False, docs: str = "",
                 origin: str = "", url: str = "", pack: str = "") -> None:
        self.id = id
        self.name = name
        self.severity = severity
        self.summary = summary
        self.source = source
        self.check = check
        self.opt_in = opt_in
        self.raw_docs = docs
        self.origin = origin  # module that defined it, for error messages
        self.url = url  # the rule's own documentation page, if it declares one
        # "" for lambdalint's own rules; else who provides it: a distribution, or "--rules-dir DIR"
        self.pack = pack

    @property
    def docs(self) -> str:
        return inspect.cleandoc(self.raw_docs)

    def replace(self, **changes: Any) -> Rule:
        values = {name: getattr(self, name) for name in self.__slots__ if name != "raw_docs"}
        values["docs"] = self.raw_docs
        values.update(changes)
        return Rule(**values)

    @property
    def third_party(self) -> bool:
        return bool(self.pack)

    @property
    def help_uri(self) -> Optional[str]:
        """Where the rule is documented: its own `url`, lambdalint's rules.md for lambdalint's rules.

        A third-party rule without a `url` has none: lambdalint's pages do not describe it.
        """
        if self.url:
            return self.url
        if self.third_party:
            return None
        return f"{DOCS_URL}#{self.id.lower()}"


def rule(
    *,
    id: str,
    name: str,
    severity: Severity,
    summary: str,
    source: str,
    opt_in: bool = False,
    url: str = "",
) -> Callable[[Callable[..., Iterable[Hit]]], Rule]:
    """Turn a check function (model -> hits) into a Rule; its docstring is the rule's docs.

    `source` is where the rule's facts come from (an AWS page for lambdalint's rules); `url`,
    for a rule pack's own rules, the page that documents the rule (SARIF `helpUri`).
    """

    def wrap(check: Callable[..., Iterable[Hit]]) -> Rule:
        return Rule(
            id=id,
            name=name,
            severity=severity,
            summary=summary,
            source=source,
            check=check,
            opt_in=opt_in,
            docs=check.__doc__ or "",
            origin=check.__module__,
            url=url,
        )

    return wrap


def engine_rule(*, id: str, name: str, severity: Severity, summary: str, source: str, docs: str,
                origin: str, opt_in: bool = False) -> Rule:
    """A rule with no check function: lambdalint makes its findings itself (parse and internal errors
    in the engine, unused suppressions in `suppress`). `origin` is the defining module."""
    return Rule(id=id, name=name, severity=severity, summary=summary, source=source, check=None,
                opt_in=opt_in, docs=docs, origin=origin)
