"""Run rules over one template and turn their hits into located findings."""

from __future__ import annotations

import importlib
import threading
import time
from typing import Any, Iterable, List, Optional, Sequence, Tuple

from .findings import Finding, Hit, Path, Unchecked
from .loading import Document, LoadError
from .model import TemplateModel
from .model.packages import function_packages, partly_unchecked, unchecked_code
from .model.template import Function, Resource
from .own_rules import INTERNAL_ERROR, PARSE_ERROR
from .records import Record
from .rule import Rule
from .settings import DEFAULT_SETTINGS, Settings


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
    base_dir: Optional[str] = None,
) -> List[Finding]:
    """All findings of `rules` on one loaded template, located, at the severities the rules give."""
    return check_model(TemplateModel(document, settings, base_dir), rules)


def check_model(model: Any, rules: Sequence[Rule]) -> List[Finding]:
    """All findings of `rules` on one template model, located, at the severities the rules give.

    A config's `severity:` overrides are the Linter's to apply (to these and to the findings
    lambdalint makes itself alike), not the engine's.
    """
    settings = model.settings
    findings: List[Finding] = []
    with _TimeBudget(settings.per_rule_timeout or None) as timer:  # 0 means no budget
        for item in rules:
            if item.check is None:
                continue
            try:
                timer.start()
                try:
                    for hit in item.check(model):
                        findings.append(_locate(model, item, hit))
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
    name = model.document.name
    try:
        functions = model.functions
        reasons = unchecked_code(model)
        if any(item.package is not None for item in function_packages(model)):
            from .model.unbuilt import NOT_BUILT, not_built  # loads the handler model: only with local code

            reasons += [(logical_id, NOT_BUILT) for logical_id in not_built(model)]
            reasons += partly_unchecked(model, {logical_id for logical_id, _ in reasons})
        entries = tuple(Unchecked(name, logical_id, reason) for logical_id, reason in reasons)
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


# The alarm ticks this often at most while a template is checked: the handler then looks at how
# long the running rule has taken. Past its budget every tick raises again, in case the rule
# catches the first OverBudget with a bare `except:` and carries on.
_TICK_S = 0.25


class _TimeBudget:
    """Interrupts a rule that runs past its budget.

    Where it can (POSIX, main thread: the CLI and each pool worker) a SIGALRM timer raises
    OverBudget inside the rule, wherever it is looping. Elsewhere (Windows, a linter run from
    a thread) the budget is only checked between the rule's hits, so a rule that loops
    without yielding is not stopped there.

    The handler and a repeating timer are set once per template; starting a rule only notes
    the time, as a system call per rule run cost a tenth of a corpus run. A rule is stopped
    within a tick (a tenth of its budget, at most _TICK_S) of running out; a tick between rules
    is ignored. An alarm set by someone else (e.g. pytest-timeout) is put back afterwards, less
    the time the template took.
    """

    def __init__(self, seconds: Optional[float]):
        self.seconds = seconds
        self.alarm = False
        self.running = False
        self.started = 0.0
        self._entered = 0.0
        self._previous_handler: Any = None
        self._previous_timer = (0.0, 0.0)

    def __enter__(self) -> _TimeBudget:
        if self.seconds is not None and _can_use_alarm():
            signal = _signal_api()
            self._entered = time.monotonic()
            self._previous_timer = signal.getitimer(signal.ITIMER_REAL)
            self._previous_handler = signal.signal(signal.SIGALRM, self._on_alarm)
            tick = min(self.seconds / 10, _TICK_S)
            signal.setitimer(signal.ITIMER_REAL, tick, tick)
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

    def stop(self) -> None:
        self.running = False

    def check(self) -> None:
        """The between-hits check, for where no alarm is available."""
        if self._over():
            raise OverBudget(self._message(), None)

    def _over(self) -> bool:
        return self.seconds is not None and time.monotonic() - self.started > self.seconds

    def _on_alarm(self, signum: int, frame: Any) -> None:
        if self.running and self._over():
            raise OverBudget(self._message(), _resource_in_frames(_stack_frames(frame)))

    def _message(self) -> str:
        return f"exceeded its time budget of {self.seconds:g} s (rule-timeout)"


def _signal_api() -> Any:
    """`_signal`, the C module that `signal` wraps: the same functions and constants.

    `signal` adds enums for signal numbers and handlers, whose creation costs about a
    millisecond of a cold start; the budget needs only the plain functions.
    """
    try:
        return importlib.import_module("_signal")  # by name: typeshed has no stub for it
    except ImportError:  # an interpreter without it
        import signal

        return signal


def _can_use_alarm() -> bool:
    signal = _signal_api()
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _traceback_frames(tb: Any) -> List[Any]:
    """Frames of a traceback, innermost first."""
    frames: List[Any] = []
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    return frames[::-1]


def _stack_frames(frame: Any, limit: int = 200) -> List[Any]:
    """The running frame and its callers, innermost first."""
    frames: List[Any] = []
    while frame is not None and len(frames) < limit:
        frames.append(frame)
        frame = frame.f_back
    return frames


def _resource_in_frames(frames: Sequence[Any]) -> Optional[str]:
    """The logical ID of the resource or function a failing rule was looking at, if any.

    The innermost frame holding a model Resource or Function in a local variable names it;
    the engine's own frames are not searched (they hold every resource of the template).
    """
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


def _locate(model: Any, item: Rule, hit: Hit) -> Finding:
    line, column = model.locate(hit.path)
    severity = hit.severity or item.severity
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


def sort_findings(findings: Iterable[Finding]) -> List[Finding]:
    return sorted(findings, key=lambda f: (f.file, f.line, f.column, f.rule, f.message))
