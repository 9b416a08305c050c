"""Package the real Serverless Framework fixtures: fixtures/real/serverless-<name>/ -> its .serverless/.

Each app pins its framework exactly (package.json: serverless 3.40, or osls 4, the
open-source continuation of the v3 line, which packages offline too and writes the same
`.serverless/` layout) and commits its package-lock.json, so `npm ci` installs the same
framework every time. The app is copied to a fixed scratch
folder, installed there, packaged with `npx serverless package` (offline: the apps use
no local layers, whose packaging asks CloudFormation for the stack; fake credentials and
a fixed region keep the AWS SDK from looking for real ones), and its `.serverless/`
copied back beside the app. `sources.json` records the sha256 of every file of the app
(lockfile included) and the versions that made the output (fixture_record):
tests/test_real_fixtures.py fails when an app changed and this script was not run again.

Usage: python tools/real_fixtures/serverless.py [NAME ...]    (needs node and npm; no AWS account)
       python tools/real_fixtures/serverless.py --check       (hashes only; what the test does)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # fixture_record is beside this script

from fixture_record import RECORD, is_stale, node_tool_versions, write_record  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
REAL = ROOT / "fixtures" / "real"
# What sources.json leaves out of a Serverless fixture: the package the framework wrote.
BUILT = [".serverless"]
SCRATCH = Path("/tmp/lambdalint-serverless-fixtures")
# What the app folder may hold that is not the app: installs, outputs, the record.
NOT_SOURCES = {"node_modules", ".serverless", RECORD, ".DS_Store"}
# A fixture stays small: a packaged file above this size is refused (none comes near it).
MAX_OUTPUT_FILE = 256 * 1024
# The frameworks a fixture may pin (its package.json devDependencies), with the release line
# each is pinned to; both install a `serverless` command.
FRAMEWORKS = {"serverless": "3.40.", "osls": "4."}
COMMAND = "npm ci && npx serverless package"
OFFLINE_ENV = {
    "AWS_ACCESS_KEY_ID": "AKIAFIXTUREFIXTURE00",  # fake: `package` needs none, the SDK looks for some
    "AWS_SECRET_ACCESS_KEY": "fixture",
    "AWS_REGION": "us-east-1",
    "SLS_TELEMETRY_DISABLED": "1",
    "SLS_NOTIFICATIONS_MODE": "off",
    "SLS_DEPRECATION_DISABLE": "*",
}


def fixtures(names: List[str]) -> List[Path]:
    found = sorted(path for path in REAL.glob("serverless-*") if (path / "serverless.yml").is_file())
    return [path for path in found if not names or path.name in names]


def framework_of(fixture: Path) -> str:
    """The framework package the fixture pins (one of FRAMEWORKS)."""
    import json

    pinned = json.loads((fixture / "package.json").read_text())["devDependencies"]
    found = [name for name in pinned if name in FRAMEWORKS]
    if len(found) != 1:
        raise SystemExit(f"{fixture.name}: package.json must pin exactly one of {sorted(FRAMEWORKS)}")
    return found[0]


def _run(command: List[str], cwd: Path) -> None:
    print("+", " ".join(command), f"(in {cwd})", flush=True)
    subprocess.run(command, cwd=cwd, env=dict(os.environ, **OFFLINE_ENV), check=True)


def _copy_output(built: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    for source in sorted(built.rglob("*")):
        if not source.is_file():
            continue
        if source.stat().st_size > MAX_OUTPUT_FILE:
            raise SystemExit(f"{source} is {source.stat().st_size} bytes: a fixture must stay small")
        destination = target / source.relative_to(built)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)


def package(fixture: Path) -> None:
    work = SCRATCH / fixture.name
    if work.exists():
        shutil.rmtree(work)
    try:
        shutil.copytree(fixture, work, ignore=shutil.ignore_patterns(*NOT_SOURCES))
        _run(["npm", "ci", "--no-audit", "--no-fund"], work)
        _run(["npx", "--no-install", "serverless", "package"], work)
        versions = node_tool_versions(str(work), [framework_of(fixture)])
        _copy_output(work / ".serverless", fixture / ".serverless")
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
    write_record(str(fixture), versions, BUILT, packaged_in=str(work), command=COMMAND)
    print(f"{fixture.relative_to(ROOT)}: {versions}")


def stale(fixture: Path) -> bool:
    return is_stale(str(fixture), BUILT)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("names", nargs="*", help="fixture folders (serverless-<name>); all when none")
    parser.add_argument("--check", action="store_true", help="only say which fixtures no longer match their app")
    args = parser.parse_args(argv)
    chosen = fixtures(args.names)
    if args.check:
        old = [fixture.name for fixture in chosen if stale(fixture)]
        for name in old:
            print(f"{name}: the app changed since it was packaged: run tools/real_fixtures/serverless.py {name}")
        return 1 if old else 0
    for fixture in chosen:
        package(fixture)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
