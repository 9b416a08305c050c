"""Print the findings of one severity on the shared Terraform corpus, for review before they go
into tests/terraform_findings/terraform_<severity>s.txt.

    python tools/terraform_findings.py error > /tmp/e.txt && mv /tmp/e.txt tests/terraform_findings/terraform_errors.txt

The corpus is laid out from its listing in a temporary folder first (as the test does) and
every ROOTS.txt folder checked. What the current file says is kept (tools/projects_findings.py
write_reviewed): a rule new to the file gets a NOT REVIEWED block: read the `.tf` code, then
replace it with the verdict.
"""

import pathlib
import sys
import tempfile

sys.path[:0] = [str(pathlib.Path(__file__).resolve().parent.parent / "tests"),
                str(pathlib.Path(__file__).resolve().parent)]

from lambdalint.findings import Severity  # noqa: E402
from projects_findings import write_reviewed  # noqa: E402
from projects_support import finding_key  # noqa: E402
from terraform_corpus import check_roots, materialise, reviewed_file  # noqa: E402


def main(severity_name: str) -> None:
    severity = Severity[severity_name.upper()]
    with tempfile.TemporaryDirectory(prefix="terraform-corpus-") as tmp:
        root = materialise(pathlib.Path(tmp)).root
        keys = [finding_key(root, f) for report in check_roots(root).values() for f in report.findings
                if f.severity == severity and f.rule != "LL0007"]
    write_reviewed(severity_name, reviewed_file(severity_name.lower()), keys, "../shared/terraform-corpus",
                   "tools/terraform_findings.py")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "error")
