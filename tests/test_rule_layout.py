"""The shape of rules/ (issue 13): family packages, sub-family modules in rule-ID order, each
short enough to read, and rules that ask the model instead of reading the template.

Read from the source with `ast`, so the test also covers a module nobody has run yet.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import Dict, List

import pytest

from repo_paths import REPO

RULES = REPO / "rules"

# The family packages and the rule IDs each holds (DESIGN.md, "Rules").
FAMILIES = {
    "structure": "LL0", "packages": "LL1", "configuration": "LL2", "versions": "LL3",
    "networking": "LL4", "security": "LL5", "invocation": "LL6", "edge": "LL7", "observability": "LL8",
}

# Lines per sub-family module. The issue aims at 90-300; the floor is lower because a few
# sub-families are one self-contained rule (invocation/api_gateway, invocation/recursion,
# packages/permissions: 60-90 lines with docstring and example), and folding one into an
# unrelated neighbour would make that module's name lie. Above 300 a module is split.
MIN_LINES, MAX_LINES = 60, 300

# What a rule module may import: the model, findings, the rule API, AWS reference data (each
# value with its source URL: facts about AWS, not about the template), the start-up helpers for
# module-level regular expressions, its own family package, and the standard library.
ALLOWED_MODULES = ("lambdalint.model", "lambdalint.findings", "lambdalint.registry", "lambdalint.rule",
                   "lambdalint.data", "lambdalint.lazy")

# Reading the template, a section of it, its text or a resource's raw definition: questions
# for the model (`lambdalint/model/...`), which answers them once for every rule.
RAW_ATTRIBUTES = frozenset({"template", "document", "definition", "section", "globals_section", "walk",
                            "loops", "resolver"})
SECTIONS = frozenset({"AWSTemplateFormatVersion", "Conditions", "Globals", "Mappings", "Metadata", "Outputs",
                      "Parameters", "Resources", "Transform"})
RESOURCE_TYPE = re.compile(r"AWS::\w+::\w+")

# Modules allowed to break a rule above, each with the reason; empty: none does.
KNOWN_OFFENDERS: Dict[str, str] = {}


def _modules() -> List[Path]:
    return sorted(RULES.rglob("*.py"))


def _sub_family_modules() -> List[Path]:
    return [path for path in _modules() if path.name != "__init__.py"]


def _name(path: Path) -> str:
    return path.relative_to(RULES).as_posix()


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def rule_ids(tree: ast.Module) -> List[str]:
    """IDs of a module's rules in file order: `@rule(id=...)` (or `engine_rule`) functions, and
    `NAME = rule(id=...)(function)` assignments."""
    found = []
    for node in tree.body:
        calls = []
        if isinstance(node, ast.FunctionDef):
            calls = node.decorator_list
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            calls = [node.value.func]
        for call in calls:
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) in ("rule", "engine_rule"):
                found.extend(keyword.value.value for keyword in call.keywords
                             if keyword.arg == "id" and isinstance(keyword.value, ast.Constant))
    return found


def _is_stdlib(name: str) -> bool:
    top = name.split(".", 1)[0]
    names = getattr(sys, "stdlib_module_names", None)  # Python 3.10+
    if names is not None:
        return top in names
    import importlib.util
    import sysconfig

    spec = importlib.util.find_spec(top)
    origin = getattr(spec, "origin", None) or ""
    return spec is not None and (origin in ("built-in", "frozen") or origin.startswith(sysconfig.get_paths()["stdlib"]))


def import_problems(tree: ast.Module) -> List[str]:
    """Imports outside what a rule module may use (see ALLOWED_MODULES), anywhere in the module."""
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            if node.level != 1 or node.module is not None:
                problems.append(f"line {node.lineno}: relative import beyond the own family package")
            continue
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
            [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
        for name in names:
            if name == "__future__" or _is_stdlib(name) and not name.startswith("lambdalint"):
                continue
            if name == "lambdalint" and isinstance(node, ast.ImportFrom):
                subs = [f"lambdalint.{alias.name}" for alias in node.names]
                bad = [sub for sub in subs if not sub.startswith(ALLOWED_MODULES)]
            else:
                bad = [] if name.startswith(ALLOWED_MODULES) else [name]
            problems.extend(f"line {node.lineno}: imports {item}" for item in bad)
    for node in ast.walk(tree):
        # `lazy_module("x")` imports too, on first use
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "lazy_module" and node.args:
            target = node.args[0]
            if isinstance(target, ast.Constant) and not str(target.value).startswith(ALLOWED_MODULES):
                problems.append(f"line {node.lineno}: imports {target.value} lazily")
    return problems


def raw_template_reads(tree: ast.Module) -> List[str]:
    """Places a module reads the template's structure itself instead of asking the model."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in RAW_ATTRIBUTES:
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if node.value in SECTIONS:
                found.append(f"line {node.lineno}: the template section {node.value!r}")
            elif RESOURCE_TYPE.fullmatch(node.value):
                found.append(f"line {node.lineno}: its own resource type {node.value!r}")
    return sorted(set(found), key=lambda text: (int(text.split(":")[0].split()[1]), text))


