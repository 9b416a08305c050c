import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
FIXTURES = REPO / "fixtures"


@pytest.fixture
def corpus_dir():
    templates = CORPUS / "templates"
    if not templates.is_dir():
        pytest.skip(f"corpus not found at {templates} (expected ../shared/corpus beside the repo)")
    return templates


@pytest.fixture(autouse=True)
def _isolated_cwd_config(monkeypatch):
    # the repo's own files must never act as a user's .lambdalint.yaml
    monkeypatch.setenv("LAMBDALINT_TEST", "1")
    yield
