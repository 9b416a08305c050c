"""The docs say what the code does: docs/rules.md is current, usage examples work."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from click.testing import CliRunner

from repo_paths import REPO
from lambdalint.cfn_lint_plugin._ids import cfn_lint_id
from lambdalint.cli import main
from lambdalint.config import load_config
from lambdalint.findings import Severity
from lambdalint.registry import load_registry

DOCS = REPO / "docs"
REGENERATE = "lambdalint rules --format markdown > docs/rules.md"


def test_rules_md_is_current():
    result = CliRunner().invoke(main, ["rules", "--format", "markdown"], catch_exceptions=False)
    assert result.exit_code == 0
    current = (DOCS / "rules.md").read_text(encoding="utf-8")
    assert current == result.stdout, f"docs/rules.md is stale: regenerate it with `{REGENERATE}`"


def test_rules_md_has_a_full_section_per_rule():
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    by_id = {section.split("\n", 1)[0].strip(): section for section in sections}
    for rule in load_registry(()):
        section = by_id.get(rule.id)
        assert section is not None, rule.id
        assert f"AWS source: <{rule.source}>" in section
        for heading in ("### What it does", "### Why is this bad?", "### Example"):
            assert heading in section, (rule.id, heading)


# The usage examples stand in docs/usage.md and again in README.md: both are tested.
USAGE_FILES = [DOCS / "usage.md", REPO / "README.md"]


@pytest.fixture(params=USAGE_FILES, ids=lambda p: p.name)
def usage_file(request):
    return request.param


def usage_block(name, source=DOCS / "usage.md"):
    text = source.read_text(encoding="utf-8")
    found = re.search(r"<!-- docs-test: %s -->\n```yaml\n(.*?)```" % re.escape(name), text, flags=re.S)
    assert found, f"{source.name} has no block marked docs-test: {name}"
    return found.group(1)


def test_usage_config_example_is_a_valid_config(tmp_path, usage_file):
    path = tmp_path / ".lambdalint.yaml"
    path.write_text(usage_block("config", usage_file))
    known = [rule.id for rule in load_registry(())]
    config = load_config(str(path), known)  # raises on an unknown key or rule
    assert config.baseline == "lambdalint-baseline.json"
    with open(REPO / "lambdalint" / "data" / "limits.json", encoding="utf-8") as handle:
        limits = json.load(handle)["limits"]
    assert set(config.limits) <= set(limits)


def test_usage_pre_commit_snippet_names_real_hooks(tmp_path, usage_file):
    clientlib = pytest.importorskip("pre_commit.clientlib")
    config_file = tmp_path / ".pre-commit-config.yaml"
    config_file.write_text(usage_block("pre-commit", usage_file))
    config = clientlib.load_config(str(config_file))  # pre-commit's own validation
    manifest = {hook["id"] for hook in clientlib.load_manifest(str(REPO / ".pre-commit-hooks.yaml"))}
    used = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert used and used <= manifest
    text = (DOCS / "usage.md").read_text(encoding="utf-8")
    assert all(f"id: {hook}" in text for hook in manifest)


def test_usage_workflow_uses_real_action_inputs_and_uploads_its_sarif(usage_file):
    workflow = yaml.safe_load(usage_block("workflow", usage_file))
    with open(REPO / "action.yml", encoding="utf-8") as handle:
        action = yaml.safe_load(handle)
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    ours = [step for step in steps if step.get("uses", "").startswith("lambdalint/lambdalint@")]
    upload = [step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert len(ours) == 1 and len(upload) == 1
    assert set(ours[0]["with"]) <= set(action["inputs"])
    assert upload[0]["with"]["sarif_file"] == ours[0]["with"]["sarif-file"]
    assert workflow["permissions"]["security-events"] == "write"


def test_usage_documents_every_action_input():
    with open(REPO / "action.yml", encoding="utf-8") as handle:
        inputs = set(yaml.safe_load(handle)["inputs"])
    text = (DOCS / "usage.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", text, flags=re.M))
    assert documented == inputs


def test_cfn_lint_doc_examples_follow_the_scheme():
    text = (DOCS / "cfn-lint.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (LL[0-9]{4}) \((error|warning|info)\) \| ([EWI]9[0-9]{3}) \| ([a-z-]*) \|", text, flags=re.M)
    assert len(rows) >= 3
    registry = load_registry(())
    for rule_id, severity, cfn_id, name in rows:
        assert cfn_lint_id(rule_id, Severity.parse(severity)) == cfn_id
        known = registry.get(rule_id)
        if known is not None:  # rules still being written may not exist yet
            assert (known.severity.label, known.name) == (severity, name)


def test_usage_lists_every_limit_as_generated_from_limits_json():
    from lambdalint.docs import limits_markdown, with_limits_table

    text = (DOCS / "usage.md").read_text(encoding="utf-8")
    assert with_limits_table(text) == text, "docs/usage.md's limits table is stale: run `python -m lambdalint.data.build`"
    with open(REPO / "lambdalint" / "data" / "limits.json", encoding="utf-8") as handle:
        rows = json.load(handle)["limits"]
    table = limits_markdown()
    for name, row in rows.items():
        line = next(line for line in table.splitlines() if line.startswith(f"| `{name}` |"))
        assert row["meaning"] in line and row["source"] in line


def test_usage_pyproject_example_is_a_valid_config(tmp_path):
    text = (DOCS / "usage.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- docs-test: pyproject -->\n```toml\n(.*?)```", text, flags=re.S)
    assert found, "docs/usage.md has no block marked docs-test: pyproject"
    (tmp_path / "pyproject.toml").write_text(found.group(1), encoding="utf-8")
    config = load_config(str(tmp_path / "pyproject.toml"), [rule.id for rule in load_registry(())])
    assert config.select == ("ALL",) and config.limits == {"account_concurrency_default": 3000}
    assert config.per_file_ignores == {"legacy/*.yaml": ("LL5",)}
