"""LL0010 on Terraform: a `# lambdalint:ignore` comment that suppressed nothing (relocate.unused_ignores)."""

from __future__ import annotations

from lambdalint.api import Linter
from lambdalint.config import Config

OLD_RUNTIME = """\
module "fn" {{
  source   = "./modules/worker"
  for_each = {{ a = "{a}", b = "{b}" }}

  runtime = each.value
}}
"""

MODULE = """\
variable "runtime" {
  type = string
}

resource "aws_lambda_function" "this" {
  function_name     = "worker"
  role              = "arn:aws:iam::123456789012:role/worker"
  handler           = "app.handler"
  s3_bucket         = "artifacts"
  s3_key            = "worker.zip"
  s3_object_version = "3"
  # lambdalint:ignore LL2006 retired with the module
  runtime = var.runtime
}
"""


def unused(tmp_path, select=("ALL",), **runtimes):
    (tmp_path / "modules/worker").mkdir(parents=True, exist_ok=True)
    (tmp_path / "modules/worker/main.tf").write_text(MODULE, encoding="utf-8")
    (tmp_path / "main.tf").write_text(OLD_RUNTIME.format(**runtimes), encoding="utf-8")
    report = Linter(Config(select=select)).lint_paths([str(tmp_path)])
    return [(f.file.rsplit("/", 3)[-3:], f.line, f.column, f.resource, f.message)
            for f in report.findings if f.rule == "LL0010"]


def test_a_comment_in_a_module_is_used_when_one_instance_needed_it(tmp_path):
    assert unused(tmp_path, a="python3.7", b="python3.13") == []


def test_a_comment_no_instance_needed_is_reported_once_at_its_line(tmp_path):
    assert unused(tmp_path, a="python3.13", b="python3.12") == [
        (["modules", "worker", "main.tf"], 12, 3, 'module.fn["a"].aws_lambda_function.this',
         '`# lambdalint:ignore LL2006` on argument runtime of module.fn["a"].aws_lambda_function.this suppressed '
         'nothing in this run: remove it')]


def test_only_judged_when_ll0010_and_every_rule_it_names_ran(tmp_path):
    assert unused(tmp_path, select=("LL",), a="python3.13", b="python3.12") == []  # LL0010 is opt-in
    assert unused(tmp_path, select=("LL0010", "LL2005"), a="python3.13", b="python3.12") == []
    assert len(unused(tmp_path, select=("LL0010", "LL2006"), a="python3.13", b="python3.12")) == 1
