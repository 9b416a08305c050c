"""Properties: the IAM layer never raises on policy-shaped input, and doubt never becomes False."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdalint.iam.managed import managed_permissions
from lambdalint.iam.policy import Permissions
from lambdalint.iam.sam_policies import sam_policies_permissions

ACTIONS = st.sampled_from(["*", "s3:*", "s3:Get*", "s3:*Object", "sqs:ReceiveMessage", "logs:?utLogEvents",
                           "SQS:receivemessage", "", ":", "**", "a:b?"])
NAMES = st.text(alphabet="abcQ.:*?${}/-", max_size=12)
INTRINSICS = st.one_of(
    st.builds(lambda n: {"Ref": n}, NAMES),
    st.builds(lambda a, b: {"Fn::GetAtt": [a, b]}, NAMES, NAMES),
    st.builds(lambda s: {"Fn::Sub": s}, NAMES),
    st.builds(lambda s, v: {"Fn::Sub": [s, {"v": v}]}, NAMES, NAMES),
    st.builds(lambda parts: {"Fn::Join": ["", parts]}, st.lists(NAMES, max_size=3)),
    st.just({"Ref": "AWS::NoValue"}),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), NAMES, ACTIONS)
VALUES = st.recursive(
    st.one_of(SCALARS, INTRINSICS),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["Effect", "Action", "NotAction", "Resource", "NotResource",
                                         "Condition", "Statement", "Fn::If", "Sid", "x"]), inner, max_size=4),
        st.builds(lambda c, a, b: {"Fn::If": [c, a, b]}, NAMES, inner, inner),
    ),
    max_leaves=20,
)
STATEMENTS = st.fixed_dictionaries(
    {},
    optional={
        "Effect": st.one_of(st.sampled_from(["Allow", "Deny", "allow"]), VALUES),
        "Action": st.one_of(ACTIONS, st.lists(st.one_of(ACTIONS, VALUES), max_size=3), VALUES),
        "NotAction": st.one_of(ACTIONS, st.lists(ACTIONS, max_size=3)),
        "Resource": st.one_of(st.just("*"), NAMES, INTRINSICS, st.lists(st.one_of(NAMES, INTRINSICS), max_size=3)),
        "NotResource": st.one_of(NAMES, INTRINSICS),
        "Condition": VALUES,
    },
)
DOCUMENTS = st.one_of(
    VALUES,
    st.builds(lambda s: {"Statement": s}, st.one_of(STATEMENTS, st.lists(st.one_of(STATEMENTS, VALUES), max_size=4))),
)
QUERIES = st.one_of(st.just(None), NAMES, INTRINSICS, VALUES)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(DOCUMENTS, ACTIONS, QUERIES)
def test_allows_never_raises_and_returns_a_tri(document, action, resource):
    p = Permissions.from_document(document)
    for answer in (p.allows(action), p.allows(action, resource), p.allows_any([action, "x:y"], resource),
                   p.allows_all([action], resource)):
        assert answer in (True, False, None)
    p.wildcard_grants()


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(DOCUMENTS, ACTIONS, QUERIES)
def test_doubt_only_moves_answers_towards_unknown(document, action, resource):
    """Adding an unreadable statement or an unknown policy keeps an answer or turns it into None:
    it never creates a False (or a True) that was not there."""
    known = Permissions.from_document(document)
    unreadable = Permissions.from_document({"Statement": [{"Effect": {"Ref": "E"}, "Action": action, "Resource": "*"}]})
    for extra in (Permissions.unknown(), unreadable):
        for query in ((), (resource,)):
            before = known.allows(action, *query)
            after = (known + extra).allows(action, *query)
            assert after in (before, None), (before, after)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(VALUES, ACTIONS)
def test_managed_and_sam_entry_points_never_raise(value, action):
    assert managed_permissions(value).allows(action) in (True, False, None)
    assert sam_policies_permissions(value).allows(action) in (True, False, None)
    assert sam_policies_permissions([value, {"SQSPollerPolicy": value}]).allows(action, value) in (True, False, None)
