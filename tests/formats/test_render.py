from __future__ import annotations

import subprocess
import sys

import pytest

from lambdalint.formats import FORMATS, render


def test_formats_are_the_contracts_five():
    assert FORMATS == ("text", "json", "sarif", "junit", "github")


@pytest.mark.parametrize("format_name", FORMATS)
def test_every_format_renders_a_complete_document(format_name, report, registry):
    output = render(format_name, report, registry)
    assert output.endswith("\n")
    assert "LL6001" in output


def test_unknown_format_names_the_known_ones(report, registry):
    with pytest.raises(ValueError, match="unknown output format 'xml'.*text, json, sarif, junit, github"):
        render("xml", report, registry)


def test_color_only_changes_text(report, registry):
    assert render("text", report, registry, color=True) != render("text", report, registry)
    for format_name in ("json", "sarif", "junit", "github"):
        assert render(format_name, report, registry, color=True) == render(format_name, report, registry)


def test_importing_formats_loads_no_format_module_or_xml():
    probe = (
        "import sys, lambdalint.formats\n"
        "heavy = [m for m in ('lambdalint.formats.sarif', 'lambdalint.formats.junit', "
        "'lambdalint.formats.json_format', 'lambdalint.formats.text', 'xml.etree.ElementTree', 'hashlib') "
        "if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
