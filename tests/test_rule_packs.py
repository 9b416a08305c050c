"""Third-party rule packs load through the same entry point as the built-in rules."""

from __future__ import annotations

import sys
import textwrap

import pytest

from lambdalint.registry import RuleLoadError, load_registry

RULE_MODULE = '''
from lambdalint.findings import Severity
from lambdalint.registry import rule

@rule(id="{id}", name="{name}", severity=Severity.WARNING, summary="s", source="https://example.com")
def check(model):
    """## What it does\\nx\\n## Why is this bad?\\ny\\n## Example\\n```yaml\\n```"""
    return []
'''


def install_pack(root, package: str, value: str, files: dict) -> None:
    """A distribution on sys.path the way pip leaves it: the package and its dist-info."""
    for relative, text in files.items():
        target = root / package / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text))
    info = root / f"{package}-1.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text(f"[console_scripts]\nx = y:z\n\n[lambdalint.rules]\n{package} = {value}\n")


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        del sys.modules[name]


def test_a_package_pack_contributes_the_rules_of_every_public_submodule(site):
    install_pack(site, "acme_rules", "acme_rules", {
        "__init__.py": "",
        "alpha.py": RULE_MODULE.format(id="ACME0001", name="alpha"),
        "nested/__init__.py": "",
        "nested/beta.py": RULE_MODULE.format(id="ACME0002", name="beta"),
        "_private.py": RULE_MODULE.format(id="ACME0003", name="private"),
        "data.txt": "not a module",
    })
    ids = {item.id for item in load_registry()}
    assert {"ACME0001", "ACME0002"} <= ids
    assert "ACME0003" not in ids
    assert "LL2001" in ids  # the built-in pack is still there


def test_a_module_pack_with_an_attribute(site):
    install_pack(site, "solo_rules", "solo_rules.impl:RULES", {
        "__init__.py": "",
        "impl.py": RULE_MODULE.format(id="SOLO0001", name="solo") + "\nimport types\nRULES = types.SimpleNamespace(check=check)\n",
    })
    assert "SOLO0001" in {item.id for item in load_registry()}


def test_a_pack_that_cannot_be_imported_is_a_usage_error_naming_it(site):
    install_pack(site, "broken_rules", "broken_rules", {"__init__.py": "raise ImportError('no such thing')\n"})
    with pytest.raises(RuleLoadError, match="broken_rules.*no such thing"):
        load_registry()
