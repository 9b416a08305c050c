"""Modules that load on first use, for rule packs that need them only for some templates.

Every rule module is imported at start-up; a model module that only, say, templates with a
VpcConfig need would cost every run its import. `lazy_module(name)` returns the module at
once and runs its code on the first attribute access (`importlib.util.LazyLoader`).
"""

from __future__ import annotations

import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """The module `name`, executed on first attribute access (already imported: as it is)."""
    if name in sys.modules:
        return sys.modules[name]
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"no module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)  # as a normal import does
    return module


_PATTERN_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer")


class LazyPattern:
    """A regular expression compiled on its first use, then as fast as `re.compile`'s.

    Compiling costs 0.05-0.4 ms a pattern; the rule modules hold dozens, imported on every
    run while a small template uses a few. The first method call compiles and binds the
    compiled pattern's methods onto the instance, so later calls skip `__getattr__`.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)  # copy/pickle probing, not a pattern method
        import re

        compiled = re.compile(self.pattern, self.flags)
        for method in _PATTERN_METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_pattern({self.pattern!r})"


def lazy_pattern(pattern: str, flags: int = 0) -> LazyPattern:
    """`re.compile(pattern, flags)`, deferred until the pattern is first used."""
    return LazyPattern(pattern, flags)
