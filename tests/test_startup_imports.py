"""What a cold `lambdalint check` of a small template leaves unimported (issue #7: start-up).

No timings (benchmarks are not tests): these check that the modules only some templates
need stay out of a run on a template that does not need them, and that lazy loading
changes no finding.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

from lambdalint.lazy import LazyPattern, deferred_compiles, lazy_pattern
from repo_paths import FIXTURES, REPO

SMALL = (FIXTURES / "templates" / "small-sam.yaml").read_text(encoding="utf-8")  # also bench/run.py's
# the configuration of bench/run.py's start-up with a config (select, ignore, severity, per-file-ignores)
SMALL_CONFIG = (FIXTURES / "templates" / "small-sam.lambdalint.yaml").read_text(encoding="utf-8")

PROBE = """
import sys
before = set(sys.modules)  # an editable install's import hook brings pathlib in with site
sys.argv = ["lambdalint", "check", "--fail-level", "none", sys.argv[1]]
from lambdalint.cli import main
try:
    main()
except SystemExit:
    pass
loaded = [name for name in sys.modules if name not in before]
import json  # only now: json is one of the modules the run itself must not load
print(json.dumps(loaded), file=sys.stderr)
"""

NOT_NEEDED = [
    "lambdalint.model.network",  # no VpcConfig
    "lambdalint.model.edge",  # no CloudFront distribution
    "lambdalint.model.handlers",  # no local code
    "lambdalint.artifacts",
    "lambdalint.baseline",  # no --baseline
    "json",  # data comes from the generated lambdalint/data/tables.py
    "pathlib",
    "tomllib",  # no pyproject.toml read
    "tomli",
    "lambdalint.config_toml",
    "lambdalint.limit_overrides",  # no limits: in a config
    "difflib",
    "lambdalint.frontends.serverless",  # no .serverless/ package or serverless.yml
    "lambdalint.frontends.serverless_yml",  # no serverless.yml read directly
    "lambdalint.frontends.serverless_compile",
    "lambdalint.frontends.serverless_variables",
    "lambdalint.frontends.cdk",  # not a cdk.out template
    "lambdalint.server",  # the editor server: only `lambdalint server` loads it, and pygls
    "lambdalint.unsaved",
    "pygls",
    "lsprotocol",
    "attrs",
    "cattrs",
]


def test_small_template_leaves_unneeded_modules_unloaded(tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text(SMALL, encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", PROBE, str(template)], capture_output=True, text=True,
                            cwd=str(tmp_path), env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, timeout=60)
    loaded = set(json.loads(result.stderr.strip().splitlines()[-1]))
    assert "lambdalint.model.events" in loaded  # the probe did lint the template
    assert "LL6012" in result.stdout  # queue without a redrive policy
    assert [name for name in NOT_NEEDED if name in loaded] == []


def test_a_run_with_a_configuration_imports_no_jsonschema(tmp_path):
    """The configuration is checked by the module generated from its schema (issue 18): a
    pre-commit hook, which always has one, does not pay jsonschema's import."""
    (tmp_path / "template.yaml").write_text(SMALL, encoding="utf-8")
    (tmp_path / ".lambdalint.yaml").write_text(SMALL_CONFIG, encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "template.yaml")], capture_output=True,
                            text=True, cwd=str(tmp_path), env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
                            timeout=60)
    loaded = set(json.loads(result.stderr.strip().splitlines()[-1]))
    assert "lambdalint.schemas.config_check" in loaded  # the configuration was read and checked
    assert "LL6012 error" in result.stdout and "LL1017" not in result.stdout  # and it took effect
    assert sorted(name for name in loaded if name.split(".")[0] == "jsonschema") == []
    assert [name for name in NOT_NEEDED if name in loaded] == []