def _offenders(check) -> Dict[str, List[str]]:
    found = {}
    for path in _modules():
        problems = check(_tree(path))
        if problems and _name(path) not in KNOWN_OFFENDERS:
            found[_name(path)] = problems
    return found


def test_every_rule_module_is_a_sub_family_of_a_known_family():
    misplaced = []
    for path in _modules():
        parts = path.relative_to(RULES).parts
        if parts == ("__init__.py",):
            continue
        if len(parts) != 2 or parts[0] not in FAMILIES:
            misplaced.append(_name(path))
    assert misplaced == [], f"modules outside rules/<family>/<sub_family>.py: {misplaced}"
    assert {path.parent.name for path in _sub_family_modules()} == set(FAMILIES)


def test_each_module_lists_its_rules_in_id_order_and_only_its_familys():
    for path in _sub_family_modules():
        ids = rule_ids(_tree(path))
        family = FAMILIES[path.parent.name]
        assert ids, f"{_name(path)} defines no rule"
        assert ids == sorted(ids), f"{_name(path)} lists its rules out of ID order: {ids}"
        assert all(rule_id.startswith(family) for rule_id in ids), f"{_name(path)}: {ids} are not all {family}"


def test_family_package_init_defines_no_rule():
    for family in FAMILIES:
        init = RULES / family / "__init__.py"
        assert init.is_file(), f"rules/{family}/ is not a package"
        assert rule_ids(_tree(init)) == [], f"rules/{family}/__init__.py defines rules: put them in a sub-family"


def test_ids_found_in_the_source_are_the_registered_built_in_rules():
    # the ast reading above sees every built-in rule, so the order and size checks cover them all
    from lambdalint.registry import load_registry

    in_source = sorted((rule_id, "lambdalint_rules." + _name(path)[:-3].replace("/", "."))
                       for path in _sub_family_modules() for rule_id in rule_ids(_tree(path)))
    registered = sorted((item.id, item.origin) for item in load_registry()
                        if item.origin.startswith("lambdalint_rules."))
    assert in_source == registered


def test_each_sub_family_module_is_readable_in_one_sitting():
    sizes: Dict[str, int] = {_name(path): len(path.read_text(encoding="utf-8").splitlines())
                             for path in _sub_family_modules()}
    outside = {name: lines for name, lines in sizes.items() if not MIN_LINES <= lines <= MAX_LINES}
    assert outside == {}, f"modules outside {MIN_LINES}-{MAX_LINES} lines: {outside}"


def test_rule_modules_import_only_the_model_findings_rule_api_and_stdlib():
    assert _offenders(import_problems) == {}


def test_rule_modules_do_not_read_the_templates_structure_themselves():
    assert _offenders(raw_template_reads) == {}


def test_known_offenders_are_still_offenders():
    for name in KNOWN_OFFENDERS:
        tree = _tree(RULES / name)
        assert import_problems(tree) or raw_template_reads(tree), f"{name} is fixed: take it off KNOWN_OFFENDERS"


@pytest.mark.parametrize("source, expected", [
    ('def check(model):\n    return model.template["Resources"]\n',
     ["line 2: .template", "line 2: the template section 'Resources'"]),
    ('def check(model):\n    return model.section("Globals")\n',
     ["line 2: .section", "line 2: the template section 'Globals'"]),
    ('def check(model):\n    return model.by_type("AWS::SQS::Queue")\n',
     ["line 2: its own resource type 'AWS::SQS::Queue'"]),
    ('def check(model):\n    """Reads Resources of type AWS::SQS::Queue."""\n    return model.functions\n', []),
])
def test_raw_reads_are_recognised(source: str, expected: List[str]):
    assert raw_template_reads(ast.parse(source)) == expected


@pytest.mark.parametrize("source, expected", [
    ("import json\nfrom typing import Any\nfrom lambdalint.model import TemplateModel\n", []),
    ("from lambdalint import data, findings\nfrom . import QUOTAS\n", []),
    ("from lambdalint.loading import Document\n", ["line 1: imports lambdalint.loading"]),
    ("from lambdalint import engine\n", ["line 1: imports lambdalint.engine"]),
    ("def f():\n    import yaml\n", ["line 2: imports yaml"]),
    ("from ..packages import first_few\n", ["line 1: relative import beyond the own family package"]),
    ("net = lazy_module('lambdalint.artifacts')\n", ["line 1: imports lambdalint.artifacts lazily"]),
])
def test_imports_outside_the_rule_api_are_recognised(source: str, expected: List[str]):
    assert import_problems(ast.parse(source)) == expected
