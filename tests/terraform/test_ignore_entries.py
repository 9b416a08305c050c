"""The entries of a `# lambdalint:ignore` comment: each one a rule ID or prefix lambdalint knows,
else LL0005 at the comment (when LL0005 runs), and the comment's other entries still apply."""

from __future__ import annotations

import pytest

from lambdalint.api import Linter
from lambdalint.config import Config

LEGACY = '''{comment}
resource "aws_lambda_function" "legacy" {{
  function_name     = "legacy"
  role              = "arn:aws:iam::123456789012:role/worker"
  runtime           = "python3.7"
  handler           = "app.handler"
  s3_bucket         = "artifacts"
  s3_key            = "legacy.zip"
  s3_object_version = "3"
}}
'''


def findings(tmp_path, comment, select):
    (tmp_path / "main.tf").write_text(LEGACY.format(comment=comment), encoding="utf-8")
    report = Linter(Config(select=select)).lint_paths([str(tmp_path)])
    return sorted((f.line, f.rule, f.message) for f in report.findings if f.rule in ("LL0005", "LL2006"))


@pytest.mark.parametrize("comment, said", [
    ("# lambdalint:ignore LL2OO6, LL2006 kept until JIRA-12",
     "'LL2OO6' in `# lambdalint:ignore` is not a rule ID or prefix (e.g. LL5002 or LL5)"),
    ("// lambdalint:ignore ll2006,LL6O01",
     "'LL6O01' in `# lambdalint:ignore` is not a rule ID or prefix (e.g. LL5002 or LL5)"),
    ("# lambdalint:ignore LL2006, LX2006", "unknown rule 'LX2006' in `# lambdalint:ignore` (did you mean LL2006?)"),
])
def test_a_wrong_entry_is_ll0005_at_the_comment_and_the_others_still_apply(tmp_path, comment, said):
    assert findings(tmp_path, comment, ("ALL",)) == [(1, "LL0005", said)]


def test_a_typo_is_no_prefix_that_would_ignore_a_whole_family(tmp_path):
    # read as the prefix LL2 it would have hidden LL2006 (and every LL2 rule) without a word
    assert [rule for _, rule, _ in findings(tmp_path, "# lambdalint:ignore LL2OO6", ("ALL",))] == ["LL0005", "LL2006"]


def test_entries_are_judged_only_when_ll0005_runs(tmp_path):
    assert findings(tmp_path, "# lambdalint:ignore LL9999, LL2006", ("LL2",)) == []
    assert [rule for _, rule, _ in findings(tmp_path, "# lambdalint:ignore LL9999", ("LL2",))] == ["LL2006"]
