"""A Serverless Framework project checked through `.serverless/`, on real `serverless package` output.

The fixtures (fixtures/real/serverless-*/, made by tools/real_fixtures/serverless.py with
serverless 3.40.0) plant one defect per kind beside a correct function:
- shop (one service zip): `worker`'s SQS queue has a visibility timeout (30 s) below its
  timeout (60 s); `reports` names handlers/reports.py, which is not in shop.zip; `orders` is fine.
- individual (`package.individually`): billing.zip lacks the src/billing.py its handler names;
  `api` is fine.
- osls (packaged by osls 4.3.1, the open-source continuation of the v3 line: the same layout):
  `notify` holds a password in its environment and is triggered by SNS without a dead-letter
  queue; the patterns leave `legacy`'s src/legacy.py out of alerts.zip; `digest` is fine.
"""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest
from click.testing import CliRunner

from lambdalint.cli import main
from lambdalint.frontends import serverless
from repo_paths import FIXTURES

REAL = FIXTURES / "real"
TEMPLATE = ".serverless/cloudformation-template-update-stack.json"


def copy_app(name, tmp_path, package_age=0.0):
    """The fixture app in tmp_path, its serverless.yml `package_age` seconds older than its package
    (git checks files out in any order, so the committed mtimes say nothing)."""
    app = tmp_path / name
    shutil.copytree(REAL / f"serverless-{name}", app, ignore=shutil.ignore_patterns("node_modules"))
    now = time.time()
    os.utime(app / "serverless.yml", (now - 100, now - 100))
    for path in (app / ".serverless").iterdir():
        os.utime(path, (now - 100 + package_age, now - 100 + package_age))
    return app


def run(cwd, *args):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, ["check", "--show-infos", "--format", "json", *args], catch_exceptions=False)
    finally:
        os.chdir(old)


def places(result):
    """(rule, file, line, column, origin name, generated line) of each finding."""
    report = json.loads(result.stdout)
    return [(f["rule"], f["file"], f["line"], f["column"], (f["origin"] or {}).get("name"),
             (f["generated"] or {}).get("line")) for f in report["findings"]]


SHOP = [
    # the framework's one role for every function: it has no line in serverless.yml
    ("LL5002", TEMPLATE, 26, 5, None, None),
    # at the sqs event of `worker`, the template's event source mapping kept as generated
    ("LL6001", "serverless.yml", 32, 9, "worker", 226),
    ("LL6012", "serverless.yml", 32, 9, "worker", 226),
    # at the handler line of `reports`: the module is not in shop.zip
    ("LL1004", "serverless.yml", 38, 5, "reports", 173),
]
INDIVIDUAL = [
    ("LL5002", TEMPLATE, 19, 5, None, None),
    ("LL1004", "serverless.yml", 31, 5, "billing", 127),
]
OSLS = [
    ("LL5002", TEMPLATE, 26, 5, None, None),
    ("LL6006", "serverless.yml", 36, 3, "notify", 136),
    # at the variable's own line under the function's `environment:`
    ("LL5011", "serverless.yml", 39, 7, "notify", 150),
    ("LL1004", "serverless.yml", 46, 5, "legacy", 171),
]
PACKAGED = [("shop", SHOP), ("individual", INDIVIDUAL), ("osls", OSLS)]


@pytest.mark.parametrize("name, expected", PACKAGED)
def test_exact_findings_of_the_package(tmp_path, name, expected):
    app = copy_app(name, tmp_path)
    result = run(app, ".serverless/")
    assert sorted(places(result)) == sorted(expected)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["summary"]["unchecked"] == []  # every function's zip was found and read
    assert report["summary"]["files"] == 1  # serverless-state.json is not a template


@pytest.mark.parametrize("name, expected", PACKAGED)
def test_the_project_folder_is_checked_through_its_fresh_package(tmp_path, name, expected):
    app = copy_app(name, tmp_path)
    assert sorted(places(run(app, "."))) == sorted(expected)
    named = run(app, "serverless.yml")  # pre-commit names the service file that changed
    assert sorted(places(named)) == sorted(expected)
    state = run(app, ".serverless/serverless-state.json")
    assert sorted(places(state)) == sorted(expected)


def test_the_correct_functions_have_no_findings(tmp_path):
    for name, correct in (("shop", "orders"), ("individual", "api"), ("osls", "digest")):
        report = json.loads(run(copy_app(name, tmp_path), ".").stdout)
        assert [f for f in report["findings"] if (f["origin"] or {}).get("name") == correct] == []


