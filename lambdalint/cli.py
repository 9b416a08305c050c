"""The `lambdalint` command: wiring between options, the linter and the formatters."""

from __future__ import annotations

import datetime
import os
import sys
from typing import Optional, Sequence

import click

from . import __version__
from .api import Linter
from .color import use_color
from .config import (
    Config,
    ConfigError,
    find_config,
    is_known_pattern,
    parse_image,
    parse_parameter,
    read_config,
    split_patterns,
    unknown_rule_message,
)
from .declared import merge, parameter_warnings, unknown_images
from .discover import drop_non_templates
from .engine import sort_findings
from .findings import Report, Severity, display_name
from .formats import STATISTICS_FORMATS, render
from .loading import MAX_TEMPLATE_BYTES
from .projects import combined, configs_and_registry, group_by_config
from .registry import RuleLoadError, load_registry

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FORMAT_NAMES = ("text", "json", "sarif", "junit", "github")
# One instance per kind of path option (each click.Path looks up its translated name when built)
FILE = click.Path(dir_okay=False)
FOLDER = click.Path(file_okay=False)


class _Group(click.Group):
    """Usage errors exit 2 with one line, as click does, but never with a traceback."""

    def main(self, *args, **kwargs):
        try:
            return super().main(*args, **kwargs)
        except (ConfigError, RuleLoadError) as exc:
            click.echo(_one_line(exc), err=True)
            sys.exit(EXIT_USAGE)


