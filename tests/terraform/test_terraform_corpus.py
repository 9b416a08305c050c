"""The shared Terraform corpus: 99 real root configurations, their function code laid out from its listing.

../shared/terraform-corpus stores the `.tf` files byte for byte and lists everything else in
TREE.tsv (the projects corpus's format: projects_support lays it out, sparse files and
handler stubs). Each repository of configs/ becomes a work tree of its own (a `.git` marker),
as in its clone, so that `source = "../../"` and the paths of archive_file stay inside the
trust boundary exactly when they do upstream. Every ROOTS.txt folder is then read by the
evaluator: no exception, no parse error (every file parses with `terraform fmt`).
"""

from __future__ import annotations

import collections
import os
import shutil
import stat

import pytest

from lambdalint.frontends.terraform.load import load_configuration
from projects_support import lay_out, listing
from repo_paths import REPO

TERRAFORM_CORPUS = REPO.parent / "shared" / "terraform-corpus"
pytestmark = pytest.mark.slow  # laying out and reading the corpus: about 3 s on an idle machine
ROOT_COUNT = 99  # what ../shared/terraform-corpus/README.md says ROOTS.txt holds
# aws_lambda_function instances of the roots, local modules expanded (the README counts 92
# declarations; the terraform-aws-lambda examples each instantiate the module's one or more times)
FUNCTIONS = {
    "configs/aws-samples__serverless-patterns": 90,
    "configs/aws-samples__serverless-samples": 1,
    "configs/terraform-aws-modules__terraform-aws-lambda": 33,
}


def _roots():
    lines = (TERRAFORM_CORPUS / "ROOTS.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    if not (TERRAFORM_CORPUS / "TREE.tsv").is_file():
        pytest.skip(f"terraform corpus not found at {TERRAFORM_CORPUS} (expected ../shared/terraform-corpus "
                    "beside the repo)")
    root = tmp_path_factory.mktemp("terraform-corpus")
    shutil.copytree(TERRAFORM_CORPUS / "configs", root / "configs")
    for repository in (root / "configs").iterdir():
        if repository.is_dir():
            (repository / ".git").mkdir()  # each repository is a work tree: its trust boundary
    return lay_out(root, listing(TERRAFORM_CORPUS), ["configs"])


def _repository(folder: str) -> str:
    return "/".join(folder.split("/")[:2])  # configs/<owner>__<repo>


@pytest.fixture(scope="module")
def loaded(laid_out):
    return {folder: load_configuration(str(laid_out.root / folder), root=str(laid_out.root / _repository(folder)))
            for folder in _roots()}


def test_the_whole_listing_is_laid_out(laid_out):
    rows = listing(TERRAFORM_CORPUS)
    assert laid_out.files == len(rows) and laid_out.links_refused == ()
    for row in rows:
        info = os.lstat(laid_out.root / row.path)
        assert info.st_size >= row.size and stat.S_IMODE(info.st_mode) == row.mode, row.path


def test_every_root_loads_without_a_parse_error(loaded):
    assert len(loaded) == ROOT_COUNT
    errors = [f"{folder}: {position.file}:{position.line}: {message}"
              for folder, configuration in loaded.items() for position, message in configuration.errors]
    assert errors == []


def test_the_functions_read_and_the_modules_said_unchecked(loaded):
    # Reviewed figures (a change is read, not taken): the function instances the roots evaluate to,
    # their local modules expanded, per repository; and the registry modules not installed (no
    # `terraform init` ran), said once per root that calls them.
    functions = collections.Counter(
        _repository(folder) for folder, configuration in loaded.items()
        for block in configuration.blocks if block.type == "aws_lambda_function")
    assert dict(functions) == FUNCTIONS
    reasons = collections.Counter(reason for configuration in loaded.values() for reason, _ in configuration.unchecked)
    assert dict(reasons) == {"module-not-installed": 32}
