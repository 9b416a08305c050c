"""When the cyclic garbage collector runs: at points chosen by lambdalint, not mid-work.

Two kinds of work make many objects that all live until the work ends: loading modules
(functions, classes, code) and checking one template (its values, model and views). During
either, the collector would rescan the same young objects again and again for nothing, which
made big templates superlinear and start-up slower. `paused_collection` holds it off for the
span of such work and says what to do afterwards.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

# The entry point imports this module before anything else, so that importing `typing` (a few
# ms) happens with the collector paused: its names are needed only by type checkers.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterator


@contextmanager
def paused_collection(after: str = "resume") -> Iterator[None]:
    """No cyclic collection during the block; afterwards, by `after`:

    - "resume": just let the collector run again;
    - "collect": one collection of the youngest generation, which frees everything the block
      left unreachable (a checked template's cycles) while it is still young;
    - "freeze": move what exists now out of the collector's view for good (`gc.freeze`), right
      for the modules of a short-lived process, wrong inside somebody else's.

    A collector the caller had disabled stays disabled, and nothing is done afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if after == "freeze":
                gc.freeze()
            gc.enable()
            if after == "collect":
                gc.collect(0)