def _one_line(exc: Exception) -> str:
    if isinstance(exc, ConfigError):
        return str(exc)
    return f"lambdalint: error: {exc}"


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lambdalint")
def main() -> None:
    """Static checks for AWS Lambda deployments: CloudFormation, SAM, CDK output and packages."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-f", "--format", "format_name", type=click.Choice(FORMAT_NAMES), default=None,
              help="Output format (default: text).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to FILE instead of standard output.")
@click.option("--select", multiple=True,
              help="Only these rule IDs or prefixes (comma-separated; ALL for every rule, opt-in ones included).")
@click.option("--ignore", multiple=True, help="Skip these rule IDs or prefixes (comma-separated).")
@click.option("--fail-level", type=click.Choice(["error", "warning", "info", "none"]), default=None,
              help="Exit 1 when a finding is at or above this severity (default: error).")
@click.option("-p", "--parameter", "parameters", multiple=True, metavar="KEY=VALUE",
              help="Template parameter value (overrides its Default).")
@click.option("--image", "images", multiple=True, metavar="LOGICAL_ID=PATH[:TAG]",
              help="Local image (docker save tarball or OCI layout; :TAG picks one of several) for an image function.")
@click.option("-c", "--config", "config_path", type=FILE, default=None,
              help="Configuration file for every path (default: each path's own .lambdalint.yaml, "
                   "pyproject.toml [tool.lambdalint] or setup.cfg [lambdalint], found upwards).")
@click.option("--exclude", multiple=True, help="Glob of files or folders to skip.")
@click.option("--today", default=None, metavar="YYYY-MM-DD", help="Date for runtime deprecation rules.")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=FOLDER,
              help="Also load rules from the *.py files of this folder.")
@click.option("--color/--no-color", default=None,
              help="Colour the text output, also into a pipe (default: when a terminal; NO_COLOR and "
                   "FORCE_COLOR are honoured).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=None,
              help="Processes for many files (default 0: automatic; 1: no pool).")
@click.option("--rule-timeout", type=click.FloatRange(min=0), default=None, metavar="SECONDS",
              help="Stop a rule that runs longer than this on one template and report LL0007 "
                   "(default 10; 0: no limit; config key: rule-timeout).")
@click.option("--skip-non-templates", is_flag=True,
              help="Silently skip named files that are not templates, or are excluded (for pre-commit).")
@click.option("--respect-gitignore/--no-respect-gitignore", "respect_gitignore", default=None,
              help="Leave out of folder walks what .gitignore files ignore (default; a cdk.out is still "
                   "read; config key: respect-gitignore).")
@click.option("--stdin-filename", type=click.Path(dir_okay=False), default=None, metavar="PATH",
              help="With `-` as the path: read the template from standard input, report it under PATH and "
                   "resolve its local code paths from PATH's folder.")
@click.option("--baseline", "baseline_path", type=FILE, default=None,
              help="Report only findings this baseline file does not accept (config key: baseline).")
@click.option("--write-baseline", "write_baseline", type=FILE, default=None,
              help="Accept every current finding: write them to FILE and exit 0 (writes no report, so not with -f/-o).")
@click.option("--show-infos", is_flag=True,
              help="List info findings in text and github output too (default: counted in the summary "
                   "line; implied by --fail-level info). json, sarif and junit always list them.")
@click.option("--statistics", is_flag=True,
              help="Print the number of findings per rule instead of the findings (text and json).")
@click.option("-q", "--quiet", is_flag=True,
              help="Print the findings only: no summary line, no notices on standard error (errors still).")
@click.option("--terraform-plan", "terraform_plan", type=click.Path(exists=True, dir_okay=False), default=None,
              metavar="FILE",
              help="`terraform show -json` output of a saved plan, laid over the Terraform root module it was made "
                   "for (the only one checked, or the one whose folder holds FILE; config key: terraform-plan).")
def check(paths: Sequence[str], format_name: Optional[str], output: Optional[str], select, ignore,
          fail_level: Optional[str], parameters, images, config_path: Optional[str], exclude, today: Optional[str],
          rules_dirs, color: Optional[bool], skip_non_templates: bool = False, baseline_path: Optional[str] = None,
          write_baseline: Optional[str] = None, jobs: Optional[int] = None,
          rule_timeout: Optional[float] = None, show_infos: bool = False, statistics: bool = False,
          quiet: bool = False, respect_gitignore: Optional[bool] = None,
          stdin_filename: Optional[str] = None, terraform_plan: Optional[str] = None) -> None:
    """Check templates (files or folders; folders are searched for templates)."""
    if write_baseline and (format_name or output):
        # as ruff refuses options that contradict each other: the baseline run writes no report
        given = "--format" if format_name else "--output"
        raise click.UsageError(f"--write-baseline cannot be combined with {given}: it writes the baseline "
                               "and no report (run again with --baseline for the report)")

    # The config of the current folder (or --config) says what to check when no path is given.
    primary_file = config_path or find_config(".")
    read = {primary_file: read_config(primary_file)}
    from_stdin = _reads_stdin(paths, stdin_filename)
    if from_stdin:  # the template is placed where --stdin-filename says: its project's config applies
        targets = [stdin_filename or "."]
    else:
        targets = list(paths) or list(read[primary_file].config.paths) or ["."]
    groups = group_by_config(targets, config_path)
    for file, _ in groups:
        if file not in read:
            read[file] = read_config(file)
    # run-wide keys (format) come from --config or the current folder's config, else from the
    # one config every path shares
    run_file = primary_file if primary_file or len(groups) != 1 else groups[0][0]
    format_name = format_name or read[run_file].config.format or "text"
    if statistics and format_name not in STATISTICS_FORMATS:
        raise click.UsageError(f"--statistics works with --format {' or '.join(STATISTICS_FORMATS)}, "
                               f"not {format_name}")
    # One registry for the run: the rules of every config's rules-dir, then the command line's.
    configs, registry = configs_and_registry([read[file] for file, _ in groups], rules_dirs)
    known = [r.id for r in registry]
    select, ignore = (_known_patterns(option, values, known)
                      for option, values in (("--select", select), ("--ignore", ignore)))
    cli_parameters = dict(parse_parameter(p) for p in parameters)
    cli_images = dict(parse_image(i) for i in images)
    cli_exclude = tuple(_from_current_folder(pattern) for pattern in exclude)

    runs = []
    for (file, group), config in zip(groups, configs):
        config = config.with_overrides(
            select=select or None,
            ignore=tuple(config.ignore) + ignore or None,
            exclude=tuple(config.exclude) + cli_exclude or None,
            parameters={**config.parameters, **cli_parameters} or None,
            images={**config.images, **cli_images} or None,
            today=_parse_today(today),
            format=format_name,
            jobs=jobs,
            rule_timeout=rule_timeout,
            respect_gitignore=respect_gitignore,
            terraform_plan=terraform_plan,
        )
        if fail_level is not None:
            config = config.replace(fail_level=None if fail_level == "none" else Severity.parse(fail_level))
        # another project's --rules-dir rules stay off this project's templates
        linter = Linter(config, registry.with_local_rules_of(tuple(config.rules_dirs) + tuple(rules_dirs)))
        if from_stdin:
            report = _stdin_report(linter, stdin_filename)
        else:
            if skip_non_templates:
                group = drop_non_templates(group, config.exclude, config.root)
            report = _lint_paths(linter, group, quiet)
        runs.append((file, config, report))
    _check_named_in_templates(cli_parameters, cli_images, [report for _, _, report in runs], quiet)

    if write_baseline:
        _write_baseline(combined(report for _, _, report in runs), write_baseline, quiet=quiet)
    runs = [(file, config, _apply_baseline(report, baseline_path or _config_baseline(config, file)))
            for file, config, report in runs]
    report = combined(report for _, _, report in runs)
    config = next((c for f, c, _ in runs if f == run_file), runs[0][1])
    colored = format_name == "text" and use_color(
        color, to_file=output is not None, environ=os.environ, isatty=sys.stdout.isatty)
    # a fail level of info (any project's) with infos hidden would exit 1 on findings it never printed
    show_infos = show_infos or any(c.fail_level == Severity.INFO for _, c, _ in runs)
    text = render(format_name, report, registry, color=colored, show_infos=show_infos, statistics=statistics,
                  summary=not quiet, fail_level=config.fail_level)
    if output:
        _write_report(output, text)
    elif text:  # nothing at all (github without annotations, --quiet and clean), not an empty line
        # click.echo strips colour codes off a pipe unless told: the choice was made above
        click.echo(text, nl=not text.endswith("\n"), color=colored)
    # each project fails at its own fail-level
    failing = any(c.fail_level is not None and any(f.severity >= c.fail_level for f in r.findings) for _, c, r in runs)
    sys.exit(EXIT_FINDINGS if failing else EXIT_CLEAN)


def _lint_paths(linter: Linter, paths: Sequence[str], quiet: bool) -> Report:
    """The run's report; exit 2 when a --terraform-plan could be meant for several root modules."""
    on_warning = None if quiet else _warn
    if linter.config.terraform_plan is None:
        return linter.lint_paths(paths, on_warning=on_warning)
    from .frontends.terraform.plan import PlanTargetError  # only imported when a plan is given

    try:
        return linter.lint_paths(paths, on_warning=on_warning)
    except PlanTargetError as exc:
        click.echo(f"lambdalint: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)


def _known_patterns(option: str, values: Sequence[str], known_ids: Sequence[str]) -> tuple:
    patterns = split_patterns(values)
    for pattern in patterns:
        if not is_known_pattern(pattern, known_ids):
            raise ConfigError(unknown_rule_message(pattern, option, known_ids), "<command line>")
    return tuple(pattern.upper() for pattern in patterns)  # rule IDs are upper case: `ll6` is LL6


def _check_named_in_templates(parameters, images, reports, quiet: bool) -> None:
    """`--parameter` and `--image` name things in the templates: say so when they name nothing.

    A parameter no checked template declares, or a value its declaration refuses, is a
    warning (once per run); an --image ID that is no image function of any checked
    template is a usage error, as the image would silently not be read.
    """
    if not (parameters or images) or any(report.declared is None for report in reports):
        return  # nothing to compare, or a template (standard input) whose declarations were not kept
    declared = merge(report.declared for report in reports)
    for warning in parameter_warnings(parameters.items(), declared) if not quiet else ():
        _warn(warning)
    for name in unknown_images(images, declared):
        known = ", ".join(sorted(declared.image_functions)) or "none"
        message = f"--image {name}: no image function {name} in the checked templates (image functions: {known})"
        if declared.open:  # a template could not be read or has unexpanded loops: it may be there
            if not quiet:
                _warn(message)
            continue
        click.echo(f"lambdalint: error: {message}", err=True)
        sys.exit(EXIT_USAGE)


def _warn(message: str) -> None:
    click.echo(f"lambdalint: warning: {message}", err=True)


def _reads_stdin(paths: Sequence[str], stdin_filename: Optional[str]) -> bool:
    """`-` alone (ruff's convention), or no path but --stdin-filename."""
    if "-" in paths and len(paths) > 1:
        raise click.UsageError("`-` (standard input) cannot be combined with other paths")
    if stdin_filename is not None and paths and "-" not in paths:
        raise click.UsageError("--stdin-filename names the template read from standard input: give `-` as the path")
    return "-" in paths or stdin_filename is not None


def _stdin_report(linter, stdin_filename: Optional[str]):
    """One template from standard input, named and placed as if it were the file stdin_filename."""
    stream = getattr(sys.stdin, "buffer", sys.stdin)  # bytes: decoded (BOM, UTF-16, errors) as a file is
    raw = stream.read(MAX_TEMPLATE_BYTES + 1)
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    name = display_name(stdin_filename) if stdin_filename else "<stdin>"
    base_dir = os.path.dirname(os.path.abspath(stdin_filename)) if stdin_filename else os.getcwd()
    return Report(tuple(sort_findings(linter.lint_bytes(raw, name, base_dir))), 1, checked_files=(name,))


def _write_report(output: str, text: str) -> None:
    """Write the report to `output`, creating its folder (`-o reports/x.sarif` in a fresh checkout)."""
    try:
        folder = os.path.dirname(output)
        if folder:
            os.makedirs(folder, exist_ok=True)
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise click.UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


def _config_baseline(config: Config, config_file: Optional[str]) -> Optional[str]:
    """The config's `baseline:` is relative to the config file's folder."""
    if not config.baseline or not config_file:
        return config.baseline
    return os.path.join(os.path.dirname(os.path.abspath(config_file)), config.baseline)


def _from_current_folder(pattern: str) -> str:
    """A --exclude glob naming a path (`infra/old/*`) is relative to the current folder, not to
    a config's: anchored here. A bare name or `**/x` matches anywhere, whatever the folder."""
    if "/" not in pattern.strip("/") or pattern.startswith("*") or os.path.isabs(pattern):
        return pattern
    return os.path.join(os.getcwd(), pattern).replace(os.sep, "/")


def _write_baseline(report, write_baseline: str, *, quiet: bool = False) -> None:
    """Accept every finding of the run: write them to the baseline, and stop."""
    from . import baseline

    try:
        count = baseline.write(report.findings, write_baseline)
    except baseline.BaselineError as exc:
        click.echo(f"lambdalint: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    _notice(f"wrote {count} finding(s) to baseline {write_baseline}", quiet)
    sys.exit(EXIT_CLEAN)


def _apply_baseline(report, baseline_path: Optional[str]):
    """The report without the findings the baseline accepts."""
    if not baseline_path:
        return report  # without a baseline the module is not even imported: faster start-up
    from . import baseline

    try:
        return baseline.filter_report(report, baseline_path)
    except baseline.BaselineError as exc:
        click.echo(f"lambdalint: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)


def _notice(message: str, quiet: bool) -> None:
    """Something worth knowing that is not an error, on standard error unless --quiet."""
    if not quiet:
        click.echo(f"lambdalint: {message}", err=True)


def _parse_today(text: Optional[str]) -> Optional[datetime.date]:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)", param_hint="--today") from None


@main.command("rules")
@click.option("-f", "--format", "format_name", type=click.Choice(["text", "markdown", "json"]), default="text")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=FOLDER)
def list_rules(format_name: str, rules_dirs) -> None:
    """List every rule (markdown: the docs/rules.md reference)."""
    from .docs import rules_json, rules_markdown, rules_table

    registry = load_registry(tuple(rules_dirs))
    render = {"text": rules_table, "markdown": rules_markdown, "json": rules_json}[format_name]
    click.echo(render(registry), nl=False)


@main.command()
@click.argument("rule_id", metavar="RULE")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=FOLDER)
def explain(rule_id: str, rules_dirs) -> None:
    """Show what a rule checks, why it matters and how to fix it.

    RULE is an ID (LL6001), a name (sqs-visibility-below-timeout) or the ID the cfn-lint
    plug-in prints (E9601), in any letter case.
    """
    from .docs import closest_rule_name, explain_rule, find_rule

    registry = load_registry(tuple(rules_dirs))
    found = find_rule(registry, rule_id)
    if found is None:
        close = closest_rule_name(registry, rule_id)
        hint = f"did you mean {close}? " if close else ""
        raise click.UsageError(f"unknown rule {rule_id!r} ({hint}see `lambdalint rules`)")
    text = explain_rule(found)
    click.echo(text, nl=not text.endswith("\n"))


@main.command()
@click.option("--tcp", "tcp", default=None, metavar="HOST:PORT",
              help="Listen on this address instead of standard input and output.")
def server(tcp: Optional[str]) -> None:
    """Language server (LSP): findings as diagnostics while you edit, with quick fixes.

    Speaks on standard input and output (what editors start); see docs/editor.md.
    """
    if tcp is not None and not tcp.rpartition(":")[2].isdigit():
        raise click.BadParameter(f"{tcp!r} is not HOST:PORT", param_hint="--tcp")
    from .server.protocol import serve  # pygls loads only here: a `check` run never imports it

    serve(tcp)


if __name__ == "__main__":  # pragma: no cover
    main()
