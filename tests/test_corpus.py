"""The whole shared corpus: no crash, no internal error, and only reviewed findings.

Every error- and warning-level finding lambdalint produces on the 1,197 real templates is
listed in tests/corpus_findings/*.txt after a person looked at it (a real defect in that
template). A new finding is either a false positive to fix or a real defect to add to the
list; a finding that disappears is a lost true positive, or a list to update.
"""

from __future__ import annotations

import pytest

from corpus_support import corpus_report, reviewed, tracked


@pytest.mark.slow
def test_every_corpus_template_is_checked_without_internal_errors(corpus_dir):
    report = corpus_report()
    assert report.files == 1197
    internal = [f"{f.file}: {f.message}" for f in report.findings if f.rule == "LL0007"]
    assert internal == []


@pytest.mark.slow
def test_corpus_findings_are_exactly_the_reviewed_ones(corpus_dir):
    found, expected = tracked(corpus_report()), reviewed()
    unexpected = sorted(found - expected)
    missing = sorted(expected - found)
    assert not unexpected, f"{len(unexpected)} new findings (review them): {unexpected[:20]}"
    assert not missing, f"{len(missing)} reviewed findings no longer reported: {missing[:20]}"
