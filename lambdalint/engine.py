"""Run rules over one template and turn their hits into located findings."""

from __future__ import annotations

import os
import time
from typing import Any, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple

from .findings import Finding, Hit, Path, Severity, Unchecked
from .loading import Document, LoadError
from .records import Record
from .registry import Rule, engine_rule
from .settings import DEFAULT_SETTINGS, Settings

PARSE_ERROR = engine_rule(
    id="LL0001",
    origin=__name__,
    name="template-unreadable",
    severity=Severity.ERROR,
    summary="File cannot be parsed as a template",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html",
    docs="""
    ## What it does
    Reports a file that cannot be read as a CloudFormation or SAM template: YAML or JSON syntax
    errors, tabs used for indentation, text that is not UTF-8, an empty file, or a document
    whose top level is not a mapping. The finding names the line and column where reading
    stopped. (A key written twice is no reason to stop: CloudFormation deploys the last one;
    LL0009 reports it and the template is checked.)

    ## Why is this bad?
    CloudFormation rejects the template before it looks at a single resource.

    ## Example
    ```yaml
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Layers: [!Ref DepsLayer   # the list is never closed
    ```
    Use instead: valid YAML or JSON (spaces for indentation, closed brackets), UTF-8 text, a
    mapping of template sections.
    """,
)

INTERNAL_ERROR = engine_rule(
    id="LL0007",
    origin=__name__,
    name="internal-error",
    severity=Severity.ERROR,
    summary="A rule raised on this input (a lambdalint bug)",
    source="https://github.com/lambdalint/lambdalint/issues",
    docs="""
    ## What it does
    Reports that a rule raised an exception, or ran past its time budget, on this template. The
    message names the rule and the exception; the other rules and files are still checked.

    ## Why is this bad?
    It is a bug in lambdalint (or in a third-party rule pack), not in your template: the rule
    could not say whether the template is right. Please report it with the template.

    ## Example
    ```text
    template.yaml:1:1: LL0007 error: rule LL6001 failed: KeyError: 'Timeout'
    ```
    Use instead: report the bug; meanwhile `--ignore` the failing rule if it blocks you.
    """,
)



def _duplicate_keys(model: Any) -> Iterator[Hit]:
    """
    ## What it does
    Reports a mapping key written more than once in the same mapping of a template (YAML or
    JSON): two `Handler:` lines in one function, a logical ID used for two resources, a
    parameter declared twice. The finding sits on the last one and names the line of each
    earlier one. The template is then checked as CloudFormation reads it: with the last value.

    ## Why is this bad?
    CloudFormation accepts the template and deploys the last value of the key; the earlier
    ones are dropped without a word (cfn-language-discussion#96). A reader who reviews the
    first `Handler:` or the first resource of that name reviews something that never deploys,
    and an edit to it changes nothing.

    ## Example
    ```yaml
    Resources:
      Worker:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.13
          Handler: app.handler
          Handler: app.other   # LL0009: the first Handler is dropped
    ```
    Use instead: write each key once, with the value you mean to deploy.
    """
    for duplicate in model.duplicate_keys:
        key = duplicate.path[-1]
        lines = ", ".join(str(line) for line, _ in duplicate.earlier)
        where = f"line {lines}" if len(duplicate.earlier) == 1 else f"lines {lines}"
        yield Hit(duplicate.path, f"duplicate key {key!r} (also on {where}): CloudFormation deploys this last "
                                  f"one and silently drops the earlier")


DUPLICATE_KEY = Rule(
    id="LL0009",
    name="duplicate-key",
    severity=Severity.WARNING,
    summary="A mapping key is written twice: only the last one deploys",
    source="https://github.com/aws-cloudformation/cfn-language-discussion/issues/96",
    check=_duplicate_keys,
    docs=_duplicate_keys.__doc__ or "",
    origin="lambdalint.engine",
)

ENGINE_RULES = (PARSE_ERROR, INTERNAL_ERROR, DUPLICATE_KEY)


def parse_failure(name: str, error: LoadError) -> Finding:
    return Finding(
        file=name, line=error.line, column=error.column, rule=PARSE_ERROR.id,
        severity=PARSE_ERROR.severity, message=error.message,
    )


