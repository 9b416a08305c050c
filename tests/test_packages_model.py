"""The package model and LL1 on real (tmp_path-built) packages: bombs, escapes, one index per run,
cdk.out and .aws-sam/build discovery."""

from __future__ import annotations

import json
import os
import textwrap
import time
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lambdalint.artifacts as artifacts
from lambdalint.api import Linter
from lambdalint.config import Config
from lambdalint.model import packages as packages_model
from packagecraft import elf, write_zip
from repo_paths import REPO


def _load_zipcraft():
    """tests/artifacts/zipcraft.py (hand-written zips) is on the path only for tests in that folder."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("zipcraft_for_packages", REPO / "tests" / "artifacts" / "zipcraft.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


craft_zip = _load_zipcraft().craft_zip

GIB = 1024 ** 3
HANDLER = "def handler(event, context):\n    return 1\n"


@pytest.fixture(autouse=True)
def fresh_cache():
    packages_model.reset_package_cache()
    yield
    packages_model.reset_package_cache()


def lint(path, **options):
    return Linter(Config(select=("ALL",), **options)).lint_file(str(path))


def rules_of(findings, prefix="LL1"):
    return sorted((f.rule, f.line) for f in findings if f.rule.startswith(prefix))


def sam(folder, body: str, name="template.yaml"):
    path = folder / name
    path.write_text("Transform: AWS::Serverless-2016-10-31\nResources:\n" + textwrap.indent(textwrap.dedent(body), "  "))
    return path


def test_one_gib_zip_bomb_is_judged_from_the_central_directory(tmp_path):
    # One member claims 1 GiB from a few hundred bytes of deflate: only a bomb does that.
    (tmp_path / "bomb.zip").write_bytes(craft_zip([("app.py", b"\0" * 1024, GIB, 0o100644)], method=8))
    template = sam(tmp_path, """
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: python3.12
            Handler: app.handler
            CodeUri: bomb.zip
    """)
    tracemalloc.start()
    started = time.process_time()
    try:
        findings = lint(template)
        elapsed = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    bomb = [f for f in findings if f.rule == "LL1012"]
    assert bomb and "bomb" in bomb[0].message
    assert bomb[0].artifact.member == "app.py"
    assert elapsed < 1.0
    assert peak < 64 * 1024 * 1024  # nothing near the claimed gigabyte was allocated


def test_escaping_zip_entries_and_folder_symlinks_are_reported_not_followed(tmp_path):
    write_zip(tmp_path / "slip.zip", {"app.py": HANDLER, "../evil.sh": "x", "/etc/passwd": "root"})
    folder = tmp_path / "escape"
    folder.mkdir()
    (folder / "app.py").write_text(HANDLER)
    os.symlink("/etc", folder / "config")
    template = sam(tmp_path, """
        Slip:
          Type: AWS::Serverless::Function
          Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: slip.zip}
        Escape:
          Type: AWS::Serverless::Function
          Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: escape/}
    """)
    findings = [f for f in lint(template) if f.rule == "LL1012"]
    messages = " ".join(f.message for f in findings)
    assert len(findings) == 2
    assert "'..' path component" in messages and "absolute path" in messages
    assert "config" in messages and "leaves the package" in messages
    package = packages_model.package_cache().package(str(folder))
    assert package.has("config") and not package.has("config/passwd")  # the link was not walked
    assert package.resolve("config") is None


def test_each_package_is_indexed_once_per_run_however_many_users(tmp_path, monkeypatch):
    write_zip(tmp_path / "shared.zip", {"app.py": HANDLER})
    layer = tmp_path / "layer" / "python"
    layer.mkdir(parents=True)
    (layer / "lib.py").write_text("x = 1\n")
    opened = []
    real = artifacts.open_package

    def counting(path, **kwargs):
        opened.append(os.path.realpath(path))
        return real(path, **kwargs)

    monkeypatch.setattr(artifacts, "open_package", counting)
    body = "".join(f"""
        Fn{number}:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: python3.12
            Handler: app.handler
            CodeUri: shared.zip
            Layers: [!Ref Lib]
    """ for number in range(4))
    first = sam(tmp_path, body + """
        Lib:
          Type: AWS::Serverless::LayerVersion
          Properties: {ContentUri: layer/}
    """)
    second = sam(tmp_path, textwrap.dedent(body), name="second.yaml")
    Linter(Config(select=("ALL",))).lint_paths([str(first), str(second)])
    assert sorted(opened) == sorted({os.path.realpath(tmp_path / "shared.zip"), os.path.realpath(tmp_path / "layer")})
    assert len(packages_model.package_cache()) == 2


def test_corrupt_zip_is_ll0004_and_silences_ll1(tmp_path):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "main").write_bytes(elf("x86_64"))  # a single binary: SAM zips it at deploy
    template = sam(tmp_path, """
        Broken:
          Type: AWS::Serverless::Function
          Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: broken.zip}
        Single:
          Type: AWS::Serverless::Function
          Properties: {Runtime: provided.al2023, Handler: bootstrap, CodeUri: main}
    """)
    findings = lint(template)
    ll0004 = [f for f in findings if f.rule == "LL0004"]
    assert [f.resource for f in ll0004] == ["Broken"]
    assert "not a valid zip" in ll0004[0].message
    assert rules_of(findings) == []


def test_unreadable_local_layer_downgrades_missing_handler_to_warning(tmp_path):
    write_zip(tmp_path / "fn.zip", {"other.py": HANDLER})
    (tmp_path / "layer.zip").write_bytes(b"garbage")
    template = sam(tmp_path, """
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: python3.12
            Handler: app.handler
            CodeUri: fn.zip
            Layers: [!Ref Lib]
        Lib:
          Type: AWS::Serverless::LayerVersion
          Properties: {ContentUri: layer.zip}
    """)
    missing = [f for f in lint(template) if f.rule == "LL1004"]
    assert len(missing) == 1 and missing[0].severity.label == "warning"
    assert "Lib could not be read" in missing[0].message


def test_findings_name_the_artifact(tmp_path):
    write_zip(tmp_path / "fn.zip", {"app.py": HANDLER, "lib/_x.cpython-39-x86_64-linux-gnu.so": elf("x86_64")})
    template = sam(tmp_path, """
        Fn:
          Type: AWS::Serverless::Function
          Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: fn.zip}
    """)
    [finding] = [f for f in lint(template) if f.rule == "LL1009"]
    assert finding.artifact.member == "lib/_x.cpython-39-x86_64-linux-gnu.so"
    assert finding.artifact.package.endswith("fn.zip")


# -- discovery ---------------------------------------------------------------------------------


def _cdk_stack(folder, asset: str, handler: str) -> dict:
    return {"Resources": {"Fn": {
        "Type": "AWS::Lambda::Function",
        "Metadata": {"aws:asset:path": asset, "aws:asset:property": "Code"},
        "Properties": {"Runtime": "python3.12", "Handler": handler, "Role": "arn:aws:iam::123456789012:role/x",
                       "Code": {"S3Bucket": "cdk-assets", "S3Key": "0" * 64 + ".zip"}}}}}


def test_cdk_out_lints_every_stack_with_its_assets(tmp_path):
    out = tmp_path / "cdk.out"
    asset = out / "asset.1234abcd"
    asset.mkdir(parents=True)
    (asset / "index.py").write_text(HANDLER)
    # A template-looking file inside an asset is code, not a stack: never linted.
    (asset / "sample.template.json").write_text(json.dumps({"Resources": {"X": {"Type": "AWS::SQS::Queue"}}}))
    (out / "cdk.out").write_text('{"version": "36.0.0"}')
    (out / "App.template.json").write_text(json.dumps(_cdk_stack(out, "asset.1234abcd", "index.missing"), indent=1))
    stage = out / "assembly-Prod"
    stage.mkdir()
    (stage / "ProdApp.template.json").write_text(json.dumps(_cdk_stack(stage, "../asset.1234abcd", "main.handler"), indent=1))
    (stage / "manifest.json").write_text(json.dumps({"artifacts": {"ProdApp": {
        "type": "aws:cloudformation:stack", "properties": {"templateFile": "ProdApp.template.json"}}}}))
    (out / "manifest.json").write_text(json.dumps({"artifacts": {
        "App": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "App.template.json"}},
        "assembly-Prod": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Prod"}},
        "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}}}}))
    report = Linter(Config(select=("LL0", "LL1"))).lint_paths([str(tmp_path)])
    assert report.files == 2
    found = {(os.path.basename(f.file), f.rule) for f in report.findings if f.rule.startswith("LL1")}
    assert found == {("App.template.json", "LL1005"), ("ProdApp.template.json", "LL1004")}
    assert not [f for f in report.findings if f.rule == "LL0004"]


def test_cdk_out_without_manifest_takes_its_template_files(tmp_path):
    from lambdalint.discover import cloud_assembly_templates

    (tmp_path / "manifest.json").write_text("not json")
    (tmp_path / "A.template.json").write_text("{}")
    assert cloud_assembly_templates(str(tmp_path)) == [str(tmp_path / "A.template.json")]


def test_sam_build_output_is_read_for_the_template_it_belongs_to(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "app.py").write_text(HANDLER)
    sam(tmp_path, """
        Fn:
          Type: AWS::Serverless::Function
          Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: src/}
    """)
    build = tmp_path / ".aws-sam" / "build"
    (build / "Fn").mkdir(parents=True)
    (build / "Fn" / "app.py").write_text("def other(event, context):\n    return 1\n")
    (build / "Fn" / "bundled.yaml").write_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    sam(build, """
        Fn:
          Type: AWS::Serverless::Function
          Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: Fn}
    """)
    os.utime(tmp_path / "template.yaml", (1_700_000_000, 1_700_000_000))  # built after the last edit
    linter = Linter(Config(select=("LL0", "LL1")))
    # The project's template is checked, with its package read from the build that belongs to it
    # (the bundled.yaml inside the built folder is code, not a template).
    for target in (tmp_path, build, tmp_path / ".aws-sam"):
        report = linter.lint_paths([str(target)])
        assert report.files == 1, target
        assert [(os.path.basename(f.file), f.line, f.rule, f.resource) for f in report.findings
                if f.rule.startswith("LL1")] == [("template.yaml", 6, "LL1005", "Fn")], target
    # the build template named as a file is checked as it is
    report = linter.lint_paths([str(build / "template.yaml")])
    assert [(f.file, f.rule) for f in report.findings if f.rule.startswith("LL1")] == \
        [(str(build / "template.yaml"), "LL1005")]


def test_sam_source_folders_with_a_build_step_are_not_judged_as_built(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.ts").write_text("export const handler = async () => 1;\n")
    template = sam(tmp_path, """
        TypeScript:
          Type: AWS::Serverless::Function
          Metadata: {BuildMethod: esbuild}
          Properties: {Runtime: nodejs22.x, Handler: app.handler, CodeUri: src/}
        PlainTs:
          Type: AWS::Serverless::Function
          Properties: {Runtime: nodejs22.x, Handler: app.handler, CodeUri: src/}
        Go:
          Type: AWS::Serverless::Function
          Properties: {Runtime: provided.al2023, Handler: bootstrap, CodeUri: src/}
    """)
    assert rules_of(lint(template)) == []


# -- python handler analysis ------------------------------------------------------------------

IDENTIFIER = st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True).filter(lambda s: s not in {"def", "if", "in", "is", "or", "as", "for", "and", "not", "del", "try", "del", "with", "else", "elif", "from", "pass", "class", "while", "yield", "async", "await", "raise", "break", "global", "lambda", "return", "import", "except", "finally", "continue", "nonlocal", "assert", "match", "case", "type", "_"})


@pytest.mark.slow
@given(defined=IDENTIFIER, asked=IDENTIFIER, form=st.sampled_from(["def", "async", "assign", "import", "nested_if"]))
@settings(max_examples=150, deadline=None)
def test_python_defines_matches_what_the_module_binds(defined, asked, form):
    from lambdalint.model.handlers import parse_python, python_defines

    source = {
        "def": f"def {defined}(event, context):\n    return 1\n",
        "async": f"async def {defined}(event, context):\n    return 1\n",
        "assign": f"{defined} = make()\n",
        "import": f"from impl import handler as {defined}\n",
        "nested_if": f"if flag:\n    def {defined}(e, c):\n        pass\nelse:\n    pass\n",
    }[form]
    tree = parse_python(source)
    assert python_defines(tree, defined) is True
    assert python_defines(tree, asked) is (asked == defined)


def test_python_defines_gives_up_on_dynamic_modules():
    from lambdalint.model.handlers import parse_python, python_defines

    for source in ("from x import *\n", "def __getattr__(name):\n    return 1\n", "globals()['h'] = 1\n"):
        assert python_defines(parse_python(source), "handler") is None
    assert parse_python("def broken(:\n") is None


# -- source awaiting a build (issue 14, false positives 1 and 2) ----------------------------------


def test_unbuilt_source_is_said_as_not_built_not_as_a_broken_package():
    # the handler file is missing because the build has not run: an info that says so, and the
    # function counted in summary.unchecked; a package.json with no build step builds nothing
    fixture = REPO / "fixtures" / "rules" / "LL1004" / "bad_unbuilt_source.yaml"
    report = Linter(Config(select=("LL1004",))).lint_paths([str(fixture)])
    found = {f.resource: f for f in report.findings}
    assert {name: found[name].severity.label for name in found} == {
        "Webpack": "info", "Go": "info", "NpmOnly": "error"}
    assert found["Webpack"].message == (
        "not built yet: no bundle.js or bundle.mjs or bundle.cjs in fixtures/rules/LL1004/webpack, which holds "
        "build inputs (package.json, webpack.config.js); build before checking packages, or lint the build output")
    assert "no bootstrap in fixtures/rules/LL1004/gosrc, which holds build inputs (Makefile, go.mod)" in found["Go"].message
    assert found["NpmOnly"].message.startswith("handler 'index.handler': no index.js")
    assert [(entry.resource, entry.reason) for entry in report.unchecked] == [("Go", "not-built"), ("Webpack", "not-built")]
    from lambdalint.formats.text import unchecked_line

    assert unchecked_line(report) == "code not inspected for 2 of 3 functions: 2 not built yet"


def test_sam_build_methods_count_as_not_built_and_a_runtime_method_keeps_the_package(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(HANDLER)
    (tmp_path / "src" / "Makefile").write_text("build-Made:\n\tcp app.py $(ARTIFACTS_DIR)\n")
    sam(tmp_path, """
        Made:
          Type: AWS::Serverless::Function
          Metadata: {BuildMethod: makefile}
          Properties: {Runtime: python3.12, Handler: app.other, CodeUri: src/}
        Copied:
          Type: AWS::Serverless::Function
          Metadata: {BuildMethod: python3.12}
          Properties: {Runtime: python3.12, Handler: app.other, CodeUri: src/}
    """)
    report = Linter(Config(select=("LL1",))).lint_paths([str(tmp_path)])
    # the runtime builder copies src/ as it is: its handler is judged; the makefile's output is not known
    assert [(f.rule, f.resource) for f in report.findings] == [("LL1005", "Copied")]
    assert [(entry.resource, entry.reason) for entry in report.unchecked] == [("Made", "not-built")]
