"""Hypothesis strategies for CloudFormation-shaped documents with wrong types everywhere.

Shared by tests/test_fuzz_templates.py (bounded, derandomized, in CI) and
tools/fuzz_campaign.py (long runs). The documents look enough like templates that
every rule and model index gets past its first `isinstance` check: resource types
and property names come from the rule and model sources themselves, logical IDs
come from a small pool so that Ref/GetAtt/Sub/DependsOn land on real resources,
and any value may instead be an intrinsic, a list, a map, null, a huge integer,
NaN, infinity or odd unicode.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict

import yaml
from hypothesis import strategies as st

from repo_paths import REPO

_SOURCES = sorted((REPO / "rules").glob("*.py")) + sorted((REPO / "lambdalint" / "model").glob("*.py")) + sorted(
    (REPO / "lambdalint" / "iam").glob("*.py"))
_TEXT = "\n".join(path.read_text(encoding="utf-8") for path in _SOURCES)

# Every property/section name a rule or the model looks up (quoted CamelCase words).
PROPERTY_KEYS = sorted({word for word in re.findall(r'"([A-Z][A-Za-z0-9]{1,40})"', _TEXT)
                        if not re.fullmatch(r"LL\d{4}", word)})
RESOURCE_TYPES = sorted(set(re.findall(r"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+", _TEXT))) + [
    "Custom::Thing", "AWS::Serverless::Application", "AWS::CloudFormation::Stack", "NotAType", "",
]
LOGICAL_IDS = ["Fn", "Fn2", "Role", "Queue", "Topic", "Layer", "Api", "Bucket", "Vpc", "Subnet", "Sg",
               "Dist", "Table", "Stream", "Alias", "Version", "Esm", "Perm", "Rule", "LogGroup"]
PARAMETERS = ["Param", "Env", "Seconds"]
CONDITIONS = ["IsProd", "Never"]
INTRINSICS = ["Ref", "Fn::GetAtt", "Fn::Sub", "Fn::If", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::FindInMap",
              "Fn::ImportValue", "Fn::Base64", "Fn::GetAZs", "Fn::Cidr", "Fn::Equals", "Fn::And", "Fn::Or",
              "Fn::Not", "Condition", "Fn::Transform", "Fn::Length", "Fn::ToJsonString", "Fn::ForEach"]
SAM_TRANSFORM = "AWS::Serverless-2016-10-31"

_WORDS = [
    "python3.13", "python3.9", "python2.7", "nodejs20.x", "nodejs12.x", "java21", "provided.al2023", "go1.x",
    "dotnet8", "ruby3.3", "arm64", "x86_64", "app.handler", "index.handler", "Zip", "Image", "Active",
    "PassThrough", "SQS", "SNS", "S3", "Kinesis", "DynamoDB", "Api", "HttpApi", "Schedule", "EventBridgeRule",
    "MSK", "SelfManagedKafka", "CloudWatchLogs", "Allow", "Deny", "*", "lambda:*", "lambda:InvokeFunction",
    "sqs:*", "s3:GetObject", "iam:PassRole", "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:sqs:us-east-1:123456789012:q", "arn:aws:lambda:us-east-1:123456789012:function:f:1",
    "arn:aws:iam::123456789012:role/r", "arn:${AWS::Partition}:s3:::b/*", "${Fn.Arn}", "${Fn}", "${Param}",
    "${AWS::Region}", "${!Literal}", "${", "0.0.0.0/0", "::/0", "rate(1 minute)", "cron(0 * * * ? *)",
    "TRIM_HORIZON", "LATEST", "NONE", "AWS_IAM", "AWS::NoValue", "AWS::Region", "AWS::AccountId",
    "src/", "../outside", "/etc/passwd", "build/app.zip", "s3://bucket/key.zip", "lambda.amazonaws.com",
    "sqs.amazonaws.com", "true", "false", "Yes", "2010-09-09", "1e400", "-0", "0x10", "NaN",
]
_ODD_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
_SURROGATE_TEXT = st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=2)
_HUGE_INTS = st.sampled_from([2 ** 31, 2 ** 63, -2 ** 63 - 1, 2 ** 64, 10 ** 30, -10 ** 30, 10 ** 300, 10 ** 4000])

_NAMES = st.sampled_from(LOGICAL_IDS + PARAMETERS + CONDITIONS + ["AWS::Region", "AWS::NoValue", "Missing"])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=20_000),
    st.integers(),
    _HUGE_INTS,
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(_WORDS),
    _NAMES,
    st.sampled_from(PROPERTY_KEYS),
    st.sampled_from(RESOURCE_TYPES),
    _ODD_TEXT,
    _SURROGATE_TEXT,
    st.sampled_from(["\x1b[31mred", "a\rb", "line\nbreak", "%0A", "::error::x", "<&>\"'", "\u202etxt", "\x00",
                     "\u2028", "\ufeff", "é" * 3, "😀", ""]),
)


def _well_formed_intrinsics(children):
    """Intrinsics with plausible argument shapes (and a few wrong ones), pointing at the ID pool."""
    ids = st.sampled_from(LOGICAL_IDS)
    attributes = st.sampled_from(["Arn", "QueueName", "Version", "Name", "StreamArn", "Outputs.X", ""])
    return st.one_of(
        st.builds(lambda target: {"Ref": target}, _NAMES),
        st.builds(lambda target, attribute: {"Fn::GetAtt": [target, attribute]}, ids, attributes),
        st.builds(lambda target, attribute: {"Fn::GetAtt": f"{target}.{attribute}"}, ids, attributes),
        st.builds(lambda text: {"Fn::Sub": text}, st.sampled_from(["${Fn.Arn}", "${Queue}", "${X}", "${AWS::Region}",
                                                                      "arn:${AWS::Partition}:sqs:::${Queue.QueueName}",
                                                                      "${", "$${Fn}"])),
        st.builds(lambda text, names: {"Fn::Sub": [text, names]}, st.sampled_from(["${A}", "${Fn.Arn}-${B}"]),
                  st.dictionaries(st.sampled_from(["A", "B"]), children, max_size=2)),
        st.builds(lambda condition, a, b: {"Fn::If": [condition, a, b]},
                  st.sampled_from(CONDITIONS + ["Missing"]), children, children),
        st.builds(lambda sep, items: {"Fn::Join": [sep, items]}, st.sampled_from(["", ",", ":"]),
                  st.lists(children, max_size=3)),
        st.builds(lambda index, items: {"Fn::Select": [index, items]}, children, children),
        st.builds(lambda a, b, c: {"Fn::FindInMap": [a, b, c]}, st.sampled_from(["Map", "Missing"]),
                  children, children),
        st.builds(lambda value: {"Fn::Split": [",", value]}, children),
    )


values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(PROPERTY_KEYS) | _ODD_TEXT, children, max_size=4),
        st.builds(lambda name, argument: {name: argument}, st.sampled_from(INTRINSICS), children),
        _well_formed_intrinsics(children),
    ),
    max_leaves=12,
)


@st.composite
def deeply_nested(draw, inner=values):
    """A value wrapped in up to 120 levels of lists, maps and intrinsics."""
    value = draw(inner)
    for wrapper in draw(st.lists(st.sampled_from(["list", "map", "if", "join", "select", "sub"]), max_size=120)):
        if wrapper == "list":
            value = [value]
        elif wrapper == "map":
            value = {draw(st.sampled_from(PROPERTY_KEYS)): value}
        elif wrapper == "if":
            value = {"Fn::If": ["IsProd", value, value if draw(st.booleans()) else None]}
        elif wrapper == "join":
            value = {"Fn::Join": ["", [value]]}
        elif wrapper == "select":
            value = {"Fn::Select": [0, [value]]}
        else:
            value = {"Fn::Sub": ["${X}", {"X": value}]}
    return value


any_value = st.one_of(values, deeply_nested())
properties = st.one_of(st.dictionaries(st.sampled_from(PROPERTY_KEYS), any_value, max_size=8), any_value)

resources = st.one_of(
    st.fixed_dictionaries(
        {"Type": st.sampled_from(RESOURCE_TYPES) | scalars},
        optional={
            "Properties": properties,
            "Metadata": any_value,
            "Condition": st.sampled_from(CONDITIONS + ["Missing"]) | scalars,
            "DependsOn": st.sampled_from(LOGICAL_IDS) | st.lists(st.sampled_from(LOGICAL_IDS), max_size=3) | scalars,
            "DeletionPolicy": scalars,
        },
    ),
    any_value,
)

_SECTIONS = {
    "AWSTemplateFormatVersion": st.sampled_from(["2010-09-09"]) | scalars,
    "Transform": st.sampled_from([SAM_TRANSFORM, [SAM_TRANSFORM], ["AWS::LanguageExtensions", SAM_TRANSFORM]])
    | any_value,
    "Globals": st.dictionaries(st.sampled_from(["Function", "Api", "HttpApi", "LayerVersion", "SimpleTable"]),
                               properties, max_size=3) | any_value,
    "Parameters": st.dictionaries(
        st.sampled_from(PARAMETERS),
        st.fixed_dictionaries({"Type": st.sampled_from(["String", "Number", "CommaDelimitedList",
                                                        "List<Number>", "AWS::EC2::Subnet::Id"]) | scalars},
                              optional={"Default": any_value, "AllowedValues": any_value}) | any_value,
        max_size=3) | any_value,
    "Conditions": st.dictionaries(st.sampled_from(CONDITIONS), any_value, max_size=2) | any_value,
    "Mappings": st.dictionaries(st.sampled_from(["Map", "Other"]), any_value, max_size=2) | any_value,
    "Metadata": any_value,
    "Outputs": st.dictionaries(st.sampled_from(["Out"]), any_value, max_size=1) | any_value,
}

templates = st.fixed_dictionaries(
    {"Resources": st.dictionaries(st.sampled_from(LOGICAL_IDS), resources, max_size=8) | any_value},
    optional=_SECTIONS,
)


# -- serialisation ---------------------------------------------------------------------------

SHORT_TAGS = {"Ref": "!Ref", "Fn::GetAtt": "!GetAtt", "Fn::Sub": "!Sub", "Fn::If": "!If", "Fn::Join": "!Join",
              "Fn::Select": "!Select", "Fn::Split": "!Split", "Fn::FindInMap": "!FindInMap",
              "Fn::ImportValue": "!ImportValue", "Fn::Base64": "!Base64", "Fn::GetAZs": "!GetAZs",
              "Fn::Equals": "!Equals", "Fn::Not": "!Not", "Condition": "!Condition"}


class _ShortTagDumper(yaml.SafeDumper):
    """Writes single-key intrinsic maps in the `!Ref x` short form."""


def _represent_dict(dumper: yaml.SafeDumper, data: Dict[Any, Any]):
    if len(data) == 1:
        (key, value), = data.items()
        tag = SHORT_TAGS.get(key) if isinstance(key, str) else None
        if tag is not None and not isinstance(value, (dict, bool)) and value is not None:
            if isinstance(value, list):
                return dumper.represent_sequence(tag, value)
            return dumper.represent_scalar(tag, str(value))
    return dumper.represent_dict(data)


_ShortTagDumper.add_representer(dict, _represent_dict)


def to_json(template: Any) -> str:
    return json.dumps(template, indent=1)  # NaN/Infinity as JSON extensions; lone surrogates as \ud800


def to_yaml(template: Any, short_tags: bool = False) -> str:
    dumper = _ShortTagDumper if short_tags else yaml.SafeDumper
    return yaml.dump(template, Dumper=dumper, allow_unicode=True, sort_keys=False, width=10_000)


# -- mutation of real templates ----------------------------------------------------------------
# Random documents rarely get a function past every rule's early returns; the rule fixtures
# do (each one exercises its rule). Mutating them reaches the deep code paths.


def _fixture_templates():
    from lambdalint.loading import LoadError, load_file

    documents = []
    for path in sorted((REPO / "fixtures").rglob("*.yaml")) + sorted((REPO / "fixtures").rglob("*.json")):
        try:
            documents.append(load_file(str(path)).data)
        except LoadError:
            continue
    return documents


FIXTURE_TEMPLATES = _fixture_templates()


def _paths(value: Any, path=()):
    """Every (path, value) of a plain document, root included."""
    stack = [(path, value)]
    while stack:
        here, node = stack.pop()
        yield here, node
        if isinstance(node, dict):
            stack.extend((here + (key,), child) for key, child in node.items())
        elif isinstance(node, list):
            stack.extend((here + (index,), child) for index, child in enumerate(node))


def _replace(document: Any, path, new: Any, delete: bool = False) -> Any:
    """A copy of `document` with the value at `path` replaced (or removed), copying only the spine."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(document, dict):
        copy = dict(document)
        if delete and not rest:
            copy.pop(head, None)
        else:
            copy[head] = _replace(document[head], rest, new, delete)
        return copy
    copy = list(document)
    if delete and not rest:
        del copy[head]
    else:
        copy[head] = _replace(document[head], rest, new, delete)
    return copy


