"""The library entry points: lint paths or text with a configuration."""

from __future__ import annotations

import os
from typing import Any, Callable, Collection, Dict, Iterator, List, Mapping, Optional, Sequence, Set, Tuple

from . import suppress
from .boundary import remembered_real_paths
from .collector import paused_collection
from .config import CONFIG_ERROR_ID, Config
from .declared import UNREADABLE, Declared, declared_in
from .discover import discover
from .engine import INTERNAL_ERROR, Checked, check_model, not_inspected, parse_failure, sort_findings
from .findings import Finding, Report, Unchecked, display_name
from .loading import MAX_TEMPLATE_BYTES, LoadError, decode, load_file, load_text, refuse_oversized
from .model import TemplateModel
from .registry import Registry, Rule, is_ignored, is_selected, load_registry
from .settings import Settings


class Linter:
    """A configured run: which rules, which settings. Reusable across files."""

    def __init__(self, config: Config = Config(), registry: Optional[Registry] = None):
        self.config = config
        self.registry = registry if registry is not None else load_registry(config.rules_dirs)
        self.rules: List[Rule] = self.registry.enabled(config.select, config.ignore)
        # the findings lambdalint makes itself (LL0001, LL0007, LL0010) are ignored as rules' are
        self._ignored = frozenset(item.id for item in self.registry if is_ignored(item.id, config.ignore))
        self.settings = make_settings(config, known_rules=[item.id for item in self.registry])
        self._ran = frozenset(item.id for item in self.rules)
        self._checked = tuple(item.id for item in self.registry if item.check is not None)
        self._report_unused = is_selected(suppress.UNUSED_SUPPRESSION, config.select, config.ignore)

    def lint_file(self, path: str, given_folder: Optional[str] = None) -> List[Finding]:
        return self.check_file(path, given_folder).findings

    def check_file(self, path: str, given_folder: Optional[str] = None, plan: Optional[str] = None) -> Checked:
        """Findings of one file and the functions whose code was not inspected.

        `given_folder` is the command-line folder the file was found in: the project root
        (trust boundary) when no git work tree holds the file; by default the file's folder.
        `plan`: the saved Terraform plan for a root module (`path` a folder), else None.
        """
        with paused_collection(after="collect"):  # one collection per file, not many during it
            return self._check_file(path, given_folder, plan)

    def _check_file(self, path: str, given_folder: Optional[str], plan: Optional[str] = None) -> Checked:
        if os.path.isdir(path):  # discovery names a Terraform root module by its folder
            return self.check_terraform(path, given_folder, plan=plan)
        name = display_name(path)
        try:
            _refuse_unread_terraform_file(path)
            document = _service_document(path, name, self.settings, given_folder) or load_file(path, name)
        except LoadError as error:
            return Checked(self._filter([parse_failure(name, error)]), declared=UNREADABLE)
        return self._check(document, given_folder=given_folder)

    def lint_text(self, text: str, name: str = "<text>", base_dir: Optional[str] = None) -> List[Finding]:
        try:
            document = load_text(text, name)
        except LoadError as error:
            return self._filter([parse_failure(name, error)])
        return self._check(document, base_dir).findings

    def check_buffer(self, path: str, text: str, given_folder: Optional[str] = None,
                     unsaved: Mapping[str, str] = {}) -> Optional[Checked]:
        """The file at `path` checked with `text`, an editor's unsaved buffer, in place of its bytes
        on disk (for a Terraform file: its whole module, with `unsaved`'s other open files laid over
        the disk too). None when the text is nothing lambdalint reads (lambdalint.unsaved)."""
        from .unsaved import buffer_kind

        path = os.path.abspath(path)
        raw = text.encode("utf-8")
        kind = buffer_kind(path, raw)
        if kind is None:
            return None
        # the check runs in a call of its own, so that its document is gone before the collection
        with paused_collection(after="collect"), remembered_real_paths():
            return self._check_buffer(path, text, raw, kind, given_folder, unsaved)

    def _check_buffer(self, path: str, text: str, raw: bytes, kind: str, given_folder: Optional[str],
                      unsaved: Mapping[str, str]) -> Checked:
        from .unsaved import SERVICE, TERRAFORM

        if kind == TERRAFORM:
            buffers = {os.path.normpath(os.path.abspath(other)): content.encode("utf-8")
                       for other, content in unsaved.items()}
            buffers[os.path.normpath(path)] = raw
            return self.check_terraform(os.path.dirname(path), given_folder, buffers)
        name = display_name(path)
        try:
            refuse_oversized(len(raw))
            if kind == SERVICE:
                from .frontends.serverless_yml import load_service

                document = load_service(path, name, self.settings, given_folder, text)
            else:
                document = load_text(text, name)
        except LoadError as error:
            return Checked(self._filter([parse_failure(name, error)]), declared=UNREADABLE)
        return self._check(document, os.path.dirname(path), given_folder)

    def lint_bytes(self, raw: bytes, name: str, base_dir: Optional[str] = None) -> List[Finding]:
        """A template's bytes (standard input), decoded and bounded as a file's are."""
        try:
            if len(raw) > MAX_TEMPLATE_BYTES:
                raise LoadError(f"input is over the {MAX_TEMPLATE_BYTES} byte limit for a template", 1, 1)
            text = decode(raw)
        except LoadError as error:
            return self._filter([parse_failure(name, error)])
        return self.lint_text(text, name, base_dir)

    def lint_paths(self, paths: Sequence[str], on_warning: Optional[Callable[[str], None]] = None) -> Report:
        """Findings of the templates below paths; on_warning hears what the run should say besides
        (a folder walk that found no template, a --terraform-plan no root module takes).

        Raises frontends.terraform.plan.PlanTargetError when the config's `terraform_plan`
        could be meant for more than one of the Terraform root modules found.
        """
        with remembered_real_paths():
            return self._lint_paths(paths, on_warning)

    def _lint_paths(self, paths: Sequence[str], on_warning: Optional[Callable[[str], None]]) -> Report:
        files, missing, warnings = discover(paths, self.config.exclude, self.config.respect_gitignore, self.config.root)
        plans = self._plans(files, warnings)
        if on_warning is not None:
            for warning in warnings:
                on_warning(warning)
        findings: List[Finding] = []
        unchecked: List[Unchecked] = []
        functions = 0
        declared = Declared()
        for path, why in missing:
            error = LoadError(why, 1, 1)
            findings.extend(self._filter([parse_failure(display_name(path), error)]))
        given = given_folders(files, paths)
        for result in self._check_files(files, given, plans):
            findings.extend(result.findings)
            unchecked.extend(result.unchecked)
            functions += result.functions
            declared = declared.merged(result.declared)
        unchecked.sort(key=lambda entry: (entry.file, entry.resource, entry.reason))
        return Report(tuple(sort_findings(findings)), len(files),
                      checked_files=tuple(display_name(path) for path in files), missing=len(missing),
                      unchecked=tuple(unchecked), functions=functions, declared=declared)

    def _plans(self, files: Sequence[str], warnings: List[str]) -> List[Optional[str]]:
        """For each file, the plan given for it: the config's `terraform_plan` goes to one root module."""
        plans: List[Optional[str]] = [None] * len(files)
        if self.config.terraform_plan is None:
            return plans
        roots = [path for path in files if os.path.isdir(path)]
        if not roots:
            warnings.append(f"--terraform-plan {display_name(self.config.terraform_plan)}: no Terraform root "
                            "module in the checked paths: the plan is not read")
            return plans
        from .frontends.terraform.plan import root_for_plan

        plans[files.index(root_for_plan(self.config.terraform_plan, roots))] = self.config.terraform_plan
        return plans

    def _check_files(self, files: Sequence[str], given: Sequence[str], plans: Sequence[Optional[str]]
                     ) -> Iterator[Checked]:
        """Per-file results, in a process pool when there are enough files to pay for it.

        The output does not depend on the pool: findings are sorted afterwards, and each
        file is linted by the same code with the same configuration.
        """
        jobs = parallel_jobs(len(files), self.config.jobs)
        if jobs <= 1:
            yield from map(self.check_file, files, given, plans)
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _POOL_LINTER
        # fork shares this configured linter (and its loaded rules) with the workers for
        # free; elsewhere each worker builds its own from the (picklable) config.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        _POOL_LINTER = self if method == "fork" else None
        context = multiprocessing.get_context(method)
        chunk = max(1, min(32, len(files) // (jobs * 8)))
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                                 initargs=(None if method == "fork" else self.config,)) as pool:
            yield from pool.map(_check_in_worker, files, given, plans, chunksize=chunk)

    def check_terraform(self, folder: str, given_folder: Optional[str] = None,
                        buffers: Optional[Dict[str, bytes]] = None, plan: Optional[str] = None) -> Checked:
        """A Terraform / OpenTofu root module: read, lowered into a template, checked, and its
        findings moved to the `.tf` lines (lambdalint.frontends.terraform). `buffers`: files an
        editor holds unsaved (absolute path -> bytes), read in place of the disk. `plan`: its saved
        plan (`terraform show -json`), else one beside its `.tf` files is used if there is one."""
        from .boundary import project_root
        from .frontends.terraform import read

        given = given_folder or os.path.abspath(folder)
        found = read.read_root_module(folder, self.config.parameters, project_root(os.path.abspath(folder), given),
                                      buffers, plan)
        return self.check_configuration(found, given)

    def check_configuration(self, found: Any, given_folder: Optional[str] = None) -> Checked:
        """A root module read (lambdalint.frontends.terraform.read.Read) checked like a template."""
        from .declared import terraform_variables
        from .frontends.terraform import read, relocate

        lowering = found.lowering
        folder = lowering.configuration.folder
        given = given_folder or os.path.abspath(folder)
        declared = terraform_variables(lowering.configuration.variables)
        if not lowering.document.data["Resources"]:  # nothing of Lambda's here: nothing to say
            return Checked(self._filter(list(found.errors)), found.unchecked, 0, declared)
        model = TemplateModel(lowering.document, _terraform_settings(self.settings, lowering.addresses),
                              os.path.abspath(folder), given, terraform=lowering)
        rules = self._terraform_rules()
        raised = check_model(model, rules)
        used: Set[Tuple[Any, ...]] = set()
        findings = relocate.relocate(raised, model, used)
        if self._report_unused and not any(f.rule == INTERNAL_ERROR.id for f in raised):
            ran = frozenset(item.id for item in rules)
            findings += relocate.unused_ignores(lowering.configuration, used, ran, self._checked)
        findings += _ignore_problems(lowering.configuration, rules, self.settings.known_rules)
        unchecked, functions = not_inspected(model)
        unchecked = found.unchecked + read.named_unchecked(unchecked, lowering)
        images = frozenset(lowering.addresses[function.logical_id] for function in model.functions
                           if function.package_type != "Zip")
        declared = declared.replace(image_functions=images)
        model.discard()
        return Checked(self._filter(list(found.errors) + findings), unchecked, functions, declared)

    def _terraform_rules(self) -> List[Rule]:
        from .rule_inputs import runs_on_terraform

        return [item for item in self.rules if runs_on_terraform(item.id)]

    def _check(self, document, base_dir: Optional[str] = None, given_folder: Optional[str] = None) -> Checked:
        model = TemplateModel(document, self.settings, base_dir, given_folder)
        found = check_model(model, self.rules)
        unchecked, functions = not_inspected(model)
        kept = self._apply_metadata(found, model)
        front_end = _front_end(model)
        if front_end is not None:  # cdk.out, .serverless/: findings land where the user edits
            kept = front_end.relocate(kept, model)
            unchecked = tuple(entry.replace(origin=front_end.origin_of(model, entry.resource)) for entry in unchecked)
        checked = Checked(self._filter(kept), unchecked, functions, declared_in(model))
        model.discard()
        return checked

    def _apply_metadata(self, findings: List[Finding], model) -> List[Finding]:
        """Drop what the template's Metadata ignores (on expanded resources too); LL0010 for unused entries."""
        ignores = model.suppressions
        if not ignores.entries:
            return findings
        kept, used = suppress.apply_metadata(findings, ignores)
        if self._report_unused and not any(f.rule == INTERNAL_ERROR.id for f in findings):
            unused = suppress.unused_suppressions(ignores, used, self._ran, self._checked, model.locate,
                                                  model.document.name)
            kept.extend(suppress.apply_metadata(unused, ignores)[0])  # an entry may name LL0010 itself
        return kept

    def _filter(self, findings: List[Finding]) -> List[Finding]:
        """The config's say on every finding, the rules' and lambdalint's own alike: the one place
        `severity:` overrides apply, then `ignore` and `per-file-ignores`."""
        overrides = self.config.severity
        findings = [f.replace(severity=overrides[f.rule]) if f.rule in overrides else f
                    for f in findings if f.rule not in self._ignored]
        return suppress.apply_per_file(findings, self.config.per_file_ignores, self.config.root)


def _service_document(path: str, name: str, settings: Settings, given_folder: Optional[str]) -> Any:
    """A Serverless service file lowered into the template it compiles to, or None for any other file.

    Discovery names a serverless.yml only when it has no fresh `.serverless/` package."""
    if not os.path.basename(path).startswith("serverless."):
        return None  # most files: no Serverless module is loaded
    from .frontends.serverless_files import SERVICE_FILES

    if os.path.basename(path) not in SERVICE_FILES:
        return None
    from .frontends.serverless import is_read_directly

    if not is_read_directly(path):
        return None
    from .frontends.serverless_yml import load_service

    return load_service(path, name, settings, given_folder)


def _refuse_unread_terraform_file(path: str) -> None:
    """A file named like a Terraform configuration file that Terraform does not read (discovery
    names no other: it stands for no module, and is no template either): LoadError saying why."""
    from .frontends.terraform.files import unread_reason  # light: discovery imported it for the named file

    reason = unread_reason(os.path.basename(path))
    if reason is not None:
        raise LoadError(reason, 1, 1)


def _terraform_settings(settings: Settings, addresses: Dict[str, str]) -> Settings:
    """The run's settings for a lowered configuration: `--image` names a function by its address
    (the model knows it by the logical ID the lowering spelled), and `--parameter` values are the
    configuration's variables, already evaluated: none is a parameter of the lowered template."""
    by_address = {address: logical_id for logical_id, address in addresses.items()}
    images = {by_address[name]: path for name, path in settings.images.items() if name in by_address}
    return settings.replace(parameters={}, images=images)


def _ignore_problems(configuration: Any, rules: Sequence[Rule], known_rules: Collection[str]) -> List[Finding]:
    """LL0005, when it runs, at the `# lambdalint:ignore` entries of a configuration naming no known rule."""
    from .frontends.terraform import relocate

    checking = next((item for item in rules if item.id == CONFIG_ERROR_ID), None)
    return relocate.invalid_ignores(configuration, known_rules, checking) if checking is not None else []


def _front_end(model: TemplateModel) -> Any:
    """The front-end module that maps this template's findings back to the user's source, or None:
    lambdalint.frontends.cdk for a cdk.out template, .serverless for a `.serverless/` one."""
    if model.cdk is not None:
        from .frontends import cdk

        return cdk
    if model.serverless is not None:
        from .frontends import serverless

        return serverless
    return None


# Below this many files a pool costs more (start-up, pickling) than it saves.
MIN_FILES_PER_JOB = 16
_POOL_LINTER: Optional[Linter] = None


def parallel_jobs(files: int, requested: Optional[int]) -> int:
    """How many processes to use: `requested` when given (0 or None: automatic)."""
    if requested:
        return max(1, min(requested, files))
    return max(1, min(os.cpu_count() or 1, files // MIN_FILES_PER_JOB))


def _init_worker(config: Optional[Config]) -> None:
    global _POOL_LINTER
    if config is not None:
        _POOL_LINTER = Linter(config)


def _check_in_worker(path: str, given_folder: str, plan: Optional[str]) -> Checked:
    assert _POOL_LINTER is not None
    return _POOL_LINTER.check_file(path, given_folder, plan)


def given_folders(files: Sequence[str], paths: Sequence[str]) -> List[str]:
    """For each file, the command-line folder it was found in (for a named file: its folder).

    The innermost one when given folders nest, so that each file's project is the folder
    the user pointed at nearest to it.
    """
    folders = sorted({os.path.abspath(path) for path in paths if os.path.isdir(path)}, key=len, reverse=True)
    result = []
    for file in files:
        absolute = os.path.abspath(file)
        inside = next((folder for folder in folders if absolute == folder  # a Terraform module named itself
                       or absolute.startswith(folder.rstrip(os.sep) + os.sep)), None)
        result.append(inside or os.path.dirname(absolute))
    return result


def make_settings(config: Config, known_rules: Sequence[str] = ()) -> Settings:
    kwargs: Dict[str, Any] = {
        "parameters": dict(config.parameters),
        "limits": dict(config.limits),
        "images": dict(config.images),
        "artifact_roots": tuple(config.artifact_roots),
        "serverless_env": bool(config.serverless_env),
    }
    if config.today is not None:
        kwargs["today"] = config.today
    return Settings(per_rule_timeout=config.rule_timeout or None, known_rules=known_rules, **kwargs)


def lint_paths(paths: Sequence[str], config: Config = Config()) -> Report:
    return Linter(config).lint_paths(paths)


def lint_text(text: str, name: str = "<text>", config: Config = Config()) -> List[Finding]:
    return sort_findings(Linter(config).lint_text(text, name, base_dir=os.getcwd()))
