"""Where cfn-lint's own rules already report what the lambdalint plug-in reports.

    python tools/cfn_lint_overlaps.py            # markdown table for docs/cfn-lint.md
    python tools/cfn_lint_overlaps.py --json     # the raw pairs

Runs cfn-lint once over the rule fixtures (fixtures/rules/*/*.yaml), with the
plug-in appended and informational rules included. cfn-lint's own rules run the
same with or without the plug-in, so one run gives both sides: the plug-in's
matches (IDs 9xxx, messages ending in "(lambdalint LLnnnn)") and cfn-lint's.
A pair is a lambdalint finding and a cfn-lint finding on the same line of the
same file. Lines are a coarse key, so the table counts how often each pair
occurs against how often the lambdalint rule fired: a rule whose twin fires on
nearly every one of its findings reports the same thing twice; a pair seen once
among many is usually two problems on one line. docs/cfn-lint.md lists the
reviewed twins. Needs cfn-lint installed next to lambdalint.

Fixtures whose packages are built by a build.py are linted as committed (their
zips absent): the package-content rules (LL1) have no cfn-lint counterpart anyway.
"""

from __future__ import annotations

import argparse
import collections
import json
import pathlib
import re
import subprocess
import sys
from typing import Dict, Iterable, List, Tuple

REPO = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures" / "rules"
_LAMBDALINT_RULE = re.compile(r"\(lambdalint (LL\d{4})\)$")
_RUN_CFN_LINT = "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; sys.exit(main())"

Key = Tuple[str, int]  # (file, line)


def fixture_templates() -> List[str]:
    return sorted(str(path.relative_to(REPO)) for path in FIXTURES.glob("*/*.yaml"))


def cfn_lint_matches(templates: Iterable[str]) -> List[dict]:
    command = [sys.executable, "-c", _RUN_CFN_LINT, "--format", "json", "--include-checks", "I",
               "--append-rules", "lambdalint.cfn_lint_plugin", "--", *templates]
    completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    # cfn-lint's exit code is a bit mask of the levels it found; only JSON on stdout is success
    try:
        return json.loads(completed.stdout)
    except ValueError:
        stderr = completed.stderr.strip()[-2000:]
        raise SystemExit(f"cfn-lint gave no JSON (exit {completed.returncode}): {stderr}") from None


def overlaps(matches: Iterable[dict]) -> Tuple[Dict[Tuple[str, str], int], Dict[str, int], Dict[str, str]]:
    """({(lambdalint rule, cfn-lint rule): same-line pairs}, {lambdalint rule: findings},
    {cfn-lint rule: description})."""
    ours: Dict[Key, List[str]] = collections.defaultdict(list)
    theirs: Dict[Key, List[str]] = collections.defaultdict(list)
    descriptions: Dict[str, str] = {}
    for match in matches:
        key = (match["Filename"], match["Location"]["Start"]["LineNumber"])
        lambdalint_rule = _LAMBDALINT_RULE.search(match["Message"])
        if lambdalint_rule:
            ours[key].append(lambdalint_rule.group(1))
        else:
            theirs[key].append(match["Rule"]["Id"])
            descriptions[match["Rule"]["Id"]] = match["Rule"]["ShortDescription"]
    pairs: Dict[Tuple[str, str], int] = collections.Counter()
    totals: Dict[str, int] = collections.Counter()
    for key, rules in ours.items():
        for rule in rules:
            totals[rule] += 1
            for theirs_rule in sorted(set(theirs.get(key, ()))):
                pairs[(rule, theirs_rule)] += 1
    return pairs, totals, descriptions


def markdown(pairs, totals, descriptions) -> str:
    lines = ["| lambdalint | cfn-lint | same line | lambdalint findings | cfn-lint rule |",
             "|---|---|---:|---:|---|"]
    for (ours, theirs), count in sorted(pairs.items(), key=lambda item: (-item[1] / totals[item[0][0]], item[0])):
        lines.append(f"| {ours} | {theirs} | {count} | {totals[ours]} | {descriptions.get(theirs, '')} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the pairs as JSON")
    args = parser.parse_args(argv)
    pairs, totals, descriptions = overlaps(cfn_lint_matches(fixture_templates()))
    if args.json:
        rows = [{"lambdalint": ours, "cfn-lint": theirs, "same_line": count, "lambdalint_findings": totals[ours]}
                for (ours, theirs), count in sorted(pairs.items())]
        print(json.dumps(rows, indent=2))
    else:
        sys.stdout.write(markdown(pairs, totals, descriptions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
