"""lambdalint/data/iam_actions.json: its shape, and that it is what tools/iam_actions.py makes.

Freshness, honestly for CI: CI installs the newest cfn-lint, and cfn-lint's table grows
whenever AWS adds an action. A test that failed on any difference would turn CI red with no
change of ours. So the data records the cfn-lint version it was compiled from, and
- when that version is the one installed, the committed data must be exactly what the script
  produces from it (a hand edit, or a script change without a recompile, fails);
- when another version is installed, nothing can be compared exactly: the test reports the
  actions the installed cfn-lint has and the data lacks (and the reverse) as a warning, and
  passes. Refresh with `python tools/iam_actions.py` after upgrading cfn-lint.
"""

from __future__ import annotations

import importlib.util
import json
import warnings

import pytest

from repo_paths import REPO

DATA = REPO / "lambdalint" / "data" / "iam_actions.json"


def committed():
    return json.loads(DATA.read_text(encoding="utf-8"))


def load_tool():
    spec = importlib.util.spec_from_file_location("iam_actions_tool", REPO / "tools" / "iam_actions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_is_sourced_versioned_and_normalised():
    data = committed()
    assert "service-authorization" in data["source"] and data["source"].count("https://") == 1
    assert data["cfn_lint_version"].count(".") >= 2
    assert len(data["compiled_on"]) == 10
    services = data["services"]
    assert list(services) == sorted(services) and len(services) > 300
    for prefix, actions in services.items():
        assert prefix == prefix.lower() and ":" not in prefix
        assert actions == sorted(set(actions)) and actions, prefix
        assert all(action == action.lower() and ":" not in action and "*" not in action for action in actions), prefix


def test_the_file_is_written_as_the_tool_renders_it():
    """One service a line: a refresh is a readable diff."""
    assert DATA.read_text(encoding="utf-8") == load_tool().render(committed())


def test_data_matches_cfn_lint_when_the_recorded_version_is_installed():
    pytest.importorskip("cfnlint")
    tool = load_tool()
    data = committed()
    fresh = tool.compile_data(data["compiled_on"])
    if fresh["cfn_lint_version"] == data["cfn_lint_version"]:
        assert fresh == data, "lambdalint/data/iam_actions.json is stale: run python tools/iam_actions.py"
        return
    ours = {(s, a) for s, actions in data["services"].items() for a in actions}
    theirs = {(s, a) for s, actions in fresh["services"].items() for a in actions}
    added, removed = sorted(theirs - ours), sorted(ours - theirs)
    if added or removed:
        shown = ", ".join(f"{s}:{a}" for s, a in added[:10])
        warnings.warn(f"cfn-lint {fresh['cfn_lint_version']} knows {len(added)} IAM actions the data "
                      f"(cfn-lint {data['cfn_lint_version']}) lacks ({shown}) and lacks {len(removed)} it has: "
                      f"refresh with python tools/iam_actions.py", UserWarning, stacklevel=1)


def test_services_keep_only_tables_with_actions():
    tool = load_tool()
    table = {"S3": {"Actions": {"GetObject": {}, "getobject": {}, "ListBucket": {}}, "Resources": {}},
             "empty": {"Actions": {}}, "broken": []}
    assert tool.services_from(table) == {"s3": ["getobject", "listbucket"]}
