"""lambdalint on real `cdk synth` output (fixtures/real/cdk-*, made by tools/real_fixtures/cdk.py).

Each app plants defects beside correct functions; these tests assert every finding exactly:
where it lands in the app's source, the construct path it names, the generated place it keeps.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdalint.api import Linter
from lambdalint.config import Config
from lambdalint.discover import cloud_assembly_templates
from lambdalint.frontends.cdk import Assembly, nested_templates, path_hash

ROOT = Path(__file__).resolve().parent.parent
HANDLERS = ROOT / "fixtures" / "real" / "cdk-handlers"
ASSETLESS = ROOT / "fixtures" / "real" / "cdk-assetless"


def run(*paths, cwd=ROOT, **config):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        report = Linter(Config(**config)).lint_paths([str(path) for path in paths])
    finally:
        os.chdir(old)
    return report


def landed(report):
    """(rule, file, line, column, construct path, generated template name, generated line) of each finding."""
    return {(f.rule, f.file, f.line, f.column, f.origin.name if f.origin else None,
             os.path.basename(f.generated.file) if f.generated else None, f.generated.line if f.generated else None)
            for f in report.findings}


HANDLERS_SOURCE = "fixtures/real/cdk-handlers/app/lib/handler-stack.js"
ASSETLESS_SOURCE = "fixtures/real/cdk-assetless/app/lib/ingest-stack.js"
NESTED_REPORTS = "HandlerStackReports60E07EBB.nested.template.json"


def test_every_planted_defect_lands_in_the_apps_source_and_nothing_else():
    report = run(HANDLERS / "cdk.out")
    assert landed(report) == {
        # item 1: in the nested stack, found through the parent's aws:asset:path
        ("LL1004", HANDLERS_SOURCE, 16, 5, "HandlerStack/Reports/ReportFn", NESTED_REPORTS, 46),
        ("LL8002", HANDLERS_SOURCE, 16, 5, "HandlerStack/Reports/ReportFn", NESTED_REPORTS, 37),
        # item 6: CDK's validation reported it too (E3505): kept, and says so
        ("LL6001", HANDLERS_SOURCE, 47, 12, "HandlerStack/OrdersFn/SqsEventSource:HandlerStackOrdersQueue20290F66",
         "HandlerStack.template.json", 131),
        # item 5: V108D1B095's suffix is the path hash of V1/Resource, not a content hash
        ("LL3005", HANDLERS_SOURCE, 49, 5, "HandlerStack/V1", "HandlerStack.template.json", 276),
        # item 4: image assets, from their Dockerfile and asset platform, before any build
        ("LL1015", HANDLERS_SOURCE, 58, 5, "HandlerStack/AmdImageFn", "HandlerStack.template.json", 429),
        ("LL1004", HANDLERS_SOURCE, 66, 5, "HandlerStack/WorkerImageFn", "HandlerStack.template.json", 522),
    }
    assert [f.resource for f in report.findings if f.rule == "LL3005"] == ["V108D1B095"]


def test_the_correct_functions_have_no_finding():
    report = run(HANDLERS / "cdk.out")
    names = {f.origin.name for f in report.findings}
    for correct in ("HandlerStack/OrdersFn", "HandlerStack/Reports/StatusFn", "HandlerStack/ImageFn"):
        assert correct not in names
    # CDK's LogRetention provider sets its own group's retention (LL8002 said it kept logs forever)
    assert not any("LogRetention" in name for name in names)
    # currentVersion's logical ID carries a content hash: not reported
    assert not any("CurrentVersion" in (f.resource or "") for f in report.findings)


def test_validation_report_twin_is_said_once_in_the_finding():
    report = run(HANDLERS / "cdk.out")
    (sqs,) = [f for f in report.findings if f.rule == "LL6001"]
    assert sqs.message.endswith("(cdk synth reported it too: E3505)")
    assert sqs.severity.label == "error"  # CDK only warns; lambdalint's severity decides the exit code
    assert not any("cdk synth reported" in f.message for f in report.findings if f.rule != "LL6001")


def test_image_assets_are_said_once_as_not_inspected():
    """Their Dockerfiles are read, the images themselves are not: each is listed in summary.unchecked."""
    report = run(HANDLERS / "cdk.out")
    assert [entry.as_dict() for entry in report.unchecked] == [
        {"resource": logical_id, "origin": {"kind": "cdk", "name": f"HandlerStack/{name}"},
         "reason": "image-asset-not-built"}
        for logical_id, name in [("AmdImageFnE97D6297", "AmdImageFn"), ("ImageFnCD541B83", "ImageFn"),
                                 ("WorkerImageFn09ACB735", "WorkerImageFn")]]
    assert report.functions == 8


def test_image_asset_messages_name_the_dockerfile_and_where_the_platform_comes_from():
    report = run(HANDLERS / "cdk.out")
    messages = {f.origin.name: f.message for f in report.findings if f.rule in ("LL1015", "LL1004")}
    assert messages["HandlerStack/AmdImageFn"].endswith(
        "/Dockerfile is built for linux/amd64 (the asset's platform), but function AmdImageFnE97D6297 runs on arm64")
    assert messages["HandlerStack/WorkerImageFn"].startswith("handler 'worker.handler': fixtures/real/cdk-handlers/")
    assert messages["HandlerStack/WorkerImageFn"].endswith("/Dockerfile copies no worker.py into the image")


def test_a_given_image_replaces_the_dockerfile_reading(tmp_path):
    """With --image the built image is inspected instead (here unreadable: LL0004), and the Dockerfile is not read."""
    (tmp_path / "image.tar").write_text("not an image")
    report = run(HANDLERS / "cdk.out", images={"WorkerImageFn09ACB735": str(tmp_path / "image.tar")})
    names = {(f.rule, f.origin.name) for f in report.findings}
    assert ("LL1004", "HandlerStack/WorkerImageFn") not in names
    assert "WorkerImageFn09ACB735" not in {entry.resource for entry in report.unchecked}


def test_no_asset_metadata_synth_still_checks_handlers_through_the_asset_manifest():
    """Item 3: `"assetMetadata": false` output has no aws:asset:path; the S3 keys lead to the staged assets."""
    report = run(ASSETLESS / "cdk.out")
    template = json.loads((ASSETLESS / "cdk.out" / "IngestStack.template.json").read_text())
    assert not any("aws:asset:path" in resource.get("Metadata", {}) for resource in template["Resources"].values())
    assert {(f.rule, f.file, f.line, f.column, f.origin.name) for f in report.findings if f.rule != "LL8002"} == {
        ("LL1004", ASSETLESS_SOURCE, 31, 5, "IngestStack/ExportFn"),
        # nested stack linked only through its TemplateURL's object key
        ("LL1005", ASSETLESS_SOURCE, 13, 5, "IngestStack/Audit/AuditFn"),
        # a stage's stack: its nested assembly's asset manifest stages the code in the app's assembly
        ("LL1004", ASSETLESS_SOURCE, 44, 5, "Prod/Archive/ArchiveFn"),
    }
    assert report.unchecked == ()


def test_nested_templates_are_discovered_with_and_without_asset_metadata():
    handlers = [os.path.basename(path) for path in cloud_assembly_templates(str(HANDLERS / "cdk.out"))]
    assert handlers == ["HandlerStack.template.json", NESTED_REPORTS]
    assetless = [os.path.relpath(path, ASSETLESS / "cdk.out")
                 for path in cloud_assembly_templates(str(ASSETLESS / "cdk.out"))]
    assert assetless == [os.path.join("assembly-Prod", "ProdArchiveA8AA22EC.template.json"),  # manifest order
                         "IngestStack.template.json", "IngestStackAuditB3C373AB.nested.template.json"]
    assert nested_templates(str(HANDLERS / "cdk.out" / NESTED_REPORTS)) == []


def test_a_stage_in_a_moved_checkout_still_lands_in_the_app(tmp_path):
    """A stage's assembly sits inside the app's: the app's source is looked for beside the outermost one."""
    shutil.copytree(ASSETLESS, tmp_path / "project")
    report = run(tmp_path / "project" / "cdk.out", cwd=tmp_path / "project")
    (finding,) = [f for f in report.findings if f.origin.name == "Prod/Archive/ArchiveFn" and f.rule == "LL1004"]
    assert (finding.file, finding.line, finding.column) == ("app/lib/ingest-stack.js", 44, 5)
    assert finding.generated.file == os.path.join("cdk.out", "assembly-Prod", "ProdArchiveA8AA22EC.template.json")


