"""No import cycles among lambdalint's modules (issue 13): data flows one way.

The imports are read from the source with `ast`, function-level (lazy) imports included:
a cycle hidden in a function still means two modules that cannot be understood, or
loaded, one before the other. Imports under `if TYPE_CHECKING:` are left out: they name
types for annotations and never run.
"""

from __future__ import annotations

import ast
from typing import Dict, List, Set

from repo_paths import REPO

PACKAGE = REPO / "lambdalint"


def module_name(path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)



def _runtime_nodes(tree: ast.AST):
    """Every node of `tree` except those inside an `if TYPE_CHECKING:` block."""
    pending = [tree]
    while pending:
        node = pending.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                pending.extend(child.orelse)
            else:
                pending.append(child)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imported_modules(path, modules: Set[str]) -> Set[str]:
    """The lambdalint modules a file imports, at any depth of its code."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: Set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from . import engine` imports the module engine; `from .engine import x` a name of engine
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in modules else target)
    return {module for module in found if module in modules and module != name}


def import_graph() -> Dict[str, Set[str]]:
    files = [path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts]
    modules = {module_name(path) for path in files}
    return {module_name(path): imported_modules(path, modules) for path in files}


def cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_function_level_and_relative_imports():
    graph = import_graph()
    assert "lambdalint.own_rules" in graph["lambdalint.engine"]  # module level, relative
    assert "lambdalint.model" in graph["lambdalint.api"]  # `from .model import TemplateModel` in a method
    assert "lambdalint.baseline" in graph["lambdalint.cli"]  # `from . import baseline` in a function
    assert "lambdalint.config" in graph["lambdalint.cfn_lint_plugin._adapter"]  # absolute


def test_lambdalint_has_no_import_cycles():
    assert cycles(import_graph()) == []


def test_imports_for_annotations_only_are_left_out():
    tree = ast.parse("import typing\nif typing.TYPE_CHECKING:\n    import hidden\nelse:\n    import shown\n"
                     "if TYPE_CHECKING:\n    import also_hidden\ndef f():\n    import lazy\n")
    imported = {alias.name for node in _runtime_nodes(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert imported == {"typing", "shown", "lazy"}
