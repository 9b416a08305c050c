"""Releasable: one version, a changelog, docs that name no release that does not exist, and
an sdist and a wheel that `python -m build` makes and that install and run in a fresh venv."""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest
from click.testing import CliRunner
from packaging.version import Version

import lambdalint
from lambdalint.cli import main
from repo_paths import REPO

CHANGELOG = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
USER_DOCS = [REPO / "README.md", REPO / "docs" / "usage.md", REPO / "docs" / "cfn-lint.md"]


def setup_cfg():
    parser = configparser.ConfigParser()
    parser.read(REPO / "setup.cfg", encoding="utf-8")
    return parser


def released_versions():
    return re.findall(r"^## \[(\d[^\]]*)\] - \d{4}-\d{2}-\d{2}$", CHANGELOG, flags=re.M)


def test_version_is_written_once_and_read_by_setup_cfg():
    assert setup_cfg().get("metadata", "version") == "attr: lambdalint.__version__"
    Version(lambdalint.__version__)  # PEP 440, or the build refuses it


def test_cli_version_is_the_package_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"lambdalint, version {lambdalint.__version__}"


def test_changelog_keeps_an_unreleased_section_first():
    sections = re.findall(r"^## (.*)$", CHANGELOG, flags=re.M)
    assert sections[0] == "[Unreleased]"
    for section in sections[1:]:
        assert re.fullmatch(r"\[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}", section), section
    for heading in re.findall(r"^### (.*)$", CHANGELOG, flags=re.M):
        assert heading in {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}  # Keep a Changelog's


def test_a_release_version_has_its_changelog_section_and_a_dev_version_none():
    version = Version(lambdalint.__version__)
    if version.is_devrelease:
        assert str(version.base_version) not in released_versions()  # a dev version comes before its release
    else:
        assert lambdalint.__version__ in released_versions(), "add the release's section to CHANGELOG.md"


@pytest.mark.parametrize("doc", USER_DOCS, ids=lambda path: path.name)
def test_docs_name_no_release_the_changelog_has_not_recorded(doc):
    text = doc.read_text(encoding="utf-8")
    released = released_versions()
    for version in re.findall(r"(?:rev: |lambdalint/lambdalint@|lambdalint==)v?(\d+\.\d+\.\d+)", text):
        assert version in released, f"{doc.name} names release {version}, which CHANGELOG.md does not record"
    if not released:
        # `pip install lambdalint` would fetch whatever holds that name on PyPI today
        for command in re.findall(r"pip install ([^\n#&;|`]*)", text):
            for argument in command.split():
                assert not re.fullmatch(r"lambdalint(\[[^\]]*\])?([<>=!~].*)?", argument.strip("\"'")), \
                    f"{doc.name}: `pip install {command.strip()}` names a PyPI package that is not released"


# --- python -m build: sdist and wheel ------------------------------------------------

# what a build needs of the repository (MANIFEST.in names the rest the sdist carries)
BUILD_INPUTS = ["setup.cfg", "pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "CONTRIBUTING.md",
                "MANIFEST.in", "lambdalint", "rules", "docs", "examples"]


