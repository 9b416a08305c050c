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

from lambdalint.lazy import LazyPattern, lazy_pattern
from repo_paths import FIXTURES, REPO

SMALL = (FIXTURES / "templates" / "small-sam.yaml").read_text(encoding="utf-8")  # also bench/run.py's

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
    "lambdalint.frontends.cdk",  # not a cdk.out template
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
