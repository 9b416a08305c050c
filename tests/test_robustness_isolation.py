"""Rule isolation: a rule that raises or never returns costs one LL0007 finding, never the run.

The looping rules come from a `--rules-dir`, exactly as a third-party rule would.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest
from click.testing import CliRunner

from lambdalint.api import Linter
from lambdalint.cli import main
from lambdalint.config import DEFAULT_RULE_TIMEOUT, Config, load_config
from lambdalint.engine import OverBudget, _TimeBudget
from lambdalint.registry import load_registry

RULE_HEADER = '''
from lambdalint.findings import Hit, Severity
from lambdalint.registry import rule

DOC = """
## What it does
Test rule.
## Why is this bad?
Test rule.
## Example
None.
"""
'''

HOSTILE_RULES = RULE_HEADER + '''

@rule(id="ZZ0001", name="loops-forever", severity=Severity.ERROR, summary="Never returns", source="https://example.com")
def loops_forever(model):
    for function in model.functions:
        while True:  # no hit, no yield: only a real interruption stops this
            pass
    yield  # a generator, like every rule


@rule(id="ZZ0002", name="swallows-everything", severity=Severity.ERROR, summary="Catches the interruption",
      source="https://example.com")
def swallows_everything(model):
    for resource in model.resources.values():
        if resource.type == "AWS::SQS::Queue":
            deadline = __import__("time").monotonic() + 30
            while __import__("time").monotonic() < deadline:
                try:
                    while True:
                        pass
                except Exception:  # the budget is a BaseException: this cannot catch it
                    pass
    yield


@rule(id="ZZ0003", name="raises", severity=Severity.ERROR, summary="Raises on a function",
      source="https://example.com")
def raises(model):
    for function in model.functions:
        if function.logical_id == "Second":
            raise KeyError("Timeout")
        yield function.hit("seen", "Runtime")


@rule(id="ZZ0004", name="raises-without-resource", severity=Severity.ERROR, summary="Raises before any resource",
      source="https://example.com")
def raises_early(model):
    raise ValueError("no resource in sight")
    yield
'''

TEMPLATE = """\
Resources:
  First:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {S3Bucket: b, S3Key: k}
      Timeout: 1800
  Second:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {S3Bucket: b, S3Key: k}
  Queue:
    Type: AWS::SQS::Queue