def test_json_keeps_the_generated_place_and_sarif_relates_it():
    report = run(HANDLERS / "cdk.out")
    (finding,) = [f for f in report.findings if f.rule == "LL1004" and f.resource == "ReportFnA6F5CCA6"]
    assert finding.as_dict()["generated"] == {
        "file": f"fixtures/real/cdk-handlers/cdk.out/{NESTED_REPORTS}", "line": 46, "column": 5}
    assert finding.as_dict()["origin"] == {"kind": "cdk", "name": "HandlerStack/Reports/ReportFn"}
    assert finding.resource == "ReportFnA6F5CCA6"  # the logical ID in the template read, per the contract


def test_an_assembly_moved_away_from_its_app_keeps_the_generated_place(tmp_path):
    """Without the app's files the creation stack leads nowhere: the template's line, with the origin."""
    shutil.copytree(HANDLERS / "cdk.out", tmp_path / "cdk.out")
    report = run(tmp_path / "cdk.out", cwd=tmp_path)
    (finding,) = [f for f in report.findings if f.rule == "LL1004" and f.resource == "ReportFnA6F5CCA6"]
    assert (finding.file, finding.line, finding.generated) == (f"cdk.out/{NESTED_REPORTS}", 46, None)
    assert finding.origin.name == "HandlerStack/Reports/ReportFn"


