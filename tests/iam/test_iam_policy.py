"""Policy parsing and three-valued evaluation (lambdalint.iam.policy)."""

from __future__ import annotations

import pytest

from lambdalint.iam.policy import (
    ANY,
    UNKNOWN,
    Permissions,
    ResourceForms,
    parse_policy,
    parse_statement,
)


def allow(action, resource="*", **extra):
    return dict({"Effect": "Allow", "Action": action, "Resource": resource}, **extra)


def deny(action, resource="*", **extra):
    return dict({"Effect": "Deny", "Action": action, "Resource": resource}, **extra)


def perms(*statements):
    return Permissions.from_document({"Version": "2012-10-17", "Statement": list(statements)})


# ------------------------------------------------------------------ action wildcards

@pytest.mark.parametrize(
    "pattern,action,expected",
    [
        ("logs:*", "logs:CreateLogStream", True),
        ("logs:*", "logs:PutLogEvents", True),
        ("logs:*", "sqs:ReceiveMessage", False),
        ("*", "sqs:ReceiveMessage", True),
        ("*:*", "kms:Decrypt", True),
        ("s3:Put*", "s3:PutObject", True),
        ("s3:Put*", "s3:GetObject", False),
        ("s3:*Object", "s3:GetObject", True),
        ("s3:*Object", "s3:GetObjectAcl", False),
        ("s3:Get?bject", "s3:GetObject", True),
        ("s3:Get?bject", "s3:GetObbject", False),
        ("SQS:ReceiveMessage", "sqs:receivemessage", True),  # IAM actions are case-insensitive
        ("sqs:receivemessage", "SQS:ReceiveMessage", True),
        ("sqs:ReceiveMessage", "sqs:ReceiveMessages", False),
        ("logs:*", "logs:*", True),  # a wildcard query is covered by a wider or equal pattern
        ("s3:Put*", "s3:*", None),  # covers only part of the query
        ("s3:Put*", "sqs:*", False),  # shares no action with the query
        ("s3:?", "s3:*", None),
    ],
)
def test_action_wildcards(pattern, action, expected):
    assert perms(allow(pattern)).allows(action) is expected


def test_action_list_and_single_string_both_read():
    assert perms(allow(["sqs:ReceiveMessage", "sqs:DeleteMessage"])).allows("sqs:DeleteMessage") is True
    assert perms(allow("sqs:ReceiveMessage")).allows("sqs:DeleteMessage") is False


def test_no_statements_allows_nothing():
    assert Permissions().allows("logs:PutLogEvents") is False


# ------------------------------------------------------------------ NotAction / Deny / Condition

