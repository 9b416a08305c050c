"""Which files are templates.

A file named on the command line is always checked. In a folder, a file is a
template when its shape says so (lambdalint.sniff: a top-level `Resources` mapping
of typed resources, or an `AWSTemplateFormatVersion`); everything else is skipped
silently. The stack templates a cdk.out manifest lists are templates by that listing.
A Serverless Framework service (`serverless.yml`) is checked through its package: the
`.serverless/` update-stack template when it is not older than the service file (its zips
mapped in by lambdalint.frontends.serverless); `serverless.yml` and `serverless-state.json`
are never read as templates, and a service without a fresh package is said once (so is a
`serverless.ts` / `.js` service without one: code that is never executed).

Walks leave out what git ignores (lambdalint.gitignore; `respect_gitignore=False` to
keep it), except a cdk.out, whose stack templates are what lambdalint checks CDK
projects through. A path that does not exist but holds glob characters is expanded
(`**` recursive), and its matches are taken as if the shell had expanded them.
"""

from __future__ import annotations

import fnmatch
import os
from typing import Iterator, List, NamedTuple, Optional, Sequence, Tuple

from .boundary import real_path
from .gitignore import IgnoreFiles, ignore_files_for
from .sniff import is_template

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
# Folders that hold dependencies or tool state, never the user's templates.
SKIPPED_FOLDERS = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache",
     ".pytest_cache", ".aws-sam", ".serverless", ".terraform", "site-packages"}
)


def glob_path(path: str, root: Optional[str] = None) -> str:
    """`path` as config globs see it: relative to `root` (None: the current folder), with `/`.

    A file outside `root` (a `--config ci/lint.yaml` for files in `infra/`) is `../infra/...`.
    """
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root or os.getcwd())
    except ValueError:  # another drive (Windows): no relative name
        relative = absolute
    return relative.replace(os.sep, "/")


def is_excluded(path: str, patterns: Sequence[str], root: Optional[str] = None) -> bool:
    """Whether a glob names the file or one of its folders; relative globs are relative to `root`."""
    if not patterns:
        return False
    relative = glob_path(path, root)
    name = os.path.basename(relative)
    for pattern in patterns:
        normalized = os.path.abspath(path).replace(os.sep, "/") if os.path.isabs(pattern) else relative
        if fnmatch.fnmatch(normalized, pattern) or fnmatch.fnmatch(name, pattern):
            return True
        if fnmatch.fnmatch(normalized, pattern.rstrip("/") + "/*") or f"/{pattern.strip('/')}/" in f"/{normalized}/":
            return True
    return False


GLOB_CHARACTERS = frozenset("*?[")
NOTHING_FOUND_HINT = "folders are searched for CloudFormation/SAM templates by content"


class Discovery(NamedTuple):
    files: List[str]  # the templates to check, in a stable order
    missing: List[Tuple[str, str]]  # (path as given, why it names nothing)
    warnings: List[str]  # said once on stderr: e.g. a folder walk that found nothing


class _Skipped:
    """What a walk left out, for the warning when it finds nothing."""

    def __init__(self) -> None:
        self.excluded = 0
        self.ignored = 0


def discover(paths: Sequence[str], exclude: Sequence[str] = (), respect_gitignore: bool = True,
             glob_root: Optional[str] = None) -> Discovery:
    """The templates below `paths`; `exclude` globs are relative to `glob_root` (None: the current folder)."""
    found: List[str] = []
    missing: List[Tuple[str, str]] = []
    walked: List[str] = []
    skipped = _Skipped()
    notices: List[str] = []  # what was not checked, said once (a Serverless service not packaged)
    seen = set()
    for given in paths:
        targets = _expand(given)
        if not targets:
            missing.append((given, "no file or folder matches this pattern"))
        for target in targets:
            serverless = _serverless_unit(target)
            if serverless is not None:
                templates, notice = serverless
                candidates: Iterator[Tuple[str, bool]] = iter([(path, True) for path in templates])
                explicit = True
                if notice:
                    notices.append(notice)
            elif os.path.isfile(target):
                # a named .tf file stands for its module: the folder is what Terraform reads
                candidates = iter([(_terraform_folder(target), True) if _is_terraform_file(target)
                                   else (target, True)])
                explicit = True
            elif os.path.isdir(target):
                ignores = ignore_files_for(target) if respect_gitignore else None
                candidates = _walk(target, exclude, ignores, skipped, glob_root, notices)
                explicit = False
                walked.append(target)
            else:
                missing.append((target, "no such file or folder"))
                continue
            for path, known in candidates:
                key = real_path(path) or path
                if key in seen:
                    continue
                if not explicit and is_excluded(path, exclude, glob_root):
                    skipped.excluded += 1
                    continue
                if known or is_template(path):
                    seen.add(key)
                    found.append(path)
    warnings = list(dict.fromkeys(notices))
    if walked and not found and not missing and not notices:
        warnings.append(_nothing_found(walked, skipped))
    return Discovery(found, missing, warnings)


