import pytest

from repo_paths import CORPUS, FIXTURES, REPO  # noqa: F401  (re-exported for fixtures below)


@pytest.fixture
def corpus_dir():
    templates = CORPUS / "templates"
    if not templates.is_dir():
        pytest.skip(f"corpus not found at {templates} (expected ../shared/corpus beside the repo)")
    return templates
