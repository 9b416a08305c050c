"""Which files a folder walk and `--skip-non-templates` take for templates (lambdalint.sniff).

The four real-world shapes that mention `Resources` and `AWS::` without being templates
are skipped silently; every shape of a real template is kept.
"""

from __future__ import annotations

import json
import os

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdalint.cli import main
from lambdalint.sniff import is_template, shape_is_template
from repo_paths import CORPUS

SERVERLESS_YML = """\
service: orders
frameworkVersion: '3'
provider:
  name: aws
  runtime: python3.12
functions:
  hello:
    handler: handler.hello
resources:
  Resources:
    OrdersTable:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
"""

# https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-resources.html
APPSPEC_YML = """\
version: 0.0
Resources:
  - MyFunction:
      Type: AWS::Lambda::Function
      Properties:
        Name: "myLambdaFunction"
        Alias: "myLambdaFunctionAlias"
        CurrentVersion: "1"
        TargetVersion: "2"
Hooks:
  - BeforeAllowTraffic: "LambdaFunctionToValidateBeforeTrafficShift"
"""

SERVERLESS_STATE_JSON = json.dumps({
    "service": {
        "service": "orders",
        "provider": {
            "name": "aws",
            "compiledCloudFormationTemplate": {
                "AWSTemplateFormatVersion": "2010-09-09",
                "Resources": {"ServerlessDeploymentBucket": {"Type": "AWS::S3::Bucket"}},
            },
        },
        "resources": {"Resources": {"OrdersTable": {"Type": "AWS::DynamoDB::Table"}}},
    },
    "package": {"artifactDirectoryName": "serverless/orders/dev"},
}, indent=2)

WORKFLOW_YML = """\
name: deploy
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - name: write a test stack
        run: |
          cat > t.yaml <<EOF
          AWSTemplateFormatVersion: "2010-09-09"
          Resources:
            Queue:
              Type: AWS::SQS::Queue
          EOF
      - run: aws cloudformation deploy --template-file t.yaml  # Resources of type AWS::SQS::Queue
"""

NOT_TEMPLATES = {
    "serverless.yml": SERVERLESS_YML,
    "codedeploy/appspec.yml": APPSPEC_YML,
    "state/serverless-state.json": SERVERLESS_STATE_JSON,
    ".github/workflows/deploy.yml": WORKFLOW_YML,
}

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Queue:
    Type: AWS::SQS::Queue
