"""Record: the dataclass behaviour lambdalint's value classes rely on, without dataclasses."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lambdalint.config import Config
from lambdalint.findings import Artifact, Finding, Severity
from lambdalint.records import Record
from lambdalint.registry import Rule


class Point(Record):
    __slots__ = ("x", "y", "label")
    _compared = ("x", "y")
    _hidden = ("label",)

    def __init__(self, x: int, y: int, label: str = "") -> None:
        self.x = x
        self.y = y
        self.label = label


def test_equality_hash_and_order_use_only_the_compared_fields():
    assert Point(1, 2, "a") == Point(1, 2, "b")
    assert hash(Point(1, 2, "a")) == hash(Point(1, 2, "b"))
    assert Point(1, 2) != Point(1, 3)
    assert sorted([Point(2, 0), Point(1, 5), Point(1, 2)]) == [Point(1, 2), Point(1, 5), Point(2, 0)]


def test_a_record_never_equals_another_type():
    assert Point(1, 2) != (1, 2)
    with pytest.raises(TypeError):
        Point(1, 2) < (1, 2)  # noqa: B015


def test_repr_leaves_hidden_fields_out():
    assert repr(Point(1, 2, "secret")) == "Point(x=1, y=2)"


def test_replace_copies_with_changes():
    original = Point(1, 2, "a")
    changed = original.replace(y=5)
    assert (changed.x, changed.y, changed.label) == (1, 5, "a")
    assert (original.x, original.y) == (1, 2)


def test_records_have_no_instance_dict():
    with pytest.raises(AttributeError):
        Point(1, 2).z = 3  # type: ignore[attr-defined]


finding_values = st.builds(
    Finding, st.text(max_size=5), st.integers(1, 99), st.integers(1, 99), st.sampled_from(["LL2001", "LL6012"]),
    st.sampled_from(list(Severity)), st.text(max_size=10), st.none() | st.text(max_size=5),
    st.lists(st.text(max_size=3) | st.integers(0, 5), max_size=3).map(tuple),
    st.none() | st.builds(Artifact, st.text(max_size=5)),
)


@given(finding_values, finding_values)
def test_findings_sort_by_place_then_rule_as_the_dataclass_did(a, b):
    assert (a < b) == ((a.file, a.line, a.column, a.rule) < (b.file, b.line, b.column, b.rule))
    assert (a == b) == ((a.file, a.line, a.column, a.rule) == (b.file, b.line, b.column, b.rule))


@given(finding_values)
def test_findings_survive_pickling_for_the_process_pool(finding):
    copy = pickle.loads(pickle.dumps(finding))
    assert copy == finding
    assert (copy.severity, copy.message, copy.resource, copy.path, copy.artifact) == (
        finding.severity, finding.message, finding.resource, finding.path, finding.artifact)


def test_config_defaults_are_fresh_per_instance():
    first, second = Config(), Config()
    assert first.parameters == {} and first.parameters is not second.parameters
    assert Config().with_overrides(select=("LL2",), ignore=None).select == ("LL2",)


def test_rules_compare_without_their_check_function():
    def check(model):
        return []

    def other(model):
        return []

    one = Rule("LL9999", "x", Severity.ERROR, "s", "src", check)
    assert one == Rule("LL9999", "x", Severity.ERROR, "s", "src", other)
    assert "check" not in repr(one)


def test_rule_docs_are_dedented_when_read_and_survive_replace():
    def check(model):
        """## What it does

        Checks a thing.
        """
        return []

    from lambdalint.registry import rule

    made = rule(id="LL9998", name="n", severity=Severity.INFO, summary="s", source="u")(check)
    assert made.docs == "## What it does\n\nChecks a thing."
    assert made.replace(severity=Severity.ERROR).docs == made.docs
    assert made.replace(docs="## Other").docs == "## Other"


def test_the_suite_runs_with_record_writes_guarded():
    from lambdalint.records import ReadOnlyRecordError

    point = Point(1, 2)
    with pytest.raises(ReadOnlyRecordError):
        point.x = 5
    assert point.replace(x=5).x == 5  # building new records is unaffected
    assert pickle.loads(pickle.dumps(point)) == point  # nor is unpickling