def _serverless_unit(target: str) -> Optional[Tuple[List[str], Optional[str]]]:
    """(templates, notice) when `target` names a Serverless package or service file, else None.

    `.serverless/` (or a file in it) is its update-stack template; `serverless.yml` is what its
    folder's package gives (lambdalint.frontends.serverless.project_templates).
    """
    from .frontends import serverless_files

    if os.path.isdir(target):
        if not serverless_files.is_package_folder(target):
            return None
    elif os.path.basename(target) not in serverless_files.FILE_NAMES:
        return None
    from .findings import display_name
    from .frontends import serverless

    if os.path.isdir(target):
        if serverless.is_package_folder(target):
            return [os.path.join(target, serverless.UPDATE_TEMPLATE)], None
        return None
    folder = os.path.dirname(target) or "."
    name = os.path.basename(target)
    if name in (serverless.STATE, serverless.UPDATE_TEMPLATE) and serverless.is_package_folder(folder):
        return [os.path.join(folder, serverless.UPDATE_TEMPLATE)], None
    if name == serverless.STATE:
        return [], f"{display_name(target)} is the Serverless Framework's state, not a template: not checked"
    if serverless.is_service_file(target):
        return serverless.project_templates(folder)
    return None


def _is_terraform_file(path: str) -> bool:
    from .frontends.terraform.files import names_module

    return names_module(path)


def _terraform_folder(path: str) -> str:
    return os.path.dirname(path) or "."


def _expand(given: str) -> List[str]:
    """[given], or the matches of a quoted glob (`'infra/*.yaml'`) when no such path exists."""
    if os.path.lexists(given) or not GLOB_CHARACTERS.intersection(given):
        return [given]
    import glob

    return sorted(glob.glob(given, recursive=True))


def _nothing_found(walked: Sequence[str], skipped: _Skipped) -> str:
    folders = ", ".join(_folder_name(folder) for folder in walked)
    reasons = [NOTHING_FOUND_HINT]
    if skipped.excluded:
        reasons.append(f"{skipped.excluded} file(s) or folder(s) left out by exclude patterns")
    if skipped.ignored:
        reasons.append(f"{skipped.ignored} git-ignored (--no-respect-gitignore checks them)")
    return f"no templates found in {folders} ({'; '.join(reasons)})"


def _folder_name(folder: str) -> str:
    """As given, or relative to the current folder when below it (config `paths` are absolute)."""
    name = os.path.normpath(folder)
    if os.path.isabs(name):
        relative = os.path.relpath(name)
        name = name if relative.startswith("..") else relative
    return name if name.endswith(os.sep) else name + os.sep


def is_cloud_assembly(folder: str) -> bool:
    """A `cdk synth` output folder (cdk.out): a manifest.json beside a `cdk.out` marker or stack templates."""
    if not os.path.isfile(os.path.join(folder, "manifest.json")):
        return False
    if os.path.isfile(os.path.join(folder, "cdk.out")):
        return True
    try:
        return any(name.endswith(".template.json") for name in os.listdir(folder))
    except OSError:
        return False


def cloud_assembly_templates(folder: str, depth: int = 0) -> List[str]:
    """The stack templates of a cloud assembly, nested stacks and nested assemblies (CDK stages) included.

    A nested stack's template (`*.nested.template.json`) follows its parent's: the parent's
    `AWS::CloudFormation::Stack` names it (lambdalint.frontends.cdk.nested_templates).

    The manifest lists them (`aws:cloudformation:stack` artifacts name a `templateFile`,
    `cdk:cloud-assembly` ones a `directoryName`); without a readable manifest every
    `*.template.json` of the folder is taken. Asset folders (`asset.<hash>`) hold code, not
    templates, and are never searched: the templates reach them through `aws:asset:path`.
    `cdk synth` writes every template and nested assembly inside the assembly, so a manifest
    entry (or a symlink) leading out of it is not read (lambdalint.boundary).
    """
    import json

    from .boundary import TrustBoundary
    from .frontends.cdk import nested_templates

    inside = TrustBoundary([folder]).admits
    found: List[str] = []
    try:
        with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as handle:
            artifacts = json.load(handle).get("artifacts")
    except (OSError, ValueError, AttributeError):
        artifacts = None
    if not isinstance(artifacts, dict):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            return found
        return [os.path.join(folder, name) for name in names
                if name.endswith(".template.json") and inside(os.path.join(folder, name))]
    for artifact in artifacts.values():
        if not isinstance(artifact, dict) or not isinstance(artifact.get("properties"), dict):
            continue
        properties = artifact["properties"]
        if artifact.get("type") == "aws:cloudformation:stack" and isinstance(properties.get("templateFile"), str):
            path = os.path.normpath(os.path.join(folder, properties["templateFile"]))
            if inside(path) and os.path.isfile(path) and path not in found:
                found.append(path)
                found.extend(nested for nested in nested_templates(path) if inside(nested) and nested not in found)
        elif artifact.get("type") == "cdk:cloud-assembly" and isinstance(properties.get("directoryName"), str):
            nested = os.path.normpath(os.path.join(folder, properties["directoryName"]))
            if depth < 8 and inside(nested) and os.path.isdir(nested):
                found.extend(path for path in cloud_assembly_templates(nested, depth + 1) if path not in found)
    return found


