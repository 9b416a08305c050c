"""Modules and regular expressions that load on first use.

Every rule module is imported at start-up; a model module that only, say, templates with a
VpcConfig need would cost every run its import. `lazy_module(name)` stands for the module
and imports it on the first attribute access. (`importlib.util.LazyLoader` does the same
with a real module object, but importing `importlib.util` costs more than the modules it
would defer.)
"""

from __future__ import annotations

import sys
from typing import Any


class LazyModule:
    """Stands for a module until an attribute is read, then imports it and reads from it."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: Any = None

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)  # copy/pickle/inspect probing does not import
        if self._module is None:
            import importlib

            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)

    def __repr__(self) -> str:
        state = "imported" if self._module is not None else "not imported yet"
        return f"<lazy module {self._name!r}, {state}>"


def lazy_module(name: str) -> Any:
    """The module `name`, imported on first attribute access (already imported: as it is)."""
    return sys.modules.get(name) or LazyModule(name)


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
