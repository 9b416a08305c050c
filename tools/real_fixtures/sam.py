"""Build fixtures/real/sam-*/ with the real `sam build` (no container) and commit the output.

    python3 -m venv /tmp/venv-samcli && /tmp/venv-samcli/bin/pip install aws-sam-cli==1.170.0
    python tools/real_fixtures/sam.py [--sam /tmp/venv-samcli/bin/sam]

Needs python3.11 and node 20 / npm on PATH (what `sam build` uses for python3.11 and
nodejs20.x functions) and the package registries (pip, npm). Each app is built in a
temporary copy; only `.aws-sam/build` comes back (build.toml and the cache hold absolute
paths of this machine). The suite never runs this: it reads the committed output.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # fixture_record is beside this script

from fixture_record import REAL, write_record  # noqa: E402

SAM_CLI = "1.170.0"
APPS = ("sam-app",)
BUILT = ".aws-sam"


def build(app: str, sam: str) -> None:
    folder = os.path.join(REAL, app)
    with tempfile.TemporaryDirectory() as scratch:
        copy = os.path.join(scratch, app)
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(BUILT))
        env = dict(os.environ, SAM_CLI_TELEMETRY="0")
        subprocess.run([sam, "build", "--build-dir", ".aws-sam/build"], cwd=copy, env=env, check=True)
        shutil.rmtree(os.path.join(folder, BUILT), ignore_errors=True)
        shutil.copytree(os.path.join(copy, BUILT, "build"), os.path.join(folder, BUILT, "build"), symlinks=True)
    version = subprocess.run([sam, "--version"], capture_output=True, text=True, check=True).stdout.split()[-1]
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    write_record(folder, {"aws-sam-cli": version, "node": node}, skip=(BUILT,))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sam", default="/tmp/venv-samcli/bin/sam")
    args = parser.parse_args()
    version = subprocess.run([args.sam, "--version"], capture_output=True, text=True, check=True).stdout.split()[-1]
    if version != SAM_CLI:
        print(f"aws-sam-cli {version} found; these fixtures are pinned to {SAM_CLI}", file=sys.stderr)
        return 2
    for app in APPS:
        build(app, args.sam)
    return 0


if __name__ == "__main__":
    sys.exit(main())
