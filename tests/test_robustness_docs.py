"""docs/robustness.md stays true: every test it names exists, and every robustness and fuzz test is named."""

from __future__ import annotations

import ast
import re

from repo_paths import REPO

DOC = REPO / "docs" / "robustness.md"
REFERENCE = re.compile(r"(tests/[\w/]+\.py)::(test_\w+)")


def defined_tests(path) -> set:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def named_in_doc() -> set:
    return set(REFERENCE.findall(DOC.read_text(encoding="utf-8")))


def test_every_test_named_in_the_table_exists():
    named = named_in_doc()
    assert len(named) > 40
    missing = sorted(f"{file}::{name}" for file, name in named
                     if not (REPO / file).is_file() or name not in defined_tests(REPO / file))
    assert missing == []


def test_every_robustness_and_fuzz_test_is_in_the_table():
    named = named_in_doc()
    files = sorted(REPO.glob("tests/test_robustness_*.py")) + sorted(REPO.glob("tests/test_fuzz_*.py"))
    unlisted = sorted(f"{path.relative_to(REPO).as_posix()}::{name}" for path in files for name in defined_tests(path)
                      if (path.relative_to(REPO).as_posix(), name) not in named and path.name != "test_robustness_docs.py")
    assert unlisted == []


def test_every_hostile_case_row_names_a_bound_and_a_test():
    header = None
    rows = 0
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if header is None:
            header = cells
        elif header[0] == "hostile case" and not line.startswith("|---"):
            rows += 1
            assert len(cells) == 3 and all(cells), line
            assert REFERENCE.search(cells[2]), line
    assert rows > 30
