"""The IAM actions execution-role policies name, where the template writes each one.

The documents are the role model's (`roles.written_policy_documents`); here each statement's
`Action` items are read with their template path, through `Fn::If` branches and
`AWS::NoValue`. An item is given as the string it resolves to, or skipped when it cannot be
known (a `Ref` of a parameter without a default, a `Sub` of a resource attribute): what
lambdalint cannot know it says nothing about. `NotAction` items are not read.
"""

from __future__ import annotations

from typing import Any, Iterator, List, Optional, Tuple

from ..findings import Path
from ..iam.actions import action_exists, closest_action
from ..records import Record
from .roles import distinct_roles, written_policy_documents
from .template import TemplateModel
from .values import NO_VALUE, if_branches

_NO_VALUE = {"Ref": "AWS::NoValue"}
_MAX_DEPTH = 10


class WrittenAction(Record):
    """One `Action` item of an execution-role policy: its path, resolved text and statement effect."""

    __slots__ = ("path", "action", "effect", "owner")

    def __init__(self, path: Path, action: str, effect: Any, owner: str) -> None:
        self.path = path
        self.action = action
        self.effect = effect  # "Allow", "Deny" or what the statement says (perhaps unresolved)
        self.owner = owner  # the logical ID a finding belongs to: the policy's resource


def execution_role_actions(model: TemplateModel) -> List[WrittenAction]:
    """Every readable `Action` item of the policies of the template's execution roles, each once
    (a policy attached to two roles is one place to fix), in the order the roles are used."""
    def build(model: TemplateModel) -> List[WrittenAction]:
        found: List[WrittenAction] = []
        seen = set()
        for role, _ in distinct_roles(model):
            for path, document in written_policy_documents(model, role):
                if path in seen:
                    continue
                seen.add(path)
                found.extend(_document_actions(model, document, path))
        return found

    return model.memo("role_actions.execution", build)



def unknown_actions(model: TemplateModel) -> List[Tuple[WrittenAction, Optional[str]]]:
    """The execution-role actions IAM is sure it does not have (`iam.actions.action_exists` is
    False: a wildcard matching no action, or a name no service defines), each with the closest
    existing action to suggest (None for a wildcard, or when nothing is close)."""
    found = []
    for written in execution_role_actions(model):
        if action_exists(written.action) is not False:
            continue
        wildcard = "*" in written.action or "?" in written.action
        found.append((written, None if wildcard else closest_action(written.action)))
    return found

def _document_actions(model: TemplateModel, document: Any, path: Path) -> Iterator[WrittenAction]:
    statements = document.get("Statement")
    owner = str(path[1])
    for statement_path, statement in _alternatives(statements, path + ("Statement",), 0):
        if isinstance(statement, list):
            items = [(statement_path + (index,), item) for index, item in enumerate(statement)]
        else:
            items = [(statement_path, statement)]
        for item_path, item in items:
            for branch_path, branch in _alternatives(item, item_path, 0):
                if isinstance(branch, dict) and "Action" in branch:
                    effect = model.resolve(branch.get("Effect"))
                    for action_path, action in _action_items(model, branch["Action"], branch_path + ("Action",)):
                        yield WrittenAction(action_path, action, effect, owner)


def _action_items(model: TemplateModel, value: Any, path: Path) -> Iterator[Tuple[Path, str]]:
    for value_path, item in _alternatives(value, path, 0):
        entries = [(value_path + (index,), entry) for index, entry in enumerate(item)] if isinstance(item, list) \
            else [(value_path, item)]
        for entry_path, entry in entries:
            for branch_path, branch in _alternatives(entry, entry_path, 0):
                resolved = model.resolve(branch)
                if isinstance(resolved, str) and "${" not in resolved:
                    yield branch_path, resolved


def _alternatives(value: Any, path: Path, depth: int) -> Iterator[Tuple[Path, Any]]:
    """What `value` may be: each branch of an `Fn::If` (with its path), nothing for `AWS::NoValue`."""
    if value == _NO_VALUE or value is NO_VALUE:
        return
    branches = if_branches(value)
    if branches is None or depth >= _MAX_DEPTH:
        yield path, value
        return
    for index, branch in enumerate(branches):
        yield from _alternatives(branch, path + ("Fn::If", index + 1), depth + 1)
