"""IAM policy documents as statements, and what a set of statements allows.

Answers are three-valued (`Tri`): True when an unconditional Allow surely
covers the request, False when it surely is not allowed, None when we cannot
tell. Rules report a missing permission only on False, so every doubt (an
intrinsic we cannot compare, a Condition, a CloudFormation Fn::If branch, a
policy we do not know) must end as None, never as False.

Values stay plain Python as loaded from YAML/JSON. CloudFormation intrinsics
in resources are compared through the model's normal form in `Fn::Sub` syntax
(`lambdalint.model.values.normalise_value`): `{"Ref": "T"}` -> `${T}`. A `${...}`
token is an opaque value: it matches only the same token (or a `*` around it).
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple, Union

from ..lazy import lazy_pattern
from ..model.values import UNKNOWN, if_branches, normalise_value
from ..records import Record

Tri = Optional[bool]


class _Marker:
    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


ANY: Any = _Marker("ANY")
"""Query resource meaning "on some resource": is the action allowed at all?"""

Item = Union[str, Any]  # a string pattern, or UNKNOWN for an item we could not read (an intrinsic, a wrong type)


class ResourceForms(Record):
    """Several spellings of one resource, e.g. `!GetAtt Q.Arn` and the ARN SAM builds from `Q.QueueName`.

    `allows` answers True when any form is surely allowed, False only when every form is surely not.
    """

    __slots__ = ("forms",)

    def __init__(self, forms: Tuple[Any, ...]) -> None:
        self.forms = forms


class Statement(Record):
    __slots__ = ("effect", "actions", "not_actions", "resources", "not_resources", "has_condition", "unknown",
                 "in_branch", "origin")

    def __init__(
        self,
        effect: Optional[str],
        actions: Optional[Tuple[Item, ...]],
        not_actions: Optional[Tuple[Item, ...]],
        resources: Optional[Tuple[Item, ...]],
        not_resources: Optional[Tuple[Item, ...]],
        has_condition: bool = False,
        unknown: bool = False,
        in_branch: bool = False,
        origin: str = "",
    ) -> None:
        self.effect = effect  # "Allow", "Deny", or None when unreadable
        self.actions = actions  # None when the statement uses NotAction
        self.not_actions = not_actions
        self.resources = resources  # normalised patterns (see module doc) or UNKNOWN
        self.not_resources = not_resources
        self.has_condition = has_condition
        self.unknown = unknown  # some part could not be read
        self.in_branch = in_branch  # came from one branch of a CloudFormation Fn::If: it may not exist
        self.origin = origin  # where it came from (managed policy or SAM template name), for messages

    @property
    def conditional(self) -> bool:
        return self.has_condition or self.in_branch


UNKNOWN_STATEMENT = Statement(None, (UNKNOWN,), None, (UNKNOWN,), None, unknown=True)


# --------------------------------------------------------------------------- parsing

_NO_VALUE = {"Ref": "AWS::NoValue"}


def parse_policy(document: Any, origin: str = "") -> Tuple[Statement, ...]:
    """Statements of a policy document; never raises. Unreadable parts become unknown statements."""
    return tuple(_parse_document(document, origin, in_branch=False, depth=0))


def _parse_document(document: Any, origin: str, in_branch: bool, depth: int) -> List[Statement]:
    if depth > 20:
        return [UNKNOWN_STATEMENT.replace(origin=origin)]
    if document == _NO_VALUE:
        return []
    branches = if_branches(document)
    if branches is not None:
        return [s for b in branches for s in _parse_document(b, origin, True, depth + 1)]
    if isinstance(document, str):
        # CloudFormation accepts a policy document given as a JSON string
        import json  # rare: not worth its import on every start

        try:
            document = json.loads(document)
        except ValueError:
            return [UNKNOWN_STATEMENT.replace(origin=origin)]
        return _parse_document(document, origin, in_branch, depth + 1)
    if not isinstance(document, dict) or "Statement" not in document:
        return [UNKNOWN_STATEMENT.replace(origin=origin, in_branch=in_branch)]
    raw = document["Statement"]
    items = raw if isinstance(raw, list) else [raw]
    statements: List[Statement] = []
    for item in items:
        statements.extend(_parse_statement_value(item, origin, in_branch, depth + 1))
    return statements


def _parse_statement_value(raw: Any, origin: str, in_branch: bool, depth: int) -> List[Statement]:
    if raw == _NO_VALUE:
        return []
    branches = if_branches(raw)
    if branches is not None:
        if depth > 20:
            return [UNKNOWN_STATEMENT.replace(origin=origin)]
        return [s for b in branches for s in _parse_statement_value(b, origin, True, depth + 1)]
    if isinstance(raw, list):  # a branch may give a list of statements
        return [s for item in raw for s in _parse_statement_value(item, origin, in_branch, depth + 1)]
    return [parse_statement(raw, origin=origin, in_branch=in_branch)]


def parse_statement(raw: Any, origin: str = "", in_branch: bool = False) -> Statement:
    """One statement mapping; any other value is an unknown statement."""
    if not isinstance(raw, dict):
        return UNKNOWN_STATEMENT.replace(origin=origin, in_branch=in_branch)
    unknown = False
    effect_value = raw.get("Effect")
    effect: Optional[str] = None
    if isinstance(effect_value, str) and effect_value.lower() in ("allow", "deny"):
        effect = effect_value.capitalize()
    else:
        unknown = True

    actions = _action_items(raw["Action"]) if "Action" in raw else None
    not_actions = _action_items(raw["NotAction"]) if "NotAction" in raw else None
    if actions is None and not_actions is None or actions is not None and not_actions is not None:
        actions, not_actions = (UNKNOWN,), None

    resources = _resource_items(raw["Resource"]) if "Resource" in raw else None
    not_resources = _resource_items(raw["NotResource"]) if "NotResource" in raw else None
    if resources is None and not_resources is None or resources is not None and not_resources is not None:
        resources, not_resources = (UNKNOWN,), None

    for items in (actions, not_actions, resources, not_resources):
        if items is not None and any(item is UNKNOWN for item in items):
            unknown = True
    condition = raw.get("Condition")
    has_condition = condition is not None and condition != {} and condition != _NO_VALUE
    return Statement(effect, actions, not_actions, resources, not_resources,
                     has_condition=has_condition, unknown=unknown, in_branch=in_branch, origin=origin)


def _action_items(value: Any) -> Tuple[Item, ...]:
    values = value if isinstance(value, list) else [value]
    return tuple(v if isinstance(v, str) else UNKNOWN for v in values)


def _resource_items(value: Any) -> Tuple[Item, ...]:
    values = value if isinstance(value, list) else [value]
    items: List[Item] = []
    for v in values:
        form = normalise_value(v)
        items.append(UNKNOWN if form is None else form)
    return tuple(items)


# --------------------------------------------------------------------------- glob matching


class _Placeholder:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Placeholder) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


_PLACEHOLDER = lazy_pattern(r"\$\{[^}]*\}")
_MAX_DP_CELLS = 400_000  # a pair of patterns this large is unknown rather than slow


def _tokens(text: str) -> List[Any]:
    tokens: List[Any] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        tokens.extend(text[position:match.start()])
        tokens.append(_Placeholder(match.group(0)))
        position = match.end()
    tokens.extend(text[position:])
    return tokens


def _single(token: Any) -> bool:
    """A token that stands for exactly one known-or-`?` character."""
    return isinstance(token, str) and token != "*"


def _covers(pattern: Sequence[Any], query: Sequence[Any]) -> Optional[bool]:
    """Every string `query` can stand for is matched by `pattern` (placeholders are opaque)."""
    n, m = len(pattern), len(query)
    if (n + 1) * (m + 1) > _MAX_DP_CELLS:
        return None
    below = [False] * (m + 1)  # row i + 1 of the table; row n: only the empty query is covered
    below[m] = True
    for i in range(n - 1, -1, -1):
        p = pattern[i]
        row = [False] * (m + 1)
        for j in range(m, -1, -1):
            if p == "*":
                row[j] = below[j] or (j < m and row[j + 1])
            elif j < m:
                q = query[j]
                if isinstance(p, _Placeholder):
                    ok = p == q
                elif p == "?":
                    ok = _single(q)
                else:
                    ok = isinstance(q, str) and q == p and q not in ("*", "?")
                row[j] = ok and below[j + 1]
        below = row
    return below[0]


def _intersects(pattern: Sequence[str], query: Sequence[str]) -> Optional[bool]:
    """Some string matches both globs (no placeholders here)."""
    n, m = len(pattern), len(query)
    if (n + 1) * (m + 1) > _MAX_DP_CELLS:
        return None
    dp = [[False] * (m + 1) for _ in range(n + 1)]
    dp[n][m] = True
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if i == n and j == m:
                continue
            p = pattern[i] if i < n else None
            q = query[j] if j < m else None
            result = False
            if p == "*":
                result = dp[i + 1][j] or (q is not None and dp[i][j + 1])
            if not result and q == "*":
                result = dp[i][j + 1] or (p is not None and dp[i + 1][j])
            if not result and p is not None and q is not None and p != "*" and q != "*":
                if p == "?" or q == "?" or p == q:
                    result = dp[i + 1][j + 1]
            dp[i][j] = result
    return dp[0][0]


def _glob(pattern: str, query: str, ignore_case: bool) -> Tri:
    """True: pattern covers query; False: they share no string; None: partly or unknowable."""
    if ignore_case:
        pattern, query = pattern.lower(), query.lower()
    if pattern == "*" or pattern == query:
        return True
    if not _has_wildcard(pattern) and not _has_wildcard(query):
        return False  # two different plain strings: the common case, decided without tokens
    return _glob_tokens(pattern, query)


def _has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text or "${" in text


@functools.lru_cache(maxsize=16384)
def _glob_tokens(pattern: str, query: str) -> Tri:
    p_tokens, q_tokens = _tokens(pattern), _tokens(query)
    covered = _covers(p_tokens, q_tokens)
    if covered:
        return True
    if covered is None:
        return None
    if any(isinstance(t, _Placeholder) for t in p_tokens) or any(isinstance(t, _Placeholder) for t in q_tokens):
        return None  # a placeholder may resolve to anything
    if "*" not in q_tokens and "?" not in q_tokens:
        return False  # a plain query that is not covered is not matched at all
    shared = _intersects(p_tokens, q_tokens)
    return None if shared is None or shared else False


# --------------------------------------------------------------------------- evaluation

_UNREADABLE_QUERY: Any = _Marker("UNREADABLE")
UNKNOWN_MATCH: Tri = None  # an unreadable action or resource item may or may not match


def _any_of(results: Iterable[Tri]) -> Tri:
    """Some item matches: True if one surely does, False if all surely do not."""
    outcome: Tri = False
    for result in results:
        if result:
            return True
        if result is None:
            outcome = None
    return outcome


def _action_match(statement: Statement, action: str) -> Tri:
    if statement.actions is not None:
        return _any_of(UNKNOWN_MATCH if item is UNKNOWN else _glob(item, action, True) for item in statement.actions)
    excluded = _any_of(
        UNKNOWN_MATCH if item is UNKNOWN else _glob(item, action, True) for item in statement.not_actions or ()
    )
    return None if excluded is None else not excluded


def _resource_item_match(item: Item, query: Any) -> Tri:
    if item is UNKNOWN or query is _UNREADABLE_QUERY:
        return None if item != "*" else True
    return _glob(item, query, False)


def _resource_match(statement: Statement, query: Any, deny: bool) -> Tri:
    if query is ANY:
        # Allow: the statement grants the action on *some* resource. Deny: it removes the
        # action everywhere only when it names every resource.
        if statement.resources is not None:
            if deny:
                return True if "*" in statement.resources else None
            return True if statement.resources else False
        if deny:
            return None
        return False if "*" in (statement.not_resources or ()) else True
    if statement.resources is not None:
        return _any_of(_resource_item_match(item, query) for item in statement.resources)
    excluded = _any_of(_resource_item_match(item, query) for item in statement.not_resources or ())
    return None if excluded is None else not excluded


def statement_applies(statement: Statement, action: str, resource: Any = ANY, deny: bool = False) -> Tri:
    """Does the statement surely (True), surely not (False) or perhaps (None) apply to the request?"""
    action_match = _action_match(statement, action)
    if action_match is False:
        return False
    resource_match = _resource_match(statement, resource, deny)
    if resource_match is False:
        return False
    if action_match and resource_match:
        return None if statement.conditional else True
    return None


class WildcardGrant(Record):
    __slots__ = ("kind", "action", "origin", "in_branch")

    def __init__(self, kind: str, action: str, origin: str, in_branch: bool) -> None:
        self.kind = kind  # "all-actions", "service-wildcard", "not-action", "admin-policy"
        self.action = action  # the pattern that grants broadly ("*", "s3:*"; "NotAction" for not-action)
        self.origin = origin  # managed policy or SAM template name, "" for inline statements
        self.in_branch = in_branch


ADMIN_POLICY_NAMES = frozenset({"AdministratorAccess", "PowerUserAccess"})
_SERVICE_WILDCARD = lazy_pattern(r"^[A-Za-z0-9-]+:\*$")


class Permissions(Record):
    """Effective permissions of a role: its statements, and whether parts could not be read.

    `incomplete` marks policies we could not see (customer managed ARN, unknown AWS managed
    policy, unresolvable SAM template): they can only turn a False into None.
    """

    __slots__ = ("statements", "incomplete")

    def __init__(self, statements: Tuple[Statement, ...] = (), incomplete: bool = False) -> None:
        self.statements = statements
        self.incomplete = incomplete

    @classmethod
    def from_document(cls, document: Any, origin: str = "") -> Permissions:
        return cls(parse_policy(document, origin))

    @classmethod
    def unknown(cls) -> Permissions:
        return cls((), incomplete=True)

    def __add__(self, other: Permissions) -> Permissions:
        return Permissions(self.statements + other.statements, self.incomplete or other.incomplete)

    @staticmethod
    def combine(parts: Iterable[Permissions]) -> Permissions:
        result = Permissions()
        for part in parts:
            result = result + part
        return result

    def marked_in_branch(self, in_branch: bool = True) -> Permissions:
        """These permissions as coming from one side of an `Fn::If` (possible, never sure)."""
        if not in_branch:
            return self
        return Permissions(tuple(s.replace(in_branch=True) for s in self.statements), self.incomplete)

    def allows(self, action: str, resource: Any = ANY) -> Tri:
        """Is `action` allowed on `resource` (a value as in the template, ANY, or ResourceForms)?"""
        if isinstance(resource, ResourceForms):
            return _any_of(self.allows(action, form) for form in resource.forms) if resource.forms else None
        if not isinstance(action, str) or not action:
            return None
        if resource is ANY:
            query: Any = ANY
        else:
            form = normalise_value(resource)
            query = _UNREADABLE_QUERY if form is None else form
        allowed = allowed_maybe = denied_maybe = False
        for statement in self.statements:
            if statement.effect == "Deny":
                match = statement_applies(statement, action, query, deny=True)
                if match:
                    return False
                denied_maybe = denied_maybe or match is None
            elif statement.effect == "Allow":
                match = statement_applies(statement, action, query)
                allowed = allowed or bool(match)
                allowed_maybe = allowed_maybe or match is None
            else:
                as_allow = statement_applies(statement, action, query)
                as_deny = statement_applies(statement, action, query, deny=True)
                if as_allow is not False or as_deny is not False:
                    allowed_maybe = denied_maybe = True
        if allowed:
            return None if denied_maybe else True
        if allowed_maybe or self.incomplete:
            return None
        return False

    def allows_any(self, actions: Iterable[str], resource: Any = ANY) -> Tri:
        """At least one of `actions` is allowed."""
        return allows_any(self.allows, actions, resource)

    def allows_all(self, actions: Iterable[str], resource: Any = ANY) -> Tri:
        """Every one of `actions` is allowed (False as soon as one surely is not)."""
        return allows_all(self.allows, actions, resource)

    def wildcard_grants(self) -> Tuple[WildcardGrant, ...]:
        """Broad unconditional Allow grants (LL5004): `*` actions, `service:*` on `*`, NotAction on `*`,
        and statements of an admin managed policy. Statements with an IAM Condition are left out."""
        grants: List[WildcardGrant] = []
        for statement in self.statements:
            if statement.effect != "Allow" or statement.has_condition:
                continue
            admin = statement.origin in ADMIN_POLICY_NAMES
            on_everything = "*" in (statement.resources or ())
            if statement.not_actions is not None:
                if on_everything or admin:
                    grants.append(WildcardGrant("admin-policy" if admin else "not-action", "NotAction",
                                                statement.origin, statement.in_branch))
                continue
            for action in statement.actions or ():
                if action is UNKNOWN:
                    continue
                if action in ("*", "*:*"):
                    kind = "all-actions"
                elif _SERVICE_WILDCARD.match(action) and on_everything:
                    kind = "service-wildcard"
                else:
                    continue
                grants.append(WildcardGrant("admin-policy" if admin else kind, action,
                                            statement.origin, statement.in_branch))
        return tuple(grants)


def allows_any(allows: Callable[[str, Any], Tri], actions: Iterable[str], resource: Any = ANY) -> Tri:
    """At least one of `actions` is allowed, asking `allows(action, resource)` for each."""
    return _any_of(allows(action, resource) for action in actions)


def allows_all(allows: Callable[[str, Any], Tri], actions: Iterable[str], resource: Any = ANY) -> Tri:
    """Every one of `actions` is allowed, asking `allows(action, resource)` for each."""
    outcome: Tri = True
    for action in actions:
        result = allows(action, resource)
        if result is False:
            return False
        if result is None:
            outcome = None
    return outcome
