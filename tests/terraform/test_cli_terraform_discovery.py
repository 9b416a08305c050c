"""Discovery of Terraform root modules: folders of .tf files no other module of the scan calls."""

from __future__ import annotations

import os

from lambdalint.discover import discover, drop_non_templates


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


LAYOUT = {
    "infra/main.tf": 'module "fn" {\n  source = "../modules/fn"\n}\n',
    "infra/terraform.tfvars": 'name = "x"\n',
    "modules/fn/main.tf": 'resource "aws_sqs_queue" "q" {}\n',
    "live/prod/main.tf.json": '{"module": {"base": {"source": "../../base"}}}\n',
    "base/main.tofu": 'resource "aws_sqs_queue" "q" {}\n',
    "infra/.terraform/modules/remote/main.tf": 'resource "aws_sqs_queue" "q" {}\n',
    "other/variables.tf": 'variable "x" {}\n',
}


def test_root_modules_are_the_folders_no_module_calls(tmp_path):
    write(tmp_path, LAYOUT)
    found = discover([str(tmp_path)]).files
    assert sorted(os.path.relpath(path, tmp_path) for path in found) == ["infra", "live/prod", "other"]


def test_a_named_file_stands_for_its_folder(tmp_path):
    write(tmp_path, LAYOUT)
    for name in ("infra/main.tf", "infra/terraform.tfvars"):
        assert discover([str(tmp_path / name)]).files == [str(tmp_path / "infra")]
    both = discover([str(tmp_path / "infra" / "main.tf"), str(tmp_path / "infra" / "terraform.tfvars")]).files
    assert both == [str(tmp_path / "infra")]


def test_a_module_folder_named_on_its_own_is_checked(tmp_path):
    write(tmp_path, LAYOUT)
    assert discover([str(tmp_path / "modules" / "fn")]).files == [str(tmp_path / "modules" / "fn")]


def test_tf_json_is_never_sniffed_as_a_template(tmp_path):
    write(tmp_path, {"x/main.tf.json": '{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}'})
    assert discover([str(tmp_path)]).files == [str(tmp_path / "x")]


def test_pre_commit_keeps_changed_terraform_files(tmp_path):
    write(tmp_path, LAYOUT)
    named = [str(tmp_path / "infra" / "main.tf"), str(tmp_path / "infra" / "terraform.tfvars"),
             str(tmp_path / "README.md")]
    write(tmp_path, {"README.md": "# hi\n"})
    assert drop_non_templates(named) == named[:2]


def test_excluded_configuration_files_make_no_module(tmp_path):
    write(tmp_path, LAYOUT)
    found = discover([str(tmp_path)], exclude=("*.tf",)).files
    assert [os.path.relpath(path, tmp_path) for path in found] == ["live/prod"]  # its main.tf.json is not excluded


def test_only_the_files_terraform_reads_make_a_module(tmp_path):
    # Terraform and OpenTofu match suffixes case-sensitively and skip hidden files
    write(tmp_path, {"upper/MAIN.TF": 'resource "aws_sqs_queue" "q" {}\n',
                     "mixed/Main.Tf.Json": '{"resource": {"aws_sqs_queue": {"q": {}}}}\n',
                     "hidden/.main.tf": 'resource "aws_sqs_queue" "q" {}\n',
                     "kept/main.tf": 'resource "aws_sqs_queue" "q" {}\n'})
    assert discover([str(tmp_path)]).files == [str(tmp_path / "kept")]


def test_a_call_written_in_a_hidden_file_calls_nothing(tmp_path):
    write(tmp_path, {"infra/main.tf": 'resource "aws_sqs_queue" "q" {}\n',
                     "infra/.old.tf": 'module "fn" {\n  source = "../fn"\n}\n',
                     "fn/main.tf": 'resource "aws_sqs_queue" "q" {}\n'})
    found = discover([str(tmp_path)]).files
    assert sorted(os.path.relpath(path, tmp_path) for path in found) == ["fn", "infra"]