def test_an_assembly_synthesized_elsewhere_maps_to_the_app_beside_it(tmp_path):
    """The creation stacks name /tmp/lambdalint-cdk-fixtures/...; a copy of the app is found by the path's tail."""
    shutil.copytree(HANDLERS, tmp_path / "project")
    report = run(tmp_path / "project" / "cdk.out", cwd=tmp_path / "project")
    (finding,) = [f for f in report.findings if f.rule == "LL3005"]
    assert (finding.file, finding.line, finding.column) == ("app/lib/handler-stack.js", 49, 5)


def test_text_output_shows_the_construct_path(capsys):
    from click.testing import CliRunner

    from lambdalint.cli import main

    old = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(main, ["check", "fixtures/real/cdk-handlers/cdk.out"])
    finally:
        os.chdir(old)
    assert result.exit_code == 1
    assert (f"{HANDLERS_SOURCE}:49:5: LL3005 warning: version V108D1B095 has a fixed logical ID and literal "
            f"properties: CloudFormation will not publish a new version when the code changes [HandlerStack/V1]"
            ) in result.output.splitlines()
    assert "code not inspected for 3 of 8 functions: 3 image asset built at deploy time" in result.output


# -- the pieces -----------------------------------------------------------------------------


@settings(deadline=None)
@given(st.lists(st.text(alphabet="abcXYZ019:.-", min_size=1, max_size=8), min_size=1, max_size=5))
def test_path_hash_is_cdks_md5_of_the_path_below_the_stack(components):
    digest = hashlib.md5("/".join(components).encode()).hexdigest()[:8].upper()
    cdk_path = "/".join(["SomeStack"] + components)
    assert path_hash(cdk_path, "Readable" + digest) == digest
    other = "0" * 8 if digest != "0" * 8 else "1" * 8
    assert path_hash(cdk_path, "Readable" + other) is None


