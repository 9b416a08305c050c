"""`${...}` variables of serverless.yml (lambdalint.frontends.serverless_variables), and package globs."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdalint.artifacts.selection import selector
from lambdalint.frontends.serverless_variables import Context, Resolver, options_from, split_variables
from lambdalint.model.values import UNKNOWN

CONFIG = {
    "service": "svc",
    "provider": {"name": "aws", "stage": "${opt:stage, 'dev'}"},
    "custom": {"size": 512, "name": "orders", "deep": {"a": {"b": "x"}}, "loop": "${self:custom.loop}",
               "ping": "${self:custom.pong}", "pong": "${self:custom.ping}", "list": [1, 2]},
    "params": {"default": {"table": "t-default"}, "prod": {"table": "t-prod"}},
}
FILES = {"/svc/config.yml": {"timeout": 12, "nested": {"value": "${self:custom.name}"}}}


def resolve(value, options=(), environment=None, files=FILES):
    def read(path):
        return files[path] if path in files else None if path.endswith("missing.yml") else UNKNOWN

    context = Context(CONFIG, "/svc", dict(options), read, environment)
    return Resolver(context).resolve(value)


@pytest.mark.parametrize("text, expected", [
    ("${self:custom.size}", 512),  # a whole value keeps its type
    ("size-${self:custom.size}", "size-512"),
    ("${self:custom.deep.a}", {"b": "x"}),
    ("${self:custom.deep.${self:custom.missing, 'a'}.b}", "x"),  # nested, with a fallback
    ("${self:custom.list.1}", 2),
    ("${sls:stage}", "dev"),
    ("${opt:stage}", UNKNOWN),  # not given and no fallback: the framework stops; lambdalint does not guess
    ("${opt:stage, 'qa'}", "qa"),
    ("${param:table}", "t-default"),
    ("${file(./config.yml):timeout}", 12),
    ("${file(./config.yml):nested.value}", "orders"),  # the included file's variables resolve in the service
    ("${file(./missing.yml):timeout, 3}", 3),  # no such file in the project
    ("${file(../outside.yml):timeout, 3}", UNKNOWN),  # may not be read (outside, code): not the fallback
    ("${ssm:/svc/key}", UNKNOWN),
    ("${ssm:/svc/key, 'x'}", UNKNOWN),  # the parameter may exist: its value is unknown, not the fallback
    ("arn:${aws:partition}:s3:::b", UNKNOWN),
    ("${cf:other.Output}", UNKNOWN),
    ("${s3:bucket/key}", UNKNOWN),
    ("${sls:instanceId}", UNKNOWN),
    ("${env:HOME}", UNKNOWN),  # the environment is not read unless asked
    ("${plugin:thing}", UNKNOWN),
    ("${self:custom.loop}", UNKNOWN),  # a variable that names itself
    ("${self:custom.ping}", UNKNOWN),
    ("${self:custom.nothing, true}", True),
    ("${self:custom.nothing, 7}", 7),
    ("unclosed ${self:custom.size", UNKNOWN),
    ("plain", "plain"),
])
def test_variables(text, expected):
    assert resolve(text) == expected if expected is not UNKNOWN else resolve(text) is UNKNOWN


def test_options_and_params_from_the_run():
    options = options_from({"stage": "prod", "opt:region": "eu-west-1", "param:extra": "e", "Other": "x"})
    assert options == {"stage": "prod", "region": "eu-west-1", "param:extra": "e"}
    assert resolve("${sls:stage}", options) == "prod"
    assert resolve("${param:table}", options) == "t-prod"
    assert resolve("${param:extra}", options) == "e"
    assert resolve("${opt:region}", options) == "eu-west-1"


def test_the_environment_when_asked():
    assert resolve("${env:TABLE}", environment={"TABLE": "t"}) == "t"
    assert resolve("${env:NONE, 'd'}", environment={}) == "d"


def test_maps_and_lists_are_resolved_inside():
    assert resolve({"a": ["${self:custom.size}", {"b": "${sls:stage}"}]}) == {"a": [512, {"b": "dev"}]}


def test_split_variables():
    assert split_variables("a${b}c${d${e}}") == ["a", ("b",), "c", ("d${e}",)]
    assert split_variables("${a") is None
    assert split_variables("\\${a}") == ["\\${a}"]


variable_text = st.recursive(
    st.text(alphabet="abc:.,'\"() ", max_size=8),
    lambda inner: st.builds(lambda source, body, tail: f"{source}${{{body}}}{tail}",
                            st.sampled_from(["", "self:", "sls:", "opt:", "file(", "${", "}", "param:"]), inner, inner),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(text=variable_text, loop=variable_text)
def test_resolving_never_raises_and_cycles_end(text, loop):
    config = dict(CONFIG, custom={"a": "${self:custom.b}", "b": f"${{self:custom.a}}{loop}", "c": text})
    context = Context(config, "/svc", {}, lambda path: {"x": "${self:custom.c}"}, None)
    result = Resolver(context).resolve({"value": text, "other": "${self:custom.c}", "cycle": "${self:custom.a}"})
    assert set(result) == {"value", "other", "cycle"}
    assert result["cycle"] is UNKNOWN or isinstance(result["cycle"], (str, int, float, bool, dict, list))


@pytest.mark.parametrize("patterns, selected, left_out", [
    ((), ["a.py", "src/b.py", ".env"], []),
    (("!**", "handlers/**"), ["handlers/a.py", "handlers/x/b.py"], ["a.py", "other/handlers/a.py"]),
    (("!node_modules/**",), ["a.js", "lib/node_modules.js"], ["node_modules/x/index.js"]),
    (("!**/*.test.js",), ["a.js", "src/test.js"], ["a.test.js", "src/deep/b.test.js"]),
    (("!*.md", "README.md"), ["README.md", "docs/x.md"], ["CHANGES.md"]),
    (("!src/{a,b}.py",), ["src/c.py"], ["src/a.py", "src/b.py"]),
    (("!**", "src/api.py"), ["src/api.py"], ["src/billing.py"]),
])
def test_package_globs_in_order(patterns, selected, left_out):
    keep = selector(patterns)
    assert [name for name in selected if not keep(name)] == []
    assert [name for name in left_out if keep(name)] == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 100) | st.sampled_from(
        ["", "arn:aws:sqs:us-east-1:1:q", "rate(1 hour)", "src/a.handler", "${self:custom.x}", "!**", "GET /"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["arn", "batchSize", "name", "bucket", "events", "handler", "role", "vpc", "rate",
                         "eventType", "existing", "consumer", "type", "destinations", "onFailure", "url", "cors",
                         "environment", "layers", "package", "patterns", "individually", "image", "x"]),
        inner, max_size=4),
    max_leaves=20,
)
event_kinds = st.sampled_from(["sqs", "stream", "sns", "schedule", "s3", "eventBridge", "http", "httpApi", "alb",
                               "cloudFront", "websocket"])


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None)
@given(functions=st.dictionaries(st.sampled_from(["a", "b-c", "d_e"]), st.fixed_dictionaries(
    {"handler": json_values, "events": st.lists(st.dictionaries(event_kinds, json_values, min_size=1, max_size=1),
                                                max_size=3)}, optional={"role": json_values, "vpc": json_values,
                                                                        "url": json_values, "layers": json_values,
                                                                        "environment": json_values,
                                                                        "package": json_values}), max_size=3),
       provider=st.dictionaries(st.sampled_from(["iam", "vpc", "environment", "deploymentBucket", "tracing",
                                                 "runtime", "timeout"]), json_values, max_size=3),
       layers=json_values, resources=json_values)
def test_compiling_any_service_shape_never_raises(functions, provider, layers, resources):
    from lambdalint.frontends.serverless_compile import Compiler

    service = {"service": "svc", "provider": dict(provider, name="aws"), "functions": functions,
               "layers": layers, "resources": resources}
    lowered = Compiler(service, "dev", "us-east-1", "serverless.yml").compile()
    assert set(lowered.function_keys.values()) <= set(functions)
