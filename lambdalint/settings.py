"""The run-wide knobs rules may read: dates, quotas, parameter overrides."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional


@dataclass(frozen=True)
class Settings:
    today: datetime.date = field(default_factory=datetime.date.today)
    parameters: Mapping[str, Any] = field(default_factory=dict)  # template parameter overrides
    limits: Mapping[str, Any] = field(default_factory=dict)  # overrides of lambdalint/data/limits.json
    images: Mapping[str, str] = field(default_factory=dict)  # function logical ID -> image tarball/layout
    per_rule_timeout: Optional[float] = None

    def limit(self, name: str) -> Any:
        """A quota: the config's override, else the value in limits.json (KeyError names the limit)."""
        if name in self.limits:
            return self.limits[name]
        return _data_limits()[name]


_LIMITS: Optional[Mapping[str, Any]] = None


def _data_limits() -> Mapping[str, Any]:
    global _LIMITS
    if _LIMITS is None:
        from . import data  # read on first use, once per process

        _LIMITS = data.limits()
    return _LIMITS


DEFAULT_SETTINGS = Settings()


def parse_date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(str(text))


def merged_limits(*layers: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    merged: Dict[str, Any] = {}
    for layer in layers:
        merged.update(layer or {})
    return merged
