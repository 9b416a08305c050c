"""The console command as a process (lambdalint.entry): exit statuses, flushed output, pipes."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

import pytest

from lambdalint.entry import _exit_status
from repo_paths import REPO

EXAMPLE = str(REPO / "examples" / "sam-app" / "template.yaml")


def run_module(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lambdalint", *args], capture_output=True, text=True,
                          cwd=str(REPO), **kwargs)


def test_findings_at_the_fail_level_exit_1_and_all_output_arrives():
    completed = run_module("check", "--format", "json", "--fail-level", "info", EXAMPLE)
    assert completed.returncode == 1, completed.stderr
    report = json.loads(completed.stdout)  # the whole document: flushed before os._exit
    assert report["findings"] and completed.stderr == ""


def test_no_failing_finding_exits_0():
    assert run_module("check", "--fail-level", "none", EXAMPLE).returncode == 0


def test_usage_errors_exit_2_with_one_line():
    completed = run_module("check", "--format", "nope", EXAMPLE)
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr and "--format" in completed.stderr


def test_output_file_is_complete(tmp_path):
    target = tmp_path / "out.sarif"
    completed = run_module("check", "--format", "sarif", "-o", str(target), "--fail-level", "none", EXAMPLE)
    assert completed.returncode == 0, completed.stderr
    assert json.loads(target.read_text())["version"] == "2.1.0"


@pytest.mark.slow
def test_a_reader_that_leaves_early_causes_no_traceback(tmp_path):
    # `lambdalint check ... | head -c 100`: stdout closes long before the report (far more
    # than a pipe's 64 KiB buffer) is written.
    text = (REPO / "examples" / "sam-app" / "template.yaml").read_text()
    for number in range(120):
        (tmp_path / f"t{number}.yaml").write_text(text)
    process = subprocess.Popen([sys.executable, "-m", "lambdalint", "check", "--fail-level", "none",
                                "--select", "ALL", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(REPO))
    assert len(process.stdout.read(100)) == 100
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.wait(timeout=120)
    assert "Traceback" not in stderr and "Error" not in stderr
    assert process.returncode == 0


def test_exit_status_follows_sys_exit_semantics(capsys):
    assert _exit_status(None) == 0
    assert _exit_status(2) == 2
    assert _exit_status("stopped") == 1
    assert capsys.readouterr().err == "stopped\n"


def _run_with(monkeypatch, failure: Exception) -> int:
    import lambdalint.cli
    from lambdalint import entry

    def broken_main():
        raise failure

    exits = []
    monkeypatch.setattr(lambdalint.cli, "main", broken_main)
    monkeypatch.setattr(entry.os, "_exit", exits.append)
    try:
        entry.run()
    finally:
        gc.unfreeze()  # run() freezes what exists, right for its own process only
    return exits[0]


def test_an_unexpected_error_is_one_line_and_exit_2(monkeypatch, capsys):
    monkeypatch.delenv("LAMBDALINT_TRACEBACK", raising=False)
    assert _run_with(monkeypatch, RuntimeError("boom")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: RuntimeError: boom" in err and "Traceback" not in err


def test_the_traceback_is_shown_on_request(monkeypatch, capsys):
    monkeypatch.setenv("LAMBDALINT_TRACEBACK", "1")
    assert _run_with(monkeypatch, RuntimeError("boom")) == 2
    assert "Traceback" in capsys.readouterr().err


def test_the_console_script_is_the_process_entry_point():
    import configparser

    parser = configparser.ConfigParser()
    parser.read(REPO / "setup.cfg")
    scripts = dict(line.split("=", 1) for line in parser["options.entry_points"]["console_scripts"].split("\n")
                   if "=" in line)
    assert {k.strip(): v.strip() for k, v in scripts.items()} == {"lambdalint": "lambdalint.entry:run"}
