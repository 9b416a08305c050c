"""The shared projects corpus laid out as code: a project's listing made into files, and its findings.

`../shared/projects` stores each project's templates (and `samconfig`/`requirements.txt`)
byte for byte; every other file is one row of TREE.tsv (path, bytes, mode, what a handler
file defines, a native binary's machine or a symlink's target). `materialise` lays the
listing out in a folder, the way its README asks:

- every file at its path, with its listed size and mode; the bytes are a hole (a sparse
  file: no disk, no time), so content readers see NUL bytes and say they cannot tell;
- a Python or JavaScript/TypeScript file that defines names gets a stub per name (`def
  name(event, context)`, a class, a module constant; `exports.name = ...`, `export const
  name = ...`), padded with newlines to its size so that it stays parseable;
- a native binary starts with a header of its machine (ELF x86_64/aarch64, Mach-O, PE);
- `link:TARGET` becomes a symlink, but only when the target stays inside the project's own
  folder: a listing never makes a link that leads out of the temporary folder.

Nothing is read from or written to `../shared/projects` beyond copying its stored files.
"""

from __future__ import annotations

import collections
import datetime
import os
import pathlib
import posixpath
import shutil
from typing import TYPE_CHECKING, Counter, Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from packagecraft import elf, macho, pe
from repo_paths import PROJECTS, REPO

if TYPE_CHECKING:
    from lambdalint.findings import Report

REVIEWED = REPO / "tests" / "projects_findings"
# The date the README's baseline was measured on: runtime deprecation rules compare with it.
PROJECTS_TODAY = datetime.date(2026, 12, 1)
PYTHON_SUFFIXES = (".py",)
COMMONJS_SUFFIXES = (".js", ".cjs")
MODULE_SUFFIXES = (".mjs", ".ts", ".mts", ".tsx")


class Project(NamedTuple):
    folder: str  # relative to the projects root: the `project` column
    templates: Tuple[str, ...]  # relative to the project folder
    build_method: str
    code_refs: str


class ListedFile(NamedTuple):
    path: str  # relative to the projects root, '/'-separated
    size: int
    mode: int
    defines: Tuple[str, ...]
    binary: str  # "", a machine (x86_64, aarch64, mach-o, pe) or "link:TARGET"


def _rows(name: str, corpus: pathlib.Path = PROJECTS) -> List[Dict[str, str]]:
    lines = (corpus / name).read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:] if line]


def projects() -> List[Project]:
    return [
        Project(row["project"], tuple(t for t in row["templates"].split(",") if t), row["build_method"],
                row["code_refs"])
        for row in _rows("MANIFEST.tsv")
    ]


def listing(corpus: pathlib.Path = PROJECTS) -> List[ListedFile]:
    """The TREE.tsv rows of a corpus laid out this way (the projects, or ../shared/terraform-corpus)."""
    return [
        ListedFile(row["path"], int(row["bytes"] or 0), int(row["mode"] or "644", 8),
                   tuple(name for name in row["defines"].split(",") if name), row["binary"])
        for row in _rows("TREE.tsv", corpus)
    ]


