"""Print pip constraints that pin every install requirement to its lower bound.

    python tools/lowest_constraints.py > tools/lowest-constraints.txt

.ci/run installs lambdalint with these constraints in a venv of its own and runs
the loading, configuration and CLI tests there, so a lower bound in setup.cfg is
one that has been seen to work. tests/test_dependency_policy.py fails while the
checked-in file differs from what this prints.
"""

from __future__ import annotations

import configparser
import pathlib
import re
import sys
from typing import List

SETUP_CFG = pathlib.Path(__file__).resolve().parent.parent / "setup.cfg"

# `name>=1.2`, optionally with more specifiers after a comma (`,<3`) or a marker (`; python_version...`)
_LOWER_BOUND = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*(?:,[^;]*)?(?:;.*)?$")


def install_requires(setup_cfg: pathlib.Path = SETUP_CFG) -> List[str]:
    parser = configparser.ConfigParser()
    parser.read(setup_cfg, encoding="utf-8")
    raw = parser.get("options", "install_requires", fallback="")
    return [line.strip() for line in raw.splitlines() if line.strip() and not line.strip().startswith("#")]


def lowest_constraints(requirements: List[str]) -> str:
    lines = ["# The lowest versions setup.cfg allows; "
             "regenerate with: python tools/lowest_constraints.py > tools/lowest-constraints.txt"]
    for requirement in requirements:
        match = _LOWER_BOUND.match(requirement)
        if not match:
            raise ValueError(f"install requirement {requirement!r} has no `>=` lower bound to test")
        name, version = match.groups()
        lines.append(f"{name}=={version}")
    return "\n".join(lines) + "\n"


def main() -> int:
    try:
        sys.stdout.write(lowest_constraints(install_requires()))
    except ValueError as exc:
        print(f"lowest_constraints: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
