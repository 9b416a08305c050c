"""What the editor server keeps between edits: the open buffers, a configured Linter per
configuration file, and the findings of each buffer as last linted. No protocol here
(lambdalint.server.protocol speaks LSP), so that the caching is tested without a client.

Each buffer is linted as the CLI lints the file (lambdalint.api.Linter.check_buffer) with the
configuration the CLI would find for it (lambdalint.config.config_for, from the file's folder
upwards) and the workspace folder holding it as the given folder (the project root when no
git work tree holds it). What is kept:

- each configuration file read once, again only when its time or size changes;
- a buffer's findings until its text changes: a save without edits, or an edit of another
  file, lints nothing again; the package indexes (zip listings) are the process-wide
  lambdalint.model.packages cache, from which only the packages whose file changed on disk
  are dropped before a lint (PackageCache.forget_changed);
- a Terraform module is one unit: an edit to one of its files lints the module with every
  open file of it as the editor holds it, and gives findings for each of its files.
"""

from __future__ import annotations

import os
from typing import Dict, List, Optional, Sequence, Tuple

from ..api import Linter
from ..config import ConfigError, config_for, read_config
from ..discover import is_excluded
from ..findings import Finding
from ..projects import configs_and_registry
from ..registry import RuleLoadError
from ..settings import Settings

_Stamp = Optional[Tuple[int, int]]


class Lint:
    """One buffer's result: its findings and where each rule is documented, or the configuration
    error that stopped its lint."""

    __slots__ = ("findings", "urls", "config_error")

    def __init__(self, findings: Sequence[Finding] = (), urls: Optional[Dict[str, str]] = None,
                 config_error: Optional[str] = None) -> None:
        self.findings = tuple(findings)
        self.urls = urls or {}
        self.config_error = config_error


class Session:
    def __init__(self, workspace_folders: Sequence[str] = ()) -> None:
        self.workspace_folders = [os.path.abspath(folder) for folder in workspace_folders]
        self.buffers: Dict[str, str] = {}  # absolute path -> text the editor holds
        self._linters: Dict[Optional[str], Tuple[_Stamp, object]] = {}  # config file -> (stamp, Linter or error)
        self._results: Dict[str, Tuple[str, Lint]] = {}  # path -> (text linted, result)

    def open(self, path: str, text: str) -> Dict[str, Lint]:
        self.buffers[os.path.abspath(path)] = text
        return self.lint(path)

    def change(self, path: str, text: str) -> Dict[str, Lint]:
        return self.open(path, text)

    def close(self, path: str) -> Dict[str, Lint]:
        """Forget the buffer. For a Terraform file the rest of its module, still open, is linted
        again with the file as it is on disk (its unsaved edits are gone)."""
        path = os.path.abspath(path)
        self.buffers.pop(path, None)
        self._results.pop(path, None)
        siblings = [other for other in self.buffers if _same_module(other, path)]
        return self.lint(siblings[0]) if siblings else {}

    def current(self, path: str, text: str) -> Optional[Lint]:
        """The result of the buffer as the editor holds it now (linted if it was not yet)."""
        path = os.path.abspath(path)
        if path not in self.buffers:
            return None
        return self.change(path, text).get(path)

    def lint(self, path: str) -> Dict[str, Lint]:
        """The result of each open buffer this lint speaks for: `path`, and for a Terraform file the
        other open files of its module. A buffer lambdalint does not read gets an empty Lint."""
        path = os.path.abspath(path)
        text = self.buffers[path]
        kept = self._results.get(path)
        if kept is not None and kept[0] == text:
            return {path: kept[1]}
        linter = self._linter(path)
        if isinstance(linter, str):
            result = {path: Lint(config_error=linter)}
        else:
            result = self._lint_with(linter, path, text)
        for file, lint in result.items():
            self._results[file] = (self.buffers[file], lint)
        return result

    def relinted(self, path: str, text: str) -> Optional[List[Finding]]:
        """The findings `path` would have if it held `text` (a quick fix tried out), kept nowhere;
        None when that text is nothing lambdalint reads or its configuration cannot be used."""
        path = os.path.abspath(path)
        linter = self._linter(path)
        if isinstance(linter, str):
            return None
        unsaved = {other: self.buffers[other] for other in self.buffers if _same_module(other, path)}
        checked = linter.check_buffer(path, text, self._given_folder(path), unsaved)
        if checked is None:
            return None
        return [finding for finding in checked.findings if os.path.abspath(finding.file) == path]

    def settings_of(self, path: str) -> Optional[Settings]:
        """The settings `path` is linted with (its configuration's `limits:`, parameters, ...), for a
        quick fix to compute what the rules compute; None when that configuration cannot be used."""
        linter = self._linter(os.path.abspath(path))
        return None if isinstance(linter, str) else linter.settings

    def _lint_with(self, linter: Linter, path: str, text: str) -> Dict[str, Lint]:
        if is_excluded(path, linter.config.exclude, linter.config.root):
            return {path: Lint()}  # the project said not to check it
        from ..model.packages import package_cache

        package_cache().forget_changed()
        module = [other for other in self.buffers if _same_module(other, path)]
        unsaved = {other: self.buffers[other] for other in module}
        checked = linter.check_buffer(path, text, self._given_folder(path), unsaved)
        if checked is None:
            return {path: Lint()}
        by_file: Dict[str, List[Finding]] = {file: [] for file in [path] + module}
        for finding in checked.findings:
            file = os.path.abspath(finding.file)
            if file in by_file:
                by_file[file].append(finding)
        urls = {}
        for finding in checked.findings:
            rule = linter.registry.get(finding.rule)
            if rule is not None and rule.help_uri:
                urls[finding.rule] = rule.help_uri
        return {file: Lint(findings, urls) for file, findings in by_file.items()}

    def _given_folder(self, path: str) -> str:
        """The innermost workspace folder holding `path`, else the file's folder (as a named file)."""
        holding = [folder for folder in self.workspace_folders if path.startswith(folder.rstrip(os.sep) + os.sep)]
        return max(holding, key=len) if holding else os.path.dirname(path)

    def _linter(self, path: str):
        """The Linter of `path`'s configuration, or the one-line error that configuration gives."""
        file = config_for(path)
        stamp = _stamp(file)
        kept = self._linters.get(file)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        try:
            configs, registry = configs_and_registry([read_config(file)])
            config = configs[0]
            linter: object = Linter(config, registry.with_local_rules_of(tuple(config.rules_dirs)))
        except ConfigError as exc:
            linter = str(exc)
        except RuleLoadError as exc:
            linter = f"lambdalint: error: {exc}"
        self._linters[file] = (stamp, linter)
        return linter


def _same_module(other: str, path: str) -> bool:
    """Another open file of the Terraform module `path` is a file of."""
    from ..frontends.terraform.files import is_configuration_file

    return (other != path and os.path.dirname(other) == os.path.dirname(path)
            and is_configuration_file(os.path.basename(path)) and is_configuration_file(os.path.basename(other)))


def _stamp(path: Optional[str]) -> _Stamp:
    if path is None:
        return None
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_mtime_ns, found.st_size)
