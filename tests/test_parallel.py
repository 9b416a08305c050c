"""A process pool must not change what is reported, nor its order."""

from __future__ import annotations

import pytest

from corpus_support import corpus_config
from lambdalint.api import Linter, parallel_jobs


@pytest.mark.slow
def test_parallel_run_equals_serial_run_on_the_corpus(corpus_dir):
    serial = Linter(corpus_config().replace(jobs=1)).lint_paths([str(corpus_dir)])
    parallel = Linter(corpus_config().replace(jobs=2)).lint_paths([str(corpus_dir)])
    assert parallel.files == serial.files == 1197
    assert parallel.findings == serial.findings
    assert [f.as_dict() for f in parallel.findings] == [f.as_dict() for f in serial.findings]


def test_no_pool_for_a_few_files():
    assert parallel_jobs(1, None) == 1
    assert parallel_jobs(15, None) == 1
    assert parallel_jobs(3, 8) == 3
    assert parallel_jobs(100, 1) == 1
