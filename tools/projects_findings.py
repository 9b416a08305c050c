"""Print the findings of one severity on the shared projects corpus, for review before they go
into tests/projects_findings/projects_<severity>s.txt.

    python tools/projects_findings.py error > /tmp/e.txt && mv /tmp/e.txt tests/projects_findings/projects_errors.txt

The projects are materialised from their listing in a temporary folder first (as the test
does). What the current file says is kept: each rule's comment block (the review of its
classes) and each line's trailing `# reason`. A rule new to the file gets a NOT REVIEWED
block: read the project listing and template, then replace it with the verdict.
"""

import collections
import pathlib
import re
import sys
import tempfile
from typing import Dict, List, Optional, Tuple

sys.path[:0] = [str(pathlib.Path(__file__).resolve().parent.parent / "tests")]

from lambdalint.findings import Severity  # noqa: E402
from projects_support import check_projects, finding_key, materialise, reviewed_file  # noqa: E402

RULE_COMMENT = re.compile(r"^#\s*(LL\d{4})\b")


def current_comments(path: pathlib.Path) -> Tuple[List[str], Dict[str, List[str]], Dict[str, str]]:
    """(header lines, {rule: comment block}, {key: trailing comment}) of a reviewed file."""
    header: List[str] = []
    blocks: Dict[str, List[str]] = {}
    trailing: Dict[str, str] = {}
    rule: Optional[str] = None
    if not path.is_file():
        return header, blocks, trailing
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            match = RULE_COMMENT.match(line)
            if match:
                rule = match.group(1)
                blocks.setdefault(rule, [])
            if rule is None:
                header.append(line)
            else:
                blocks[rule].append(line)
        elif line.strip():
            key, _, comment = line.partition("#")
            trailing[key.strip()] = comment.strip()
    return header, blocks, trailing


def write_reviewed(severity_name: str, target: pathlib.Path, keys: List[str], corpus: str, tool: str) -> None:
    """Print the reviewed list of `keys` (file:line:rule), keeping what `target` says about each."""
    header, blocks, trailing = current_comments(target)
    by_rule = collections.defaultdict(list)
    for key in sorted(keys):
        by_rule[key.rsplit(":", 1)[1]].append(key)
    print("\n".join(header or [f"# reviewed {severity_name.lower()}s on {corpus}: file:line:rule "
                               f"[# reason], regenerate with {tool}"]))
    for rule in sorted(by_rule):
        print()
        print("\n".join(blocks.get(rule) or [f"# {rule} ({len(by_rule[rule])}): NOT REVIEWED"]))
        for key in by_rule[rule]:
            print(f"{key}  # {trailing[key]}" if trailing.get(key) else key)


def main(severity_name: str) -> None:
    severity = Severity[severity_name.upper()]
    with tempfile.TemporaryDirectory(prefix="projects-") as tmp:
        root = materialise(pathlib.Path(tmp)).root
        keys = [
            finding_key(root, f)
            for report in check_projects(root).values() for f in report.findings
            if f.severity == severity and f.rule != "LL0007"
        ]
    write_reviewed(severity_name, reviewed_file(severity_name.lower()), keys, "../shared/projects",
                   "tools/projects_findings.py")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "error")