def test_the_version_logical_ids_of_the_framework_are_code_hashes(tmp_path):
    """LL3005 is silent on `OrdersLambdaVersion<hash>`: the state records it as the code's version."""
    app = copy_app("shop", tmp_path)
    template = json.loads((app / TEMPLATE).read_text())
    versions = [key for key, value in template["Resources"].items() if value["Type"] == "AWS::Lambda::Version"]
    assert len(versions) == 3 and all("LambdaVersion" in key and not key.endswith("Version") for key in versions)
    assert "LL3005" not in [place[0] for place in places(run(app, ".serverless/"))]
    # the same template away from its state: nothing says the IDs are hashes, and LL3005 is back
    (app / "elsewhere").mkdir()
    shutil.copy(app / TEMPLATE, app / "elsewhere" / "template.json")
    alone = [place[0] for place in places(run(app, "elsewhere/template.json"))]
    assert alone.count("LL3005") == 3


def test_a_version_the_state_does_not_record_is_still_reported(tmp_path):
    app = copy_app("shop", tmp_path)
    template = json.loads((app / TEMPLATE).read_text())
    template["Resources"]["OrdersLambdaVersionOne"] = {
        "Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "OrdersLambdaFunction"}}}
    (app / TEMPLATE).write_text(json.dumps(template, indent=2))
    found = [place for place in places(run(app, ".serverless/")) if place[0] == "LL3005"]
    assert [(rule, file, origin) for rule, file, _, _, origin, _ in found] == [("LL3005", "serverless.yml", "orders")]


def test_a_package_older_than_serverless_yml_is_not_used_and_says_so(tmp_path):
    """serverless.yml is read directly instead (tests/test_serverless_yml.py has its findings)."""
    app = copy_app("shop", tmp_path, package_age=-50)
    result = run(app, ".")
    assert result.exit_code == 1
    found = places(result)
    assert {place[1] for place in found} == {"serverless.yml"}
    assert {place[5] for place in found} == {None}  # nothing generated: the template is lambdalint's own
    assert result.stderr.count(f"serverless.yml read directly (.serverless{os.sep} "
                               f"is older; `serverless package` gives the exact stack)") == 1


def test_a_service_without_a_package_is_read_directly_and_quietly(tmp_path):
    app = copy_app("shop", tmp_path)
    shutil.rmtree(app / ".serverless")
    result = run(app, ".")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["summary"]["files"] == 1 and {f["file"] for f in report["findings"]} == {"serverless.yml"}
    assert result.stderr == ""  # no plugin, no event it does not lower: nothing to say


def test_a_parent_folder_finds_each_service(tmp_path):
    for name in ("shop", "individual"):
        copy_app(name, tmp_path)
    report = json.loads(run(tmp_path, ".").stdout)
    assert report["summary"]["files"] == 2
    assert {f["file"] for f in report["findings"] if f["rule"] == "LL1004"} == {
        os.path.join("shop", "serverless.yml"), os.path.join("individual", "serverless.yml")}


def test_text_output_names_the_function_key(tmp_path):
    app = copy_app("individual", tmp_path)
    result = CliRunner().invoke(main, ["check", str(app / ".serverless")], catch_exceptions=False)
    line = next(line for line in result.stdout.splitlines() if "LL1004" in line)
    assert line.startswith(os.path.join(str(app), "serverless.yml") + ":31:5: LL1004 error: handler 'src/billing")
    assert "[billing]" in line and "BillingLambdaFunction" not in line


@pytest.mark.parametrize("key, normalized", [
    ("orders", "Orders"), ("send-email", "SendDashemail"), ("my_func", "MyUnderscorefunc"), ("a", "A")])
def test_normalized_function_names(key, normalized):
    assert serverless.normalized_name(key) == normalized


def test_function_keys_from_logical_ids():
    package = serverless.ServerlessPackage("/nowhere/.serverless", {"service": {"functions": {
        "orders": {"name": "svc-dev-orders"}, "ordersAdmin": {"name": "svc-dev-ordersAdmin"}}}})
    assert package.function_key("OrdersLambdaFunction", "svc-dev-orders") == "orders"
    assert package.function_key("OrdersAdminLogGroup") == "ordersAdmin"  # the longest name that fits
    assert package.function_key("OrdersLogGroup") == "orders"
    assert package.function_key("OrdersxLogGroup") is None  # a name continues in lower case: not this one
    assert package.function_key("JobsQueue") is None
    assert package.function_key("OrdersBucket") is None  # a resource of its own, named like the function
    assert package.function_key("OrdersLambdaVersionDUfzLBUz") == "orders"
    assert package.function_key("OrdersEventSourceMappingSQSJobsQueue") == "orders"


def test_an_unreadable_state_leaves_a_plain_template(tmp_path):
    app = copy_app("shop", tmp_path)
    (app / ".serverless" / "serverless-state.json").write_text("{not json")
    result = run(app, ".serverless/")
    found = places(result)
    assert result.exit_code == 1
    assert {place[1] for place in found} == {TEMPLATE}  # nothing to map back with
    assert "LL3005" in {place[0] for place in found}  # nor to say the versions are code hashes


def test_the_documented_json_finding_is_what_lambdalint_prints(monkeypatch):
    import re

    text = (FIXTURES.parent / "docs" / "usage.md").read_text(encoding="utf-8")
    section = text.split("## Serverless Framework", 1)[1]
    documented = json.loads(re.search(r"```json\n(.*?)```", section, flags=re.S).group(1))
    monkeypatch.chdir(FIXTURES.parent)
    result = CliRunner().invoke(main, ["check", "--format", "json", "fixtures/real/serverless-shop/.serverless"])
    found = next(f for f in json.loads(result.stdout)["findings"] if f["rule"] == documented["rule"])
    assert {key: found[key] for key in documented} == documented


def test_a_layer_zip_is_mapped_from_its_s3_key(tmp_path):
    """A layer's `Content.S3Key` is its recorded `package.artifact` in `.serverless/`, as a function's."""
    import zipfile

    from lambdalint.loading import load_file
    from lambdalint.model import TemplateModel
    from lambdalint.model.code import LOCAL, S3, layer_code
    from lambdalint.settings import Settings

    app = copy_app("shop", tmp_path)
    package = app / ".serverless"
    state = json.loads((package / "serverless-state.json").read_text())
    folder = state["package"]["artifactDirectoryName"]
    state["service"]["layers"] = {"deps": {"package": {"artifact": "/ci/build/.serverless/deps.zip"}}}
    (package / "serverless-state.json").write_text(json.dumps(state))
    with zipfile.ZipFile(package / "deps.zip", "w") as archive:
        archive.writestr("python/deps.py", "")
    template = json.loads((package / "cloudformation-template-update-stack.json").read_text())
    for name, key in (("DepsLambdaLayer", f"{folder}/deps.zip"), ("OtherLambdaLayer", f"{folder}/other.zip")):
        template["Resources"][name] = {"Type": "AWS::Lambda::LayerVersion", "Properties": {
            "Content": {"S3Bucket": "b", "S3Key": key}, "LayerName": name}}
    (package / "cloudformation-template-update-stack.json").write_text(json.dumps(template))
    path = str(package / "cloudformation-template-update-stack.json")
    model = TemplateModel(load_file(path, path), Settings(), str(package))
    deps = layer_code(model, model.resource("DepsLambdaLayer"))
    assert deps.kind == LOCAL and deps.local_path == str(package / "deps.zip")
    assert layer_code(model, model.resource("OtherLambdaLayer")).kind == S3  # no such zip: still in S3


def edit_app(app, template_edit, yml_old, yml_new):
    """Change the service and its package alike, as `serverless package` after an edit would."""
    path = app / TEMPLATE
    template = json.loads(path.read_text())
    template_edit(template["Resources"])
    path.write_text(json.dumps(template, indent=2))
    yml = (app / "serverless.yml").read_text()
    assert yml_old in yml
    (app / "serverless.yml").write_text(yml.replace(yml_old, yml_new, 1))
    now = time.time()
    os.utime(app / "serverless.yml", (now - 100, now - 100))


def test_a_finding_on_a_declared_resource_lands_under_resources(tmp_path):
    app = copy_app("shop", tmp_path)
    edit_app(app, lambda resources: resources["JobsQueue"].update(Description="jobs"),
             "      Type: AWS::SQS::Queue\n", "      Type: AWS::SQS::Queue\n      Description: jobs\n")
    found = [place for place in places(run(app, ".")) if place[0] == "LL0008"]
    assert [(file, line, column, origin) for _, file, line, column, origin, _ in found] == [
        ("serverless.yml", 44, 7, None)]  # the Description line of JobsQueue; a resource of its own, no function


def test_a_setting_from_provider_lands_on_the_provider_line(tmp_path):
    app = copy_app("shop", tmp_path)

    def old_runtime(resources):
        for resource in resources.values():
            if resource["Type"] == "AWS::Lambda::Function":
                resource["Properties"]["Runtime"] = "python3.7"

    edit_app(app, old_runtime, "  runtime: python3.12\n", "  runtime: python3.7\n")
    found = {(rule, file, line, origin) for rule, file, line, _, origin, _ in places(run(app, "."))
             if rule in ("LL2006", "LL2007")}
    lines = (app / "serverless.yml").read_text().splitlines()
    runtime_line = lines.index("  runtime: python3.7") + 1
    assert found and {(file, line) for _, file, line, _ in found} == {("serverless.yml", runtime_line)}
    assert {origin for *_, origin in found} == {"orders", "worker", "reports"}


def test_a_missing_zip_is_said_as_unchecked_by_function_key(tmp_path):
    app = copy_app("shop", tmp_path)
    (app / ".serverless" / "shop.zip").unlink()
    report = json.loads(run(app, ".serverless/").stdout)
    assert report["summary"]["unchecked"] == [
        {"resource": logical_id, "origin": {"kind": "serverless", "name": key}, "reason": "s3-object"}
        for logical_id, key in (("OrdersLambdaFunction", "orders"), ("ReportsLambdaFunction", "reports"),
                                ("WorkerLambdaFunction", "worker"))]
    assert "LL1004" not in {f["rule"] for f in report["findings"]}  # no package, no handler finding


def test_the_pre_commit_hook_checks_a_changed_service_through_its_package(tmp_path):
    """`--skip-non-templates` with the changed files, as the hook runs: serverless.yml stands for its service."""
    app = copy_app("shop", tmp_path)
    hook = ["--skip-non-templates", "serverless.yml", "handlers/orders.py", "package.json"]
    assert sorted(places(run(app, *hook))) == sorted(SHOP)
    now = time.time()
    os.utime(app / "serverless.yml", (now, now))  # edited after the last `serverless package`
    result = run(app, *hook)  # serverless.yml read directly: the same defects, at the same lines
    assert sorted(place[:5] for place in places(result) if place[0] != "LL5002") == sorted(
        place[:5] for place in SHOP if place[0] != "LL5002")
    assert result.stderr.count("serverless.yml read directly (.serverless") == 1


TYPESCRIPT_SERVICE = """import type { AWS } from '@serverless/typescript';

const serverlessConfiguration: AWS = {
  service: 'shop',
  provider: { name: 'aws', runtime: 'python3.12' },
  functions: { orders: { handler: 'handlers/orders.handler' } },
};

module.exports = serverlessConfiguration;
"""


@pytest.mark.parametrize("name", ["serverless.ts", "serverless.js", "serverless.mjs", "serverless.cjs"])
def test_a_code_service_file_without_a_package_is_said_once_and_never_run(tmp_path, name):
    app = copy_app("shop", tmp_path)
    shutil.rmtree(app / ".serverless")
    (app / "serverless.yml").unlink()
    (app / name).write_text(TYPESCRIPT_SERVICE)
    result = run(tmp_path, ".")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["findings"] == [] and report["summary"]["files"] == 0
    shown = os.path.join("shop", name)
    assert result.stderr.count(f"{shown} is not read: a JS/TS service file is code and is never executed; "
                               f"run `serverless package` and check {os.path.join('shop', '.serverless')}") == 1
    assert "no templates found" not in result.stderr
    named = run(app, name)  # named by pre-commit: the same sentence, nothing checked
    assert json.loads(named.stdout)["findings"] == [] and "is never executed" in named.stderr


def test_a_code_service_file_is_checked_through_its_fresh_package(tmp_path):
    """The package is what the program made: checked, its findings left in the template (no lines to map to)."""
    app = copy_app("shop", tmp_path)
    (app / "serverless.yml").unlink()
    (app / "serverless.ts").write_text(TYPESCRIPT_SERVICE)
    now = time.time()
    os.utime(app / "serverless.ts", (now - 200, now - 200))
    found = places(run(app, "."))
    assert sorted(found) == sorted([
        ("LL5002", TEMPLATE, 26, 5, None, None),
        ("LL6001", TEMPLATE, 226, 9, "worker", None),
        ("LL6012", TEMPLATE, 226, 9, "worker", None),
        ("LL1004", TEMPLATE, 173, 9, "reports", None),
    ])


def test_a_json_service_file_is_a_service_file(tmp_path):
    """serverless.json is read like serverless.yml: findings land at its lines."""
    import yaml

    app = copy_app("shop", tmp_path)
    data = yaml.safe_load((app / "serverless.yml").read_text())
    (app / "serverless.yml").unlink()
    text = json.dumps(data, indent=2)
    (app / "serverless.json").write_text(text)
    now = time.time()
    os.utime(app / "serverless.json", (now - 200, now - 200))
    lines = text.splitlines()
    handler = next(number for number, line in enumerate(lines, 1) if "handlers/reports.handler" in line)
    found = places(run(app, "."))
    assert ("LL1004", "serverless.json", handler, 7, "reports", 173) in found
    assert json.loads(run(app, "serverless.json").stdout)["summary"]["files"] == 1  # not sniffed as a template