def source_files(folder, suffixes=(".py", ".json")):
    return sorted(
        path.relative_to(REPO / folder).as_posix()
        for path in (REPO / folder).rglob("*")
        if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(sdist, wheel) from `python -m build` on a copy of the tree: the wheel is built from
    the sdist, as build does by default, so a file missing from the sdist breaks the wheel."""
    pytest.importorskip("build")
    root = tmp_path_factory.mktemp("release")
    source = root / "source"
    source.mkdir()
    for name in BUILD_INPUTS:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    dist = root / "dist"
    completed = subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(source)],
                               capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    # setuptools warns, without failing, about a data folder that is no package of its own
    assert "is absent from the `packages` configuration" not in completed.stdout + completed.stderr
    sdists = list(dist.glob("*.tar.gz"))
    wheels = list(dist.glob("*.whl"))
    assert len(sdists) == 1 and len(wheels) == 1
    return root, sdists[0], wheels[0]


@pytest.mark.slow
def test_wheel_has_every_module_data_file_and_entry_point(built):
    _, _, wheel = built
    assert wheel.name == f"lambdalint-{lambdalint.__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        dist_info = f"lambdalint-{lambdalint.__version__}.dist-info"
        metadata = archive.read(f"{dist_info}/METADATA").decode("utf-8")
        entry_points = archive.read(f"{dist_info}/entry_points.txt").decode("utf-8")
    # every module and data file of the source tree, so a new subpackage missing from setup.cfg fails here
    for relative in source_files("lambdalint"):
        assert f"lambdalint/{relative}" in names
    for relative in source_files("rules"):
        assert f"lambdalint_rules/{relative}" in names
    assert "lambdalint/schemas/config.schema.json" in names
    assert {"lambdalint/frontends/terraform/adapters/lambda.hcl",
            "lambdalint/frontends/terraform/adapters/lambda-alias.hcl"} <= names  # module_adapters reads them
    assert {"lambdalint/data/limits.json", "lambdalint/data/runtimes.json"} <= names
    assert not [name for name in names if "__pycache__" in name or name.startswith(("tests/", "fixtures/"))]
    assert any(name.endswith("LICENSE") for name in names if name.startswith(dist_info))
    assert f"\nVersion: {lambdalint.__version__}\n" in metadata
    requires = set(re.findall(r"^Requires-Dist: ([^;\n]+)", metadata, flags=re.M))
    runtime = {line.split(";")[0].replace(" ", "")  # environment markers are spelt differently in METADATA
               for line in setup_cfg().get("options", "install_requires").splitlines() if line.strip()}
    assert runtime <= {requirement.replace(" ", "") for requirement in requires}
    assert re.search(r"^lambdalint = lambdalint\.entry:run$", entry_points, flags=re.M)
    assert re.search(r"^builtin = lambdalint_rules$", entry_points, flags=re.M)


@pytest.mark.slow
def test_sdist_carries_docs_license_rules_data_and_schemas(built):
    _, sdist, _ = built
    assert sdist.name == f"lambdalint-{lambdalint.__version__}.tar.gz"
    prefix = f"lambdalint-{lambdalint.__version__}/"
    with tarfile.open(sdist) as archive:
        names = {name[len(prefix):] for name in archive.getnames() if name.startswith(prefix)}
    for required in ["README.md", "LICENSE", "CHANGELOG.md", "CONTRIBUTING.md", "setup.cfg", "pyproject.toml",
                     "PKG-INFO",
                     "lambdalint/schemas/config.schema.json", "lambdalint/data/limits.json",
                     "lambdalint/data/runtimes.json", "lambdalint/data/managed_policies.json",
                     "docs/usage.md", "docs/cfn-lint.md", "examples/sam-app/template.yaml"]:
        assert required in names, required
    for relative in source_files("rules", suffixes=(".py",)):
        assert f"rules/{relative}" in names
    assert not [name for name in names if "__pycache__" in name or name.startswith("tests/")]


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)


@pytest.mark.slow
def test_wheel_installs_and_runs_in_a_fresh_venv(built, tmp_path):
    root, _, wheel = built
    venv = root / "venv"
    if not venv.exists():
        assert run([sys.executable, "-m", "venv", str(venv)]).returncode == 0
        installed = run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)])
        assert installed.returncode == 0, installed.stderr[-3000:]
    python, lambdalint_script = venv / "bin" / "python", venv / "bin" / "lambdalint"
    work = tmp_path / "work"
    shutil.copytree(REPO / "examples" / "sam-app", work / "sam-app")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}

    where = run([str(python), "-c", "import lambdalint, lambdalint_rules; print(lambdalint.__file__)"], cwd=work, env=env)
    assert where.returncode == 0 and where.stdout.startswith(str(venv)), where  # the wheel's, not this checkout

    version = run([str(lambdalint_script), "--version"], cwd=work, env=env)
    assert version.stdout.strip() == f"lambdalint, version {lambdalint.__version__}"

    command = ["check", "sam-app/template.yaml", "--today", "2026-11-23", "--format", "json"]
    checked = run([str(lambdalint_script), *command], cwd=work, env=env)
    assert checked.returncode == 1, checked.stderr
    old = os.getcwd()
    os.chdir(work)
    try:  # the same check by this checkout's lambdalint: the wheel lost no rule or data file
        expected = CliRunner().invoke(main, command)
    finally:
        os.chdir(old)
    assert json.loads(checked.stdout)["findings"] == json.loads(expected.stdout)["findings"]
    assert {f["rule"] for f in json.loads(checked.stdout)["findings"]} >= {"LL1005", "LL2006", "LL6001"}

    # the config schema ships too: an unknown key is LL0005 and exit 2
    (work / ".lambdalint.yaml").write_text("ignroe: [LL8002]\n")
    refused = run([str(lambdalint_script), "check", "sam-app/template.yaml"], cwd=work, env=env)
    assert refused.returncode == 2 and "LL0005" in refused.stdout + refused.stderr
