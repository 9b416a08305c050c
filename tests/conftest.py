import pytest

import click_compat
from lambdalint.records import guard_writes
from repo_paths import CORPUS, FIXTURES, REPO  # noqa: F401  (re-exported for fixtures below)

# Records are immutable by convention; in the suite any write after construction raises,
# so a rule that mutates shared model values fails its tests.
guard_writes()

# tests read CliRunner results the click 8.2 way, also on the oldest click allowed
click_compat.install()


@pytest.fixture
def corpus_dir():
    templates = CORPUS / "templates"
    if not templates.is_dir():
        pytest.skip(f"corpus not found at {templates} (expected ../shared/corpus beside the repo)")
    return templates


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    """Every CLI run happens in an empty folder, so no stray config is found (a test module that
    needs files there defines its own `cwd`)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