MUTATIONS = ["replace", "delete", "wrap-if", "wrap-ref", "wrap-sub", "wrap-list", "to-map", "to-string",
             "to-number", "null", "huge", "nan", "deep", "swap"]


@st.composite
def mutated_fixtures(draw, max_mutations: int = 6):
    """A rule fixture with a few subtrees replaced by wrong types, intrinsics and junk."""
    document = draw(st.sampled_from(FIXTURE_TEMPLATES))
    for _ in range(draw(st.integers(min_value=1, max_value=max_mutations))):
        paths = sorted(_paths(document), key=lambda item: repr(item[0]))
        path, node = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(MUTATIONS))
        if kind == "delete" and path:
            document = _replace(document, path, None, delete=True)
            continue
        if kind == "replace":
            new = draw(any_value)
        elif kind == "wrap-if":
            new = {"Fn::If": [draw(st.sampled_from(CONDITIONS + ["Missing"])), node, draw(values)]}
        elif kind == "wrap-ref":
            new = {"Ref": node} if draw(st.booleans()) else {"Fn::GetAtt": [node, draw(scalars)]}
        elif kind == "wrap-sub":
            new = {"Fn::Sub": node} if draw(st.booleans()) else {"Fn::Join": ["", [node, node]]}
        elif kind == "wrap-list":
            new = [node]
        elif kind == "to-map":
            new = {draw(st.sampled_from(PROPERTY_KEYS)): node}
        elif kind == "to-string":
            new = json.dumps(node) if draw(st.booleans()) else str(node)
        elif kind == "to-number":
            new = draw(st.integers() | st.floats())
        elif kind == "null":
            new = None
        elif kind == "huge":
            new = draw(_HUGE_INTS)
        elif kind == "nan":
            new = draw(st.sampled_from([float("nan"), float("inf"), float("-inf")]))
        elif kind == "deep":
            new = draw(deeply_nested(st.just(node)))
        else:  # swap: a subtree from elsewhere in the document
            new = draw(st.sampled_from(paths))[1]
        document = _replace(document, path, new)
    return document
