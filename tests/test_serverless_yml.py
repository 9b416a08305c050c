"""serverless.yml read directly (no fresh `.serverless/`): the same fixtures, the same defects.

The real fixtures (fixtures/real/serverless-*, see tests/test_serverless_frontend.py) copied
without their `.serverless/` are what a developer has before `serverless package`: lambdalint
compiles serverless.yml itself (lambdalint.frontends.serverless_yml) and reads each function's
package from the service folder through its `package` patterns.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from test_serverless_frontend import PACKAGED, copy_app, places, run

YML_SHOP = [
    # the framework's shared role: serverless.yml's `provider:` is where it comes from
    ("LL5002", "serverless.yml", 5, 1, None, None),
    ("LL6001", "serverless.yml", 32, 9, "worker", None),
    ("LL6012", "serverless.yml", 32, 9, "worker", None),
    ("LL1004", "serverless.yml", 38, 5, "reports", None),
]
YML_INDIVIDUAL = [
    ("LL5002", "serverless.yml", 5, 1, None, None),
    ("LL1004", "serverless.yml", 31, 5, "billing", None),
]
YML_OSLS = [
    ("LL5002", "serverless.yml", 14, 5, None, None),  # provider.iam.role: the shared role's statements
    ("LL6006", "serverless.yml", 36, 3, "notify", None),
    ("LL5011", "serverless.yml", 39, 7, "notify", None),
    ("LL1004", "serverless.yml", 46, 5, "legacy", None),  # `!src/legacy.py` in the patterns
]
DIRECT = [("shop", YML_SHOP), ("individual", YML_INDIVIDUAL), ("osls", YML_OSLS)]


def service_alone(name, tmp_path):
    app = copy_app(name, tmp_path)
    shutil.rmtree(app / ".serverless")
    return app


@pytest.mark.parametrize("name, expected", DIRECT)
def test_exact_findings_of_serverless_yml_alone(tmp_path, name, expected):
    app = service_alone(name, tmp_path)
    for given in (".", "serverless.yml"):
        result = run(app, given)
        assert sorted(places(result)) == sorted(expected)
        assert result.exit_code == 1
        report = json.loads(result.stdout)
        assert report["summary"]["unchecked"] == [] and report["summary"]["files"] == 1


@pytest.mark.parametrize("name, package", PACKAGED)
def test_both_inputs_agree_where_both_know(tmp_path, name, package):
    """Same rules, same serverless.yml lines, same function keys; what the package keeps in its
    template (the framework's role) is the one difference, and it is the same finding there."""
    packaged = places(run(copy_app(name, tmp_path / "packaged"), "."))
    direct = places(run(service_alone(name, tmp_path / "direct"), "."))
    assert sorted(packaged) == sorted(package)

    def landed(found):
        return sorted((rule, file, line, column, origin) for rule, file, line, column, origin, _ in found
                      if file == "serverless.yml" and rule != "LL5002")

    assert landed(packaged) == landed(direct) and landed(direct)
    assert [place[0] for place in packaged if place[0] == "LL5002"] == [place[0] for place in direct
                                                                         if place[0] == "LL5002"] == ["LL5002"]


def test_the_correct_functions_have_no_findings(tmp_path):
    for name, correct in (("shop", "orders"), ("individual", "api"), ("osls", "digest")):
        report = json.loads(run(service_alone(name, tmp_path), ".").stdout)
        assert [f for f in report["findings"] if (f["origin"] or {}).get("name") == correct] == []


def write_service(tmp_path, text, files=()):
    app = tmp_path / "svc"
    app.mkdir(parents=True, exist_ok=True)
    (app / "serverless.yml").write_text(text)
    for path in files:
        (app / path).parent.mkdir(parents=True, exist_ok=True)
        (app / path).write_text("def handler(event, context):\n    return None\n")
    return app


def lowered(app, parameters=()):
    """The template lambdalint compiles from the service, and the compiled service."""
    from lambdalint.frontends.serverless_yml import load_service
    from lambdalint.settings import Settings

    path = str(app / "serverless.yml")
    document = load_service(path, path, Settings(parameters=dict(parameters)))
    return document.data["Resources"], document.front_end


BASE = """service: svc
provider:
  name: aws
  runtime: python3.12
functions:
  orders:
    handler: src/orders.handler
"""


def test_the_framework_defaults(tmp_path):
    resources, service = lowered(write_service(tmp_path, BASE, ["src/orders.py"]))
    function = resources["OrdersLambdaFunction"]["Properties"]
    assert (function["MemorySize"], function["Timeout"], function["FunctionName"]) == (1024, 6, "svc-dev-orders")
    assert function["Role"] == {"Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"]}
    assert resources["OrdersLogGroup"]["Properties"] == {"LogGroupName": "/aws/lambda/svc-dev-orders"}
    versions = [key for key, value in resources.items() if value["Type"] == "AWS::Lambda::Version"]
    assert len(versions) == 1 and versions[0].startswith("OrdersLambdaVersion") and service.is_code_version(versions[0])
    assert service.function_key("OrdersLogGroup") == "orders"
    statements = resources["IamRoleLambdaExecution"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert statements[0]["Resource"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/svc-dev*:*"}]


def test_versions_off_and_a_function_role(tmp_path):
    text = BASE.replace("  runtime: python3.12\n", "  runtime: python3.12\n  versionFunctions: false\n") + \
        "    role: arn:aws:iam::123456789012:role/given\n"
    resources, _ = lowered(write_service(tmp_path, text))
    assert [value["Type"] for value in resources.values()].count("AWS::Lambda::Version") == 0
    assert "IamRoleLambdaExecution" not in resources  # every function has its own role
    assert resources["OrdersLambdaFunction"]["Properties"]["Role"] == "arn:aws:iam::123456789012:role/given"


def test_variables_and_parameters(tmp_path):
    text = """service: svc
custom:
  timeouts: {dev: 10, prod: 20}
provider:
  name: aws
  runtime: python3.12
  stage: ${opt:stage, 'dev'}
  environment:
    TABLE: ${ssm:/svc/table}
    STAGE: ${sls:stage}
    NAME: ${param:name, 'fallback'}
functions:
  orders:
    handler: src/orders.handler
    timeout: ${self:custom.timeouts.${sls:stage}}
"""
    app = write_service(tmp_path, text)
    resources, _ = lowered(app)
    function = resources["OrdersLambdaFunction"]["Properties"]
    from lambdalint.model.values import UNKNOWN

    assert function["Timeout"] == 10 and function["FunctionName"] == "svc-dev-orders"
    assert function["Environment"]["Variables"] == {"TABLE": UNKNOWN, "STAGE": "dev", "NAME": "fallback"}
    resources, _ = lowered(app, {"stage": "prod", "param:name": "given"})
    function = resources["OrdersLambdaFunction"]["Properties"]
    assert function["Timeout"] == 20 and function["FunctionName"] == "svc-prod-orders"
    assert function["Environment"]["Variables"]["NAME"] == "given"


def test_a_finding_lands_at_the_line_of_a_variable_value(tmp_path):
    """The queue of `resources:` and the function timeout from `custom:`: LL6001 at the event."""
    text = """service: svc
custom:
  timeout: 60
provider:
  name: aws
  runtime: python3.12
functions:
  worker:
    handler: src/worker.handler
    timeout: ${self:custom.timeout}
    events:
      - sqs:
          arn: !GetAtt Jobs.Arn
resources:
  Resources:
    Jobs:
      Type: AWS::SQS::Queue
      Properties:
        VisibilityTimeout: 30
"""
    app = write_service(tmp_path, text, ["src/worker.py"])
    found = [place for place in places(run(app, ".")) if place[0] == "LL6001"]
    assert found == [("LL6001", "serverless.yml", 12, 9, "worker", None)]


def test_file_variables_stay_inside_the_project(tmp_path):
    outside = tmp_path / "secret.yml"
    outside.write_text("timeout: 60\n")
    text = BASE + "    timeout: ${file(./config.yml):timeout}\n    memorySize: ${file(../secret.yml):timeout, 512}\n"
    app = write_service(tmp_path, text)
    (app / "config.yml").write_text("timeout: 12\n")
    os.makedirs(app / ".git")  # the project root: the service folder
    resources, _ = lowered(app)
    from lambdalint.model.values import UNKNOWN

    function = resources["OrdersLambdaFunction"]["Properties"]
    assert function["Timeout"] == 12
    assert function["MemorySize"] is UNKNOWN  # outside the project: never read, and no fallback guessed


def test_package_patterns_select_the_package(tmp_path):
    text = BASE + """package:
  patterns:
    - "!**"
    - "src/**"
    - "!src/**/*.test.py"
"""
    app = write_service(tmp_path, text, ["src/orders.py", "src/orders.test.py", "tests/test_orders.py"])
    from lambdalint.frontends.serverless_yml import load_service
    from lambdalint.model import TemplateModel
    from lambdalint.model.packages import function_packages
    from lambdalint.settings import Settings

    path = str(app / "serverless.yml")
    model = TemplateModel(load_service(path, path, Settings()), Settings())
    package = function_packages(model)[0].package
    assert sorted(package.names()) == ["src", "src/orders.py"]


def test_lambda_at_edge_functions_lose_their_environment(tmp_path):
    text = BASE.replace("  runtime: python3.12\n", "  runtime: python3.12\n  environment:\n    A: b\n") + \
        "    events:\n      - cloudFront:\n          eventType: viewer-request\n          origin: s3://bucket.s3.amazonaws.com\n"
    resources, _ = lowered(write_service(tmp_path, text))
    assert "Environment" not in resources["OrdersLambdaFunction"]["Properties"]
    association = resources["CloudFrontDistribution"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"][
        "LambdaFunctionAssociations"][0]
    assert association["LambdaFunctionARN"]["Ref"].startswith("OrdersLambdaVersion")


@pytest.mark.parametrize("event, logical_ids", [
    ("sqs: arn:aws:sqs:us-east-1:123456789012:jobs", ["OrdersEventSourceMappingSQSJobs"]),
    ("stream: arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2020", ["OrdersEventSourceMappingDynamodbT"]),
    ("sns: alerts", ["SNSTopicAlerts", "OrdersSnsSubscriptionAlerts", "OrdersLambdaPermissionAlertsSNS"]),
    ("schedule: rate(1 hour)", ["OrdersEventsRuleSchedule1", "OrdersLambdaPermissionEventsRuleSchedule1"]),
    ("s3: photos", ["S3BucketPhotos", "OrdersLambdaPermissionPhotosS3"]),
    ("httpApi: GET /orders", ["HttpApi", "HttpApiStage", "HttpApiIntegrationOrders", "OrdersLambdaPermissionHttpApi"]),
    ("http: GET orders", ["ApiGatewayRestApi", "OrdersLambdaPermissionApiGateway"]),
])
def test_events_compile_to_the_frameworks_logical_ids(tmp_path, event, logical_ids):
    resources, service = lowered(write_service(tmp_path, BASE + f"    events:\n      - {event}\n"))
    assert set(logical_ids) <= set(resources)
    assert all(service.function_key(logical_id) in ("orders", None) for logical_id in logical_ids)


def test_plugins_and_events_not_lowered_are_said_once(tmp_path):
    text = BASE + "    events:\n      - websocket: $connect\n" + "plugins:\n  - serverless-python-requirements\n"
    app = write_service(tmp_path, text, ["src/orders.py"])
    result = run(app, ".")
    assert result.stderr.count("lambdalint: warning:") == 1
    assert ("serverless.yml read directly (no .serverless/ package; `serverless package` gives the exact stack); "
            "plugins not applied: serverless-python-requirements; events not checked: websocket") in result.stderr


def test_a_broken_service_file_is_one_ll0001(tmp_path):
    app = write_service(tmp_path, "service: svc\nprovider:\n  name: aws\nfunctions: [\n")
    result = run(app, ".")
    report = json.loads(result.stdout)
    assert [(f["rule"], f["file"]) for f in report["findings"]] == [("LL0001", "serverless.yml")]
    assert result.exit_code == 1


def test_env_variables_only_when_the_configuration_asks(tmp_path, monkeypatch):
    text = BASE + "    timeout: ${env:ORDERS_TIMEOUT, 3}\n"
    app = write_service(tmp_path, text)
    monkeypatch.setenv("ORDERS_TIMEOUT", "700")
    from lambdalint.frontends.serverless_yml import load_service
    from lambdalint.model.values import UNKNOWN
    from lambdalint.settings import Settings

    path = str(app / "serverless.yml")
    timeout = load_service(path, path, Settings()).data["Resources"]["OrdersLambdaFunction"]["Properties"]["Timeout"]
    assert timeout is UNKNOWN  # not asked: not the fallback either, the variable may be set where it deploys
    asked = load_service(path, path, Settings(serverless_env=True))
    assert asked.data["Resources"]["OrdersLambdaFunction"]["Properties"]["Timeout"] == "700"
    (app / ".lambdalint.yaml").write_text("serverless-env: true\n")
    monkeypatch.setenv("ORDERS_TIMEOUT", "1000")  # over the 900 s Lambda allows
    found = [(rule, line, origin) for rule, _, line, _, origin, _ in places(run(app, "."))]
    assert ("LL2002", 8, "orders") in found  # at the timeout line


def unchecked(result):
    return [(entry["resource"], entry["reason"]) for entry in json.loads(result.stdout)["summary"]["unchecked"]]


@pytest.mark.parametrize("extra, why", [
    ("plugins:\n  - serverless-wsgi\n", "a plugin adds the handler module to the zip"),
    ("package:\n  artifact: build/app.zip\n", "the given artifact is not built yet"),
    ("package:\n  patterns:\n    - '!**'\n    - build/main.py\n", "a pattern names build output"),
])
def test_a_package_that_does_not_exist_yet_is_not_read(tmp_path, extra, why):
    """The handler's module is not in the folder: no LL1004, the function is listed as not packaged."""
    app = write_service(tmp_path, BASE + extra)
    result = run(app, ".")
    assert [place[0] for place in places(result) if place[0].startswith(("LL0004", "LL1"))] == [], why
    assert unchecked(result) == [("OrdersLambdaFunction", "not-packaged")]


def test_a_runtime_a_plugin_provides_is_unknown(tmp_path):
    text = BASE.replace("runtime: python3.12", "runtime: rust") + "plugins:\n  - serverless-rust\n"
    found = [place[0] for place in places(run(write_service(tmp_path, text), "."))]
    assert "LL2008" not in found
    without = [place[0] for place in places(run(write_service(tmp_path / "b", BASE.replace(
        "runtime: python3.12", "runtime: rust"), ["src/orders.py"]), "."))]
    assert "LL2008" in without  # without a plugin nothing would make `rust` a runtime


def test_a_service_of_another_cloud_is_not_checked(tmp_path):
    app = write_service(tmp_path, "service: svc\nprovider:\n  name: azure\n  runtime: nodejs18\n"
                                  "functions:\n  hello:\n    handler: src/handler.hello\n")
    result = run(app, ".")
    report = json.loads(result.stdout)
    assert report["findings"] == [] and report["summary"]["files"] == 0 and result.exit_code == 0
