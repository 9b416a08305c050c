"""Every finding lambdalint makes on the rule fixtures and the template corpus, as one file.

For refactors that must not change behaviour: take a snapshot before, one after, compare.

    python tools/output_snapshot.py write before.jsonl        # in the tree before the change
    python tools/output_snapshot.py write after.jsonl         # in the tree after it
    python tools/output_snapshot.py compare before.jsonl after.jsonl   # exit 1 and a diff if they differ

Every rule is selected (opt-in ones too) and the date is pinned, so a snapshot depends only on
the code. Fixture packages are built by each fixture's `build.py` in a temporary folder, whose
name is replaced by `<fixture>` so that two runs compare equal. The corpus is read from
`../shared/corpus` beside the repository (skipped with a note when absent).
"""

from __future__ import annotations

import json
import pathlib
import sys
from typing import Any, Dict, Iterator, List

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def _builtin_rules_from_this_tree() -> None:
    """The builtin pack is installed as `lambdalint_rules`; take this tree's `rules/`, not the installed one."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "lambdalint_rules", ROOT / "rules" / "__init__.py", submodule_search_locations=[str(ROOT / "rules")])
    assert spec is not None and spec.loader is not None  # a file location always has a loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["lambdalint_rules"] = module
    spec.loader.exec_module(module)


_builtin_rules_from_this_tree()

from fixture_runner import FIXTURE_TODAY, built_fixture  # noqa: E402
from lambdalint.api import Linter  # noqa: E402
from lambdalint.config import Config  # noqa: E402

FIXTURES = ROOT / "fixtures" / "rules"
CORPUS = ROOT.parent / "shared" / "corpus"
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")


def _records(label: str, findings, built_folder: str) -> Iterator[str]:
    for finding in findings:
        record = finding.as_dict()
        record["file"] = label
        text = json.dumps(record, sort_keys=True, default=str)
        yield text.replace(built_folder, "<fixture>") if built_folder else text


def fixture_lines() -> Iterator[str]:
    for path in sorted(FIXTURES.glob("*/*")):
        if path.suffix not in TEMPLATE_SUFFIXES:
            continue
        with built_fixture(path) as (target, extra):
            options: Dict[str, Any] = dict(select=("ALL",), today=FIXTURE_TODAY)
            rules_dir = target.parent / "rules"
            if rules_dir.is_dir():
                options["rules_dirs"] = (str(rules_dir),)
            options.update(extra)
            findings = Linter(Config(**options)).lint_file(str(target))
            built = str(target.parent) if target != path else ""
            yield from _records(str(path.relative_to(ROOT)), findings, built)


def corpus_lines() -> Iterator[str]:
    if not CORPUS.is_dir():
        print(f"note: {CORPUS} is absent: the corpus is not in this snapshot", file=sys.stderr)
        return
    linter = Linter(Config(select=("ALL",), today=FIXTURE_TODAY, jobs=1))
    for path in sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in TEMPLATE_SUFFIXES):
        yield from _records(str(path.relative_to(CORPUS.parent)), linter.lint_file(str(path)), "")


def write(target: str) -> int:
    lines: List[str] = sorted(list(fixture_lines()) + list(corpus_lines()))
    pathlib.Path(target).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    print(f"{len(lines)} findings written to {target}")
    return 0


def compare(before: str, after: str) -> int:
    import difflib

    old = pathlib.Path(before).read_text(encoding="utf-8").splitlines()
    new = pathlib.Path(after).read_text(encoding="utf-8").splitlines()
    if old == new:
        print(f"identical: {len(old)} findings")
        return 0
    sys.stdout.writelines(line + "\n" for line in difflib.unified_diff(old, new, before, after, lineterm="", n=0))
    return 1


def main(argv: List[str]) -> int:
    if len(argv) == 2 and argv[0] == "write":
        return write(argv[1])
    if len(argv) == 3 and argv[0] == "compare":
        return compare(argv[1], argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
