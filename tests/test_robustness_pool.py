"""A malformed file among 100 good ones, through the process pool: a worker's bad file loses nothing.

The serial version is tests/test_cli.py::test_one_malformed_file_among_a_hundred; this one
forces `--jobs 2` and puts hostile files (unparsable, alias bomb, a rule-crashing shape)
in the middle of the chunks the workers get.
"""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from lambdalint.cli import main

TEMPLATE = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {{S3Bucket: b, S3Key: k}}
      Timeout: {timeout}
"""

BAD = {
    37: ("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: [\n", 5),
    38: ("AWSTemplateFormatVersion: '2010-09-09'\n" 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, n in zip("abcdefgh", "bcdefghi")) + "Resources: {}\n", 8),
    71: ('{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": ' + "9" * 5000 + "}}}}", 1),
}


def test_malformed_files_among_a_hundred_in_the_process_pool(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "many").mkdir()
    for number in range(100):
        text, _ = BAD.get(number, (TEMPLATE.format(timeout=1000 + number), 0))
        (tmp_path / "many" / f"t{number:03}.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "many", "--select", "LL0001,LL0007,LL2002", "--format", "json",
                                       "--jobs", "2"], catch_exceptions=False)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    unchecked = report["summary"].pop("unchecked")
    assert report["summary"] == {"files": 100, "errors": 100, "warnings": 0, "infos": 0}
    # what the workers found not inspected comes back too: every well-formed file's code is in S3
    assert unchecked == [{"resource": "Fn", "origin": None, "reason": "s3-object"}] * (100 - len(BAD))
    timeouts = {(f["file"], f["message"]) for f in report["findings"] if f["rule"] == "LL2002"}
    assert timeouts == {(os.path.join("many", f"t{n:03}.yaml"), f"Timeout {1000 + n} s is outside 1-900 s")
                        for n in range(100) if n not in BAD}
    unreadable = sorted((f["file"], f["line"]) for f in report["findings"] if f["rule"] == "LL0001")
    assert unreadable == [(os.path.join("many", f"t{n:03}.yaml"), line) for n, (_, line) in sorted(BAD.items())]
    assert not [f for f in report["findings"] if f["rule"] == "LL0007"]


def test_pool_and_serial_runs_agree_on_the_same_hostile_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "many").mkdir()
    for number in range(40):
        text, _ = BAD.get(number + 30, (TEMPLATE.format(timeout=1000 + number), 0))
        (tmp_path / "many" / f"t{number:03}.yaml").write_text(text, encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        result = CliRunner().invoke(main, ["check", "many", "--select", "ALL", "--format", "json", "--jobs", jobs],
                                    catch_exceptions=False)
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
