"""Which IAM actions exist: `data/iam_actions.json`, compiled from cfn-lint by tools/iam_actions.py.

The file (half a megabyte) is read on the first question, which only a template with an
execution-role policy asks. IAM matches actions ignoring case, and `*` / `?` in the action
name match any run of characters / one character
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Pattern

DATA_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "iam_actions.json")


@lru_cache(maxsize=1)
def known_actions() -> Dict[str, FrozenSet[str]]:
    """Service prefix -> its action names in lower case; {} when the data cannot be read."""
    import json  # only for templates with role policies: not worth its import on every start

    try:
        with open(DATA_FILE, encoding="utf-8") as handle:
            services = json.load(handle)["services"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {prefix: frozenset(actions) for prefix, actions in services.items()}


def action_exists(action: str) -> Optional[bool]:
    """Whether `service:name` (a pattern with `*`/`?` too) names at least one IAM action of the data.

    None when it cannot be told: no `service:` part, a wildcard in the service, or a service
    the data does not list (a service newer than the data is not a mistake).
    """
    service, colon, name = action.partition(":")
    if not colon or not name or any(ch in service for ch in "*?"):
        return None
    actions = known_actions().get(service.lower())
    if actions is None:
        return None
    name = name.lower()
    if "*" not in name and "?" not in name:
        return name in actions
    pattern = _glob(name)
    return any(pattern.fullmatch(candidate) for candidate in actions)


@lru_cache(maxsize=256)
def _glob(name: str) -> Pattern[str]:
    return re.compile("".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in name))


def closest_action(action: str) -> Optional[str]:
    """The existing action of the same service `action` most likely meant, or None.

    An action that begins with the written name (`GetModelInvocationLogging` ->
    `GetModelInvocationLoggingConfiguration`) comes first; else the closest spelling with the
    same first three letters (the verb: `TerminateInstance` -> `TerminateInstances`), so that
    `CreateDurableExecution` is not offered `GetDurableExecution`.
    """
    service, _, name = action.partition(":")
    actions = known_actions().get(service.lower())
    if not actions or not name:
        return None
    lowered = name.lower()
    longer = sorted((candidate for candidate in actions if candidate.startswith(lowered)), key=len)
    if longer:
        return f"{service}:{_in_written_case(longer[0], name)}"
    import difflib  # only when there is a finding to word

    same_verb = sorted(candidate for candidate in actions if candidate[:3] == lowered[:3])
    matches: List[str] = difflib.get_close_matches(lowered, same_verb, n=1, cutoff=0.8)
    return f"{service}:{_in_written_case(matches[0], name)}" if matches else None


def _in_written_case(suggestion: str, written: str) -> str:
    """`suggestion` (lower case, as the data keeps it) in the letter case of `written` where the
    two spell the same letters, so that ListBuckets suggests ListBucket, not listbucket."""
    import difflib

    letters = list(suggestion)
    matcher = difflib.SequenceMatcher(None, written.lower(), suggestion, autojunk=False)
    for block in matcher.get_matching_blocks():
        letters[block.b:block.b + block.size] = written[block.a:block.a + block.size]
    if written[:1].isupper():
        letters[:1] = [letters[0].upper()] if letters else []
    return "".join(letters)
