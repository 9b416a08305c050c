"""Module folders read: the configuration files of a folder, parsed and declared by kind and name.

A folder's `.tf`, `.tf.json`, `.tofu` and `.tofu.json` files form a module (a `.tofu` file replaces the `.tf` file of
the same name, as OpenTofu reads them). Override files (`override.tf`, `*_override.tf`) are
merged into the blocks they override, after the others, as Terraform does
(https://developer.hashicorp.com/terraform/language/files/override). The Loader holds what
one load shares: the trust boundary (no file outside it is opened, symlinks included), the
folders already parsed, and the files, errors and unchecked entries of the configuration.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Optional, Tuple

from ...boundary import TrustBoundary
from ...findings import display_name
from . import hcl
from .configuration import Position
from .files import is_configuration_file

MAX_FILE = 8 << 20  # a configuration file larger than this is not read (an error of its own)


class ModuleFolder:
    """One module folder, parsed: its declarations by kind and name, comments by file."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.files: List[str] = []
        self.variables: Dict[str, hcl.HclBlock] = {}
        self.locals: Dict[str, hcl.Attribute] = {}
        self.outputs: Dict[str, hcl.HclBlock] = {}
        self.resources: Dict[Tuple[str, str, str], hcl.HclBlock] = {}
        self.calls: Dict[str, hcl.HclBlock] = {}
        self.comments: Dict[str, Dict[int, Tuple[int, str]]] = {}
        self.trailing: Dict[str, Dict[int, Tuple[int, str]]] = {}  # comments after code, by file and line
        self.errors: List[Tuple[Position, str]] = []
        self.names: List[str] = []  # the folder's entries (tfvars are looked up there)
        self.adapter: Optional[str] = None  # an adapter's display name (module_adapters): not a folder read

    def add(self, parsed: hcl.HclFile, override: bool = False) -> None:
        """Declare a file's blocks; an override file's blocks merge into the declared ones."""
        self.files.append(parsed.path)
        self.comments[parsed.path] = parsed.comments
        self.trailing[parsed.path] = parsed.trailing
        if parsed.error is not None:
            self.errors.append(parsed.error)
        for block in parsed.body.blocks:
            self._declare(block, override)

    def _declare(self, block: hcl.HclBlock, override: bool) -> None:
        kind, labels = block.type, block.labels
        if kind == "locals":
            for name, attribute in block.body.attributes.items():
                if override and name in self.locals:
                    self.locals[name] = attribute
                else:
                    self._once(self.locals, name, attribute, block.position, f"local.{name}", override)
            return
        table, key, name = self._table(kind, labels)
        if table is None:
            return
        if override and key in table:
            table[key] = merged(table[key], block)
        else:
            self._once(table, key, block, block.position, name, override)

    def _table(self, kind: str, labels: Tuple[str, ...]) -> Tuple[Optional[Dict[Any, Any]], Any, str]:
        if kind in ("resource", "data") and len(labels) == 2:
            mode = "managed" if kind == "resource" else "data"
            return self.resources, (mode, labels[0], labels[1]), ("data." if mode == "data" else "") + ".".join(labels)
        if kind == "variable" and len(labels) == 1:
            return self.variables, labels[0], f"var.{labels[0]}"
        if kind == "output" and len(labels) == 1:
            return self.outputs, labels[0], f"output {labels[0]}"
        if kind == "module" and len(labels) == 1:
            return self.calls, labels[0], f"module.{labels[0]}"
        return None, None, ""

    def _once(self, table: Dict[Any, Any], key: Any, value: Any, where: Position, name: str,
              override: bool = False) -> None:
        if override:
            self.errors.append((where, f"override of {name}, which is not declared"))
        elif key in table:
            self.errors.append((where, f"duplicate declaration of {name}"))
        else:
            table[key] = value


def _nested_kind(block: hcl.HclBlock) -> str:
    return block.labels[0] if block.type == "dynamic" and block.labels else block.type


def merged(original: hcl.HclBlock, override: hcl.HclBlock) -> hcl.HclBlock:
    """`original` with `override`'s arguments replacing its own, and each nested block type the
    override writes (statically or as `dynamic`) replacing all of that type."""
    attributes = dict(original.body.attributes)
    attributes.update(override.body.attributes)
    replaced = {_nested_kind(block) for block in override.body.blocks}
    if original.type in ("variable", "output", "locals"):
        replaced = set()  # their nested blocks (validation, precondition) are not values
    kept = tuple(block for block in original.body.blocks if _nested_kind(block) not in replaced)
    return hcl.HclBlock(original.type, original.labels, hcl.Body(attributes, kept + override.body.blocks),
                        original.position)


