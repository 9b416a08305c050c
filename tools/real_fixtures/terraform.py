"""Plan the real Terraform fixtures: fixtures/real/terraform/<name>/ -> its plan.json.

Each fixture is a small configuration that uses only Terraform's built-in provider
(`terraform_data`, standing in for the AWS resources with an `input` shaped like their
arguments), local modules, for_each, count, variables, tfvars and locals, so that `terraform
init` needs no registry and the plan runs offline. The configuration is copied to a fresh
temporary folder, `terraform init`, `terraform plan -out` and `terraform show -json` run there,
and the JSON is written back as `plan.json` beside the `.tf` files, where a user would leave
it (lambdalint recognises it by content). `sources.json` records the sha256 of every file of
the configuration and the terraform version (fixture_record): tests/test_real_fixtures.py
fails when a configuration changed and this script was not run again.

Usage: python tools/real_fixtures/terraform.py [NAME ...]    (needs the terraform binary; no network)
       python tools/real_fixtures/terraform.py --check       (hashes only; what the test does)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # fixture_record is beside this script

from fixture_record import RECORD, is_stale, write_record  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "fixtures" / "real" / "terraform"
PLAN = "plan.json"
# What sources.json leaves out of a Terraform fixture: the plan terraform wrote.
BUILT = [PLAN]
# Each plan runs in a fresh temporary copy: several test runs may plan the same fixture at once.
SCRATCH_PREFIX = "lambdalint-terraform-fixture-"
NOT_SOURCES = {".terraform", ".terraform.lock.hcl", "plan.out", PLAN, RECORD}
MAX_PLAN_BYTES = 256 * 1024  # a fixture stays small
COMMAND = "terraform init -input=false && terraform plan -input=false -lock=false -out=plan.out && " \
          "terraform show -json plan.out > plan.json"
OFFLINE_ENV = {
    "TF_IN_AUTOMATION": "1",
    "TF_INPUT": "0",
    "CHECKPOINT_DISABLE": "1",  # no version check against checkpoint.hashicorp.com
    "TF_CLI_ARGS": "-no-color",
}


def fixtures(names: List[str]) -> List[Path]:
    found = sorted(path for path in FIXTURES.iterdir() if path.is_dir() and any(path.glob("*.tf")))
    return [path for path in found if not names or path.name in names]


def _run(command: List[str], cwd: Path, env: Dict[str, str]) -> str:
    print("+", " ".join(command), f"(in {cwd})", file=sys.stderr, flush=True)
    return subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def terraform_version(env: Dict[str, str]) -> str:
    shown = subprocess.run(["terraform", "version", "-json"], env=env, check=True, capture_output=True, text=True)
    return str(json.loads(shown.stdout)["terraform_version"])


def show_json(fixture: Path) -> Tuple[str, str]:
    """(the `terraform show -json` output of planning fixture in a scratch copy, terraform's version)."""
    scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))
    work = scratch / fixture.name
    with tempfile.NamedTemporaryFile("w", suffix=".tfrc", delete=False) as cli_config:
        pass  # an empty CLI configuration: no provider mirrors or credentials of this machine
    env = dict(os.environ, **OFFLINE_ENV, TF_CLI_CONFIG_FILE=cli_config.name)
    try:
        shutil.copytree(fixture, work, ignore=shutil.ignore_patterns(*NOT_SOURCES))
        _run(["terraform", "init", "-input=false"], work, env)
        _run(["terraform", "plan", "-input=false", "-lock=false", "-out=plan.out"], work, env)
        return _run(["terraform", "show", "-json", "plan.out"], work, env), terraform_version(env)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        os.unlink(cli_config.name)


def plan(fixture: Path) -> None:
    shown, version = show_json(fixture)
    if len(shown.encode("utf-8")) > MAX_PLAN_BYTES:
        raise SystemExit(f"{fixture.name}: the plan is {len(shown)} bytes: a fixture must stay small")
    (fixture / PLAN).write_text(shown, encoding="utf-8")
    planned_in = f"{tempfile.gettempdir()}/{SCRATCH_PREFIX}*/{fixture.name}"
    write_record(str(fixture), {"terraform": version}, BUILT, planned_in=planned_in, command=COMMAND)
    print(f"{fixture.relative_to(ROOT)}: terraform {version}")


def stale(fixture: Path) -> bool:
    return is_stale(str(fixture), BUILT)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("names", nargs="*", help="fixture folders below fixtures/real/terraform; all when none")
    parser.add_argument("--check", action="store_true",
                        help="only say which fixtures no longer match their configuration")
    args = parser.parse_args(argv)
    chosen = fixtures(args.names)
    if args.check:
        old = [fixture.name for fixture in chosen if stale(fixture)]
        for name in old:
            print(f"{name}: the configuration changed since it was planned: "
                  f"run tools/real_fixtures/terraform.py {name}")
        return 1 if old else 0
    for fixture in chosen:
        plan(fixture)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
