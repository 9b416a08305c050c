"""IAM policies written with jsonencode and references reach the rules as documents, statement by statement.

`policy = jsonencode({Statement = [{Resource = aws_sqs_queue.q.arn, ...}]})` is the most common
way to write a policy in Terraform: its text is known at apply time only, but its structure is
known before, so the lowering reads it as a policy document whose references are Ref / Fn::GetAtt
and whose unknown parts are unknown leaves, never the whole document.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixture_runner import FIXTURE_TODAY
from lambdalint.api import Linter
from lambdalint.config import Config
from lambdalint.frontends.terraform import read
from lambdalint.frontends.terraform.configuration import Encoded, Interpolation, Reference
from lambdalint.frontends.terraform.load import load_configuration
from lambdalint.frontends.terraform.lower import UNKNOWN_VALUE
from lambdalint.frontends.terraform.plan import fill
from lambdalint.model.values import UNKNOWN

QUEUE_ARN = Reference("aws_sqs_queue.q", ("arn",))
QUEUE_GETATT = {"Fn::GetAtt": ["AwsSqsQueueQ", "Arn"]}

FUNCTION = '''
resource "aws_sqs_queue" "q" {
  name = "jobs"
}

resource "aws_lambda_function" "worker" {
  function_name     = "worker"
  role              = aws_iam_role.worker.arn
  runtime           = "python3.12"
  handler           = "app.handler"
  s3_bucket         = "artifacts"
  s3_key            = "worker.zip"
  s3_object_version = "3"
}

resource "aws_lambda_event_source_mapping" "jobs" {
  function_name    = aws_lambda_function.worker.arn
  event_source_arn = aws_sqs_queue.q.arn
}
'''

TRUST = '''
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
'''

READ_QUEUE = '''jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
        Resource = aws_sqs_queue.q.arn
      },
    ]
  })'''


def value_of(tmp_path, expr: str):
    (tmp_path / "main.tf").write_text('variable "unset" {}\nresource "aws_sqs_queue" "q" {}\n'
                                      f'resource "terraform_data" "probe" {{\n  input = {expr}\n}}\n')
    configuration = load_configuration(str(tmp_path), root=str(tmp_path))
    assert configuration.errors == ()
    return configuration.block("terraform_data.probe").values["input"]


def checked(tmp_path, text: str, rules=("LL5005", "LL5004", "LL5017", "LL5001", "LL0007")):
    (tmp_path / "main.tf").write_text(text)
    report = Linter(Config(select=("ALL",), today=FIXTURE_TODAY)).lint_paths([str(tmp_path)])
    return sorted((f.line, f.rule, f.shown_name) for f in report.findings if f.rule in rules)


def checked_messages(tmp_path, rule="LL5017"):
    report = Linter(Config(select=("ALL",), today=FIXTURE_TODAY)).lint_paths([str(tmp_path)])
    return [f.message for f in report.findings if f.rule == rule]


def lowered(tmp_path, text: str):
    (tmp_path / "main.tf").write_text(text)
    configuration = load_configuration(str(tmp_path), root=str(tmp_path))
    return read.prepared(configuration).lowering.document.data["Resources"]


# -- the value jsonencode makes ----------------------------------------------------------------

@pytest.mark.parametrize("expr, expected", [
    ("jsonencode({Resource = aws_sqs_queue.q.arn})", Encoded({"Resource": QUEUE_ARN})),
    ('jsonencode([{Resource = "${aws_sqs_queue.q.arn}/*"}, var.unset])',
     Encoded([{"Resource": Interpolation((QUEUE_ARN, "/*"))}, UNKNOWN])),
    ("jsondecode(jsonencode({a = aws_sqs_queue.q.arn}))", {"a": QUEUE_ARN}),
    ("tostring(jsonencode({a = aws_sqs_queue.q.arn}))", Encoded({"a": QUEUE_ARN})),
    # inside a longer string its text is what counts, and that is known at apply time only
    ('"x${jsonencode({a = aws_sqs_queue.q.arn})}"', Interpolation(("x", UNKNOWN))),
    ("jsonencode(aws_sqs_queue.q.arn)", UNKNOWN),  # a string's JSON text: not a document
    ("jsonencode(var.unset)", UNKNOWN),
    # wholly known: exactly Terraform's text (keys sorted, no spaces, <>& escaped)
    ('jsonencode({b = [1, true, null], a = "x<&>"})', '{"a":"x\\u003c\\u0026\\u003e","b":[1,true,null]}'),
])
def test_jsonencode_keeps_the_structure_of_a_value_not_wholly_known(tmp_path, expr, expected):
    assert value_of(tmp_path, expr) == expected


def test_statement_positions_are_recorded_below_jsonencode_and_through_locals(tmp_path):
    (tmp_path / "main.tf").write_text(
        'locals {\n'
        '  statements = [\n'
        '    { Action = "s3:GetObject", Resource = "*" },\n'
        '  ]\n'
        '}\n'
        'resource "aws_iam_role_policy" "p" {\n'
        '  role   = "worker"\n'
        '  policy = jsonencode({\n'
        '    Statement = concat(local.statements, [\n'
        '      { Action = ["sqs:ReceiveMessage",\n'
        '                  "sqs:DeleteMessage"], Resource = aws_sqs_queue.q.arn },\n'
        '    ])\n'
        '  })\n'
        '  other = jsonencode(local.statements)\n'
        '}\n'
        'resource "aws_sqs_queue" "q" {}\n')
    block = load_configuration(str(tmp_path), root=str(tmp_path)).block("aws_iam_role_policy.p")
    line = lambda *path: block.where(path).line  # noqa: E731
    assert line("policy") == 8 and line("policy", "Statement") == 9
    assert line("policy", "Statement", 1) == 9  # concat: computed, where it is called
    assert line("other") == 14  # the document stays at its attribute ...
    assert line("other", 0) == 3 and line("other", 0, "Action") == 3  # ... its statements where written
    assert line("policy", "Version") == 8


# -- the lowering --------------------------------------------------------------------------------

def test_a_role_policy_with_references_is_a_document_with_getatt(tmp_path):
    resources = lowered(tmp_path, FUNCTION + '''
resource "aws_iam_role" "worker" {
  name = "worker"
''' + TRUST + '''}

resource "aws_iam_role_policy" "queue" {
  role   = aws_iam_role.worker.id
  policy = ''' + READ_QUEUE + '''
}
''')
    policy = resources["AwsIamRolePolicyQueue"]["Properties"]
    assert policy["Roles"] == [{"Ref": "AwsIamRoleWorker"}]
    assert policy["PolicyDocument"] == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
        "Resource": QUEUE_GETATT}]}
    trust = resources["AwsIamRoleWorker"]["Properties"]["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}


@pytest.mark.parametrize("role", [
    # inline_policy blocks of the role
    '''resource "aws_iam_role" "worker" {
  name = "worker"
''' + TRUST + '''
  inline_policy {
    name   = "queue"
    policy = ''' + READ_QUEUE + '''
  }
}''',
    # a customer managed policy attached to the role
    '''resource "aws_iam_role" "worker" {
  name = "worker"
''' + TRUST + '''}

resource "aws_iam_policy" "queue" {
  name   = "queue"
  policy = ''' + READ_QUEUE + '''
}

resource "aws_iam_role_policy_attachment" "queue" {
  role       = aws_iam_role.worker.name
  policy_arn = aws_iam_policy.queue.arn
}''',
    # the same policy named in managed_policy_arns
    '''resource "aws_iam_role" "worker" {
  name                = "worker"
  managed_policy_arns = [aws_iam_policy.queue.arn]
''' + TRUST + '''}

resource "aws_iam_policy" "queue" {
  name   = "queue"
  policy = ''' + READ_QUEUE + '''
}''',
    # a policy document data source naming the queue
    '''resource "aws_iam_role" "worker" {
  name = "worker"
''' + TRUST + '''}

data "aws_iam_policy_document" "queue" {
  statement {
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.q.arn]
  }
}

resource "aws_iam_role_policy" "queue" {
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.queue.json
}''',
], ids=["inline_policy", "policy_attachment", "managed_policy_arns", "policy_document"])
def test_every_way_of_granting_the_queue_lets_the_mapping_read_it(tmp_path, role):
    assert checked(tmp_path, FUNCTION + role) == []


def test_without_the_grant_the_mapping_is_reported_and_misspelt_actions_land_at_their_line(tmp_path):
    found = checked(tmp_path, FUNCTION + '''
resource "aws_iam_role" "worker" {
  name = "worker"
''' + TRUST + '''}

resource "aws_iam_role_policy" "queue" {
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessages",
                    "sqs:DeleteMessage"]
        Resource = aws_sqs_queue.q.arn
      },
    ]
  })
}
''')
    assert found == [(18, "LL5005", "aws_lambda_event_source_mapping.jobs"),
                     (36, "LL5017", "aws_iam_role_policy.queue")]


def test_an_unknown_part_makes_the_rule_say_less_never_the_whole_document(tmp_path):
    # the Resource is unknown: whether the queue is granted cannot be known, so no LL5005;
    # the wildcard statement next to it is still read (LL5004)
    found = checked(tmp_path, 'variable "queue_arn" {}\n' + FUNCTION + '''
resource "aws_iam_role" "worker" {
  name = "worker"
''' + TRUST + '''}

resource "aws_iam_role_policy" "queue" {
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", Action = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
        Resource = var.queue_arn },
      { Effect = "Allow", Action = "*", Resource = "*" },
    ]
  })
}
''')
    assert found == [(22, "LL5004", "aws_iam_role.worker")]


def test_a_jsonencode_with_references_where_a_string_is_expected_is_unknown(tmp_path):
    resources = lowered(tmp_path, FUNCTION.replace('s3_object_version = "3"', '''s3_object_version = "3"
  environment {
    variables = { QUEUES = jsonencode({ jobs = aws_sqs_queue.q.url }) }
  }''') + '\nresource "aws_iam_role" "worker" {\n' + TRUST + '}\n')
    assert resources["AwsLambdaFunctionWorker"]["Properties"]["Environment"] == {
        "Variables": {"QUEUES": UNKNOWN_VALUE}}


def test_a_plan_fills_an_encoded_document_only_when_no_reference_needs_its_link():
    planned = '{"Statement":[{"Resource":"arn:aws:sqs:eu-west-1:123456789012:jobs"}]}'
    unknown_only = Encoded({"Statement": [{"Resource": UNKNOWN}]})
    linked = Encoded({"Statement": [{"Resource": QUEUE_ARN}]})
    assert fill({"policy": unknown_only}, {"policy": planned}) == {"policy": planned}
    assert fill({"policy": linked}, {"policy": planned})["policy"] is linked


# -- any structure -------------------------------------------------------------------------------

KEYS = ["Version", "Statement", "Effect", "Action", "NotAction", "Resource", "Principal", "Condition", "Sid",
        "Service", "AWS", "StringEquals"]
# (HCL text, the value in the lowered template, whether Terraform knows it before apply)
LEAVES = [
    ('"s3:GetObject"', "s3:GetObject", True),
    ('"*"', "*", True),
    ('"a<&>\\"b"', 'a<&>"b', True),
    ("3", 3, True),
    ("true", True, True),
    ("aws_sqs_queue.q.arn", QUEUE_GETATT, False),
    ("aws_sqs_queue.q.url", {"Ref": "AwsSqsQueueQ"}, False),
    ('"${aws_sqs_queue.q.arn}/*"', {"Fn::Join": ["", [QUEUE_GETATT, "/*"]]}, False),
    ("var.unset", UNKNOWN_VALUE, False),
    ("aws_iam_role.worker.arn", {"Fn::GetAtt": ["AwsIamRoleWorker", "Arn"]}, False),
    ("data.aws_caller_identity.me.account_id", {"Ref": "AWS::AccountId"}, False),
]


def _hcl(tree, indent: int = 4) -> str:
    if isinstance(tree, int):
        return LEAVES[tree][0]
    pad = " " * indent
    if isinstance(tree, list):
        return "[\n" + "".join(f"{pad}  {_hcl(item, indent + 2)},\n" for item in tree) + pad + "]"
    return "{\n" + "".join(f"{pad}  {key} = {_hcl(item, indent + 2)}\n" for key, item in tree.items()) + pad + "}"


def _json_text(tree) -> str:
    """The tree as a heredoc's JSON text would write it: references interpolated inside strings."""
    if isinstance(tree, int):
        text, _, known = LEAVES[tree]
        return text if known else ('"' + text.strip('"') + '"' if text.startswith('"') else '"${' + text + '}"')
    if isinstance(tree, list):
        return "[" + ", ".join(_json_text(item) for item in tree) + "]"
    return "{" + ", ".join(f'"{key}": {_json_text(item)}' for key, item in tree.items()) + "}"