"""


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(NOT_TEMPLATES))
def test_real_world_non_templates_are_not_templates(tmp_path, name):
    assert not is_template(str(write(tmp_path, os.path.basename(name), NOT_TEMPLATES[name])))


@pytest.mark.parametrize(
    "text",
    [
        TEMPLATE,
        # SAM without a version: a typed resource is enough
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n",
        # a resource whose Type was forgotten still makes a template when another has one
        "Resources:\n  A:\n    Properties: {}\n  B:\n    Type: AWS::SQS::Queue\n",
        # quoted keys, comments, a document marker, a byte order mark
        "\ufeff# stack\n---\n'Resources':   # the resources\n  \"Q\": {\"Type\": \"AWS::SQS::Queue\"}\n",
        # flow style and JSON
        "Resources: {Q: {Type: AWS::SQS::Queue}}\n",
        json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}),
        # a language-extensions loop is a resource entry
        "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Topics:\n    - Name\n    - [A, B]\n"
        "    - Topic${Name}: {Type: AWS::SNS::Topic}\n",
        # a top level lines cannot judge (indented, tagged): kept for the parser to judge
        "  AWSTemplateFormatVersion: '2010-09-09'\n  Resources: {}\n",
        # broken JSON that mentions the words: the linter says what is wrong with it
        '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {',
    ],
)
def test_template_shapes_are_templates(tmp_path, text):
    assert is_template(str(write(tmp_path, "t.yaml", text)))


@pytest.mark.parametrize(
    "text",
    [
        "Resources:\n",  # null
        "Resources: {}  # none yet\nOther: AWS::X\n",
        "Resources: [AWS::SQS::Queue]\n",
        "Resources: AWS::SQS::Queue\n",
        "Resources:\n- Queue:\n    Type: AWS::SQS::Queue\n",  # a list at the key's indentation
        "Resources:\n  Queue:\n    Kind: AWS::SQS::Queue\nOther:\n  Type: x\n",  # the Type is outside the block
        "notes: |\n  Resources:\n    Q:\n      Type: AWS::SQS::Queue\n",
        json.dumps({"Resources": [{"Q": {"Type": "AWS::SQS::Queue"}}]}),
        json.dumps([{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}]),
        "name: x\ndescription: no template words at all\n",
    ],
)
def test_other_shapes_are_not_templates(tmp_path, text):
    assert not is_template(str(write(tmp_path, "t.yaml", text)))


def test_unreadable_file_is_not_a_template(tmp_path):
    assert not is_template(str(tmp_path / "missing.yaml"))


_names = st.sampled_from(["Resources", "AWSTemplateFormatVersion", "Type", "Properties", "Q", "resources",
                          "Fn::ForEach::Loop"])
_values = st.recursive(
    st.sampled_from(["AWS::SQS::Queue", "Custom::Thing", "2010-09-09", "x", None, 1]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_names, inner, max_size=4),
    max_leaves=12,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(_names, _values, max_size=4), flow=st.booleans(), as_json=st.booleans())
def test_the_cheap_test_never_drops_a_template(tmp_path_factory, data, flow, as_json):
    """Whatever the layout, a file whose parsed shape is a template is kept."""
    text = json.dumps(data, indent=2) if as_json else yaml.safe_dump(data, default_flow_style=flow)
    path = tmp_path_factory.mktemp("shape") / "t.yaml"
    path.write_text(text, encoding="utf-8")
    # the byte pre-filter's words (sniff.mentions_template_words): a custom resource's type counts too
    mentions = "AWSTemplateFormatVersion" in text or ("Resources" in text and ("AWS::" in text or "Custom::" in text))
    if mentions and shape_is_template(data):
        assert is_template(str(path)), text
    if not shape_is_template(data) and not as_json and not flow and _all_block(data):
        # block-style YAML of plain shapes is judged exactly, like the parsed data
        assert is_template(str(path)) == (mentions and _typed_entry_somewhere(data)), text


def _all_block(data) -> bool:
    resources = data.get("Resources")
    return not isinstance(resources, dict) or all(isinstance(v, dict) for v in resources.values())


def _typed_entry_somewhere(data) -> bool:
    """What the line test sees: a `Type` key anywhere in a non-empty Resources mapping of mappings."""
    resources = data.get("Resources")
    if "AWSTemplateFormatVersion" in data:
        return True
    if not isinstance(resources, dict) or not resources:
        return False
    return "Type:" in yaml.safe_dump(resources) or "Fn::ForEach::" in yaml.safe_dump(resources)


def test_every_corpus_template_is_a_template(corpus_dir):
    files = sorted(p for p in (CORPUS / "templates").rglob("*") if p.is_file())
    assert len(files) == 1197
    assert [str(p) for p in files if not is_template(str(p))] == []


# -- through the command line ----------------------------------------------------------------

def run(cwd, *args):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, ["check", "--select", "LL0", "--format", "json", *args],
                                  catch_exceptions=False)
    finally:
        os.chdir(old)


def test_a_folder_walk_skips_the_real_world_non_templates(tmp_path):
    for name, text in NOT_TEMPLATES.items():
        write(tmp_path, name, text)
    write(tmp_path, "infra/template.yaml", TEMPLATE)
    write(tmp_path, "handler.py", "def hello(event, context):\n    return None\n")
    result = run(tmp_path, ".")
    report = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    # the template, and serverless.yml as its service (read directly, no .serverless/ package)
    assert report["summary"]["files"] == 2
    assert report["findings"] == []


def test_skip_non_templates_skips_the_real_world_non_templates(tmp_path):
    for name, text in NOT_TEMPLATES.items():
        write(tmp_path, name, text)
    write(tmp_path, "infra/template.yaml", TEMPLATE)
    write(tmp_path, "handler.py", "def hello(event, context):\n    return None\n")
    names = [*NOT_TEMPLATES, "infra/template.yaml"]
    result = run(tmp_path, "--skip-non-templates", *names)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["files"] == 2  # the template and the service
    # named without the option, each is checked as asked, and fails as a template; the
    # Serverless Framework's files are never templates: the service is compiled, the state said not checked
    result = run(tmp_path, *names)
    named = json.loads(result.stdout)
    serverless = {"serverless.yml", "state/serverless-state.json"}
    assert {f["file"] for f in named["findings"]} >= {os.path.normpath(n) for n in NOT_TEMPLATES if n not in serverless}
    assert not {f["file"] for f in named["findings"]} & {os.path.normpath(n) for n in serverless}
    assert "serverless-state.json is the Serverless Framework's state, not a template" in result.stderr