def test_not_action_allows_everything_not_listed():
    p = perms({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"})
    assert p.allows("s3:GetObject") is True
    assert p.allows("iam:CreateRole") is False
    assert p.allows("organizations:ListAccounts") is False


def test_not_action_with_unknown_item_is_unknown_for_unlisted_actions():
    p = perms({"Effect": "Allow", "NotAction": ["iam:*", {"Ref": "Excluded"}], "Resource": "*"})
    assert p.allows("iam:CreateRole") is False
    assert p.allows("s3:GetObject") is None


def test_unconditional_deny_wins():
    p = perms(allow("sqs:*"), deny("sqs:DeleteMessage"))
    assert p.allows("sqs:DeleteMessage") is False
    assert p.allows("sqs:ReceiveMessage") is True


def test_deny_on_some_resources_makes_any_resource_unknown_not_false():
    p = perms(allow("s3:GetObject"), deny("s3:GetObject", "arn:aws:s3:::secret/*"))
    assert p.allows("s3:GetObject") is None
    assert p.allows("s3:GetObject", "arn:aws:s3:::secret/key") is False
    assert p.allows("s3:GetObject", "arn:aws:s3:::public/key") is True


def test_conditional_allow_is_unknown():
    p = perms(allow("kms:Decrypt", Condition={"StringEquals": {"kms:ViaService": "s3.amazonaws.com"}}))
    assert p.allows("kms:Decrypt") is None
    assert p.allows("sqs:ReceiveMessage") is False  # the condition cannot grant other actions


def test_conditional_deny_turns_true_into_unknown():
    p = perms(allow("s3:*"), deny("s3:PutObject", Condition={"Bool": {"aws:SecureTransport": "false"}}))
    assert p.allows("s3:PutObject") is None
    assert p.allows("s3:GetObject") is True


def test_unknown_effect_never_gives_false():
    p = perms({"Effect": {"Ref": "EffectParam"}, "Action": "sqs:*", "Resource": "*"})
    assert p.allows("sqs:ReceiveMessage") is None
    assert p.allows("s3:GetObject") is False  # it cannot touch actions it does not name


def test_intrinsic_action_is_unknown():
    p = perms(allow({"Fn::Split": [",", {"Ref": "Actions"}]}))
    assert p.statements[0].unknown
    assert p.allows("sqs:ReceiveMessage") is None


def test_incomplete_permissions_turn_false_into_unknown_only():
    p = perms(allow("logs:*")) + Permissions.unknown()
    assert p.allows("sqs:ReceiveMessage") is None
    assert p.allows("logs:PutLogEvents") is True


# ------------------------------------------------------------------ resources

@pytest.mark.parametrize(
    "pattern,resource,expected",
    [
        ("*", "arn:aws:sqs:us-east-1:123456789012:q", True),
        ("arn:aws:sqs:*:*:q", "arn:aws:sqs:us-east-1:123456789012:q", True),
        ("arn:aws:sqs:*:*:q", "arn:aws:sqs:us-east-1:123456789012:other", False),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/key.txt", True),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", False),
        ({"Fn::GetAtt": ["Queue", "Arn"]}, {"Fn::GetAtt": ["Queue", "Arn"]}, True),
        ({"Fn::GetAtt": "Queue.Arn"}, {"Fn::GetAtt": ["Queue", "Arn"]}, True),
        ({"Fn::Sub": "${Queue.Arn}"}, {"Fn::GetAtt": ["Queue", "Arn"]}, True),
        ({"Fn::Sub": "${Bucket.Arn}/*"}, {"Fn::Sub": "${Bucket.Arn}/uploads/a.txt"}, True),
        ({"Fn::Sub": "${Bucket.Arn}/*"}, {"Fn::GetAtt": ["Bucket", "Arn"]}, None),
        ({"Fn::GetAtt": ["Queue", "Arn"]}, {"Fn::GetAtt": ["Other", "Arn"]}, None),  # never False
        ({"Fn::GetAtt": ["Queue", "Arn"]}, "arn:aws:sqs:us-east-1:123456789012:q", None),
        ("arn:aws:sqs:us-east-1:123456789012:q", {"Ref": "QueueArnParam"}, None),
        ({"Ref": "Topic"}, {"Ref": "Topic"}, True),
        (
            {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Ref": "B"}, "/*"]]},
            {"Fn::Sub": "arn:${AWS::Partition}:s3:::${B}/k"},
            True,
        ),
        ({"Fn::If": ["Prod", "*", "arn:aws:s3:::b"]}, "arn:aws:s3:::b", None),
        ({"Fn::ImportValue": "Shared"}, "arn:aws:s3:::b", None),
    ],
)
def test_resource_matching(pattern, resource, expected):
    assert perms(allow("sqs:SendMessage", pattern)).allows("sqs:SendMessage", resource) is expected


def test_any_resource_asks_whether_the_action_is_allowed_somewhere():
    p = perms(allow("logs:PutLogEvents", "arn:aws:logs:*:*:log-group:/aws/lambda/fn:*"))
    assert p.allows("logs:PutLogEvents") is True
    assert p.allows("logs:PutLogEvents", ANY) is True


def test_unreadable_query_resource_is_unknown_unless_pattern_is_star():
    weird = {"Fn::Select": [0, {"Ref": "Arns"}]}
    assert perms(allow("sqs:SendMessage", "arn:aws:sqs:*:*:q")).allows("sqs:SendMessage", weird) is None
    assert perms(allow("sqs:SendMessage", "*")).allows("sqs:SendMessage", weird) is True


def test_not_resource():
    p = perms({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"})
    assert p.allows("s3:GetObject", "arn:aws:s3:::secret/k") is False
    assert p.allows("s3:GetObject", "arn:aws:s3:::public/k") is True
    assert p.allows("s3:GetObject") is True
    assert p.allows("s3:GetObject", {"Fn::GetAtt": ["B", "Arn"]}) is None


def test_resource_forms_any_spelling_counts():
    table_arn = {"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${T}"}
    p = perms(allow("dynamodb:GetItem", table_arn))
    assert p.allows("dynamodb:GetItem", {"Fn::GetAtt": ["T", "Arn"]}) is None
    assert p.allows("dynamodb:GetItem", ResourceForms(({"Fn::GetAtt": ["T", "Arn"]}, table_arn))) is True
    literal = perms(allow("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/a"))
    forms = ResourceForms(("arn:aws:dynamodb:us-east-1:1:table/b", "arn:aws:dynamodb:us-east-1:1:table/c"))
    assert literal.allows("dynamodb:GetItem", forms) is False


# ------------------------------------------------------------------ Fn::If and shapes

def test_fn_if_around_a_statement_yields_both_branches_as_possible():
    p = perms({"Fn::If": ["UseQueue", allow("sqs:ReceiveMessage"), allow("sns:Publish")]})
    assert len(p.statements) == 2 and all(s.in_branch for s in p.statements)
    assert p.allows("sqs:ReceiveMessage") is None
    assert p.allows("sns:Publish") is None
    assert p.allows("s3:GetObject") is False


def test_fn_if_with_no_value_branch():
    p = perms(allow("logs:*"), {"Fn::If": ["Cond", allow("sqs:*"), {"Ref": "AWS::NoValue"}]})
    assert len(p.statements) == 2
    assert p.allows("sqs:ReceiveMessage") is None
    assert p.allows("logs:PutLogEvents") is True


def test_fn_if_around_the_statement_list_and_document():
    listed = Permissions.from_document({"Statement": {"Fn::If": ["C", [allow("sqs:*")], [allow("sns:*")]]}})
    assert listed.allows("sns:Publish") is None
    whole = Permissions.from_document({"Fn::If": ["C", {"Statement": [allow("kms:*")]}, {"Ref": "AWS::NoValue"}]})
    assert whole.allows("kms:Decrypt") is None
    assert whole.allows("s3:GetObject") is False


def test_single_statement_mapping_and_json_string_document():
    assert Permissions.from_document({"Statement": allow("sqs:*")}).allows("sqs:SendMessage") is True
    text = '{"Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]}'
    assert Permissions.from_document(text).allows("sqs:SendMessage") is True
    assert Permissions.from_document("{not json").allows("sqs:SendMessage") is None


@pytest.mark.parametrize("document", [None, 3, "x", [], {"Version": "2012-10-17"}, {"Statement": 7},
                                      {"Statement": [None, 1.5, "s"]}, {"Ref": "PolicyParam"}])
def test_wrong_shapes_are_unknown_not_errors(document):
    p = Permissions.from_document(document)
    assert all(s.unknown for s in p.statements)
    assert p.allows("sqs:ReceiveMessage") is None


def test_statement_fields():
    s = parse_statement(allow(["s3:GetObject", {"Ref": "X"}], [{"Fn::GetAtt": ["B", "Arn"]}, 5],
                              Condition={"Bool": {"aws:SecureTransport": "true"}}))
    assert s.effect == "Allow"
    assert s.actions == ("s3:GetObject", UNKNOWN)
    assert s.not_actions is None
    assert s.resources == ("${B.Arn}", UNKNOWN)
    assert s.has_condition and s.unknown
    both = parse_statement({"Effect": "Allow", "Action": "a:b", "NotAction": "c:d", "Resource": "*"})
    assert both.unknown  # Action and NotAction together is not a valid statement
    missing = parse_statement({"Effect": "Allow", "Action": "a:b"})
    assert missing.unknown and missing.resources == (UNKNOWN,)


def test_parse_policy_is_a_tuple_of_frozen_statements():
    statements = parse_policy({"Statement": [allow("a:b")]})
    assert isinstance(statements, tuple)
    with pytest.raises(Exception):
        statements[0].effect = "Deny"  # type: ignore[misc]


# ------------------------------------------------------------------ allows_any / allows_all / wildcards

def test_allows_any_and_all():
    p = perms(allow(["sqs:ReceiveMessage", "sqs:DeleteMessage"]))
    needed = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    assert p.allows_all(needed) is False
    assert p.allows_any(needed) is True
    assert p.allows_all(needed[:2]) is True
    assert perms(allow("logs:*")).allows_any(needed) is False
    assert (perms(allow("sqs:*")) + Permissions.unknown()).allows_all(needed) is True


def test_wildcard_grants():
    p = perms(
        allow("*"),
        allow("s3:*"),
        allow("sqs:*", "arn:aws:sqs:*:*:only-this"),  # scoped to one resource: not broad
        allow("dynamodb:Get*"),
        allow("kms:*", Condition={"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}),
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
        deny("*"),
    )
    kinds = sorted((g.kind, g.action) for g in p.wildcard_grants())
    assert kinds == [("all-actions", "*"), ("not-action", "NotAction"), ("service-wildcard", "s3:*")]
    assert perms(allow("logs:CreateLogStream")).wildcard_grants() == ()
