"""The AWS data files: every row sourced and dated, values well-formed, known facts present."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambdalint import data

DATA_DIR = Path(data.__file__).resolve().parent
CHECKED = "2026-11-23"
AWS_HOSTS = ("amazon.com", "amazonaws.com", "amazonaws.cn")


def _raw(name):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _is_aws_url(url):
    parsed = urlparse(url)
    host = parsed.hostname or ""
    return parsed.scheme == "https" and any(
        host == suffix or host.endswith("." + suffix) for suffix in AWS_HOSTS
    )


def _date(text):
    return datetime.date.fromisoformat(text)


RUNTIME_ROWS = sorted(_raw("runtimes.json")["runtimes"].items())
FAMILY_ROWS = sorted(_raw("runtimes.json")["families"].items())
LIMIT_ROWS = sorted(_raw("limits.json")["limits"].items())


def test_files_are_indented_for_humans():
    for name in ("runtimes.json", "limits.json"):
        text = (DATA_DIR / name).read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), indent=2) + "\n", name


def test_file_headers_are_dated_and_sourced():
    assert _raw("runtimes.json")["checked"] == CHECKED
    assert _is_aws_url(_raw("runtimes.json")["source"])
    assert _raw("limits.json")["checked"] == CHECKED
    for url in _raw("runtimes.json")["flag_sources"].values():
        assert _is_aws_url(url), url


@pytest.mark.parametrize("identifier,row", RUNTIME_ROWS, ids=[r[0] for r in RUNTIME_ROWS])
def test_runtime_row_is_sourced_and_dated(identifier, row):
    assert _is_aws_url(row["source"]), row["source"]
    assert row["checked"] == CHECKED
    assert row["family"] in dict(FAMILY_ROWS)
    for flag in ("snapstart", "edge", "inline_code"):
        assert isinstance(row[flag], bool), flag


@pytest.mark.parametrize("identifier,row", RUNTIME_ROWS, ids=[r[0] for r in RUNTIME_ROWS])
def test_runtime_dates_parse_and_are_ordered(identifier, row):
    dates = {key: row[key] for key in ("deprecation", "block_create", "block_update")}
    parsed = {key: _date(value) for key, value in dates.items() if value is not None}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in dates.values() if v is not None)
    if "block_create" in parsed and "block_update" in parsed:
        assert parsed["block_create"] <= parsed["block_update"]
    if row.get("deprecation_after_block"):
        # AWS lists these old runtimes' deprecation after a block date; the row must say why.
        assert "note" in row
        assert parsed["deprecation"] > min(parsed["block_create"], parsed["block_update"])
    elif "deprecation" in parsed and "block_create" in parsed:
        assert parsed["deprecation"] <= parsed["block_create"]
    if not row.get("container_only"):
        # A zip runtime that AWS deprecated always has dates for both blocks.
        assert (dates["block_create"] is None) == (dates["block_update"] is None)
        if dates["deprecation"] is not None:
            assert dates["block_create"] is not None


@pytest.mark.parametrize("identifier,row", RUNTIME_ROWS, ids=[r[0] for r in RUNTIME_ROWS])
def test_runtime_identifier_matches_family_and_version(identifier, row):
    assert identifier.startswith(row["family"]) or (
        row["family"] == "dotnet" and identifier.startswith("dotnetcore")
    )
    if row["family"] in ("python", "ruby", "java"):
        assert row["version"] in identifier


@pytest.mark.parametrize("family,row", FAMILY_ROWS, ids=[r[0] for r in FAMILY_ROWS])
def test_family_row_is_sourced_and_its_example_matches_its_pattern(family, row):
    assert _is_aws_url(row["source"])
    assert row["checked"] == CHECKED
    assert row["handler_format"]
    assert re.fullmatch(row["handler_pattern"], row["handler_example"])


@pytest.mark.parametrize("name,row", LIMIT_ROWS, ids=[r[0] for r in LIMIT_ROWS])
def test_limit_row_is_sourced_dated_and_well_typed(name, row):
    assert re.fullmatch(r"[a-z][a-z0-9_]*", name)
    assert _is_aws_url(row["source"]), row["source"]
    # every row was checked when the file was, or later (a row added since carries its own date)
    assert datetime.date.fromisoformat(row["checked"]) >= datetime.date.fromisoformat(CHECKED)
    value = row["value"]
    assert value is not None
    if isinstance(value, list):
        assert value and all(isinstance(item, str) and item for item in value)
    elif isinstance(value, str):
        re.compile(value)  # the only strings are name patterns
        assert name.endswith("_pattern")
    else:
        assert isinstance(value, (int, float)) and not isinstance(value, bool)


def test_paired_limits_are_ordered():
    values = data.limits()
    for name, value in values.items():
        if name.endswith("_min"):
            upper = name[: -len("_min")] + "_max"
            if upper in values:
                assert value <= values[upper], name


def test_default_batch_sizes_fit_their_maximum():
    values = data.limits()
    sources = [n[len("esm_batch_size_max_"):] for n in values if n.startswith("esm_batch_size_max_")]
    assert set(sources) == {"sqs_standard", "sqs_fifo", "kinesis", "dynamodb", "msk", "kafka", "mq", "documentdb"}
    for source in sources:
        default = values["esm_batch_size_default_" + source]
        assert values["esm_batch_size_min"] <= default <= values["esm_batch_size_max_" + source]


def test_known_runtime_facts():
    table = data.runtimes()
    assert table["python3.12"]["snapstart"] is True
    assert table["python3.11"]["snapstart"] is False
    assert table["java21"]["snapstart"] is True
    assert table["nodejs22.x"]["snapstart"] is False
    assert table["nodejs12.x"]["deprecation"] is not None
    assert _date(table["nodejs12.x"]["block_update"]) < datetime.date(2026, 11, 23)
    assert table["python3.12"]["inline_code"] and table["nodejs20.x"]["inline_code"]
    assert not table["java21"]["inline_code"] and not table["provided.al2023"]["inline_code"]
    assert table["nodejs20.x"]["edge"] and not table["java21"]["edge"]
    for identifier in ("nodejs", "nodejs4.3", "nodejs6.10", "python2.7", "python3.6", "dotnetcore1.0",
                       "dotnetcore3.1", "dotnet6", "dotnet7", "java8", "ruby2.5", "ruby2.7", "go1.x",
                       "provided", "provided.al2", "provided.al2023"):
        assert identifier in table, identifier
    assert data.runtime("python3.12") is table["python3.12"]
    assert data.runtime("python9.9") is None


def test_only_documented_families_support_snapstart_and_inline_code():
    for identifier, row in data.runtimes().items():
        if row["snapstart"]:
            assert row["family"] in ("java", "python", "dotnet"), identifier
        if row["inline_code"] or row["edge"]:
            assert row["family"] in ("nodejs", "python"), identifier


def test_known_limit_values():
    values = data.limits()
    expected = {
        "memory_mb_min": 128, "memory_mb_max": 10240, "timeout_s_min": 1, "timeout_s_max": 900,
        "ephemeral_storage_mb_min": 512, "ephemeral_storage_mb_max": 10240,
        "environment_variables_total_bytes_max": 4096, "layers_per_function_max": 5,
        "package_zipped_direct_upload_mb_max": 50, "package_unzipped_with_layers_mb_max": 250,
        "container_image_uncompressed_gb_max": 10, "template_body_direct_bytes_max": 51200,
        "function_name_length_max": 64, "description_length_max": 256,
        "vpc_security_groups_max": 5, "vpc_subnets_max": 16,
        "account_concurrency_default": 1000, "unreserved_concurrency_min": 100,
        "esm_batch_size_max_sqs_fifo": 10, "esm_batch_size_max_sqs_standard": 10000,
        "esm_batching_window_s_max": 300, "esm_parallelization_factor_max": 10,
        "esm_maximum_retry_attempts_min": -1, "esm_maximum_record_age_s_max": 604800,
        "esm_tumbling_window_s_max": 900, "async_maximum_retry_attempts_max": 2,
        "async_maximum_event_age_s_min": 60, "async_maximum_event_age_s_max": 21600,
        "sqs_visibility_timeout_s_default": 30, "sqs_visibility_timeout_function_timeout_factor": 6,
        "apigateway_rest_integration_timeout_s_default": 29, "apigateway_http_integration_timeout_s_max": 30,
        "edge_viewer_timeout_s_max": 5, "edge_viewer_memory_mb_max": 128, "edge_origin_timeout_s_max": 30,
        "edge_viewer_package_mb_max": 1, "edge_origin_package_mb_max": 50,
        "alias_routing_additional_versions_max": 1,
    }
    assert {name: values[name] for name in expected} == expected
    reserved = values["reserved_environment_variables"]
    assert {"AWS_REGION", "_HANDLER", "LAMBDA_TASK_ROOT", "AWS_LAMBDA_FUNCTION_NAME"} <= set(reserved)
    assert len(reserved) == len(set(reserved))


def test_limit_source_and_entry():
    assert data.limit_source("memory_mb_max").startswith("https://docs.aws.amazon.com/lambda/")
    assert data.limit_entry("timeout_s_max")["value"] == 900
    with pytest.raises(KeyError):
        data.limit_source("no_such_limit")


def test_accessors_are_cached():
    assert data.runtimes() is data.runtimes()
    assert data.limits() is data.limits()
    assert data.runtime_families() is data.runtime_families()


def test_environment_variable_name_pattern_rejects_reserved_shapes_it_should():
    pattern = re.compile(data.limits()["environment_variable_name_pattern"])
    assert pattern.fullmatch("MY_VAR")
    assert not pattern.fullmatch("1ABC")
    assert not pattern.fullmatch("A")  # the API pattern needs two characters at least
    assert not pattern.fullmatch("MY-VAR")


@given(st.from_regex(r"[a-z_][a-z0-9_]{0,10}(\.[a-z_][a-z0-9_]{0,10}){0,3}\.[a-z_][a-z0-9_]{0,10}", fullmatch=True))
def test_python_handler_pattern_accepts_module_function(handler):
    assert re.fullmatch(data.runtime_families()["python"]["handler_pattern"], handler)


@given(st.text(alphabet="abcXYZ_0123456789", min_size=1, max_size=20))
def test_python_handler_pattern_rejects_strings_without_a_dot(handler):
    assert not re.fullmatch(data.runtime_families()["python"]["handler_pattern"], handler)


@pytest.mark.slow
@given(st.from_regex(r"[a-z][a-z0-9]{0,8}(\.[A-Za-z][A-Za-z0-9]{0,8}){1,3}(::[a-z][A-Za-z0-9]{0,8})?", fullmatch=True))
def test_java_handler_pattern_accepts_class_and_method(handler):
    assert re.fullmatch(data.runtime_families()["java"]["handler_pattern"], handler)


def test_java_and_dotnet_patterns_reject_malformed_handlers():
    families = data.runtime_families()
    assert not re.fullmatch(families["java"]["handler_pattern"], "example.Handler:handleRequest")
    assert not re.fullmatch(families["java"]["handler_pattern"], "example.Handler::")
    assert not re.fullmatch(families["dotnet"]["handler_pattern"], "Assembly::Type")
    assert re.fullmatch(families["dotnet"]["handler_pattern"], "MyAssembly")


def test_generated_tables_match_the_json_files():
    """lambdalint reads tables.py; regenerate it with `python -m lambdalint.data.build`."""
    from lambdalint.data import build

    assert (DATA_DIR / "tables.py").read_text(encoding="utf-8") == build.render(), \
        "lambdalint/data/tables.py is stale: run python -m lambdalint.data.build"


def test_the_tables_hold_what_the_json_files_hold():
    from lambdalint.data.build import DATA_FILES

    for name in DATA_FILES:
        assert data.load(name) == _raw(name), name


@pytest.mark.parametrize("name,row", LIMIT_ROWS, ids=[r[0] for r in LIMIT_ROWS])
def test_limit_row_says_what_it_means_in_one_line(name, row):
    # docs/usage.md's table of limits shows it: one short sentence, no table-breaking characters
    assert row["meaning"].endswith(".") and "|" not in row["meaning"] and len(row["meaning"]) <= 100


@pytest.mark.parametrize("name,row", LIMIT_ROWS, ids=[r[0] for r in LIMIT_ROWS])
def test_every_default_is_a_valid_override_of_itself(name, row):
    from lambdalint.limit_overrides import validate

    value = row["value"]
    assert validate({name: value}) == {name: value}
    as_text = ", ".join(value) if isinstance(value, list) else str(value)  # how setup.cfg writes it
    assert validate({name: as_text}, from_text=True) == {name: value}
