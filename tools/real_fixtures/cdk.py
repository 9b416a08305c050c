"""Synthesize the real CDK fixtures: fixtures/real/cdk-<name>/app/ -> fixtures/real/cdk-<name>/cdk.out/.

Each app pins aws-cdk-lib, constructs and the aws-cdk CLI exactly (package.json) and
commits its package-lock.json, so `npm ci` installs the same toolchain every time. The
app is copied to a fixed scratch folder (so that the creation stacks CDK records name
the same paths on every run), installed there, synthesized with `npx cdk synth`, and
its cloud assembly copied back beside the app without node_modules or large files.
`sources.json` records the sha256 of every file of the app (lockfile included) and the
tool versions that made the output (fixture_record): tests/test_real_fixtures.py fails
when the app changed and this script was not run again. The scratch folder is removed afterwards, so that the
recorded absolute paths exist nowhere and lambdalint maps them back to the committed app.

Usage: python tools/real_fixtures/cdk.py [NAME ...]       (needs node and npm; no AWS account)
       python tools/real_fixtures/cdk.py --check          (hashes only; what the test does)
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

from fixture_record import is_stale, node_tool_versions, write_record  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
REAL = ROOT / "fixtures" / "real"
# What sources.json leaves out of a CDK fixture: the synthesized output beside the app.
BUILT = ["cdk.out"]
SCRATCH = Path("/tmp/lambdalint-cdk-fixtures")
# What the app folder may hold that is not the app: installs and earlier outputs.
NOT_SOURCES = {"node_modules", "cdk.out", ".DS_Store"}
# A fixture stays small: a synthesized file above this size is left out (none is today).
MAX_OUTPUT_FILE = 256 * 1024
TOOLS = ("aws-cdk-lib", "constructs", "aws-cdk")
# A TypeScript app also pins what `cdk synth` runs it with (cdk.json: npx ts-node bin/app.ts).
TYPESCRIPT_TOOLS = ("ts-node", "typescript", "@types/node")


def fixtures(names: List[str]) -> List[Path]:
    found = sorted(path for path in REAL.glob("cdk-*") if (path / "app" / "package.json").is_file())
    return [path for path in found if not names or path.name in names]


def _run(command: List[str], cwd: Path) -> None:
    env = dict(os.environ, CDK_DISABLE_CLI_TELEMETRY="true", CDK_DISABLE_VERSION_CHECK="true")
    print("+", " ".join(command), f"(in {cwd})", flush=True)
    subprocess.run(command, cwd=cwd, env=env, check=True)


def _copy_output(built: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    for folder, folders, files in os.walk(built):
        folders[:] = sorted(name for name in folders if name != "node_modules")
        for name in sorted(files):
            source = Path(folder) / name
            if source.stat().st_size > MAX_OUTPUT_FILE:
                print(f"  left out {source.relative_to(built)} ({source.stat().st_size} bytes)")
                continue
            destination = target / source.relative_to(built)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


def synthesize(fixture: Path) -> None:
    app = fixture / "app"
    work = SCRATCH / fixture.name
    if work.exists():
        shutil.rmtree(work)
    try:
        shutil.copytree(app, work / "app", ignore=shutil.ignore_patterns(*NOT_SOURCES))
        _run(["npm", "ci", "--no-audit", "--no-fund"], work / "app")
        _run(["npx", "--no-install", "cdk", "synth", "--quiet", "--output", "../cdk.out"], work / "app")
        versions = node_tool_versions(str(work / "app"), TOOLS, TYPESCRIPT_TOOLS)
        _copy_output(work / "cdk.out", fixture / "cdk.out")
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
    write_record(str(fixture), versions, BUILT, synthesized_in=str(work / "app"),
                 command="npm ci && npx cdk synth --quiet --output ../cdk.out")
    print(f"{fixture.relative_to(ROOT)}: {versions}")


def stale(fixture: Path) -> bool:
    return is_stale(str(fixture), BUILT)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="fixture folders (cdk-<name>); all when none")
    parser.add_argument("--check", action="store_true", help="only say which fixtures no longer match their app")
    args = parser.parse_args(argv)
    chosen = fixtures(args.names)
    if args.check:
        old = [fixture.name for fixture in chosen if stale(fixture)]
        for name in old:
            print(f"{name}: the app changed since its cdk.out was synthesized: run tools/real_fixtures/cdk.py {name}")
        return 1 if old else 0
    for fixture in chosen:
        synthesize(fixture)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