"""


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "hostile.py").write_text(HOSTILE_RULES, encoding="utf-8")
    (tmp_path / "t.yaml").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / "u.yaml").write_text(TEMPLATE.replace("1800", "2000"), encoding="utf-8")
    return tmp_path


def run_json(*args: str):
    result = CliRunner().invoke(main, ["check", "--format", "json", "--rules-dir", "rules", *args],
                                catch_exceptions=False)
    return result, json.loads(result.stdout)


def test_rule_that_loops_forever_is_stopped_and_the_run_goes_on(workdir):
    started = time.monotonic()
    result, report = run_json("t.yaml", "u.yaml", "--select", "ZZ0001,LL2002", "--rule-timeout", "0.3")
    elapsed = time.monotonic() - started
    assert elapsed < 5  # two templates x 0.3 s budget, plus start-up
    assert result.exit_code == 1
    got = sorted((f["file"], f["rule"], f["line"], f["resource"], f["message"]) for f in report["findings"])
    budget = "rule ZZ0001 (loops-forever) failed: exceeded its time budget of 0.3 s (rule-timeout)"
    assert got == [
        ("t.yaml", "LL0007", 2, "First", budget),
        ("t.yaml", "LL2002", 9, "First", "Timeout 1800 s is outside 1-900 s"),
        ("u.yaml", "LL0007", 2, "First", budget),
        ("u.yaml", "LL2002", 9, "First", "Timeout 2000 s is outside 1-900 s"),
    ]


def test_budget_cannot_be_swallowed_by_except_exception(workdir):
    started = time.monotonic()
    _, report = run_json("t.yaml", "--select", "ZZ0002", "--rule-timeout", "0.2")
    assert time.monotonic() - started < 5
    assert [(f["rule"], f["resource"]) for f in report["findings"]] == [("LL0007", "Queue")]


def test_looping_rule_in_pool_workers_is_stopped_too(workdir):
    """Each worker process runs rules in its main thread, so the alarm works there as well."""
    for number in range(6):
        (workdir / f"many{number}.yaml").write_text(TEMPLATE, encoding="utf-8")
    started = time.monotonic()
    result, report = run_json(*[f"many{n}.yaml" for n in range(6)], "--select", "ZZ0001,LL2002",
                              "--rule-timeout", "0.2", "--jobs", "2")
    assert time.monotonic() - started < 10
    rules = sorted((f["file"], f["rule"]) for f in report["findings"])
    assert rules == sorted([(f"many{n}.yaml", "LL0007") for n in range(6)] + [(f"many{n}.yaml", "LL2002") for n in range(6)])


def test_raising_rule_names_the_rule_and_the_resource_it_was_on(workdir):
    result, report = run_json("t.yaml", "--select", "ZZ0003,ZZ0004,LL2002")
    got = sorted((f["rule"], f["line"], f["resource"], f["message"]) for f in report["findings"])
    assert got == [
        ("LL0007", 1, None, "rule ZZ0004 (raises-without-resource) failed: ValueError: no resource in sight"),
        ("LL0007", 10, "Second", "rule ZZ0003 (raises) failed: KeyError: 'Timeout'"),
        ("LL2002", 9, "First", "Timeout 1800 s is outside 1-900 s"),
        ("ZZ0003", 5, "First", "seen"),  # the hit before the raise is kept
    ]


def test_text_output_shows_the_resource_of_an_internal_error(workdir):
    result = CliRunner().invoke(main, ["check", "--rules-dir", "rules", "--select", "ZZ0003", "t.yaml"])
    assert "t.yaml:10:3: LL0007 error: rule ZZ0003 (raises) failed: KeyError: 'Timeout' [Second]" in result.stdout


def test_rule_timeout_zero_means_no_budget_and_config_key_is_read(workdir):
    (workdir / ".lambdalint.yaml").write_text("rule-timeout: 0.25\n", encoding="utf-8")
    assert load_config(str(workdir / ".lambdalint.yaml")).rule_timeout == 0.25
    assert Linter(Config(rule_timeout=0)).settings.per_rule_timeout is None
    assert Linter(Config()).settings.per_rule_timeout == DEFAULT_RULE_TIMEOUT == 10.0
    _, report = run_json("t.yaml", "--select", "ZZ0001")  # the config's 0.25 s applies
    assert [f["message"] for f in report["findings"]] == [
        "rule ZZ0001 (loops-forever) failed: exceeded its time budget of 0.25 s (rule-timeout)"]


def test_invalid_rule_timeout_in_config_is_ll0005(workdir):
    (workdir / ".lambdalint.yaml").write_text("rule-timeout: soon\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "t.yaml"])
    assert result.exit_code == 2
    assert result.stderr.startswith(".lambdalint.yaml:1:") and "rule-timeout" in result.stderr


def test_rule_timeout_in_setup_cfg(workdir):
    (workdir / "setup.cfg").write_text("[lambdalint]\nrule-timeout = 2.5\n", encoding="utf-8")
    assert load_config(str(workdir / "setup.cfg")).rule_timeout == 2.5


def test_negative_rule_timeout_on_the_command_line_is_a_usage_error(workdir):
    result = CliRunner().invoke(main, ["check", "t.yaml", "--rule-timeout", "-1"])
    assert result.exit_code == 2


# -- the timer itself -------------------------------------------------------------------------


def test_an_alarm_set_by_someone_else_is_restored():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.4)
        with _TimeBudget(5) as budget:
            assert budget.alarm
            budget.start()
            time.sleep(0.05)
            budget.stop()
        assert signal.getsignal(signal.SIGALRM) is not None and fired == []
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0.2 < remaining <= 0.36
        time.sleep(0.5)
        assert fired == [True]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_the_ticks_stop_a_rule_only_once_its_own_budget_is_spent():
    """The timer is set once per template and ticks; each rule's budget counts from its start."""
    with _TimeBudget(0.3) as budget:
        for _ in range(2):  # two rules of 0.2 s: 0.4 s of ticks in all, neither over its budget
            budget.start()
            time.sleep(0.2)
            budget.stop()
        budget.start()
        started = time.monotonic()
        with pytest.raises(OverBudget):
            time.sleep(5)
        budget.stop()
    assert 0.3 <= time.monotonic() - started < 2
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_no_alarm_outside_the_main_thread_falls_back_to_checks_between_hits():
    outcome = []

    def worker():
        try:
            with _TimeBudget(0.05) as budget:
                assert not budget.alarm
                budget.start()
                time.sleep(0.1)
                budget.check()
        except OverBudget as exc:
            outcome.append(str(exc))

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(5)
    assert outcome == ["exceeded its time budget of 0.05 s (rule-timeout)"]


def test_fast_rules_leave_no_timer_behind():
    before = signal.getsignal(signal.SIGALRM)
    linter = Linter(Config(select=("ALL",), rule_timeout=5))
    assert linter.lint_text(TEMPLATE, "t.yaml")
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) == before


def test_registry_loads_the_hostile_rules(workdir):
    """Guards the other tests: the rules above must really be loaded and enabled by --select."""
    registry = load_registry((os.path.join(str(workdir), "rules"),))
    assert {"ZZ0001", "ZZ0002", "ZZ0003", "ZZ0004"} <= {r.id for r in registry}
