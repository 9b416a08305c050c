"""The LSP wiring: pygls handlers that hand buffers to the session and publish what it finds.

Text sync is incremental (pygls applies the edits to its copy of the buffer); diagnostics are
published on open, change and save, and cleared on close. Any exception while linting one
buffer is one diagnostic on it, never a crashed server.
"""

from __future__ import annotations

import logging
import os
from typing import Dict, List, Optional
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from . import diagnostics, fixes
from .session import Lint, Session

log = logging.getLogger(__name__)


class LambdalintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("lambdalint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.session = Session()

    def path_of(self, uri: str) -> Optional[str]:
        parsed = urlparse(uri)
        if parsed.scheme != "file":
            return None  # an untitled buffer, a diff view: no file, no project, nothing to lint
        return os.path.abspath(unquote(parsed.path))

    def lint_and_publish(self, uri: str) -> None:
        path = self.path_of(uri)
        if path is None:
            return
        document = self.workspace.get_text_document(uri)
        try:
            results = self.session.change(path, document.source)
        except Exception as exc:  # a bug of ours on this buffer: said on it, the server goes on
            log.exception("lambdalint failed on %s", path)
            self.publish(uri, [diagnostics.config_error(
                f"lambdalint: internal error: {type(exc).__name__}: {exc} (a bug in lambdalint)")], document.version)
            return
        for file, lint in results.items():
            self.publish_lint(file, lint)

    def publish_lint(self, path: str, lint: Lint) -> None:
        uri = _file_uri(path)
        document = self.workspace.text_documents.get(uri)
        text = document.source if document is not None else self.session.buffers.get(path, "")
        if lint.config_error is not None:
            found = [diagnostics.config_error(lint.config_error)]
        else:
            found = diagnostics.diagnostics(lint.findings, lint.urls, text)
        self.publish(uri, found, document.version if document is not None else None)

    def publish(self, uri: str, found: List[types.Diagnostic], version: Optional[int] = None) -> None:
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=found,
                                                                              version=version))


def _file_uri(path: str) -> str:
    from pathlib import Path

    return Path(path).as_uri()


server = LambdalintServer()


@server.feature(types.INITIALIZE)
def _initialize(ls: LambdalintServer, params: types.InitializeParams) -> None:
    folders = [ls.path_of(folder.uri) for folder in params.workspace_folders or ()]
    if not folders and params.root_uri:
        folders = [ls.path_of(params.root_uri)]
    elif not folders and params.root_path:
        folders = [params.root_path]
    ls.session.workspace_folders = [folder for folder in folders if folder]


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def _did_open(ls: LambdalintServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.lint_and_publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def _did_change(ls: LambdalintServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.lint_and_publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def _did_save(ls: LambdalintServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.lint_and_publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def _did_close(ls: LambdalintServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    path = ls.path_of(uri)
    ls.publish(uri, [])
    if path is None:
        return
    try:
        results: Dict[str, Lint] = ls.session.close(path)
    except Exception:  # the rest of the module linted again: a failure there must not stop the close
        log.exception("lambdalint failed after closing %s", path)
        return
    for file, lint in results.items():
        ls.publish_lint(file, lint)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
def _code_action(ls: LambdalintServer, params: types.CodeActionParams) -> List[types.CodeAction]:
    uri = params.text_document.uri
    path = ls.path_of(uri)
    if path is None:
        return []
    document = ls.workspace.get_text_document(uri)
    lint = ls.session.current(path, document.source)
    if lint is None:
        return []
    settings = ls.session.settings_of(path)
    if settings is None:
        return []  # its configuration cannot be used: nothing was linted to fix
    wanted = params.range
    actions: List[types.CodeAction] = []
    lines = document.source.splitlines()
    for finding in lint.findings:
        diagnostic = diagnostics.diagnostic(finding, lint.urls.get(finding.rule), lines)
        where = diagnostic.range
        if where.start.line > wanted.end.line or where.end.line < wanted.start.line:
            continue
        found = fixes.fixes_for(finding, path, document.source, settings,
                                lambda text: ls.session.relinted(path, text), lint.findings)
        for fix in found:
            edits = [types.TextEdit(range=types.Range(_position(lines, *edit.start), _position(lines, *edit.end)),
                                    new_text=edit.text) for edit in fix.edits]
            actions.append(types.CodeAction(title=fix.title, kind=types.CodeActionKind.QuickFix,
                                            diagnostics=[diagnostic],
                                            edit=types.WorkspaceEdit(changes={uri: edits})))
    return actions


def _position(lines: List[str], line: int, character: int) -> types.Position:
    """An LSP position (UTF-16 columns) of a line and character index."""
    return types.Position(line, diagnostics.utf16(lines[line] if line < len(lines) else "", character))


def serve(tcp: Optional[str] = None) -> None:
    """Speak LSP on standard input and output, or on HOST:PORT."""
    if tcp:
        host, _, port = tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        server.start_io()