def test_lazy_pattern_behaves_as_the_compiled_pattern():
    lazy, compiled = lazy_pattern(r"\$\{([^}]*)\}"), re.compile(r"\$\{([^}]*)\}")
    text = "arn:${AWS::Partition}:sqs:${AWS::Region}"
    assert lazy.findall(text) == compiled.findall(text) == ["AWS::Partition", "AWS::Region"]
    assert lazy.search(text).group(1) == "AWS::Partition"
    assert lazy.sub("*", text) == compiled.sub("*", text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert lazy.match(text) is None and lazy.fullmatch("${x}").group(1) == "x"
    assert lazy.split(text) == compiled.split(text)
    assert lazy.groups == 1  # any other attribute of a compiled pattern


def test_lazy_pattern_keeps_its_flags():
    assert lazy_pattern(r"^b$", re.MULTILINE).findall("a\nb\nc") == ["b"]


def test_lazy_pattern_of_bytes_matches_bytes():
    pattern = lazy_pattern(rb"/\*.*?\*/", re.DOTALL)
    assert [m.span() for m in pattern.finditer(b"a /* x\n */ b")] == [(2, 10)]


def test_deferred_compiles_defers_only_the_named_packages_patterns(tmp_path, monkeypatch):
    package = tmp_path / "eagerpatterns"
    package.mkdir()
    (package / "__init__.py").write_text("import re\nfrom . import inner\nOWN = re.compile('a+b')\n")
    (package / "inner.py").write_text("import re\nINNER = re.compile('(x)(y)', re.IGNORECASE)\n")
    (tmp_path / "eagerpatterns_other.py").write_text("import re\nOTHER = re.compile('c')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    compile_before = re.compile
    with deferred_compiles("eagerpatterns"):
        import eagerpatterns
        import eagerpatterns_other
        outside = re.compile("d")
    assert re.compile is compile_before
    assert isinstance(eagerpatterns.OWN, LazyPattern) and isinstance(eagerpatterns.inner.INNER, LazyPattern)
    assert isinstance(eagerpatterns_other.OTHER, re.Pattern) and isinstance(outside, re.Pattern)
    assert eagerpatterns.OWN.search("xaab").span() == (1, 4)
    assert eagerpatterns.inner.INNER.match("XY").groups() == ("X", "Y")  # the flags are kept


def test_deferred_compiles_restores_re_compile_when_the_import_fails():
    compile_before = re.compile
    try:
        with deferred_compiles("no_such_package_here"):
            import no_such_package_here  # noqa: F401
    except ImportError:
        pass
    assert re.compile is compile_before


def test_pyyaml_patterns_deferred_at_import_still_work():
    """The YAML loader imports PyYAML with its patterns deferred; the pure-Python reader and
    resolver, which use them, behave as before."""
    probe = """
import lambdalint.loading.yaml_loader  # the first to import PyYAML, as in a run
import yaml
from lambdalint.lazy import LazyPattern
assert isinstance(yaml.reader.Reader.NON_PRINTABLE, LazyPattern)
assert yaml.safe_load("a: [1, 2.5, true, null, 2010-09-09, x]") == {
    "a": [1, 2.5, True, None, __import__("datetime").date(2010, 9, 9), "x"]}
try:
    yaml.safe_load("a: \\x07")
except yaml.reader.ReaderError as exc:
    print("refused", exc.character == 7)  # the code point it refused
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert (result.returncode, result.stdout, result.stderr) == (0, "refused True\n", "")


def test_every_lazy_pattern_in_the_package_and_the_rules_compiles():
    """A deferred pattern would fail only when first used: compile them all here."""
    import importlib
    import pkgutil

    import lambdalint
    import lambdalint_rules

    found = []
    for package in (lambdalint, lambdalint_rules):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.endswith("__main__"):
                continue
            module = importlib.import_module(info.name)
            found += [value for value in vars(module).values() if isinstance(value, LazyPattern)]
    assert len(found) >= 30
    for pattern in found:
        re.compile(pattern.pattern, pattern.flags)