def _lowered(tree):
    if isinstance(tree, int):
        return LEAVES[tree][1]
    if isinstance(tree, list):
        return [_lowered(item) for item in tree]
    return {key: _lowered(item) for key, item in tree.items()}


def _python(tree):
    if isinstance(tree, int):
        return json.loads(LEAVES[tree][0])
    if isinstance(tree, list):
        return [_python(item) for item in tree]
    return {key: _python(item) for key, item in tree.items()}


def _known(tree) -> bool:
    if isinstance(tree, int):
        return LEAVES[tree][2]
    return all(_known(item) for item in (tree if isinstance(tree, list) else tree.values()))


trees = st.recursive(st.integers(0, len(LEAVES) - 1),
                     lambda inner: st.one_of(st.lists(inner, max_size=3),
                                             st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)),
                     max_leaves=12).filter(lambda tree: not isinstance(tree, int))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(trees)
def test_any_structure_with_references_lowers_as_written_and_checks_without_failure(tmp_path, tree):
    text = ('variable "unset" {}\ndata "aws_caller_identity" "me" {}\n' + FUNCTION +
            '\nresource "aws_iam_role" "worker" {\n' + TRUST + '}\n'
            f'\nresource "aws_iam_role_policy" "p" {{\n  role   = aws_iam_role.worker.id\n'
            f'  policy = jsonencode({_hcl(tree)})\n}}\n'
            f'\nresource "aws_iam_role_policy" "text" {{\n  role   = aws_iam_role.worker.id\n'
            f'  policy = <<EOT\n{_json_text(tree)}\nEOT\n}}\n')
    (tmp_path / "main.tf").write_text(text)
    configuration = load_configuration(str(tmp_path), root=str(tmp_path))
    assert configuration.errors == ()
    value = configuration.block("aws_iam_role_policy.p").values["policy"]
    if _known(tree):
        # Terraform's own text: keys sorted, no spaces, <, > and & escaped
        expected = json.dumps(_python(tree), separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        assert value == expected.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    else:
        assert isinstance(value, Encoded)
    resources = read.prepared(configuration).lowering.document.data["Resources"]
    assert resources["AwsIamRolePolicyP"]["Properties"]["PolicyDocument"] == _lowered(tree)
    # the same document as JSON text with the references interpolated in its strings
    assert resources["AwsIamRolePolicyText"]["Properties"]["PolicyDocument"] == _lowered(tree)
    report = Linter(Config(select=("ALL",), today=FIXTURE_TODAY)).lint_paths([str(tmp_path)])
    assert not [f.message for f in report.findings if f.rule in ("LL0001", "LL0007")]


# -- KMS keys ------------------------------------------------------------------------------------

KEY_FUNCTION = FUNCTION.replace('s3_object_version = "3"', 's3_object_version = "3"\n  kms_key_arn       = aws_kms_key.k.arn')


def test_a_key_without_policy_has_the_default_key_policy_and_a_key_policy_resource_replaces_it(tmp_path):
    resources = lowered(tmp_path, KEY_FUNCTION + '''
resource "aws_kms_key" "k" {}
resource "aws_kms_key" "other" {}
resource "aws_kms_key_policy" "other" {
  key_id = aws_kms_key.other.id
  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { AWS = aws_iam_role.worker.arn },
                                       Action = "kms:Decrypt", Resource = "*" }] })
}
resource "aws_iam_role" "worker" {''' + TRUST + '}\n')
    assert resources["AwsLambdaFunctionWorker"]["Properties"]["KmsKeyArn"] == {"Fn::GetAtt": ["AwsKmsKeyK", "Arn"]}
    default = resources["AwsKmsKeyK"]["Properties"]["KeyPolicy"]["Statement"]
    assert default == [{"Sid": "Enable IAM User Permissions", "Effect": "Allow",
                        "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                        "Action": "kms:*", "Resource": "*"}]
    assert resources["AwsKmsKeyOther"]["Properties"]["KeyPolicy"]["Statement"][0]["Principal"] == {
        "AWS": {"Fn::GetAtt": ["AwsIamRoleWorker", "Arn"]}}


def test_a_key_policy_resource_whose_key_is_not_known_leaves_no_key_with_the_default(tmp_path):
    resources = lowered(tmp_path, 'variable "key_id" {}\n' + KEY_FUNCTION + '''
resource "aws_kms_key" "k" {}
resource "aws_kms_key" "set" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "kms:*", Resource = "*" }] })
}
resource "aws_kms_key_policy" "somewhere" {
  key_id = var.key_id
  policy = jsonencode({ Statement = [] })
}
resource "aws_iam_role" "worker" {''' + TRUST + '}\n')
    assert resources["AwsKmsKeyK"]["Properties"]["KeyPolicy"] == UNKNOWN_VALUE
    assert resources["AwsKmsKeySet"]["Properties"]["KeyPolicy"]["Statement"][0]["Principal"] == {"AWS": "*"}



# -- JSON text with interpolations ---------------------------------------------------------------

def test_a_heredoc_policy_naming_resources_is_read_as_its_document(tmp_path):
    resources = lowered(tmp_path, 'variable "unset" {}\n' + FUNCTION + '''
resource "aws_iam_role" "worker" {''' + TRUST + '''}

resource "aws_iam_role_policy" "queue" {
  role   = aws_iam_role.worker.id
  policy = <<EOF
{
  "Statement": [
    {"Effect": "Allow", "Action": ["sqs:ReceiveMessage"], "Resource": "${aws_sqs_queue.q.arn}"},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${var.unset}/\\"*"}
  ]
}
EOF
}

resource "aws_iam_role_policy" "outside_strings" {
  role   = aws_iam_role.worker.id
  policy = <<EOF
{"Statement": ${jsonencode([{ Effect = "Allow", Action = "*", Resource = aws_sqs_queue.q.arn }])}}
EOF
}

resource "aws_iam_role_policy" "key" {
  role   = aws_iam_role.worker.id
  policy = "{\\"Statement\\": [{\\"${var.unset}\\": 1}], \\"Version\\": \\"2012-10-17\\"}"
}
''')
    assert resources["AwsIamRolePolicyQueue"]["Properties"]["PolicyDocument"] == {"Statement": [
        {"Effect": "Allow", "Action": ["sqs:ReceiveMessage"], "Resource": QUEUE_GETATT},
        {"Effect": "Allow", "Action": "s3:GetObject",
         "Resource": {"Fn::Join": ["", ["arn:aws:s3:::", UNKNOWN_VALUE, '/"*']]}}]}
    # an interpolation outside a JSON string: the text is not JSON before apply
    assert "Fn::Join" in resources["AwsIamRolePolicyOutsideStrings"]["Properties"]["PolicyDocument"]
    # a key known at apply time only: that object is unknown, the rest is read
    assert resources["AwsIamRolePolicyKey"]["Properties"]["PolicyDocument"] == {
        "Statement": [UNKNOWN_VALUE], "Version": "2012-10-17"}


# -- attachments ---------------------------------------------------------------------------------

ROLES = '''
resource "aws_iam_role" "worker" {
  name = "worker"
''' + TRUST + '''}

resource "aws_iam_role" "other" {
  name = "other"
''' + TRUST + '''}
'''


def _managed(resources):
    return {lid: resources[lid]["Properties"].get("ManagedPolicyArns")
            for lid in ("AwsIamRoleWorker", "AwsIamRoleOther")}


def test_policy_attachments_add_to_the_roles_they_name_by_reference_or_by_name(tmp_path):
    resources = lowered(tmp_path, ROLES + '''
resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}
resource "aws_iam_policy_attachment" "p" {
  name       = "p"
  roles      = [aws_iam_role.worker.name, "made-elsewhere"]
  policy_arn = aws_iam_policy.p.arn
}
resource "aws_iam_role_policy_attachment" "by_name" {
  role       = "other"
  policy_arn = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
}
''')
    assert _managed(resources) == {"AwsIamRoleWorker": [{"Ref": "AwsIamPolicyP"}],
                                   "AwsIamRoleOther": ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]}


@pytest.mark.parametrize("role", ["var.role", '"${var.role}-x"', "module.elsewhere.role_name"])
def test_an_attachment_to_a_role_not_known_may_be_to_any_role(tmp_path, role):
    resources = lowered(tmp_path, 'variable "role" {}\n' + ROLES + f'''
resource "aws_iam_role_policy_attachment" "somewhere" {{
  role       = {role}
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}}
''')
    assert _managed(resources) == {"AwsIamRoleWorker": [UNKNOWN_VALUE], "AwsIamRoleOther": [UNKNOWN_VALUE]}


def test_a_role_name_spelled_out_may_be_a_role_whose_name_is_not_known(tmp_path):
    resources = lowered(tmp_path, 'variable "name" {}\n' + ROLES.replace('name = "other"', 'name = var.name') + '''
resource "aws_iam_role_policy_attachment" "by_name" {
  role       = "made-elsewhere"
  policy_arn = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
}
''')
    assert _managed(resources) == {"AwsIamRoleWorker": [UNKNOWN_VALUE], "AwsIamRoleOther": [UNKNOWN_VALUE]}


# -- policy documents built from others ----------------------------------------------------------

def test_a_policy_document_merges_its_source_and_override_documents_by_sid(tmp_path):
    resources = lowered(tmp_path, 'variable "unset" {}\n' + FUNCTION + '''
resource "aws_iam_role" "worker" {''' + TRUST + '''}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Queue"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.q.arn]
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:PutLogEvents"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [jsonencode({ Statement = [{ Sid = "Logs", Effect = "Deny", Action = "logs:*", Resource = "*" }] })]
  statement {
    sid       = "Queue"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.q.arn]
  }
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "not_known" {
  source_policy_documents = [var.unset]
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "merged" {
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.merged.json
}

resource "aws_iam_role_policy" "not_known" {
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.not_known.json
}
''')
    merged = resources["AwsIamRolePolicyMerged"]["Properties"]["PolicyDocument"]["Statement"]
    assert merged == [
        {"Effect": "Allow", "Sid": "Queue", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage",
                                                       "sqs:GetQueueAttributes"], "Resource": [QUEUE_GETATT]},
        {"Sid": "Logs", "Effect": "Deny", "Action": "logs:*", "Resource": "*"},
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]}]
    assert resources["AwsIamRolePolicyNotKnown"]["Properties"]["PolicyDocument"] == UNKNOWN_VALUE


