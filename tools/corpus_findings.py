"""Print the corpus findings of some rule families, for review before adding them to
tests/corpus_findings/<name>.txt.

    python tools/corpus_findings.py LL0 LL2 > tests/corpus_findings/ll0_ll2.txt
"""

import pathlib
import sys

sys.path[:0] = [str(pathlib.Path(__file__).resolve().parent.parent / "tests")]

from corpus_support import corpus_report, finding_key  # noqa: E402
from lambdalint.findings import Severity  # noqa: E402

prefixes = tuple(sys.argv[1:]) or ("LL",)
keys = sorted(
    finding_key(f) for f in corpus_report().findings
    if f.severity >= Severity.WARNING and f.rule.startswith(prefixes) and f.rule != "LL0007"
)
print(f"# reviewed corpus findings of {', '.join(prefixes)}: file:line:rule, regenerate with tools/corpus_findings.py")
print("\n".join(keys))
