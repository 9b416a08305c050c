"""Run a fixture template and compare its findings with its `# expect:` comments.

A fixture lives in `fixtures/rules/<RULE>/`: `bad_*.yaml` carry `# expect: RULE[, RULE]`
comments on each line where a finding must appear, `good_*.yaml` carry none. Only
findings of the fixture's rule (and of rules named in its comments) are compared, so a
fixture need not be clean of every other rule.

Fixtures that need packages nobody may commit as binaries (zips, ELF/Mach-O headers, image
tarballs, file modes git does not keep) carry a `build.py` beside them defining
`def build(folder: pathlib.Path) -> None`. The runner then copies the fixture folder to a
temporary folder, calls `build` on the copy to write the packages there, and lints the
copy: relative paths in the templates (`CodeUri: app.zip`) find what `build` made, and line
numbers are the fixture's own. `build` must be deterministic and write only inside `folder`.
It may return a mapping of extra `Config` options for the run (e.g. `{"images": {"Fn":
"image.tar"}}` for image functions; relative image paths are found from the template's folder).
Text files of folder packages (e.g. `src/app.py`) are committed as they are.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib.util
import pathlib
import re
import shutil
import tempfile
from typing import Iterable, Iterator, Set, Tuple

from lambdalint.api import Linter
from lambdalint.config import Config

EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")
FIXTURE_TODAY = datetime.date(2026, 11, 23)


def expected_pairs(path: pathlib.Path) -> Set[Tuple[int, str]]:
    pairs = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            pairs.update((number, rule.strip()) for rule in match.group(1).split(",") if rule.strip())
    return pairs


BUILD_SCRIPT = "build.py"


@contextlib.contextmanager
def built_fixture(path: pathlib.Path) -> Iterator[Tuple[pathlib.Path, dict]]:
    """(the fixture, extra config), or a built copy of its folder when the folder has a build.py.

    `path` is a fixture inside its rule's folder: a template here, a Terraform case folder in
    tests/terraform/test_terraform_rules.py. Both runners build through this one function."""
    script = path.parent / BUILD_SCRIPT
    if not script.is_file():
        yield path, {}
        return
    spec = importlib.util.spec_from_file_location(f"fixture_build_{path.parent.name}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with tempfile.TemporaryDirectory(prefix=f"{path.parent.name}-") as tmp:
        copy = pathlib.Path(tmp) / path.parent.name
        shutil.copytree(path.parent, copy, symlinks=True, ignore=shutil.ignore_patterns("__pycache__", BUILD_SCRIPT))
        extra = module.build(copy) or {}
        yield copy / path.name, dict(extra)


def actual_pairs(path: pathlib.Path, rule_ids: Iterable[str], **config) -> Set[Tuple[int, str]]:
    with built_fixture(path) as (target, extra):
        return _lint_pairs(target, rule_ids, **{**extra, **config})


def _lint_pairs(path: pathlib.Path, rule_ids: Iterable[str], **config) -> Set[Tuple[int, str]]:
    rule_ids = set(rule_ids)
    rules_dir = path.parent / "rules"
    options = dict(select=("ALL",), today=FIXTURE_TODAY)
    if rules_dir.is_dir():
        options["rules_dirs"] = (str(rules_dir),)
    options.update(config)
    linter = Linter(Config(**options))
    return {(f.line, f.rule) for f in linter.lint_file(str(path)) if f.rule in rule_ids}
