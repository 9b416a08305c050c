"""lambdalint's rules inside cfn-lint: `cfn-lint --append-rules lambdalint.cfn_lint_plugin`.

The plug-in must report exactly what lambdalint reports on its own: the same
rules (under their mapped IDs) at the same lines and columns.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import defaultdict

import pytest

from repo_paths import FIXTURES, REPO
from lambdalint.cfn_lint_plugin._ids import cfn_lint_id
from lambdalint.findings import Severity
from lambdalint.registry import load_registry

pytest.importorskip("cfnlint")

BIN = os.path.dirname(sys.executable)
PLUGIN_FOLDER = str(REPO / "lambdalint" / "cfn_lint_plugin")

CONFIG = "select: [ALL]\ntoday: 2026-11-23\n"

TEMPLATES = {
    "dangling.yaml": """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt MissingQueue.Arn
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Sub "${Nope1}-${Nope2}"
      KmsMasterKeyId: !Ref MissingKey
""",
    # cfn-lint checks the SAM-transformed template; the plug-in must still report
    # on the template as written (Globals and all)
    "sam.yaml": """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 30
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      InlineCode: "def handler(event, context): return 1"
      Environment:
        Variables:
          TABLE: !Ref MissingTable
""",
    "template.json": json.dumps({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Ref": "MissingKey"}}},
            "Other": {"Type": "AWS::SNS::Topic", "DependsOn": "Nothing"},
        },
    }, indent=2),
}


def back_mapping():
    return {cfn_lint_id(r.id, r.severity): r.id for r in load_registry(()) if cfn_lint_id(r.id, r.severity)}


def test_id_scheme_examples():
    assert cfn_lint_id("LL6001", Severity.ERROR) == "E9601"
    assert cfn_lint_id("LL1021", Severity.WARNING) == "W9121"
    assert cfn_lint_id("LL0003", Severity.INFO) == "I9003"
    assert cfn_lint_id("LL6100", Severity.ERROR) is None  # outside the scheme: not mapped
    assert cfn_lint_id("ACME0001", Severity.ERROR) is None  # other rule packs: not mapped


def test_every_builtin_rule_has_a_unique_cfn_lint_id():
    rules = list(load_registry(()))
    ids = {rule.id: cfn_lint_id(rule.id, rule.severity) for rule in rules}
    assert all(value is not None for value in ids.values()), [k for k, v in ids.items() if v is None]
    assert all(re.fullmatch(r"[EWI]9[0-9]{3}", value) for value in ids.values())
    digits = [value[1:] for value in ids.values()]
    assert len(set(digits)) == len(digits)


def test_lambdalint_never_imports_cfn_lint():
    code = (
        "import sys, lambdalint.cli, lambdalint.api, lambdalint.baseline, lambdalint.docs\n"
        "from lambdalint.api import lint_text\n"
        "lint_text('Resources:\\n  Q:\\n    Type: AWS::SQS::Queue\\n')\n"
        "from lambdalint.registry import load_registry; load_registry(())\n"
        "assert 'cfnlint' not in sys.modules, 'cfnlint imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def run_cfn_lint(files, cwd, append=("lambdalint.cfn_lint_plugin",)):
    command = [os.path.join(BIN, "cfn-lint"), "--format", "parseable", "--include-checks", "I",
               "--append-rules", *append, "--", *files]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert "Traceback" not in result.stderr, result.stderr
    matches = []
    for line in result.stdout.splitlines():
        filename, line_no, column, _, _, rule_id, message = line.split(":", 6)
        matches.append((filename, int(line_no), int(column), rule_id, message))
    return matches


def run_lambdalint(files, cwd):
    result = subprocess.run([os.path.join(BIN, "lambdalint"), "check", "--format", "json", "--fail-level", "none",
                             *files], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["findings"]


def fixture_files():
    return sorted(str(path) for path in (FIXTURES / "rules").glob("*/*.yaml")) if (FIXTURES / "rules").is_dir() else []


@pytest.fixture
def workspace(tmp_path):
    for name, text in TEMPLATES.items():
        (tmp_path / name).write_text(text)
    (tmp_path / ".lambdalint.yaml").write_text(CONFIG)
    return tmp_path


@pytest.mark.slow
def test_plugin_findings_equal_lambdalints_own(workspace):
    # names relative to the run's folder come back as given: join them to it (absolute ones stay)
    files = [str(workspace / name) for name in TEMPLATES] + fixture_files()
    to_lambdalint = back_mapping()
    through_cfn_lint = defaultdict(set)
    unparsed = set()
    for filename, line, column, rule_id, _ in run_cfn_lint(files, workspace):
        if rule_id in ("E0000", "E0001"):  # cfn-lint could not read or transform it: no rules ran
            unparsed.add(os.path.join(workspace, filename))
        if rule_id in to_lambdalint:
            through_cfn_lint[os.path.join(workspace, filename)].add((to_lambdalint[rule_id], line, column))
    own = defaultdict(set)
    for finding in run_lambdalint(files, workspace):
        own[os.path.join(workspace, finding["file"])].add((finding["rule"], finding["line"], finding["column"]))

    compared = [path for path in files if path not in unparsed]
    for path in compared:
        assert through_cfn_lint[path] == own[path], path
    # the hand-written templates are always compared, and they do produce findings
    for name in TEMPLATES:
        assert str(workspace / name) in compared
    assert ("LL0003", 15, 11) in own[str(workspace / "sam.yaml")]  # on the template as written
    assert sum(len(found) for found in through_cfn_lint.values()) >= 6


@pytest.mark.slow
def test_folder_form_reports_the_same_as_the_module_form(workspace):
    files = [str(workspace / "dangling.yaml")]
    by_module = run_cfn_lint(files, workspace)
    by_folder = run_cfn_lint(files, workspace, append=(PLUGIN_FOLDER,))
    ours = [m for m in by_module if m[3] in back_mapping()]
    assert ours and ours == [m for m in by_folder if m[3] in back_mapping()]
    assert any(message.endswith("(lambdalint LL0003)") and rule == "W9003" for _, _, _, rule, message in ours)


@pytest.mark.slow
def test_cfn_lint_ignore_checks_applies_to_mapped_ids(workspace):
    files = [str(workspace / "dangling.yaml")]
    command_ignore = run_cfn_lint(files, workspace, append=("lambdalint.cfn_lint_plugin", "--ignore-checks", "W9003"))
    assert not [m for m in command_ignore if m[3] == "W9003"]


@pytest.mark.slow
def test_lambdalint_config_applies_inside_cfn_lint(workspace):
    (workspace / ".lambdalint.yaml").write_text("ignore: [LL0003]\n")
    ours = [m for m in run_cfn_lint([str(workspace / "dangling.yaml")], workspace) if m[3] in back_mapping()]
    assert ours == []


@pytest.mark.slow
def test_invalid_lambdalint_config_is_one_match_per_template(workspace):
    (workspace / ".lambdalint.yaml").write_text("no-such-key: 1\n")
    matches = run_cfn_lint([str(workspace / "dangling.yaml")], workspace)
    config_errors = [m for m in matches if m[3] == cfn_lint_id("LL0005", Severity.ERROR)]
    assert len(config_errors) == 1
    assert "unknown key 'no-such-key'" in config_errors[0][4]
    assert not [m for m in matches if m[3] == "W9003"]


@pytest.mark.slow
def test_stdin_template_reports_nothing_instead_of_crashing(workspace):
    # no file arguments: cfn-lint reads the template from standard input
    command = [os.path.join(BIN, "cfn-lint"), "--format", "parseable", "--append-rules", "lambdalint.cfn_lint_plugin"]
    result = subprocess.run(command, cwd=workspace, input=TEMPLATES["dangling.yaml"], capture_output=True, text=True,
                            timeout=600)
    assert "Traceback" not in result.stderr
    assert "E1010" in result.stdout  # cfn-lint itself ran
    assert "lambdalint" not in result.stdout