class Checked(Record):
    """What checking one template gave: its findings, and the functions whose code was not inspected."""

    __slots__ = ("findings", "unchecked", "functions", "declared")

    def __init__(self, findings: List[Finding], unchecked: Tuple[Unchecked, ...] = (), functions: int = 0,
                 declared: Any = None) -> None:
        self.findings = findings
        self.unchecked = unchecked
        self.functions = functions  # how many functions the template defines
        self.declared = declared  # lambdalint.declared.Declared: its parameters and image functions


def check_document(
    document: Document,
    rules: Sequence[Rule],
    settings: Settings = DEFAULT_SETTINGS,
    severity_overrides: Optional[Mapping[str, Severity]] = None,
    base_dir: Optional[str] = None,
) -> List[Finding]:
    """All findings of `rules` on one loaded template, located and severity-resolved."""
    from .model import TemplateModel

    return check_model(TemplateModel(document, settings, base_dir), rules, severity_overrides)


def check_model(
    model: Any,
    rules: Sequence[Rule],
    severity_overrides: Optional[Mapping[str, Severity]] = None,
) -> List[Finding]:
    """All findings of `rules` on one template model, located and severity-resolved."""
    settings = model.settings
    overrides = severity_overrides or {}
    findings: List[Finding] = []
    with _TimeBudget(settings.per_rule_timeout or None) as timer:  # 0 means no budget
        for item in rules:
            if item.check is None:
                continue
            try:
                timer.start()
                try:
                    for hit in item.check(model):
                        findings.append(_locate(model, item, hit, overrides))
                        timer.check()
                finally:
                    timer.stop()
            except OverBudget as exc:
                findings.append(_internal_error(model, item, str(exc), exc.resource))
            except Exception as exc:  # a broken rule must not stop the others: report it as LL0007
                resource = _resource_in_frames(_traceback_frames(exc.__traceback__))
                findings.append(_internal_error(model, item, f"{type(exc).__name__}: {exc}", resource))
    return findings


def not_inspected(model: Any) -> Tuple[Tuple[Unchecked, ...], int]:
    """The functions of a model whose code was not inspected, and how many functions it has."""
    from .model.packages import unchecked_code

    name = model.document.name
    try:
        functions = model.functions
        entries = tuple(Unchecked(name, logical_id, reason) for logical_id, reason in unchecked_code(model))
    except Exception:  # a model bug: the rules asking the same questions report it as LL0007
        return (), 0
    return entries, len(functions)


class OverBudget(BaseException):
    """A rule ran past `Settings.per_rule_timeout`.

    A BaseException, so that a rule's own `except Exception` cannot swallow it and loop on.
    """

    def __init__(self, message: str, resource: Optional[str] = None):
        super().__init__(message)
        self.resource = resource


# After the budget runs out the alarm repeats this often, in case the rule catches the
# first OverBudget with a bare `except:` and carries on.
_REPEAT_S = 0.25


