"""What the real-fixture scripts share: the fixtures folder, and the record of what each was built from.

Each fixture folder holds a `sources.json`: the tool versions that built it and the sha256 of
every source file. tests/test_real_fixtures.py recomputes the hashes, so a source edited
without rebuilding fails the suite (run the script again).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from typing import Dict, Iterable

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REAL = os.path.join(ROOT, "fixtures", "real")
RECORD = "sources.json"


def sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def source_files(folder: str, skip: Iterable[str] = ()) -> Dict[str, str]:
    """relative path -> sha256 of every file below folder, except the built output and the record."""
    skipped = {RECORD, *skip}
    found = {}
    for current, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders
                            if os.path.relpath(os.path.join(current, name), folder) not in skipped)
        for name in sorted(files):
            relative = os.path.relpath(os.path.join(current, name), folder).replace(os.sep, "/")
            if relative not in skipped:
                found[relative] = sha256(os.path.join(current, name))
    return found


def write_record(folder: str, tools: Dict[str, str], skip: Iterable[str] = (), **extra) -> None:
    record = {"tools": tools, "built_from": source_files(folder, skip), **extra}
    with open(os.path.join(folder, RECORD), "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=2, sort_keys=True)
        handle.write("\n")


def is_stale(folder: str, skip: Iterable[str] = ()) -> bool:
    """Whether the sources below folder differ from those its record was built from (no record: stale)."""
    try:
        with open(os.path.join(folder, RECORD), encoding="utf-8") as handle:
            recorded = json.load(handle)["built_from"]
    except (OSError, ValueError, KeyError):
        return True
    return bool(recorded != source_files(folder, skip))


def node_tool_versions(app: str, required: Iterable[str], optional: Iterable[str] = ()) -> Dict[str, str]:
    """The versions `npm ci` installed in app/node_modules (`optional` ones only when present), and node's."""
    versions = {}
    for name, needed in [(name, True) for name in required] + [(name, False) for name in optional]:
        manifest = os.path.join(app, "node_modules", name, "package.json")
        if needed or os.path.isfile(manifest):
            with open(manifest, encoding="utf-8") as handle:
                versions[name] = json.load(handle)["version"]
    versions["node"] = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    return versions
