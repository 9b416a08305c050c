"""Each format's output for the shared sample report, compared with a reviewed golden file.

The golden files were written once from the implementation and checked by
eye; when a format changes on purpose, update the file by hand in the same
commit. `@VERSION@` in the SARIF file stands for `lambdalint.__version__`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import lambdalint
from lambdalint.formats import render

GOLDEN = Path(__file__).parent / "golden"

CASES = {
    "text": "report.txt",
    "json": "report.json",
    "sarif": "report.sarif",
    "junit": "report.junit.xml",
    "github": "report.github.txt",
}


@pytest.mark.parametrize("format_name", sorted(CASES))
def test_output_matches_golden_file(format_name, report, registry):
    expected = (GOLDEN / CASES[format_name]).read_text(encoding="utf-8")
    expected = expected.replace("@VERSION@", lambdalint.__version__)
    assert render(format_name, report, registry) == expected


def test_colored_text_matches_golden_file(report, registry):
    expected = (GOLDEN / "report.color.txt").read_text(encoding="utf-8")
    assert render("text", report, registry, color=True) == expected