class _TimeBudget:
    """Interrupts a rule that runs past its budget.

    Where it can (POSIX, main thread: the CLI and each pool worker) a SIGALRM timer raises
    OverBudget inside the rule, wherever it is looping. Elsewhere (Windows, a linter run from
    a thread) the budget is only checked between the rule's hits, so a rule that loops
    without yielding is not stopped there.

    The handler is installed once per template and the timer re-armed per rule (one
    system call); an alarm that arrives between rules is ignored. An alarm set by someone
    else (e.g. pytest-timeout) is put back afterwards, less the time the template took.
    """

    def __init__(self, seconds: Optional[float]):
        self.seconds = seconds
        self.alarm = False
        self.running = False
        self.started = 0.0
        self._entered = 0.0
        self._previous_handler: Any = None
        self._previous_timer = (0.0, 0.0)

    def __enter__(self) -> "_TimeBudget":
        if self.seconds is not None and _can_use_alarm():
            signal = _signal_api()
            self._entered = time.monotonic()
            self._previous_timer = signal.getitimer(signal.ITIMER_REAL)
            self._previous_handler = signal.signal(signal.SIGALRM, self._on_alarm)
            self.alarm = True
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.running = False
        if not self.alarm:
            return
        signal = _signal_api()
        self.alarm = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        previous = self._previous_handler
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
        delay, interval = self._previous_timer
        if delay > 0:
            left = delay - (time.monotonic() - self._entered)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), interval)

    def start(self) -> None:
        self.started = time.monotonic()
        self.running = True
        if self.alarm:
            signal = _signal_api()
            signal.setitimer(signal.ITIMER_REAL, self.seconds, _REPEAT_S)

    def stop(self) -> None:
        self.running = False  # the timer keeps ticking until the next start() re-arms it

    def check(self) -> None:
        """The between-hits check, for where no alarm is available."""
        if self.seconds is not None and time.monotonic() - self.started > self.seconds:
            raise OverBudget(self._message(), None)

    def _on_alarm(self, signum: int, frame: Any) -> None:
        if self.running:
            raise OverBudget(self._message(), _resource_in_frames(_stack_frames(frame)))

    def _message(self) -> str:
        return f"exceeded its time budget of {self.seconds:g} s (rule-timeout)"


def _signal_api() -> Any:
    """`_signal`, the C module that `signal` wraps: the same functions and constants.

    `signal` adds enums for signal numbers and handlers, whose creation costs about a
    millisecond of a cold start; the budget needs only the plain functions.
    """
    try:
        import _signal as signal
    except ImportError:  # an interpreter without it
        import signal  # type: ignore[no-redef]
    return signal


def _can_use_alarm() -> bool:
    import threading

    signal = _signal_api()
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _traceback_frames(tb: Any) -> List[Any]:
    """Frames of a traceback, innermost first."""
    frames = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    return frames[::-1]


def _stack_frames(frame: Any, limit: int = 200) -> List[Any]:
    """The running frame and its callers, innermost first."""
    frames = []
    while frame is not None and len(frames) < limit:
        frames.append(frame)
        frame = frame.f_back
    return frames


def _resource_in_frames(frames: Sequence[Any]) -> Optional[str]:
    """The logical ID of the resource or function a failing rule was looking at, if any.

    The innermost frame holding a model Resource or Function in a local variable names it;
    the engine's own frames are not searched (they hold every resource of the template).
    """
    from .model.template import Function, Resource

    for frame in frames[:200]:
        if frame.f_code in _ENGINE_CODE:
            break
        for value in list(frame.f_locals.values()):
            if isinstance(value, (Resource, Function)):
                return str(value.logical_id)
    return None


_ENGINE_CODE = (check_document.__code__, check_model.__code__)


def _internal_error(model: Any, item: Rule, detail: str, resource: Optional[str]) -> Finding:
    line, column = model.locate(("Resources", resource)) if resource is not None else (1, 1)
    return Finding(
        file=model.document.name, line=line, column=column, rule=INTERNAL_ERROR.id, severity=INTERNAL_ERROR.severity,
        message=f"rule {item.id} ({item.name}) failed: {detail}", resource=resource,
    )


def _locate(model: Any, item: Rule, hit: Hit, overrides: Mapping[str, Severity]) -> Finding:
    line, column = model.locate(hit.path)
    severity = overrides.get(item.id) or hit.severity or item.severity
    return Finding(
        file=model.document.name,
        line=line,
        column=column,
        rule=item.id,
        severity=severity,
        message=hit.message,
        resource=hit.resource or resource_of(hit.path),
        path=tuple(hit.path),
        artifact=hit.artifact,
    )


def resource_of(path: Path) -> Optional[str]:
    if len(path) >= 2 and path[0] == "Resources" and not str(path[1]).startswith("Fn::ForEach::"):
        return str(path[1])  # a loop is no resource: what it makes are
    return None


def display_name(path: str) -> str:
    """A file name as given, or relative to the current folder when it lies below it."""
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        return path if relative.startswith("..") else relative
    return os.path.normpath(path)


def sort_findings(findings: Iterable[Finding]) -> List[Finding]:
    return sorted(findings, key=lambda f: (f.file, f.line, f.column, f.rule, f.message))
