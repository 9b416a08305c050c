"""Where things are, for tests in any folder (import this, never `conftest`)."""

import pathlib

REPO = pathlib.Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
FIXTURES = REPO / "fixtures"