def _safe_relative(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and ".." not in parts and "" not in parts and ":" not in parts[0]


def handler_stub(name: str, defines: Sequence[str]) -> Optional[str]:
    """Source that defines exactly `defines`, in the file's language; None for other files."""
    if name.endswith(PYTHON_SUFFIXES):
        lines = []
        for symbol in defines:
            if symbol.isupper() or symbol.lstrip("_").isupper():  # a module constant: KMS_KEY_ARN
                lines.append(f"{symbol} = None")
            elif symbol[:1].isupper():  # a class: Unserializable
                lines.append(f"class {symbol}:\n    pass")
            else:
                lines.append(f"def {symbol}(event, context):\n    return None")
        return "\n\n\n".join(lines) + "\n"
    if name.endswith(COMMONJS_SUFFIXES):
        return "".join(f"exports.{symbol} = async (event, context) => {{}};\n" for symbol in defines)
    if name.endswith(MODULE_SUFFIXES):
        return "".join(
            "export default async (event, context) => {};\n" if symbol == "default"
            else f"export const {symbol} = async (event, context) => {{}};\n"
            for symbol in defines
        )
    return None


def _binary_header(machine: str) -> bytes:
    if machine == "aarch64":
        return elf("arm64")
    if machine == "x86_64":
        return elf("x86_64")
    if machine == "mach-o":
        return macho()
    if machine == "pe":
        return pe()
    raise ValueError(f"unknown binary machine {machine!r} in TREE.tsv")


class Materialised(NamedTuple):
    root: pathlib.Path
    files: int
    links_refused: Tuple[str, ...]  # symlinks whose target would leave their project: not made


def materialise(destination: pathlib.Path, wanted: Optional[Iterable[Project]] = None) -> Materialised:
    """Lay out the stored files and the listing of `wanted` (default: every project) under `destination`."""
    chosen = list(wanted) if wanted is not None else projects()
    folders = sorted({project.folder for project in chosen})
    for folder in folders:
        shutil.copytree(PROJECTS / folder, destination / folder, symlinks=True, dirs_exist_ok=True)
    return lay_out(destination, listing(), folders)


def lay_out(destination: pathlib.Path, rows: Iterable[ListedFile], folders: Sequence[str]) -> Materialised:
    """Create the listed files of the project `folders` under `destination`."""
    prefixes = tuple(folder + "/" for folder in folders)
    made, refused = 0, []
    for row in rows:
        if not row.path.startswith(prefixes):
            continue
        if not _safe_relative(row.path):
            raise ValueError(f"TREE.tsv path {row.path!r} is not a plain relative path")
        target = destination / row.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if row.binary.startswith("link:"):
            if _make_link(destination, _project_of(row.path, folders), row.path, row.binary[len("link:"):]):
                made += 1
            else:
                refused.append(row.path)
            continue
        _write_file(target, row)
        made += 1
    return Materialised(destination, made, tuple(refused))


def _project_of(path: str, folders: Sequence[str]) -> str:
    return max((folder for folder in folders if path.startswith(folder + "/")), key=len)


def _make_link(destination: pathlib.Path, project: str, path: str, link_target: str) -> bool:
    """A symlink at `path` to `link_target`, when that target resolves inside `project`."""
    if not link_target or link_target.startswith("/") or "\\" in link_target:
        return False
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), link_target))
    if not (resolved + "/").startswith(project + "/"):
        return False
    os.symlink(link_target, destination / path)
    return True


def _write_file(target: pathlib.Path, row: ListedFile) -> None:
    stub = handler_stub(row.path, row.defines) if row.defines else None
    with open(target, "wb") as handle:
        if row.binary:
            head = _binary_header(row.binary)[: max(row.size, 64)]
            handle.write(head)
        elif stub is not None:
            text = stub.encode("utf-8")
            handle.write(text + b"\n" * max(0, row.size - len(text)))  # stays valid source at its size
        handle.truncate(max(row.size, handle.tell()))  # the rest is a hole: sparse
    os.chmod(target, row.mode & 0o777)


# -- findings ----------------------------------------------------------------------------


def check_projects(root: pathlib.Path) -> Dict[str, "Report"]:
    """{project folder: its Report}: one folder search per project, as `lambdalint check <project>`."""
    from lambdalint.api import Linter
    from lambdalint.config import Config

    # The projects' .tf files are listing rows like their code (sizes, not text): Terraform is
    # the terraform-corpus's to check, so their modules are left out here.
    linter = Linter(Config(today=PROJECTS_TODAY, exclude=("*.tf", "*.tf.json", "*.tofu", "*.tofu.json")))
    return {project.folder: linter.lint_paths([str(root / project.folder)]) for project in projects()}


def finding_key(root: pathlib.Path, finding) -> str:
    relative = pathlib.Path(finding.file).resolve().relative_to(root.resolve())
    return f"{relative.as_posix()}:{finding.line}:{finding.rule}"


def reviewed_file(severity: str) -> pathlib.Path:
    return REVIEWED / f"projects_{severity}s.txt"


def reviewed(severity: str, folder: pathlib.Path = REVIEWED) -> Counter[str]:
    """The reviewed keys of one severity (`error` or `warning`), counted: `file:line:rule` lines, `#` comments.

    A key may be listed several times: one line can carry several findings of a rule (one per
    function of a Globals runtime, for example), and each must still be reported.
    """
    keys: Counter[str] = collections.Counter()
    for path in sorted(folder.glob(f"*_{severity}s.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                keys[line] += 1
    return keys
