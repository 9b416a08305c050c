"""Value classes without the cost of `dataclasses` at start-up.

`@dataclass` writes and `exec`s the source of `__init__`, `__eq__`, `__repr__`, ... for
every class it decorates: about 0.85 ms per class on CPython 3.11, which a cold
`lambdalint check` paid some fifteen times over before linting anything (a `NamedTuple`,
built with `eval`, costs ~0.15 ms, and there were eighteen). A `Record` subclass costs what
a plain class costs, and is as fast to build and read as either. It lists its fields as `__slots__` (in order)
and writes its own `__init__` with the same parameter names; `Record` supplies what
dataclasses would have generated:

- equality, hashing and ordering on the fields named in `_compared` (all fields when empty),
  as `field(compare=False)` left some out;
- a `repr` without the fields in `_hidden`, as `field(repr=False)` did;
- `replace(**changes)`, as `dataclasses.replace`.

Records are immutable by convention: nothing assigns to a record after building it (a
managed policy's statements, say, are shared by every template of a run). A write guard
in `__setattr__` would triple the cost of building one, and records are built in hot loops,
so the guard is for test suites: `guard_writes()` makes any reassignment raise, and
lambdalint's own suite runs with it on.
"""

from __future__ import annotations

from typing import Any, Tuple


class Record:
    __slots__: Tuple[str, ...] = ()
    _compared: Tuple[str, ...] = ()
    _hidden: Tuple[str, ...] = ()

    def _key(self) -> Tuple[Any, ...]:
        return tuple(getattr(self, name) for name in (self._compared or self.__slots__))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: Record) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: Record) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: Record) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: Record) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() >= other._key()

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__ if name not in self._hidden)
        return f"{type(self).__name__}({shown})"

    def replace(self, **changes: Any) -> Any:
        """A copy with some fields changed (`dataclasses.replace`)."""
        values = {name: getattr(self, name) for name in self.__slots__}
        values.update(changes)
        return type(self)(**values)

    # Pickling (the process pool sends findings back) works from __slots__ alone on 3.11;
    # spelled out so that 3.9 and 3.10 do the same without a __dict__.
    def __getstate__(self) -> Tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state: Tuple[Any, ...]) -> None:
        for name, value in zip(self.__slots__, state):
            object.__setattr__(self, name, value)


class ReadOnlyRecordError(AttributeError):
    """A record's field was assigned after the record was built."""


def _guarded_setattr(record: Record, name: str, value: Any) -> None:
    if hasattr(record, name):  # a slot is unset only until __init__ fills it
        raise ReadOnlyRecordError(f"{type(record).__name__}.{name} is read-only")
    object.__setattr__(record, name, value)


def guard_writes(enabled: bool = True) -> None:
    """Make reassigning any record's field raise (for tests: it slows every record down)."""
    if enabled:
        Record.__setattr__ = _guarded_setattr  # type: ignore[assignment]  # replacing a method on purpose
    elif "__setattr__" in vars(Record):
        del Record.__setattr__
