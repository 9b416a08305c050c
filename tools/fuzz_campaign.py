"""A long fuzzing campaign over the whole pipeline (minutes; not run in CI).

    .venv/bin/python tools/fuzz_campaign.py --minutes 10
    .venv/bin/python tools/fuzz_campaign.py --minutes 2 --only zips --seed 7

Runs the strategies of tests/fuzz_cfn.py (random CloudFormation-shaped documents and
mutated rule fixtures, as JSON, YAML and YAML with short tags) and random or mutated
zip packages behind a SAM CodeUri, through `Linter(select=ALL)`. Every distinct crash
(an exception out of the linter, or an LL0007 finding) is printed once with the rule's
traceback and the input that caused it, and saved under --out. Exit code 1 when any
crash was found. Turn each one into a regression test in tests/test_fuzz_regressions.py.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
import traceback
from typing import Dict, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))  # the strategies live beside the tests
sys.path.insert(0, os.path.join(HERE, ".."))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import seed as seed_decorator  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fuzz_cfn  # noqa: E402
import fuzz_zips  # noqa: E402
from lambdalint.api import Linter  # noqa: E402
from lambdalint.config import Config  # noqa: E402
from lambdalint.loading import load_text  # noqa: E402
from lambdalint.model import TemplateModel  # noqa: E402
from lambdalint.model.packages import reset_package_cache  # noqa: E402

LINTER = Linter(Config(select=("ALL",), today=datetime.date(2026, 11, 23), rule_timeout=10))
CRASHES: Dict[str, Tuple[str, str]] = {}


def record(key: str, text: str, detail: str, out: str) -> None:
    if key in CRASHES:
        return
    CRASHES[key] = (text, detail)
    print(f"\n===== crash {len(CRASHES)}: {key}\n{detail}\n--- input ({len(text)} chars):\n{text[:3000]}", flush=True)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, f"crash-{len(CRASHES):03}.txt"), "w", encoding="utf-8", errors="replace") as handle:
        handle.write(f"{key}\n\n{detail}\n\n{text}")


def rule_traceback(text: str, rule_id: str, base_dir) -> str:
    """Run the failing rule again, outside the engine, for its traceback."""
    check = next(item for item in LINTER.rules if item.id == rule_id).check
    if check is None:  # a rule whose findings the engine makes (LL0001, LL0007, ...)
        return f"{rule_id} has no check function to run again"
    model = TemplateModel(load_text(text, "fuzz"), LINTER.settings, base_dir)
    try:
        list(check(model))
    except Exception:  # noqa: BLE001 - that is what we are after
        return traceback.format_exc()[-3000:]
    return "(did not raise again: over budget, or depends on state)"


def lint(text: str, name: str, out: str, base_dir=None) -> None:
    try:
        findings = LINTER.lint_text(text, name, base_dir=base_dir)
    except Exception as exc:  # noqa: BLE001
        record(f"RAISED {type(exc).__name__}: {str(exc)[:80]}", text, traceback.format_exc()[-3000:], out)
        return
    for finding in findings:
        if finding.rule == "LL0007":
            rule_id = finding.message.split()[1]
            key = f"{rule_id} {finding.message.split(':', 1)[1][:70]}"
            if key not in CRASHES:
                record(key, text, rule_traceback(text, rule_id, base_dir), out)


def campaign(kind: str, examples: int, seed: int, out: str, folder: str) -> None:
    run = settings(max_examples=examples, deadline=None, database=None, derandomize=False,
                   suppress_health_check=list(HealthCheck), print_blob=False)
    forms = st.sampled_from(["json", "yaml", "short"])

    if kind == "templates":
        @run
        @given(fuzz_cfn.templates | fuzz_cfn.mutated_fixtures(), forms)
        def body(template, form):
            text = fuzz_cfn.to_json(template) if form == "json" else fuzz_cfn.to_yaml(template, form == "short")
            lint(text, f"fuzz.{form}", out)
    else:
        @run
        @given(fuzz_zips.zip_bytes())
        def body(raw):
            reset_package_cache()  # the same path every time: read it again
            text = fuzz_zips.write_package(folder, raw)
            lint(text, "sam.yaml", out, base_dir=folder)

    seed_decorator(seed)(body)()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--only", choices=["templates", "zips"], default=None)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--batch", type=int, default=2000, help="examples per hypothesis run")
    parser.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "lambdalint-fuzz"))
    args = parser.parse_args()
    deadline = time.monotonic() + args.minutes * 60
    kinds = [args.only] if args.only else ["templates", "zips"]
    rounds = 0
    with tempfile.TemporaryDirectory() as folder:
        while time.monotonic() < deadline:
            kind = kinds[rounds % len(kinds)]
            campaign(kind, args.batch if kind == "templates" else args.batch // 4, args.seed + rounds, args.out, folder)
            rounds += 1
            print(f"round {rounds} ({kind}) done, {len(CRASHES)} distinct crash(es) so far", flush=True)
    print(f"{rounds} rounds, {len(CRASHES)} distinct crash(es); inputs in {args.out}")
    return 1 if CRASHES else 0


if __name__ == "__main__":
    sys.exit(main())
