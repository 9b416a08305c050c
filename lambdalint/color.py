"""Whether the text report is coloured: flags, then the NO_COLOR / FORCE_COLOR conventions, then the terminal.

Order, first that applies wins:

1. `--color` / `--no-color` (what the user typed for this run);
2. `NO_COLOR` set to any non-empty value: no colour (https://no-color.org);
3. `FORCE_COLOR` set to any non-empty value: colour, even into a pipe (https://force-color.org);
4. colour when standard output is a terminal.

A report written with `-o FILE` is coloured only with `--color`: the environment
variables describe the terminal or log the user watches, not the files they write.
"""

from __future__ import annotations

from typing import Callable, Mapping, Optional


def use_color(flag: Optional[bool], *, to_file: bool, environ: Mapping[str, str],
              isatty: Callable[[], bool]) -> bool:
    if flag is not None:
        return flag
    if to_file:
        return False
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return isatty()
