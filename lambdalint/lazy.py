"""Regular expressions compiled on first use.

Kept because it pays: the package and the rules hold some 35 patterns, about 3 ms of
`re.compile` at import, while a small template uses a few of them; PyYAML's own patterns
(`deferred_compiles`) are another 4 ms, most of which a CSafeLoader run never uses.
"""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from typing import Any, Iterator, Union

_PATTERN_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer")


class LazyPattern:
    """A regular expression compiled on its first use, then as fast as `re.compile`'s.

    Compiling costs 0.05-0.4 ms a pattern; the rule modules hold dozens, imported on every
    run while a small template uses a few. The first method call compiles and binds the
    compiled pattern's methods onto the instance, so later calls skip `__getattr__`.
    """

    def __init__(self, pattern: Union[str, bytes], flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)  # copy/pickle probing, not a pattern method
        compiled = re.compile(self.pattern, self.flags)
        for method in _PATTERN_METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_pattern({self.pattern!r})"


def lazy_pattern(pattern: Union[str, bytes], flags: int = 0) -> LazyPattern:
    """`re.compile(pattern, flags)`, deferred until the pattern is first used."""
    return LazyPattern(pattern, flags)


@contextmanager
def deferred_compiles(package: str) -> Iterator[None]:
    """While importing `package`, its modules' `re.compile` calls give lazy patterns.

    For PyYAML, whose modules compile ten patterns as they load: the pure-Python reader's
    NON_PRINTABLE alone takes 3 ms, and libyaml's loader (ours) never uses it; of the
    resolver's patterns a template uses those its plain scalars start with. Only calls made
    by the package's own modules are deferred, and `re.compile` is restored afterwards;
    a package already imported is unaffected.
    """
    compile_now = re.compile

    def compile_later(pattern: Any, flags: Any = 0) -> Any:  # re.compile's arguments, passed on as given
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if isinstance(pattern, str) and (caller == package or caller.startswith(package + ".")):
            return lazy_pattern(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compile_later
    try:
        yield
    finally:
        re.compile = compile_now
