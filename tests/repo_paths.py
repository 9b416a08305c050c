"""Where things are, for tests in any folder (import this, never `conftest`)."""

import pathlib

REPO = pathlib.Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
PROJECTS = REPO.parent / "shared" / "projects"  # real projects: templates plus a listing of their code
FIXTURES = REPO / "fixtures"