def test_path_hash_of_the_real_fixture_ids():
    assert path_hash("HandlerStack/V1/Resource", "V108D1B095") == "08D1B095"
    assert path_hash("HandlerStack/Reports/ReportFn/Resource", "ReportFnA6F5CCA6") == "A6F5CCA6"
    assert path_hash(None, "V108D1B095") is None
    assert path_hash("HandlerStack/OrdersFn/CurrentVersion/Resource",
                     "OrdersFnCurrentVersion0A85846178bbb94770433075049d34db055f2564") is None


@pytest.mark.parametrize("frame, expected", [
    ("new HandlerStack (/x/app/lib/handler-stack.js:48:5)", ("lib/handler-stack.js", 48, 5)),
    ("    at new HandlerStack (/x/app/lib/handler-stack.js:3:7)", ("lib/handler-stack.js", 3, 7)),
    ("at /x/app/lib/handler-stack.js:9:1", ("lib/handler-stack.js", 9, 1)),
    ("...new Function2 in aws-cdk-lib...", None),
    ("new Function (/x/app/node_modules/aws-cdk-lib/aws-lambda/lib/function.js:1:2)", None),
    ("(no user code in 10 frames, use --stack-trace-limit to capture more)", None),
])
def test_creation_stack_frames(tmp_path, frame, expected):
    (tmp_path / "app" / "lib").mkdir(parents=True)
    (tmp_path / "app" / "lib" / "handler-stack.js").write_text("")
    (tmp_path / "app" / "cdk.out").mkdir()
    (tmp_path / "app" / "cdk.out" / "manifest.json").write_text("{}")
    assembly = Assembly(str(tmp_path / "app" / "cdk.out"))
    place = assembly._user_frame([frame])
    if expected is None:
        assert place is None
    else:
        assert (os.path.relpath(place.file, tmp_path / "app"), place.line, place.column) == expected


@pytest.mark.parametrize("broken", ["not json", "[]", '{"artifacts": []}', '{"artifacts": {"S": {"type": 1}}}',
                                    '{"artifacts": {"S": {"type": "aws:cloudformation:stack", '
                                    '"additionalMetadataFile": "../../etc/passwd", "metadata": {"/S": 3}}}}'])
def test_a_broken_manifest_is_no_crash_and_no_origin(tmp_path, broken):
    shutil.copytree(HANDLERS / "cdk.out", tmp_path / "cdk.out")
    (tmp_path / "cdk.out" / "manifest.json").write_text(broken)
    report = run(tmp_path / "cdk.out" / NESTED_REPORTS, cwd=tmp_path)
    assert {f.rule for f in report.findings} >= {"LL1004"}
    assert not any(f.rule == "LL0007" for f in report.findings)


@pytest.mark.parametrize("doc", ["README.md", "docs/usage.md"])
def test_the_documented_cdk_run_is_what_lambdalint_prints(doc, monkeypatch):
    import re
    import shlex

    from click.testing import CliRunner

    from lambdalint.cli import main

    text = (ROOT / doc).read_text(encoding="utf-8")
    block = re.search(r"<!-- docs-test: cdk-output -->\n```text\n(.*?)```", text, flags=re.S).group(1)
    command, *expected = block.rstrip("\n").split("\n")
    arguments = shlex.split(command.lstrip("$ "))
    assert arguments[0] == "lambdalint"
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, arguments[1:])
    assert result.output.rstrip("\n").split("\n") == expected
    assert "app/lib/handler-stack.js:49:5: LL3005" in block  # a finding in the user's source


IMAGE_FN_ASSET = "asset.750e383ec9240051720111338b2989c8ea1aebdb4242c46460d236cc568e2326"


