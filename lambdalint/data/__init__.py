"""AWS facts lambdalint's rules rely on, from the JSON files beside this module.

Every value in ``runtimes.json``, ``limits.json`` and ``managed_policies.json`` carries the
AWS documentation page it came from and the date it was checked, so a stale number can be
traced and fixed in data rather than in rule code. The files are what people edit; at run
time the values come from ``tables.py``, generated from them by ``python -m
lambdalint.data.build`` (a compiled module loads in a fraction of what importing ``json`` and
parsing the files costs; a test fails when it is stale). The returned dicts are shared, so
callers must treat them as read-only.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Dict, Optional, Tuple


def load(name: str) -> Dict[str, Any]:
    """The parsed content of one data file (``runtimes.json``, ``limits.json``, ...)."""
    from .tables import TABLES  # here, so that `lambdalint.data.build` can rewrite a stale or broken tables.py

    return TABLES[name]


def runtimes() -> Dict[str, Dict[str, Any]]:
    """Map of runtime identifier (``python3.12``) to its row.

    A row has ``family``, ``version``, ``deprecation``/``block_create``/``block_update``
    (``YYYY-MM-DD`` or ``None``), the flags ``snapstart``, ``edge``, ``inline_code``, and
    ``source``/``checked``; optionally ``note``, ``container_only``,
    ``deprecation_after_block`` (AWS lists the deprecation date after a block date) and ``os``
    (the Amazon Linux release it runs on: see ``runtime_glibc``).
    """
    return load("runtimes.json")["runtimes"]


def runtime(identifier: str) -> Optional[Dict[str, Any]]:
    """The row for one runtime identifier, or ``None`` when AWS documents no such runtime."""
    return runtimes().get(identifier)


def runtime_glibc(identifier: Any) -> Optional[Tuple[str, Tuple[int, int]]]:
    """(operating system, glibc version) a runtime runs on: ("Amazon Linux 2", (2, 26)); None when unknown."""
    row = runtimes().get(identifier) if isinstance(identifier, str) else None
    system = row.get("os") if row else None
    found = load("runtimes.json")["operating_systems"]["systems"].get(system) if system else None
    if not found:
        return None
    major, _, minor = found["glibc"].partition(".")
    return str(system), (int(major), int(minor))


def runtime_families() -> Dict[str, Dict[str, Any]]:
    """Map of runtime family (``python``, ``nodejs``, ...) to handler format metadata:
    ``handler_format``, ``handler_example``, ``handler_pattern`` (a permissive regex),
    ``note``, ``source``, ``checked``."""
    return load("runtimes.json")["families"]


@cache
def limits() -> Dict[str, Any]:
    """Map of limit name (``memory_mb_max``) to its value (a number or a list)."""
    rows = load("limits.json")["limits"]
    return {name: row["value"] for name, row in rows.items()}


def limit_entry(name: str) -> Dict[str, Any]:
    """The full row of one limit: ``value``, ``source``, ``checked`` and maybe ``note``.

    Raises ``KeyError`` for an unknown name, so a typo in a rule fails its tests loudly.
    """
    return load("limits.json")["limits"][name]


def limit_source(name: str) -> str:
    """The AWS documentation URL a limit was taken from (for rule messages and docs)."""
    return limit_entry(name)["source"]
