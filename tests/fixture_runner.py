"""Run a fixture template and compare its findings with its `# expect:` comments.

A fixture lives in `fixtures/rules/<RULE>/`: `bad_*.yaml` carry `# expect: RULE[, RULE]`
comments on each line where a finding must appear, `good_*.yaml` carry none. Only
findings of the fixture's rule (and of rules named in its comments) are compared, so a
fixture need not be clean of every other rule.
"""

from __future__ import annotations

import datetime
import pathlib
import re
from typing import Iterable, Set, Tuple

from lambdalint.api import Linter
from lambdalint.config import Config

EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")
FIXTURE_TODAY = datetime.date(2026, 11, 23)


def expected_pairs(path: pathlib.Path) -> Set[Tuple[int, str]]:
    pairs = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            pairs.update((number, rule.strip()) for rule in match.group(1).split(",") if rule.strip())
    return pairs


def actual_pairs(path: pathlib.Path, rule_ids: Iterable[str], **config) -> Set[Tuple[int, str]]:
    rule_ids = set(rule_ids)
    rules_dir = path.parent / "rules"
    options = dict(select=("ALL",), today=FIXTURE_TODAY)
    if rules_dir.is_dir():
        options["rules_dirs"] = (str(rules_dir),)
    options.update(config)
    linter = Linter(Config(**options))
    return {(f.line, f.rule) for f in linter.lint_file(str(path)) if f.rule in rule_ids}
