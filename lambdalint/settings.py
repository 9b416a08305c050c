"""The run-wide knobs rules may read: dates, quotas, parameter overrides."""

from __future__ import annotations

import datetime
from typing import Any, Collection, Mapping, Optional, Tuple

from . import data
from .records import Record


class Settings(Record):
    __slots__ = ("today", "parameters", "limits", "images", "per_rule_timeout", "known_rules", "artifact_roots",
                 "serverless_env")

    def __init__(self, today: Optional[datetime.date] = None,
                 parameters: Optional[Mapping[str, Any]] = None,  # template parameter overrides
                 limits: Optional[Mapping[str, Any]] = None,  # overrides of lambdalint/data/limits.json
                 images: Optional[Mapping[str, str]] = None,  # function logical ID -> image tarball/layout
                 per_rule_timeout: Optional[float] = None,
                 known_rules: Collection[str] = (),  # every registered rule ID (LL0005 checks names)
                 artifact_roots: Tuple[str, ...] = (),  # absolute folders packages may also lie in
                 serverless_env: bool = False) -> None:  # `${env:}` of serverless.yml from the environment
        self.today = today if today is not None else datetime.date.today()
        self.parameters = parameters if parameters is not None else {}
        self.limits = limits if limits is not None else {}
        self.images = images if images is not None else {}
        self.per_rule_timeout = per_rule_timeout
        self.known_rules = frozenset(known_rules)
        self.artifact_roots = artifact_roots
        self.serverless_env = serverless_env

    def limit(self, name: str) -> Any:
        """A quota: the config's override, else the value in limits.json (KeyError names the limit)."""
        if name in self.limits:
            return self.limits[name]
        return _data_limits()[name]


_LIMITS: Optional[Mapping[str, Any]] = None


def _data_limits() -> Mapping[str, Any]:
    global _LIMITS
    if _LIMITS is None:
        _LIMITS = data.limits()
    return _LIMITS


DEFAULT_SETTINGS = Settings()
