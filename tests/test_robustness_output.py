"""Output safety end to end: hostile text from a template, a file name and a zip reaches every format escaped.

The formats' own unit tests (tests/formats/) check the escaping functions; these run the
real CLI on a template whose logical IDs, references and package member names carry
terminal escapes, carriage returns, newlines, `%`, `::`, `<&>`, bidi overrides and lone
surrogates. They also check that `--output` writes that one file and nothing else, and
that folder discovery does not follow symlinks out of the tree.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import pytest
from click.testing import CliRunner

from lambdalint.cli import main
from repo_paths import REPO

HOSTILE = "Fn\x1b[31mRED\x1b]0;title\x07\r\n::error file=x::pwned%0A<&>'\"\u202eevil\u2028end"
HOSTILE_REF = "Gone\x1b[2J\r\n::warning::x%25\u2066"
SURROGATE = "Half\ud800"
HOSTILE_MEMBER = "../\x1b[31mmember\r\n::error::m%0A<&>.py"
HOSTILE_FILE = "we%0Aird::<&>\x1b[1m name.json"

# Characters no output line may carry raw: C0/C1 controls (except the newline ending a line),
# Unicode line and paragraph separators, bidi overrides and isolates.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def hostile_template() -> str:
    function = {
        "Type": "AWS::Serverless::Function",
        "Properties": {"CodeUri": "pkg.zip", "Handler": "app.handler", "Runtime": "python3.13", "Timeout": 1800,
                       "Environment": {"Variables": {"A": {"Ref": HOSTILE_REF}, "B": {"Ref": SURROGATE}}}},
    }
    return json.dumps({"Transform": "AWS::Serverless-2016-10-31",
                       "Resources": {HOSTILE: function, SURROGATE: dict(function)}})


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / HOSTILE_FILE).write_text(hostile_template(), encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return 1\n")
        archive.writestr(HOSTILE_MEMBER, "x = 1\n")
    (tmp_path / "pkg.zip").write_bytes(buffer.getvalue())
    return tmp_path


def run(format_name: str) -> str:
    """The report as the bytes a terminal or CI log would get, decoded strictly (it must be UTF-8)."""
    result = CliRunner().invoke(main, ["check", HOSTILE_FILE, "--select", "ALL", "--format", format_name,
                                       "--no-color", "--show-infos"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return result.stdout_bytes.decode("utf-8", errors="strict")


def json_findings():
    return json.loads(run("json"))["findings"]


def test_the_hostile_text_really_reaches_the_findings(hostile):
    """Guards the other tests: resources, messages and artifact members carry the raw hostile strings."""
    findings = json_findings()
    assert {f["resource"] for f in findings} >= {HOSTILE, SURROGATE}
    assert any(HOSTILE_REF in f["message"] or repr(HOSTILE_REF) in f["message"] for f in findings)
    assert any((f["artifact"] or {}).get("member") == HOSTILE_MEMBER or HOSTILE_MEMBER in f["message"]
               for f in findings)
    assert {f["file"] for f in findings} == {HOSTILE_FILE}


def test_json_round_trips_every_hostile_string(hostile):
    text = run("json")
    assert not re.search("[\x00-\x09\x0b-\x1f]", text)  # controls are \u-escaped (bidi text is kept: it is data)
    findings = json.loads(text)["findings"]
    assert any(f["resource"] == SURROGATE for f in findings)  # the lone surrogate survives as \ud800


def test_text_output_has_one_line_per_finding_and_no_raw_control(hostile):
    count = len(json_findings())
    lines = run("text").split("\n")
    finding_lines = [line for line in lines if ": LL" in line]
    assert len(finding_lines) == count
    for line in lines:
        assert not RAW_CONTROL.search(line), repr(line)
    assert any("[Fn\\x1b[31mRED" in line for line in finding_lines)


def test_github_annotations_cannot_be_split_or_forged(hostile):
    count = len(json_findings())
    lines = [line for line in run("github").split("\n") if line]
    assert len(lines) == count
    for line in lines:
        assert not RAW_CONTROL.search(line), repr(line)
        assert re.match(r"^::(error|warning|notice) file=[^:,]*,line=\d+,col=\d+,title=LL\d{4}::", line), line
        properties, _, data = line[2:].partition("::")
        assert properties.count("=") == 4  # file, line, col, title: nothing injected
    # A real CR LF becomes %0D%0A (GitHub shows a line break inside the one annotation); the
    # template's literal "%0A" is escaped to "%250A", so it cannot turn into a line break.
    hostile_lines = [line for line in lines if "pwned" in line]
    assert hostile_lines and all("title\\x07%0D%0A::error file=x::pwned%250A" in line for line in hostile_lines)


def test_sarif_is_schema_valid_utf8_with_the_strings_intact(hostile):
    import jsonschema

    document = json.loads(run("sarif"))
    schema = json.loads((REPO / "tests" / "fixtures" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(document)
    messages = [result["message"]["text"] for result in document["runs"][0]["results"]]
    assert any("Gone\\x1b" in m or "Gone\x1b" in m for m in messages)
    assert not re.search("[\x00-\x09\x0b-\x1f]", run("sarif"))


def test_junit_is_well_formed_xml(hostile):
    text = run("junit")
    root = ET.fromstring(text)
    cases = root.findall(".//testcase")
    assert len([c for c in cases if list(c)]) == len(json_findings())
    assert "<&>" in "".join(ET.tostringlist(root, encoding="unicode")) or "&lt;&amp;&gt;" in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", text)


# -- nothing is written but the report ---------------------------------------------------------


def snapshot(root) -> dict:
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root)] = os.path.getsize(path)
    return found


def test_output_option_writes_that_file_and_nothing_else(tmp_path):
    """A real process with its own HOME and TMPDIR: afterwards the only new file anywhere is the report."""
    work = tmp_path / "work"
    (work / "pkg").mkdir(parents=True)
    (tmp_path / "home").mkdir()
    (tmp_path / "tmp").mkdir()
    (work / "t.json").write_text(hostile_template().replace("pkg.zip", "pkg"), encoding="utf-8")
    (work / "pkg" / "app.py").write_text("def handler(event, context):\n    return 1\n", encoding="utf-8")
    (work / "reports").mkdir()
    before = snapshot(tmp_path)
    env = dict(os.environ, HOME=str(tmp_path / "home"), TMPDIR=str(tmp_path / "tmp"),
               XDG_CACHE_HOME=str(tmp_path / "home" / ".cache"), PYTHONDONTWRITEBYTECODE="1")
    completed = subprocess.run(
        [sys.executable, "-m", "lambdalint.cli", "check", "t.json", "--select", "ALL", "--format", "sarif",
         "--output", "reports/out.sarif"], cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 1, completed.stderr
    assert completed.stdout == ""
    after = snapshot(tmp_path)
    assert set(after) - set(before) == {os.path.join("work", "reports", "out.sarif")}
    assert {k: v for k, v in after.items() if k in before} == before  # nothing else changed size either
    assert json.loads((work / "reports" / "out.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]


# -- discovery stays inside the tree --------------------------------------------------------------


def test_symlinks_in_a_scanned_folder_are_not_followed_out_of_the_tree(tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    (outside / "nested").mkdir(parents=True)
    secret = "Resources:\n  Secret:\n    Type: AWS::Lambda::Function\n    Properties: {Timeout: 1800}\n"
    (outside / "secret.yaml").write_text(secret, encoding="utf-8")
    (outside / "nested" / "deep.yaml").write_text(secret, encoding="utf-8")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "own.yaml").write_text(secret.replace("Secret", "Own"), encoding="utf-8")
    os.symlink(outside / "secret.yaml", tree / "linked.yaml")  # a file link leaving the tree
    os.symlink(outside, tree / "linked-dir")  # a folder link leaving the tree
    os.symlink(tree, tree / "loop")  # and a loop back into it
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "tree", "--select", "LL2002", "--format", "json"],
                                catch_exceptions=False)
    report = json.loads(result.stdout)
    assert report["summary"]["files"] == 1
    assert {(f["file"], f["resource"]) for f in report["findings"]} == {(os.path.join("tree", "own.yaml"), "Own")}
