"""lambdalint rule IDs as cfn-lint rule IDs (docs/cfn-lint.md documents the scheme).

cfn-lint IDs are a severity letter and four digits, and cfn-lint leaves the
9xxx block to rules from outside cfn-lint. lambdalint numbers rules LL<family
digit><three digits> and no family holds 100 rules, so LLfnnn becomes
<letter>9f<nn>: LL6001 (error) is E9601, LL1021 (warning) is W9121. The four
digits are unique because the lambdalint IDs are; the letter is the rule's
default severity, because cfn-lint reads a finding's severity from it.

Outside the plug-in package (whose `__init__` imports cfn-lint) because `lambdalint explain
E9601` and the docs need it without cfn-lint installed.
"""

from __future__ import annotations

from typing import Optional

from lambdalint.findings import Severity
from lambdalint.lazy import lazy_pattern

LETTERS = {Severity.ERROR: "E", Severity.WARNING: "W", Severity.INFO: "I"}
_LAMBDALINT_ID = lazy_pattern(r"^LL([0-9])0([0-9]{2})$")


def cfn_lint_id(rule_id: str, severity: Severity) -> Optional[str]:
    """The cfn-lint ID of a lambdalint rule; None for IDs outside the scheme (other rule packs, LLf100+)."""
    found = _LAMBDALINT_ID.match(rule_id)
    if found is None:
        return None
    family, number = found.groups()
    return f"{LETTERS[severity]}9{family}{number}"