def is_override(name: str) -> bool:
    stem = name
    for suffix in (".tofu.json", ".tf.json", ".tofu", ".tf"):
        if stem.endswith(suffix):
            stem = stem[:-len(suffix)]
            break
    return stem == "override" or stem.endswith("_override")


def config_file_names(names: List[str]) -> List[str]:
    """The configuration files among a folder's entries, `.tofu` replacing `.tf` of the same stem."""
    chosen: Dict[str, str] = {}
    for name in sorted(filter(is_configuration_file, names)):
        for suffix, stem_suffix in ((".tofu.json", ".tf.json"), (".tf.json", ".tf.json"),
                                    (".tofu", ".tf"), (".tf", ".tf")):
            if name.endswith(suffix):
                stem = name[:-len(suffix)] + stem_suffix
                if suffix.startswith(".tofu") or stem not in chosen:
                    chosen[stem] = name
                break
    return sorted(chosen.values())


class Loader:
    """What one load shares: the trust boundary, parsed folders, the growing configuration."""

    def __init__(self, root_folder: str, boundary: TrustBoundary, buffers: Optional[Dict[str, bytes]] = None) -> None:
        self.root_folder = root_folder
        self.boundary = boundary
        # an editor's unsaved text of some files (absolute, normalised path -> bytes), read in place of the disk
        self.buffers = buffers or {}
        self.folders: Dict[str, ModuleFolder] = {}
        self.files: List[str] = []
        self.errors: List[Tuple[Position, str]] = []
        self.unchecked: List[Tuple[str, str]] = []
        self.installed: Optional[Dict[str, str]] = None

    def read_bytes(self, path: str, limit: int) -> Optional[bytes]:
        """A file inside the boundary (no symlink out), at most `limit` bytes, else None."""
        if not self.boundary.admits(path):
            return None
        buffer = self.buffers.get(os.path.normpath(os.path.abspath(path)))
        if buffer is not None:
            return buffer if len(buffer) <= limit else None
        try:
            with open(path, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError:
            return None
        return data if len(data) <= limit else None

    def folder(self, path: str) -> ModuleFolder:
        key = os.path.normpath(path)
        found = self.folders.get(key)
        if found is None:
            found = self.folders[key] = self._read_folder(key)
        return found

    def _read_folder(self, folder: str) -> ModuleFolder:
        module = ModuleFolder(folder)
        try:
            names = [entry.name for entry in os.scandir(folder) if entry.is_file()]
        except OSError:
            names = []
        # a file the editor holds that was never saved is a file of the module all the same
        names = sorted(set(names) | {os.path.basename(path) for path in self.buffers
                                     if os.path.dirname(path) == os.path.abspath(folder)})
        module.names = names
        chosen = config_file_names(names)
        # override files are merged after every other file, in name order
        for name in [name for name in chosen if not is_override(name)] + [name for name in chosen if is_override(name)]:
            path = os.path.join(folder, name)
            display = display_name(path)
            data = self.read_bytes(path, MAX_FILE)
            if data is None:
                if self.boundary.admits(path):
                    module.errors.append((Position(display, 1, 1), "file too large or unreadable"))
                continue
            if name.endswith(".json"):
                from .hcl_json import parse_json  # rare: read only when such a file is there

                parsed = parse_json(data, display)
            else:
                parsed = hcl.parse(data, display)
            module.add(parsed, is_override(name))
            self.files.append(display)
        self.errors.extend(module.errors)
        return module

    def adapter_module(self, adapter: Any) -> ModuleFolder:
        """A registry module's adapter (module_adapters.Adapter), parsed once per load. Its
        positions stand for the call, so it is not one of the configuration's files."""
        key = "adapter:" + adapter.display
        found = self.folders.get(key)
        if found is None:
            found = self.folders[key] = ModuleFolder(self.root_folder)
            found.add(hcl.parse(adapter.text(), adapter.display))
            found.adapter = adapter.display
        return found

    def installed_modules(self) -> Dict[str, str]:
        """`terraform init`'s record of module folders: call key (`fn.inner`) -> folder."""
        if self.installed is None:
            self.installed = {}
            record = os.path.join(self.root_folder, ".terraform", "modules", "modules.json")
            data = self.read_bytes(record, MAX_FILE)
            try:
                document = json.loads(data.decode("utf-8")) if data is not None else {}
            except (ValueError, UnicodeDecodeError):
                document = {}
            entries = document.get("Modules") if isinstance(document, dict) else None
            for entry in entries if isinstance(entries, list) else ():
                if isinstance(entry, dict) and isinstance(entry.get("Key"), str) and isinstance(entry.get("Dir"), str):
                    self.installed[entry["Key"]] = os.path.normpath(os.path.join(self.root_folder, entry["Dir"]))
        return self.installed