def sam_build_template(folder: str) -> List[str]:
    """The template to check for a `sam build` output folder (`.aws-sam/build`, or `.aws-sam` itself).

    The source template beside `.aws-sam` when the build belongs to it and is not older
    (lambdalint.sam_build), else the build template. Only a template: the function
    folders beside it hold built code, not templates.
    """
    folder = os.path.normpath(folder)
    named = os.path.abspath(folder)  # `lambdalint check .` run inside the build folder
    if os.path.basename(named) == ".aws-sam":
        folder = os.path.join(folder, "build")
    elif not (os.path.basename(named) == "build"
              and os.path.basename(os.path.dirname(named)) == ".aws-sam"):
        return []
    from .sam_build import build_template, source_template_of

    built = build_template(folder)
    if built is None:
        return []
    # The user edits the source template: check it (its packages are read from this build)
    # when the build belongs to it and is fresh, else the build template itself.
    source = source_template_of(folder)
    if source is not None:
        return [os.path.relpath(source) if not os.path.isabs(folder) else source]
    return [built]


def _walk(root: str, exclude: Sequence[str], ignores: Optional[IgnoreFiles] = None,
          skipped: Optional[_Skipped] = None, glob_root: Optional[str] = None,
          notices: Optional[List[str]] = None) -> Iterator[Tuple[str, bool]]:
    """(file below root, known to be a template), sorted, without following symlinked folders out of the tree.

    An explicit `.aws-sam/build` (or `.aws-sam`) yields its template; a cdk.out met anywhere
    yields its stack templates, not the files of its asset folders, git-ignored or not.
    `.aws-sam` met while walking a project is skipped (SKIPPED_FOLDERS): the source template
    is checked instead. A Serverless service folder yields its fresh package's template, and
    its service file is not sniffed; `notices` hears of a service without one.
    Root itself is never judged by the ignore files: it was asked for.
    """
    from .frontends import serverless
    from .frontends.terraform import files as terraform

    skipped = skipped if skipped is not None else _Skipped()
    modules: List[str] = []  # Terraform modules met, and the local modules they call
    called: set = set()
    built = sam_build_template(root)
    if built:
        yield from ((path, True) for path in built)
        return
    for folder, folders, files in os.walk(root, followlinks=False):
        if is_cloud_assembly(folder):
            yield from ((path, True) for path in cloud_assembly_templates(folder))
            folders[:] = []
            continue
        service = serverless.service_file(folder) if any(name in serverless.SERVICE_FILES for name in files) else None
        if service is not None and serverless.is_service_file(service):
            templates, notice = serverless.project_templates(folder)
            yield from ((path, True) for path in templates)
            if notice and notices is not None:
                notices.append(notice)
        else:
            service = None
        kept = []
        for name in sorted(folders):
            path = os.path.join(folder, name)
            if name in SKIPPED_FOLDERS:
                continue
            if is_excluded(path, exclude, glob_root):
                skipped.excluded += 1
            elif ignores is not None and ignores.is_ignored(path, True) and not is_cloud_assembly(path):
                skipped.ignored += 1
            else:
                kept.append(name)
        folders[:] = kept
        configuration = [name for name in files if terraform.is_configuration_file(name)
                         and not is_excluded(os.path.join(folder, name), exclude, glob_root)]
        if configuration:
            modules.append(folder)
            called |= terraform.local_calls(folder, configuration)
        for name in sorted(files):
            if terraform.is_configuration_file(name):
                continue  # read with its module, never as a template
            if name.lower().endswith(TEMPLATE_SUFFIXES):
                path = os.path.join(folder, name)
                if os.path.islink(path) or (service is not None and path == service):
                    continue
                if ignores is not None and ignores.is_ignored(path, False):
                    skipped.ignored += 1
                    continue
                yield path, False
    yield from ((folder, True) for folder in terraform.root_modules(modules, called))


def drop_non_templates(paths: Sequence[str], exclude: Sequence[str] = (), glob_root: Optional[str] = None) -> List[str]:
    """Named files that are not templates (or are excluded) removed; folders and missing paths kept.

    For callers that pass every changed file (pre-commit): there a file is named
    because it changed, not because the user says it is a template, so it is
    judged by content like a file found in a folder. A Serverless `serverless.yml` is kept:
    it stands for its service, checked through a fresh package or said to be unchecked.
    """
    from .frontends.serverless import is_service_file
    from .frontends.terraform.files import names_module

    kept = []
    for path in paths:
        if os.path.isfile(path) and (is_excluded(path, exclude, glob_root) or not (
                names_module(path) or is_template(path) or is_service_file(path))):
            continue
        kept.append(path)
    return kept
