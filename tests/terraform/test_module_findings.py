"""Findings about blocks a module call creates: where they land, and the ignores at the call."""

from __future__ import annotations

import os
from pathlib import Path

from fixture_runner import FIXTURE_TODAY
from lambdalint.api import Linter
from lambdalint.config import Config

MODULE = (
    'variable "runtime" {\n'
    '  default = "python3.7"\n'
    '}\n'
    'variable "name" {}\n'
    'resource "aws_lambda_function" "this" {\n'
    '  function_name     = var.name\n'
    '  role              = "arn:aws:iam::123456789012:role/worker"\n'
    '  runtime           = var.runtime\n'
    '  handler           = "app.handler"\n'
    '  s3_bucket         = "artifacts"\n'
    '  s3_key            = "worker.zip"\n'
    '  s3_object_version = "3"\n'
    '}\n'
)


def write(folder: Path, files: dict) -> str:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return str(folder)


def blocked_runtimes(folder: Path, files: dict) -> list:
    write(folder, files)
    report = Linter(Config(select=("ALL",), today=FIXTURE_TODAY)).lint_paths([str(folder)])
    return [(os.path.relpath(finding.file, folder), finding.line, finding.column, finding.shown_name,
             (os.path.relpath(finding.generated.file, folder), finding.generated.line) if finding.generated else None)
            for finding in sorted(report.findings) if finding.rule == "LL2006"]


def test_a_value_the_call_passes_lands_at_its_argument_with_the_module_line_kept(tmp_path):
    found = blocked_runtimes(tmp_path, {
        "main.tf": 'module "worker" {\n  source  = "./modules/fn"\n  name    = "worker"\n'
                   '  runtime = "go1.x"\n}\n',
        "modules/fn/main.tf": MODULE,
    })
    assert found == [("main.tf", 4, 13, "module.worker.aws_lambda_function.this", ("modules/fn/main.tf", 8))]


def test_a_value_passed_through_two_calls_lands_at_the_outermost_argument(tmp_path):
    found = blocked_runtimes(tmp_path, {
        "main.tf": 'module "app" {\n  source  = "./modules/app"\n  runtime = "go1.x"\n}\n',
        "modules/app/main.tf": 'variable "runtime" {}\nmodule "worker" {\n  source  = "../fn"\n'
                               '  name    = "worker"\n  runtime = var.runtime\n}\n',
        "modules/fn/main.tf": MODULE,
    })
    assert found == [("main.tf", 3, 13, "module.app.module.worker.aws_lambda_function.this",
                      ("modules/fn/main.tf", 8))]


def test_the_modules_own_default_lands_in_the_module(tmp_path):
    found = blocked_runtimes(tmp_path, {
        "main.tf": 'module "worker" {\n  source = "./modules/fn"\n  name   = "worker"\n}\n',
        "modules/fn/main.tf": MODULE,
    })
    assert found == [("modules/fn/main.tf", 2, 13, "module.worker.aws_lambda_function.this", None)]


def test_an_ignore_above_a_module_block_covers_every_block_of_the_call(tmp_path):
    found = blocked_runtimes(tmp_path, {
        "main.tf": '# lambdalint:ignore LL2006 retired with the service in March\n'
                   'module "old" {\n  source = "./modules/app"\n}\n'
                   'module "new" {\n  source = "./modules/app"\n}\n',
        "modules/app/main.tf": 'module "worker" {\n  source = "../fn"\n  name   = "worker"\n}\n',
        "modules/fn/main.tf": MODULE,
    })
    assert found == [("modules/fn/main.tf", 2, 13, "module.new.module.worker.aws_lambda_function.this", None)]


def test_an_ignore_at_the_end_of_the_module_line_covers_its_blocks_and_names_only_its_rules(tmp_path):
    found = blocked_runtimes(tmp_path, {
        "main.tf": 'module "a" { # lambdalint:ignore LL2006 retired\n  source = "./modules/fn"\n'
                   '  name = "a"\n}\n'
                   'module "b" { # lambdalint:ignore LL2001 another rule\n  source = "./modules/fn"\n'
                   '  name = "b"\n}\n',
        "modules/fn/main.tf": MODULE,
    })
    assert found == [("modules/fn/main.tf", 2, 13, "module.b.aws_lambda_function.this", None)]


def test_a_trailing_comment_on_an_argument_is_not_an_ignore_of_the_module(tmp_path):
    found = blocked_runtimes(tmp_path, {
        "main.tf": 'module "a" {\n  source = "./modules/fn" # lambdalint:ignore LL2006 not at the block line\n'
                   '  name = "a"\n}\n',
        "modules/fn/main.tf": MODULE,
    })
    assert found == [("modules/fn/main.tf", 2, 13, "module.a.aws_lambda_function.this", None)]
