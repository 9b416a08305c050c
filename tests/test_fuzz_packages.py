"""Fuzzing the package rules: random, mutated and lying zips behind a SAM CodeUri, a Lambda Code and a layer.

The property is the template fuzzer's: the run returns findings (an unreadable zip is an
LL0004 or LL1012 finding), never an exception and never LL0007.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzz_zips
from lambdalint.api import Linter
from lambdalint.config import Config
from lambdalint.model.packages import reset_package_cache

CI = settings(derandomize=True, deadline=None, database=None, max_examples=200,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                     HealthCheck.data_too_large])

_LINTER = Linter(Config(select=("ALL",), today=datetime.date(2026, 11, 23)))


def lint_package(folder, raw: bytes, **template) -> list:
    # Every example writes the same path; the per-process package cache would keep the first.
    reset_package_cache()
    text = fuzz_zips.write_package(str(folder), raw, **template)
    findings = _LINTER.lint_text(text, "sam.yaml", base_dir=str(folder))
    internal = [f"{f.message} [{f.resource}]" for f in findings if f.rule == "LL0007"]
    assert internal == [], raw[:200]
    return findings


@pytest.mark.slow
@CI
@given(fuzz_zips.zip_bytes(), st.sampled_from([("app.handler", "python3.13", "arm64"),
                                               ("index.handler", "nodejs20.x", "x86_64"),
                                               ("pkg.mod.handler", "python3.9", "x86_64")]))
def test_fuzzed_zips_never_crash_a_package_rule(tmp_path, raw, shape):
    handler, runtime, arch = shape
    lint_package(tmp_path, raw, handler=handler, runtime=runtime, arch=arch)


def test_the_fuzz_target_really_reaches_the_package_rules(tmp_path):
    """Guards the fuzz test: a readable zip gets package findings, random bytes an unreadable-package one."""
    good = fuzz_zips.build_zip([("app.py", b"import boto3\ndef handler(e, c):\n    return boto3.client('s3')\n",
                                 0o100644)])
    rules = {f.rule for f in lint_package(tmp_path, good)}
    assert "LL1021" in rules  # client created in the handler: the handler source was read and parsed
    broken = {(f.rule, f.message.split(":")[-1].strip()[:20]) for f in lint_package(tmp_path, b"not a zip")
              if f.rule == "LL0004"}
    assert broken, "an unreadable package must be reported"
