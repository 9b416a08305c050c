"""`lambdalint server` driven end to end as an editor drives it (pytest-lsp starts the real command)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")  # needs Python 3.10; the server itself runs on 3.9

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

# each test starts the server as a process of its own (about 3 s under load)
pytestmark = pytest.mark.slow

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 30
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt Dead.Arn
        maxReceiveCount: 5
  Dead:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: "def handler(event, context): pass"
      Timeout: 60
      Events:
        Work:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
"""
LL6001_MESSAGE = ("queue Jobs has a visibility timeout of 30s, shorter than the 60s timeout of function Worker: "
                  "Lambda refuses the mapping")
DOCS = "https://github.com/lambdalint/lambdalint/blob/main/docs/rules.md"


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".git").mkdir()  # the project root, as a checkout's
    (tmp_path / ".lambdalint.yaml").write_text("ignore: [LL8002]\n", encoding="utf-8")
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "lambdalint", "server"]))
async def client(lsp_client: LanguageClient, project):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=project.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="project")]))
    yield
    await lsp_client.shutdown_session()


async def opened(client: LanguageClient, path: Path, text: str, language: str = "yaml") -> list:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=path.as_uri(), language_id=language, version=1, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[path.as_uri()])


async def changed(client: LanguageClient, path: Path, version: int, changes: list) -> list:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
        content_changes=changes))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[path.as_uri()])


def summary(found: list) -> list:
    return [(d.code, d.severity, d.range.start.line, d.range.start.character, d.range.end.character, d.message)
            for d in found]


@pytest.mark.asyncio
async def test_a_template_is_linted_on_open_with_the_projects_config(client: LanguageClient, project):
    found = await opened(client, project / "template.yaml", TEMPLATE)
    # LL8002 (info) is ignored by the project's .lambdalint.yaml, as the CLI would
    assert summary(found) == [("LL6001", types.DiagnosticSeverity.Error, 23, 12, 35, LL6001_MESSAGE)]
    assert found[0].source == "lambdalint"
    assert found[0].code_description.href == f"{DOCS}#ll6001"


@pytest.mark.asyncio
async def test_the_buffer_is_linted_not_the_file_and_close_clears(client: LanguageClient, project):
    path = project / "template.yaml"
    path.write_text("not: a template\n", encoding="utf-8")  # what is on disk does not count
    assert len(await opened(client, path, TEMPLATE)) == 1
    # an incremental edit: the visibility timeout 30 -> 360 (line 7, "      VisibilityTimeout: 30")
    edit = types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(6, 25), types.Position(6, 27)), text="360")
    assert await changed(client, path, 2, [edit]) == []
    whole = types.TextDocumentContentChangeWholeDocument(text=TEMPLATE.replace("Timeout: 60", "Timeout: 900"))
    assert [d.code for d in await changed(client, path, 3, [whole])] == ["LL6001"]  # 360 < 900
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri())))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[path.as_uri()]) == []


@pytest.mark.asyncio
async def test_other_yaml_gets_nothing_and_broken_yaml_is_ll0001(client: LanguageClient, project):
    assert await opened(client, project / "ci.yml", "jobs:\n  test: {runs-on: ubuntu-latest}\n") == []
    assert client.log_messages == [] or all(m.type != types.MessageType.Error for m in client.log_messages)
    broken = await opened(client, project / "broken.yaml", "Resources:\n  Fn: {Type: AWS::Lambda::Function\n")
    assert [(d.code, d.severity) for d in broken] == [("LL0001", types.DiagnosticSeverity.Error)]


@pytest.mark.asyncio
async def test_a_terraform_file_is_linted_with_its_module(client: LanguageClient, project):
    main_tf = project / "main.tf"
    text = """\
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "python3.7"
  handler       = "index.handler"
  s3_bucket     = "code"
  s3_key        = "worker.zip"
  s3_object_version = "3"
}
"""
    found = await opened(client, main_tf, text, language="terraform")
    assert [(d.code, d.range.start.line) for d in found] == [("LL2006", 3)]
    fixed = types.TextDocumentContentChangeWholeDocument(text=text.replace("python3.7", "python3.12"))
    assert await changed(client, main_tf, 2, [fixed]) == []


def apply(text: str, edits) -> str:
    """TextEdits applied as an editor applies them (ASCII text: UTF-16 columns are characters)."""
    lines = text.splitlines(keepends=True)

    def offset(position):
        return sum(len(line) for line in lines[:position.line]) + position.character

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


@pytest.mark.asyncio
@pytest.mark.parametrize("title, fixed_text", [
    ("Raise the visibility timeout of queue Jobs to 360 s (6 x the function timeout, as AWS advises)",
     TEMPLATE.replace("VisibilityTimeout: 30", "VisibilityTimeout: 360")),
    ("Suppress LL6001 on Worker (Metadata ignore with a reason)",
     TEMPLATE.replace("  Worker:\n", "  Worker:\n    Metadata:\n      lambdalint:\n        ignore: [LL6001]\n"
                                      "        reason: TODO say why LL6001 does not apply here\n")),
])
async def test_a_quick_fix_applied_lints_clean(client: LanguageClient, project, title, fixed_text):
    path = project / "template.yaml"
    [diagnostic] = await opened(client, path, TEMPLATE)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[diagnostic])))
    by_title = {action.title: action for action in actions}
    assert sorted(by_title) == sorted([
        "Raise the visibility timeout of queue Jobs to 360 s (6 x the function timeout, as AWS advises)",
        "Suppress LL6001 on Worker (Metadata ignore with a reason)"])
    action = by_title[title]
    assert action.kind == types.CodeActionKind.QuickFix and [d.code for d in action.diagnostics] == ["LL6001"]
    after = apply(TEMPLATE, action.edit.changes[path.as_uri()])
    assert after == fixed_text
    whole = types.TextDocumentContentChangeWholeDocument(text=after)
    assert await changed(client, path, 2, [whole]) == []


@pytest.mark.asyncio
async def test_the_visibility_fix_offers_the_number_of_the_projects_limits(client: LanguageClient, project):
    """With `limits:` setting the factor to 8, the fix raises to 8 x 60 s, which LL6002 then accepts."""
    (project / ".lambdalint.yaml").write_text(
        "ignore: [LL8002]\nlimits:\n  sqs_visibility_timeout_function_timeout_factor: 8\n", encoding="utf-8")
    path = project / "template.yaml"
    [diagnostic] = await opened(client, path, TEMPLATE)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[diagnostic])))
    [raise_it] = [action for action in actions if action.title.startswith("Raise")]
    assert raise_it.title == ("Raise the visibility timeout of queue Jobs to 480 s "
                              "(8 x the function timeout, as AWS advises)")
    [edit] = raise_it.edit.changes[path.as_uri()]
    assert (edit.range, edit.new_text) == (types.Range(types.Position(6, 25), types.Position(6, 27)), "480")
    after = apply(TEMPLATE, [edit])
    assert after == TEMPLATE.replace("VisibilityTimeout: 30", "VisibilityTimeout: 480")
    whole = types.TextDocumentContentChangeWholeDocument(text=after)
    assert await changed(client, path, 2, [whole]) == []