def _with_image_fn_dockerfile(tmp_path, text, **files):
    shutil.copytree(HANDLERS, tmp_path / "project")
    asset = tmp_path / "project" / "cdk.out" / IMAGE_FN_ASSET
    (asset / "Dockerfile").write_text(text)
    for name, content in files.items():
        (asset / name).write_text(content)
    report = run(tmp_path / "project" / "cdk.out", cwd=tmp_path / "project")
    return [f for f in report.findings if f.rule == "LL1019"]


def test_an_image_asset_on_a_plain_python_image_without_a_client_is_reported(tmp_path):
    """The Dockerfile decides it: python:3.12-slim has no client, `python app.py` never asks Lambda for events."""
    (finding,) = _with_image_fn_dockerfile(
        tmp_path, "FROM python:3.12-slim\nCOPY app.py ./\nCMD [\"python\", \"app.py\"]\n")
    assert (finding.file, finding.line, finding.column) == ("app/lib/handler-stack.js", 53, 5)
    assert finding.origin.name == "HandlerStack/ImageFn"
    assert finding.severity.name == "WARNING"
    assert finding.message == (f"image asset cdk.out/{IMAGE_FN_ASSET}/Dockerfile builds on python:3.12-slim and "
                               f"runs 'python app.py' without a Lambda runtime interface client: it never receives events")


@pytest.mark.parametrize("text, files", [
    ("FROM python:3.12-slim\nRUN pip install awslambdaric\nCOPY app.py ./\n"
     "ENTRYPOINT [\"python\", \"-m\", \"awslambdaric\"]\nCMD [\"app.handler\"]\n", {}),  # the client, as ENTRYPOINT
    ("FROM python:3.12-slim\nCOPY requirements.txt app.py ./\nRUN pip install -r requirements.txt\n"
     "CMD [\"python\", \"app.py\"]\n", {"requirements.txt": "awslambdaric\n"}),  # app.py may start it itself
    ("ARG BASE=python:3.12-slim\nFROM $BASE\nCOPY app.py ./\nCMD [\"python\", \"app.py\"]\n", {}),  # base at build time
    ("FROM python:3.12 AS build\nRUN pip install --target /out awslambdaric\nFROM python:3.12-slim\n"
     "COPY --from=build /out /var/task\nCOPY app.py ./\nCMD [\"python\", \"app.py\"]\n", {}),
    ("FROM python:3.12 AS build\nFROM python:3.12-slim\nCOPY --from=build /out /opt\nCOPY app.py ./\n"
     "CMD [\"python\", \"app.py\"]\n", {}),  # files from another stage
    ("FROM mycompany/lambda-python:3.12\nCOPY app.py ./\nCMD [\"python\", \"app.py\"]\n", {}),  # unknown base
    ("FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py ./\nCMD [\"app.handler\"]\n", {}),
    ("FROM python:3.12-slim\nCOPY app.py ./\nCMD python app.py\n", {}),  # shell form
    ("FROM golang:1.22\nCOPY app.py ./\nCMD [\"/app/server\"]\n", {}),
    ("FROM python:3.12-slim\nCOPY app.py ./\nCMD [\"/usr/local/bin/server\"]\n", {}),  # a program may embed it
])
def test_image_assets_the_dockerfile_does_not_decide_are_not_reported(tmp_path, text, files):
    assert _with_image_fn_dockerfile(tmp_path, text, **files) == []


TYPESCRIPT = ROOT / "fixtures" / "real" / "cdk-typescript"


def test_a_typescript_app_synthesized_through_ts_node_lands_on_its_ts_line():
    """ts-node maps the creation stack to the .ts source: the finding lands on lib/orders-stack.ts, not on JavaScript."""
    report = run(TYPESCRIPT / "cdk.out")
    assert landed(report) == {
        ("LL1004", "fixtures/real/cdk-typescript/app/lib/orders-stack.ts", 21, 5, "OrdersStack/AuditFn",
         "OrdersStack.template.json", 225),
    }  # OrdersFn, beside it, is correct; CDK's own LogRetention provider is not reported
