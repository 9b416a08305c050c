"""mypy and ruff, configured in pyproject.toml, find nothing in the code (issue #13).

Both run from the repository root so that they read its pyproject.toml; the caches go to a
temporary folder, not into the checkout.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from repo_paths import REPO

CHECKED = ["lambdalint", "rules", "tools"]


def _run(arguments, timeout=600):
    result = subprocess.run([sys.executable, "-m", *arguments], cwd=str(REPO), capture_output=True, text=True,
                            timeout=timeout)
    return result.returncode, (result.stdout + result.stderr).strip()


@pytest.mark.slow
def test_mypy_finds_no_type_errors(tmp_path):
    pytest.importorskip("mypy")  # not installed on Python 3.9 (setup.cfg)
    code, output = _run(["mypy", "--cache-dir", str(tmp_path / "mypy"), *CHECKED])
    print(output)
    assert code == 0, output
    checked = re.search(r"Success: no issues found in (\d+) source files", output)
    assert checked and int(checked.group(1)) > 50, output  # the whole code, not an empty selection


@pytest.mark.slow
def test_ruff_finds_nothing(tmp_path):
    code, output = _run(["ruff", "check", "--no-cache", "--output-format", "concise", *CHECKED])
    print(output)
    assert code == 0, output
    assert "All checks passed" in output


def test_ruff_reads_the_repository_selection(tmp_path):
    """The rule selection is pyproject.toml's: an unsorted import and a long line are findings."""
    sample = tmp_path / "sample.py"
    sample.write_text("import sys\nimport os\n\nprint(os, sys, '%s' % 'x' + '" + "y" * 120 + "')\n",
                      encoding="utf-8")
    code, output = _run(["ruff", "check", "--no-cache", "--output-format", "concise",
                         "--config", str(REPO / "pyproject.toml"), str(sample)], timeout=120)
    assert code == 1, output
    assert {"I001", "E501", "UP031"} <= set(re.findall(r"\b([A-Z]+[0-9]{3})\b", output)), output
