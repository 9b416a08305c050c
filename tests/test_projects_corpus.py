"""The shared projects corpus: 285 real serverless projects, their code laid out from its listing.

Each project of ../shared/projects is materialised in a temporary folder (projects_support:
sparse files of the listed sizes and modes, handler stubs defining the listed names) and
checked as `lambdalint check <tmp>/<project>` would check it. No run may crash or report an
internal error, and every error- and warning-level finding must be one of the reviewed ones
in tests/projects_findings/ (each class marked real, a known false positive with its issue
item, or an artefact of the listing). A new finding is a false positive to fix or a real
defect to add to the list after reading the project; a finding that disappears is a lost
true positive, or a fixed false positive to strike from the list.
"""

from __future__ import annotations

import ast
import collections
import os
import pathlib
import re
import stat

import pytest

from lambdalint.artifacts.binaries import sniff
from lambdalint.findings import Severity
from projects_support import (
    PROJECTS, ListedFile, check_projects, finding_key, handler_stub, lay_out, listing, materialise, projects, reviewed,
)

PROJECT_COUNT = 285  # what ../shared/projects/README.md says the corpus holds


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    if not (PROJECTS / "MANIFEST.tsv").is_file():
        pytest.skip(f"projects corpus not found at {PROJECTS} (expected ../shared/projects beside the repo)")
    return materialise(tmp_path_factory.mktemp("projects"))


@pytest.fixture(scope="module")
def checked(laid_out):
    return check_projects(laid_out.root)


def _keys(laid_out, checked, severity):
    return collections.Counter(
        finding_key(laid_out.root, finding)
        for report in checked.values() for finding in report.findings if finding.severity == severity
    )


# -- the materialiser ---------------------------------------------------------------------


def _row(path, size=0, mode=0o644, defines=(), binary=""):
    return ListedFile(path, size, mode, tuple(defines), binary)


def test_stubs_define_exactly_the_listed_names():
    python = handler_stub("app.py", ["lambda_handler", "Unserializable", "KMS_KEY_ARN", "_private"])
    tree = ast.parse(python)
    bound = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    bound |= {target.id for node in tree.body if isinstance(node, ast.Assign) for target in node.targets}
    assert bound == {"lambda_handler", "Unserializable", "KMS_KEY_ARN", "_private"}
    assert isinstance(next(n for n in tree.body if getattr(n, "name", "") == "Unserializable"), ast.ClassDef)
    commonjs = handler_stub("index.js", ["handler", "other"])
    assert re.findall(r"^exports\.(\w+) =", commonjs, re.M) == ["handler", "other"]
    module = handler_stub("app.mjs", ["lambdaHandler"]) + handler_stub("app.ts", ["default"])
    assert "export const lambdaHandler = " in module and "export default " in module
    assert handler_stub("Function.cs", ["Handler"]) is None  # no stub language: the file stays a hole


def test_listed_files_get_their_size_mode_and_headers(tmp_path):
    rows = [
        _row("p/src/app.py", 4000, 0o644, ["handler"]),
        _row("p/src/big.bin", 50 * 1024 * 1024),
        _row("p/bootstrap", 3_000_000, 0o755, binary="aarch64"),
        _row("p/lib/native.so", 1000, binary="x86_64"),
        _row("p/lib/mac.dylib", 1000, binary="mach-o"),
        _row("p/lib/win.dll", 1000, binary="pe"),
        _row("other/ignored.py", 10, defines=["x"]),  # not a project asked for
    ]
    made = lay_out(tmp_path, rows, ["p"])
    assert made.files == 6 and not (tmp_path / "other").exists()
    for row in rows[:-1]:
        info = os.stat(tmp_path / row.path)
        assert (info.st_size, stat.S_IMODE(info.st_mode)) == (row.size, row.mode), row.path
    source = (tmp_path / "p/src/app.py").read_text()
    assert "def handler(event, context)" in source and ast.parse(source)  # padded, still Python
    assert os.stat(tmp_path / "p/src/big.bin").st_blocks * 512 < 1024 * 1024  # a hole, not 50 MB of zeros
    heads = {row.binary: sniff((tmp_path / row.path).read_bytes()[:4096]) for row in rows[2:6]}
    assert heads["aarch64"].format == "elf" and heads["aarch64"].architecture == "arm64"
    assert heads["x86_64"].architecture == "x86_64"
    assert heads["mach-o"].format == "macho"
    assert heads["pe"].format == "pe" and heads["pe"].architecture == "x86_64"


def test_symlinks_are_made_only_inside_their_project(tmp_path):
    rows = [
        _row("p/src/app.py", 100, defines=["handler"]),
        _row("p/current", binary="link:src"),
        _row("p/src/alias.py", binary="link:app.py"),
        _row("p/escape", binary="link:../../outside"),
        _row("p/sibling", binary="link:../q/file"),
        _row("p/absolute", binary="link:/etc/passwd"),
    ]
    made = lay_out(tmp_path, rows, ["p", "q"])
    assert os.readlink(tmp_path / "p/current") == "src"
    assert (tmp_path / "p/src/alias.py").resolve() == (tmp_path / "p/src/app.py").resolve()
    assert made.links_refused == ("p/escape", "p/sibling", "p/absolute")
    assert not any(os.path.lexists(tmp_path / name) for name in ("p/escape", "p/sibling", "p/absolute"))


def test_paths_that_climb_out_are_refused(tmp_path):
    with pytest.raises(ValueError, match="not a plain relative path"):
        lay_out(tmp_path, [_row("p/../../etc/x", 1)], ["p"])


@pytest.mark.slow
def test_the_whole_listing_is_laid_out(laid_out):
    rows = listing()
    assert laid_out.files == len(rows) and laid_out.links_refused == ()
    for row in rows:
        info = os.lstat(laid_out.root / row.path)
        assert info.st_size >= row.size and stat.S_IMODE(info.st_mode) == row.mode, row.path


# -- the projects, checked --------------------------------------------------------------


@pytest.mark.slow
def test_every_project_is_checked_without_internal_errors(checked):
    assert len(checked) == PROJECT_COUNT
    # the folder search finds exactly the listed templates: the other CloudFormation files of these
    # folders (stacks without a function) are listing rows, laid out as holes, which are no templates
    assert sum(report.files for report in checked.values()) == sum(len(p.templates) for p in projects())
    internal = [f"{f.file}: {f.message}" for report in checked.values() for f in report.findings if f.rule == "LL0007"]
    assert internal == []


@pytest.mark.slow
def test_a_missing_code_path_is_reported_exactly_where_the_manifest_says_one_is_missing(checked):
    # LL0004 "does not exist" only in the projects whose code_refs counts a missing path, and in each of them
    missing = {project.folder for project in projects() if "missing=" in project.code_refs}
    reported = {
        folder for folder, report in checked.items()
        for f in report.findings if f.rule == "LL0004" and "does not exist" in f.message
    }
    assert reported == missing


@pytest.mark.slow
@pytest.mark.parametrize("severity", [Severity.ERROR, Severity.WARNING], ids=["errors", "warnings"])
def test_project_findings_are_exactly_the_reviewed_ones(laid_out, checked, severity):
    found, expected = _keys(laid_out, checked, severity), reviewed(severity.name.lower())
    unexpected, missing = sorted((found - expected).elements()), sorted((expected - found).elements())
    assert not unexpected, f"{len(unexpected)} new {severity.name.lower()}s (review them): {unexpected[:20]}"
    assert not missing, f"{len(missing)} reviewed {severity.name.lower()}s no longer reported: {missing[:20]}"