def test_a_statement_of_a_source_document_is_where_its_findings_land(tmp_path):
    found = checked(tmp_path, FUNCTION + '''
resource "aws_iam_role" "worker" {''' + TRUST + '''}

data "aws_iam_policy_document" "base" {
  statement {
    actions   = ["sqs:ReceiveMessages"]
    resources = [aws_sqs_queue.q.arn]
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [jsonencode({
    Statement = [{ Effect = "Allow", Action = "sqs:GetQueueAttribute", Resource = aws_sqs_queue.q.arn }]
  })]
  statement {
    actions   = ["sqs:DeleteMessage"]
    resources = [aws_sqs_queue.q.arn]
  }
}

resource "aws_iam_role_policy" "merged" {
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.merged.json
}
''')
    assert found == [(18, "LL5005", "aws_lambda_event_source_mapping.jobs"),
                     (30, "LL5017", "data.aws_iam_policy_document.base"),
                     (38, "LL5017", "data.aws_iam_policy_document.merged")]


def test_a_sid_not_known_matters_only_when_documents_are_merged(tmp_path):
    # the terraform-aws-lambda module's sid = try(..., replace(key, "/regex/", "")): not computed here
    found = checked(tmp_path, 'variable "unset" {}\n' + FUNCTION + '''
resource "aws_iam_role" "worker" {''' + TRUST + '''}

data "aws_iam_policy_document" "own" {
  statement {
    sid       = var.unset
    effect    = null
    actions   = ["s3:HeadObject"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents = [data.aws_iam_policy_document.own.json]
  statement {
    sid       = var.unset
    actions   = ["s3:HeadObjects"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "own" {
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.own.json
}

resource "aws_iam_role_policy" "merged" {
  role   = aws_iam_role.worker.id
  policy = data.aws_iam_policy_document.merged.json
}
''', rules=("LL5017",))
    assert found == [(33, "LL5017", "data.aws_iam_policy_document.own")]
    assert "grants nothing" in checked_messages(tmp_path)[0]  # effect null: Allow, the provider's default
