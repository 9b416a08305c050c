"""Compile lambdalint/data/iam_actions.json, the IAM actions of every service, from cfn-lint.

    python tools/iam_actions.py            # rewrite the data from the installed cfn-lint
    python tools/iam_actions.py --check    # exit 1 when the data differs from what it would write

cfn-lint ships the table as `cfnlint/data/AdditionalSpecs/Policies.json`, refreshed by its
maintainers from AWS's machine-readable Service Authorization Reference
(https://docs.aws.amazon.com/service-authorization/latest/reference/service-reference.html,
`update_iam_policies` in `cfnlint/maintenance.py`), with action names in lower case. We keep
service prefix -> sorted action names (lower case: IAM compares actions ignoring case), the
cfn-lint version they came from and the day they were compiled. The file is read only when a
role policy is checked (lambdalint/iam/actions.py), so it stays out of `tables.py`.

tests/test_iam_actions_data.py compares the data with what this script produces when the
recorded cfn-lint version is the one installed.
"""

from __future__ import annotations

import datetime
import importlib.metadata
import importlib.util
import json
import os
import sys
from typing import Any, Dict, List

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_FILE = os.path.join(REPO, "lambdalint", "data", "iam_actions.json")
SOURCE = ("cfn-lint's cfnlint/data/AdditionalSpecs/Policies.json, compiled by its maintainers from AWS's "
          "Service Authorization Reference: "
          "https://docs.aws.amazon.com/service-authorization/latest/reference/service-reference.html")
ABOUT = ("IAM actions per service prefix, lower case (IAM matches actions ignoring case). A prefix not "
         "listed is a service lambdalint knows nothing of: its actions are never reported.")


def cfn_lint_table_path() -> str:
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("cfn-lint is not installed: pip install cfn-lint")
    for folder in spec.submodule_search_locations:
        candidate = os.path.join(folder, "data", "AdditionalSpecs", "Policies.json")
        if os.path.isfile(candidate):
            return candidate
    raise SystemExit("this cfn-lint has no data/AdditionalSpecs/Policies.json")


def installed_cfn_lint_version() -> str:
    return importlib.metadata.version("cfn-lint")


def services_from(table: Dict[str, Any]) -> Dict[str, List[str]]:
    """Service prefix -> its action names, sorted, lower case, from cfn-lint's table."""
    services: Dict[str, List[str]] = {}
    for prefix, service in table.items():
        actions = service.get("Actions") if isinstance(service, dict) else None
        if isinstance(actions, dict) and actions:
            services[prefix.lower()] = sorted({name.lower() for name in actions})
    return dict(sorted(services.items()))


def compile_data(compiled_on: str) -> Dict[str, Any]:
    with open(cfn_lint_table_path(), encoding="utf-8") as handle:
        table = json.load(handle)
    return {"about": ABOUT, "source": SOURCE, "cfn_lint_version": installed_cfn_lint_version(),
            "compiled_on": compiled_on, "services": services_from(table)}


def render(data: Dict[str, Any]) -> str:
    """Compact JSON, one service per line, so that a refresh shows as a diff of the services it changed."""
    head = {key: value for key, value in data.items() if key != "services"}
    lines = ["{" + json.dumps(head, separators=(",", ":"))[1:-1] + ',"services":{']
    rows = [json.dumps(prefix) + ":" + json.dumps(actions, separators=(",", ":"))
            for prefix, actions in data["services"].items()]
    lines.append(",\n".join(rows))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def main(argv: List[str]) -> int:
    if "--check" in argv:
        with open(DATA_FILE, encoding="utf-8") as handle:
            committed = json.load(handle)
        fresh = compile_data(committed.get("compiled_on", ""))
        if fresh == committed:
            print(f"{DATA_FILE} matches cfn-lint {fresh['cfn_lint_version']}")
            return 0
        print(f"{DATA_FILE} differs from cfn-lint {fresh['cfn_lint_version']} (recorded: "
              f"{committed.get('cfn_lint_version')}): run python tools/iam_actions.py")
        return 1
    data = compile_data(datetime.date.today().isoformat())
    with open(DATA_FILE, "w", encoding="utf-8") as handle:
        handle.write(render(data))
    count = sum(len(actions) for actions in data["services"].values())
    print(f"wrote {DATA_FILE}: {count} actions of {len(data['services'])} services from cfn-lint "
          f"{data['cfn_lint_version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
