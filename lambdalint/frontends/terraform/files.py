"""Which folders are Terraform / OpenTofu root modules, told from file names and a text search.

Apart from the reader so that discovery can tell them without loading tree-sitter (most runs
check CloudFormation templates). A folder with `.tf`, `.tf.json`, `.tofu` or `.tofu.json`
files is a module; it is a root module unless another module of the same scan calls it
through a local source (`source = "../modules/fn"`): a called module is checked as part of
its caller, with the caller's inputs, not on its own with unknown ones.
https://developer.hashicorp.com/terraform/language/modules/sources#local-paths
"""

from __future__ import annotations

import os
from typing import Iterable, Iterator, List, Optional, Set

from ...lazy import lazy_pattern

SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")
# variable files: a named one (a changed file pre-commit passes) stands for its module too
VARIABLE_SUFFIXES = (".tfvars", ".tfvars.json")
# a module's bytes read to find its local calls: enough for any hand-written file
MAX_SEARCHED_BYTES = 4 * 1024 * 1024
_LOCAL_SOURCE = lazy_pattern(r'"?source"?\s*[=:]\s*"(\.{1,2}[/\\][^"]*|\.{1,2})"')


def is_configuration_file(name: str) -> bool:
    """A file of a folder's entries that Terraform / OpenTofu read as part of its module: the
    discovery of modules, the reader and the editor's buffers all ask this. Both match the
    suffixes case-sensitively, on every system, and skip hidden files; the other names they skip
    (`*~`, `#*#`) end in none of the suffixes. `fileExt` and `IsIgnoredFile` in
    https://github.com/hashicorp/terraform/blob/883c7221ee2e0bc2fad6912fd4b3cc4b53a598a7/internal/configs/parser_config_dir.go
    https://github.com/opentofu/opentofu/blob/f831fa1aa4b90cdbdb1e0b5a8d5815f9e74646a5/internal/configs/parser_config_dir.go
    """
    return name.endswith(SUFFIXES) and not name.startswith(".")


def unread_reason(name: str) -> Optional[str]:
    """Why Terraform does not read a file named like one of a module's (`MAIN.TF`, `.old.tf`), else None."""
    if is_configuration_file(name) or not name.lower().endswith(SUFFIXES):
        return None
    if name.startswith("."):
        return "Terraform and OpenTofu skip hidden files: this file is not part of its module"
    return ("Terraform and OpenTofu read only the files ending in .tf, .tf.json, .tofu or .tofu.json, in lower "
            "case: this file is not part of its module")


def names_module(path: str) -> bool:
    """A file named on the command line that stands for the module of its folder: one of its
    configuration files, or a variables file (any name: `-var-file` reads it)."""
    name = os.path.basename(path)
    return is_configuration_file(name) or name.lower().endswith(VARIABLE_SUFFIXES)


def holds_configuration(names: Iterable[str]) -> bool:
    return any(is_configuration_file(name) for name in names)


def _texts(folder: str, names: Iterable[str]) -> Iterator[str]:
    for name in names:
        if not is_configuration_file(name):
            continue
        path = os.path.join(folder, name)
        if os.path.islink(path):
            continue
        try:
            with open(path, "rb") as handle:
                yield handle.read(MAX_SEARCHED_BYTES).decode("utf-8", errors="replace")
        except OSError:
            continue


def local_calls(folder: str, names: Iterable[str]) -> Set[str]:
    """The folders (absolute, normalised) that this module's `source = "./..."` strings name."""
    found: Set[str] = set()
    for text in _texts(folder, names):
        for match in _LOCAL_SOURCE.finditer(text):
            found.add(os.path.normpath(os.path.join(os.path.abspath(folder), match.group(1))))
    return found


def root_modules(modules: List[str], called: Set[str]) -> List[str]:
    """The module folders no other module of the scan calls, in the order found."""
    return [folder for folder in modules if os.path.normpath(os.path.abspath(folder)) not in called]
