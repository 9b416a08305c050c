"""SAM `Policies`: managed policy names, inline documents and SAM policy templates.

Policy templates (`- DynamoDBReadPolicy: {TableName: !Ref T}`) are expanded from
the definitions that aws-sam-translator ships as data,
`samtranslator/policy_templates_data/policy_templates.json`. We locate that file
with `importlib.util.find_spec("samtranslator")`, which for a top-level package
reads only the import path and does not execute `samtranslator/__init__.py`
(checked with aws-sam-translator 1.115.0: `samtranslator` stays out of
`sys.modules`). Without the package every template is unknown, not an error.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

from ..model.values import if_branches
from .managed import managed_permissions
from .policy import Permissions, Statement, parse_policy

_TEMPLATES_FILE = os.path.join("policy_templates_data", "policy_templates.json")
_NO_VALUE = {"Ref": "AWS::NoValue"}


def policy_templates_path() -> Optional[str]:
    """Where aws-sam-translator's policy template definitions are, without importing it."""
    try:
        spec = importlib.util.find_spec("samtranslator")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = os.path.join(folder, _TEMPLATES_FILE)
        if os.path.isfile(candidate):
            return candidate
    return None


@lru_cache(maxsize=1)
def policy_templates() -> Optional[Dict[str, Any]]:
    """Template name -> definition (`Definition`, `Parameters`), or None when unavailable."""
    path = policy_templates_path()
    if path is None:
        return None
    import json  # only templates whose SAM functions name policy templates need it

    try:
        with open(path, encoding="utf-8") as handle:
            templates = json.load(handle).get("Templates")
    except (OSError, ValueError, AttributeError):
        return None
    return templates if isinstance(templates, dict) else None


def expand_policy_template(name: str, parameters: Any) -> Optional[Tuple[Statement, ...]]:
    """Statements of SAM policy template `name` with `parameters` substituted (values kept as
    given, intrinsics included). None when the template or a required parameter is unknown."""
    templates = policy_templates()
    if templates is None or name not in templates:
        return None
    template = templates[name]
    declared = template.get("Parameters") or {}
    if not isinstance(parameters, dict):
        if declared:
            return None
        parameters = {}
    if any(parameter not in parameters for parameter in declared):
        return None  # SAM refuses such a template; nothing to say about permissions
    definition = _substitute(template.get("Definition"), declared, parameters)  # a new tree: the data stays as read
    return parse_policy(definition, origin=name)


def _substitute(value: Any, declared: Dict[str, Any], parameters: Dict[str, Any]) -> Any:
    """Replace `{"Ref": <template parameter>}` with the given value, as the SAM translator does."""
    if isinstance(value, dict):
        if len(value) == 1 and "Ref" in value and isinstance(value["Ref"], str) and value["Ref"] in declared:
            return _substitute(parameters[value["Ref"]], {}, {})  # a copy (containers rebuilt)
        return {key: _substitute(item, declared, parameters) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute(item, declared, parameters) for item in value]
    return value


def sam_policies_permissions(policies: Any) -> Permissions:
    """Permissions granted by a SAM function's `Policies` property (string, mapping or list).

    Only what `Policies` names: the lead's model adds what SAM attaches on its own (such as
    AWSLambdaBasicExecutionRole)."""
    return Permissions.combine(_entry(entry, in_branch=False, depth=0) for entry in _entries(policies))


def _entries(policies: Any) -> List[Any]:
    if policies is None:
        return []
    return policies if isinstance(policies, list) else [policies]


def _entry(entry: Any, in_branch: bool, depth: int) -> Permissions:
    if depth > 10:
        return Permissions.unknown()
    if entry is None or entry == _NO_VALUE:
        return Permissions()
    if isinstance(entry, str):
        return managed_permissions(entry).marked_in_branch(in_branch)
    if not isinstance(entry, dict):
        return Permissions.unknown()
    branches = if_branches(entry)
    if branches is not None:  # a malformed Fn::If is unknown, below
        return Permissions.combine(
            _entry(item, True, depth + 1) for branch in branches for item in _entries(branch)
        )
    if "Statement" in entry:
        return Permissions.from_document(entry).marked_in_branch(in_branch)
    if len(entry) == 1:
        (name, parameters), = entry.items()
        if isinstance(name, str) and not name.startswith("Fn::") and name != "Ref":
            statements = expand_policy_template(name, parameters)
            if statements is not None:
                return Permissions(statements).marked_in_branch(in_branch)
        if name in ("Fn::Sub", "Fn::Join"):  # a managed policy ARN built from the partition
            return managed_permissions(entry).marked_in_branch(in_branch)
    return Permissions.unknown()
