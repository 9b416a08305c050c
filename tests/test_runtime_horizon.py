"""LL2008's horizon for runtime identifiers newer than lambdalint's data: a version the language
cannot have published yet is a typo; a version within reach stays quiet; a version up to the newest
one that the data lacks never existed. The horizon moves with the date the check runs on."""

from __future__ import annotations

import datetime
import re

import pytest

from lambdalint import data
from lambdalint.api import Linter
from lambdalint.config import Config

CHECKED = datetime.date.fromisoformat(data.load("runtimes.json")["checked"])
TEMPLATE = """
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: {runtime}
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/x
      Code: {{S3Bucket: b, S3Key: k}}
"""


def unknown_runtime_messages(runtime: str, today: datetime.date) -> list:
    linter = Linter(Config(select=("LL2008",), today=today))
    return [f.message for f in linter.lint_text(TEMPLATE.format(runtime=runtime), "t.yaml") if f.rule == "LL2008"]


def newest(pattern_prefix: str) -> int:
    numbers = [int(m.group(1)) for name in data.runtimes() for m in [re.fullmatch(pattern_prefix, name)] if m]
    return max(numbers)


@pytest.mark.parametrize("family, pattern, spelled, slack, per_year", [
    ("python", r"python3\.(\d+)", "python3.{}", 2, 1),
    ("nodejs", r"nodejs(\d+)\.x", "nodejs{}.x", 4, 2),
    ("java", r"java(\d+)", "java{}", 4, 2),
    ("dotnet", r"dotnet(\d+)", "dotnet{}", 2, 1),
])
@pytest.mark.parametrize("years", [0, 3])
def test_the_horizon_is_the_newest_known_plus_slack_plus_the_years_since_the_data(
        family, pattern, spelled, slack, per_year, years):
    today = CHECKED + datetime.timedelta(days=365 * years)  # a year or part of one counts as a year
    edge = newest(pattern) + slack + per_year * years
    assert unknown_runtime_messages(spelled.format(edge), today) == []
    messages = unknown_runtime_messages(spelled.format(edge + 1), today)
    assert len(messages) == 1 and f"no {family} runtime can have that version yet" in messages[0]
    assert "a typo?" in messages[0]


@pytest.mark.parametrize("runtime", ["python3.5", "python3.1", "nodejs19.x", "nodejs4.x", "java11.al2", "java9",
                                     "dotnet5", "ruby3.0", "ruby2.6"])
def test_a_version_up_to_the_newest_that_the_data_lacks_never_existed(runtime):
    messages = unknown_runtime_messages(runtime, CHECKED)
    assert len(messages) == 1 and "Lambda never had this" in messages[0]


@pytest.mark.parametrize("runtime", ["python3.14", "nodejs24.x", "java21", "ruby3.4", "ruby4.1", "ruby5.0", "provided.al2023"])
def test_known_and_reachable_runtimes_are_quiet(runtime):
    assert unknown_runtime_messages(runtime, CHECKED) == []


def test_a_ruby_major_far_beyond_the_newest_is_reported():
    assert len(unknown_runtime_messages("ruby9.0", CHECKED)) == 1


@pytest.mark.parametrize("runtime, severity", [
    ("JAVA_VERSION", "warning"), ("PYTHON3_VERSION", "warning"), ("'${Runtime}'", "warning"),
    ("'{{runtime}}'", "warning"), ("<RUNTIME>", "warning"),
    ("PYTHON", "error"), ("python3", "error"), ("Python_3.12", "error"),
])
def test_a_placeholder_runtime_is_a_warning_and_other_unknown_ones_errors(runtime, severity):
    linter = Linter(Config(select=("LL2008",), today=CHECKED))
    findings = [f for f in linter.lint_text(TEMPLATE.format(runtime=runtime), "t.yaml") if f.rule == "LL2008"]
    assert [f.severity.name.lower() for f in findings] == [severity]
    assert ("placeholder" in findings[0].message) == (severity == "warning")
