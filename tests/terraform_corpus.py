"""The shared Terraform corpus laid out as code, and lambdalint's findings on its root modules.

../shared/terraform-corpus stores the `.tf` files byte for byte and lists every other file in
TREE.tsv, in the projects corpus's format: projects_support lays the listing out (sparse files
of the listed sizes, handler stubs). A listed zip is such a hole too, so a `filename` that
names a prebuilt zip reads as "not a valid zip file": an artefact of the listing, which the
reviewed lists say. Each repository of configs/ becomes a work tree of its own (a `.git`
marker), as in its clone, so that `source = "../../"` and the paths of archive_file stay
inside the trust boundary exactly when they do upstream.
"""

from __future__ import annotations

import datetime
import pathlib
import shutil
from typing import TYPE_CHECKING, Dict, List

from projects_support import Materialised, lay_out, listing
from repo_paths import REPO

if TYPE_CHECKING:
    from lambdalint.findings import Report

TERRAFORM_CORPUS = REPO.parent / "shared" / "terraform-corpus"
REVIEWED = REPO / "tests" / "terraform_findings"
# The date the corpus was taken on: runtime deprecation rules compare with it.
TERRAFORM_TODAY = datetime.date(2026, 12, 1)


def present() -> bool:
    return (TERRAFORM_CORPUS / "TREE.tsv").is_file()


def roots() -> List[str]:
    """The ROOTS.txt folders (configs/<owner>__<repo>/<path>): what a user would check."""
    lines = (TERRAFORM_CORPUS / "ROOTS.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def repository(folder: str) -> str:
    return "/".join(folder.split("/")[:2])  # configs/<owner>__<repo>


def materialise(destination: pathlib.Path) -> Materialised:
    shutil.copytree(TERRAFORM_CORPUS / "configs", destination / "configs")
    for clone in (destination / "configs").iterdir():
        if clone.is_dir():
            (clone / ".git").mkdir()  # each repository is a work tree: its trust boundary
    return lay_out(destination, listing(TERRAFORM_CORPUS), ["configs"])


def check_roots(root: pathlib.Path) -> Dict[str, Report]:
    """{root folder: its Report}: `lambdalint check <root folder>` for every ROOTS.txt line."""
    from lambdalint.api import Linter
    from lambdalint.config import Config

    linter = Linter(Config(today=TERRAFORM_TODAY))
    return {folder: linter.lint_paths([str(root / folder)]) for folder in roots()}


def reviewed_file(severity: str) -> pathlib.Path:
    return REVIEWED / f"terraform_{severity}s.txt"
