"""lambdalint's performance harness: ratios measured side by side, in one run.

    python bench/run.py corpus            # lambdalint vs cfn-lint vs the parse floor, whole corpus
    python bench/run.py corpus --quick    # the same on a fixed 100-file subset
    python bench/run.py startup           # one small template from a cold start, with and without a
                                          # configuration, against cfn-lint; a small .tf module against
                                          # checkov; and -X importtime top
    python bench/run.py startup --baseline ../base --runs 60   # this tree against another checkout
    python bench/run.py scaling           # N functions (role, queue, mapping, alias each), N=250..2000
    python bench/run.py terraform         # lambdalint vs checkov on ../shared/terraform-corpus
    python bench/run.py server            # `lambdalint server`: edit -> diagnostics latency (bench/server.py)
    python bench/run.py all

Commands alternate (A B C, A B C, ...) so that machine noise hits all of them alike; each
figure is the median of --runs runs; peak memory is the child's max RSS from wait4.
Benchmarks, not tests: nothing here asserts, it prints.

checkov is not a dependency of lambdalint; `terraform` runs the one in its own environment:

    python3 -m venv /tmp/venv-checkov && /tmp/venv-checkov/bin/pip install checkov
    python bench/run.py terraform --checkov /tmp/venv-checkov/bin/checkov
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Counter, Dict, List, Sequence, Tuple

REPO = pathlib.Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "templates"
TERRAFORM_CORPUS = REPO.parent / "shared" / "terraform-corpus"
PYTHON = sys.executable
BIN = pathlib.Path(PYTHON).parent


def measure(command: Sequence[str]) -> Tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = 0
    return elapsed, usage.ru_maxrss


def require_success(commands: Dict[str, List[str]]) -> None:
    """Stop when a command fails: a run that ends at an error is quick and would pass for fast."""
    for name, command in commands.items():
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
            sys.exit(f"{name} exited {result.returncode}: {last}")


def compare(commands: Dict[str, List[str]], runs: int) -> Dict[str, Tuple[float, int]]:
    """Median wall time and peak RSS per command; the spread of the runs is printed too."""
    times: Dict[str, List[float]] = {name: [] for name in commands}
    peaks: Dict[str, int] = {name: 0 for name in commands}
    for round_number in range(runs):
        for name, command in commands.items():
            elapsed, peak = measure(command)
            times[name].append(elapsed)
            peaks[name] = max(peaks[name], peak)
            print(f"  run {round_number + 1}/{runs} {name:<18} {elapsed:8.2f} s {peak / 1024:8.1f} MiB", flush=True)
    for name, values in times.items():
        low, high = _quartiles(values)
        print(f"  spread {name:<18} fastest {min(values):.3f} s, middle half {low:.3f}-{high:.3f} s")
    return {name: (statistics.median(values), peaks[name]) for name, values in times.items()}


def _quartiles(values: List[float]) -> Tuple[float, float]:
    if len(values) < 4:
        return min(values), max(values)
    cuts = statistics.quantiles(values, n=4)
    return cuts[0], cuts[2]


def corpus_files(quick: bool) -> List[str]:
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found at {CORPUS}")
    files = sorted(str(p) for p in CORPUS.rglob("*") if p.is_file())
    return files[::12][:100] if quick else files


def tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def bench_corpus(runs: int, quick: bool, jobs: str) -> None:
    files = corpus_files(quick)
    print(f"corpus: {len(files)} files ({'quick subset' if quick else 'all'}), {runs} runs each")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(files))
    commands = {
        "lambdalint": [tool("lambdalint"), "check", "--format", "json", "--fail-level", "none",
                       "--today", "2026-11-23", "--jobs", jobs, *files],
        "parse-floor": [PYTHON, str(REPO / "bench" / "parse_floor.py"), *files],
        "cfn-lint": [tool("cfn-lint"), "--", *files],
    }
    results = compare(commands, runs)
    report(results, "lambdalint", ["cfn-lint", "parse-floor"])
    ll, floor, cfn = results["lambdalint"][0], results["parse-floor"][0], results["cfn-lint"][0]
    print(f"  cfn-lint / lambdalint = {cfn / ll:.1f}x   (target >= 50x)")
    print(f"  lambdalint / floor    = {ll / floor:.2f}x  (target <= 2x)")
    print(f"  memory lambdalint / cfn-lint = {results['lambdalint'][1] / results['cfn-lint'][1]:.2f} (target <= 0.5)")


# The small template of the cold-start run (tests/test_startup_imports.py lints the same file),
# the configuration a pre-commit hook's project has beside it, and the same function and queue
# as a Terraform module.
SMALL = REPO / "fixtures" / "templates" / "small-sam.yaml"
SMALL_CONFIG = REPO / "fixtures" / "templates" / "small-sam.lambdalint.yaml"
SMALL_MODULE = REPO / "fixtures" / "templates" / "small-module"
# cfn-lint's own configuration for the same run: it too reads one (--config-file)
CFNLINT_CONFIG = "ignore_checks:\n  - W3011\n"


def startup_folders() -> Tuple[pathlib.Path, pathlib.Path]:
    """Two folders holding the small template, the second with a .lambdalint.yaml and a .cfnlintrc."""
    root = pathlib.Path(tempfile.mkdtemp())
    bare, configured = root / "bare", root / "configured"
    for folder in (bare, configured):
        folder.mkdir()
        (folder / "template.yaml").write_text(SMALL.read_text())
    (configured / ".lambdalint.yaml").write_text(SMALL_CONFIG.read_text())
    (configured / ".cfnlintrc").write_text(CFNLINT_CONFIG)
    return bare, configured


def bench_startup(runs: int, checkov: str) -> None:
    """Cold starts on one small template, with and without a configuration, against cfn-lint on
    the same file (it with its own configuration in the second case), in one alternating run;
    then a small Terraform module against checkov."""
    bare, configured = startup_folders()
    print(f"startup: one small template, cold process, with and without a configuration, {runs} runs each")
    commands = {
        "lambdalint": [tool("lambdalint"), "check", "--fail-level", "none", str(bare / "template.yaml")],
        "lambdalint+config": [tool("lambdalint"), "check", "--fail-level", "none",
                              str(configured / "template.yaml")],
        "cfn-lint": [tool("cfn-lint"), str(bare / "template.yaml")],
        "cfn-lint+config": [tool("cfn-lint"), "--config-file", str(configured / ".cfnlintrc"), "--",
                            str(configured / "template.yaml")],
        "python -c ''": [PYTHON, "-c", ""],
    }
    require_success({name: command for name, command in commands.items() if name.startswith("lambdalint")})
    results = compare(commands, runs)
    report(results, "lambdalint", ["cfn-lint"])
    for mine, theirs in (("lambdalint", "cfn-lint"), ("lambdalint+config", "cfn-lint+config")):
        ratio = results[theirs][0] / results[mine][0]
        print(f"  {theirs} / {mine} = {ratio:.1f}x  (target >= 15x)")
    print(f"  lambdalint+config - lambdalint = "
          f"{(results['lambdalint+config'][0] - results['lambdalint'][0]) * 1000:+.1f} ms")
    bench_startup_terraform(max(runs // 4, 5), checkov)  # checkov takes seconds a run
    imports = subprocess.run([PYTHON, "-X", "importtime", "-m", "lambdalint", "check", "--fail-level", "none",
                              str(configured / "template.yaml")], capture_output=True, text=True).stderr.splitlines()
    rows = []
    for line in imports:
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    print("  slowest imports with the configuration (cumulative us):")
    for cumulative, name in sorted(rows, reverse=True)[:12]:
        print(f"    {cumulative:>8}  {name}")
    shutil.rmtree(bare.parent, ignore_errors=True)


def bench_startup_terraform(runs: int, checkov: str) -> None:
    """The small Terraform module, cold, lambdalint against checkov (its own environment)."""
    if not shutil.which(checkov):
        print(f"startup terraform: skipped, no checkov at {checkov} (--checkov; see the docstring)")
        return
    module = pathlib.Path(tempfile.mkdtemp()) / "module"
    shutil.copytree(SMALL_MODULE, module)
    print(f"startup terraform: one small .tf module, cold process, {runs} runs each")
    commands = {
        "lambdalint": [tool("lambdalint"), "check", "--fail-level", "none", str(module)],
        "checkov": [checkov, "--framework", "terraform", "--skip-download", "--quiet", "--compact",
                    "-d", str(module)],
    }
    require_success({"lambdalint": commands["lambdalint"]})
    results = compare(commands, runs)
    report(results, "lambdalint", ["checkov"])
    print(f"  checkov / lambdalint = {results['checkov'][0] / results['lambdalint'][0]:.1f}x")
    shutil.rmtree(module.parent, ignore_errors=True)


# What the console script runs; the shim's folder is the script's, so sys.path[0], so its
# packages are the ones imported whatever lambdalint the interpreter has installed.
SHIM_SCRIPT = "from lambdalint.entry import run\n\nrun()\n"


def tree_shim(tree: pathlib.Path, folder: pathlib.Path) -> List[str]:
    """A command that runs the checkout `tree` (its lambdalint/ and rules/) with this interpreter.

    The shim folder holds links to the tree's two packages (rules/ is installed as
    lambdalint_rules), an entry_points.txt naming the built-in pack (the registry finds it
    on sys.path, the shim first) and the console script. Both trees' .pyc files are written
    first: the comparison is of warm-cache cold starts, as an installed package runs.
    """
    folder.mkdir(parents=True)
    (folder / "lambdalint").symlink_to(tree / "lambdalint")
    (folder / "lambdalint_rules").symlink_to(tree / "rules")
    metadata = folder / "lambdalint-0.dev0.dist-info"
    metadata.mkdir()
    (metadata / "entry_points.txt").write_text("[lambdalint.rules]\nbuiltin = lambdalint_rules\n")
    (folder / "run_lambdalint.py").write_text(SHIM_SCRIPT)
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(tree / "lambdalint"), str(tree / "rules")],
                   check=True, env=environment)
    return [PYTHON, str(folder / "run_lambdalint.py")]


def measure_cpu(command: Sequence[str]) -> Tuple[float, float]:
    """The child's CPU seconds (user + system, from wait4) and wall seconds of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - started


def bench_startup_against(baseline: pathlib.Path, runs: int) -> None:
    """This tree's cold start of the small template against another checkout's, with and without
    a configuration, in alternating runs.

    CPU time of the child is the figure (the machine is shared: wall time adds other people's
    work); min and median of each, and the median of the per-pair ratios.
    """
    bare, configured = startup_folders()
    folder = bare.parent
    trees = {"this tree": tree_shim(REPO, folder / "this"),
             "baseline": tree_shim(baseline.resolve(), folder / "baseline")}
    commands = {f"{tree}{case}": shim + ["check", "--fail-level", "none", str(where / "template.yaml")]
                for case, where in (("", bare), ("+config", configured)) for tree, shim in trees.items()}
    print(f"startup: {REPO} against {baseline.resolve()}, one small template with and without a configuration, "
          f"{runs} alternating runs each")
    require_success(commands)  # and so warm the page cache once
    cpu: Dict[str, List[float]] = {name: [] for name in commands}
    wall: Dict[str, List[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            used, elapsed = measure_cpu(command)
            cpu[name].append(used * 1000)
            wall[name].append(elapsed * 1000)
    for name in commands:
        print(f"  {name:<17} cpu min {min(cpu[name]):6.1f} ms, median {statistics.median(cpu[name]):6.1f} ms;"
              f"  wall min {min(wall[name]):6.1f} ms, median {statistics.median(wall[name]):6.1f} ms")
    for case in ("", "+config"):
        ratios = [mine / theirs for mine, theirs in zip(cpu[f"this tree{case}"], cpu[f"baseline{case}"]) if theirs]
        print(f"  this tree{case} / baseline{case}, cpu, median of the pairs: {statistics.median(ratios):.3f}")
    shutil.rmtree(folder, ignore_errors=True)


def scaling_template(count: int) -> str:
    lines = ['AWSTemplateFormatVersion: "2010-09-09"', "Resources:"]
    for i in range(count):
        lines += [
            f"  Role{i}:", "    Type: AWS::IAM::Role", "    Properties:", "      AssumeRolePolicyDocument:",
            "        Statement:", "          - Effect: Allow", "            Principal: {Service: lambda.amazonaws.com}",
            "            Action: sts:AssumeRole",
            "      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole]",
            f"  Queue{i}:", "    Type: AWS::SQS::Queue", "    Properties: {VisibilityTimeout: 180}",
            f"  Fn{i}:", "    Type: AWS::Lambda::Function", "    Properties:", "      Runtime: python3.13",
            "      Handler: app.handler", f"      Role: !GetAtt Role{i}.Arn", "      Timeout: 30",
            "      Code: {S3Bucket: b, S3Key: k, S3ObjectVersion: v1}",
            f"  Map{i}:", "    Type: AWS::Lambda::EventSourceMapping", "    Properties:",
            f"      FunctionName: !Ref Fn{i}", f"      EventSourceArn: !GetAtt Queue{i}.Arn",
            f"  Version{i}:", "    Type: AWS::Lambda::Version", "    Properties:", f"      FunctionName: !Ref Fn{i}",
            f"  Alias{i}:", "    Type: AWS::Lambda::Alias", "    Properties:", f"      FunctionName: !Ref Fn{i}",
            "      Name: live", f"      FunctionVersion: !GetAtt Version{i}.Version",
        ]
    return "\n".join(lines) + "\n"


def bench_scaling(runs: int) -> None:
    sys.path.insert(0, str(REPO))
    from lambdalint.api import Linter
    from lambdalint.config import Config

    linter = Linter(Config(select=("ALL",)))
    folder = pathlib.Path(tempfile.mkdtemp())
    print(f"scaling: N functions with role, queue, mapping, version, alias (6 resources each), {runs} runs")
    per_resource = {}
    for count in (250, 500, 1000, 2000):
        path = folder / f"n{count}.yaml"
        path.write_text(scaling_template(count))
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            linter.lint_file(str(path))
            samples.append(time.perf_counter() - started)
        median = statistics.median(samples)
        per_resource[count] = median / (count * 6) * 1e6
        print(f"  N={count:>5}: {median:7.3f} s, {per_resource[count]:7.1f} us per resource")
    print(f"  per-resource time N=2000 / N=250 = {per_resource[2000] / per_resource[250]:.2f}x (target <= 1.3x)")


def terraform_corpus() -> pathlib.Path:
    """../shared/terraform-corpus laid out in a temporary folder: stored files plus the listed code."""
    if not (TERRAFORM_CORPUS / "TREE.tsv").is_file():
        sys.exit(f"terraform corpus not found at {TERRAFORM_CORPUS}")
    sys.path.insert(0, str(REPO / "tests"))
    from projects_support import lay_out, listing  # the materialiser the corpus test uses

    root = pathlib.Path(tempfile.mkdtemp(prefix="terraform-corpus-"))
    shutil.copytree(TERRAFORM_CORPUS / "configs", root / "configs")
    lay_out(root, listing(TERRAFORM_CORPUS), ["configs"])
    return root / "configs"


def lambdalint_lambda_findings(output: str) -> Counter[str]:
    """lambdalint's findings per rule (every rule is about Lambda)."""
    return collections.Counter(finding["rule"] for finding in json.loads(output)["findings"])


def checkov_lambda_findings(output: str) -> Counter[str]:
    """checkov's failed checks on Lambda resources (aws_lambda_*), per check, with its name.

    With several -d folders checkov prints a report per folder that repeats the earlier ones'
    results, so a failed check counts once per (check, file, resource).
    """
    seen = set()
    for report_ in _json_documents(output):
        for check in report_.get("results", {}).get("failed_checks", []):
            resource = str(check.get("resource", ""))  # aws_lambda_function.x, module.m.aws_lambda_alias.y
            if resource.startswith("aws_lambda_") or ".aws_lambda_" in resource:
                where = check.get("file_abs_path") or check.get("file_path")
                seen.add((f"{check['check_id']} {check['check_name']}", where, resource))
    return collections.Counter(name for name, _, _ in seen)


def _json_documents(output: str) -> List[dict]:
    """checkov prints one JSON report per -d folder, one after the other (a list when one has several)."""
    decoder, documents, index = json.JSONDecoder(), [], 0
    while True:
        while index < len(output) and output[index].isspace():
            index += 1
        if index >= len(output):
            return documents
        document, index = decoder.raw_decode(output, index)
        documents += document if isinstance(document, list) else [document]


def bench_terraform(runs: int, checkov: str) -> None:
    """Both tools on the one folder of the laid-out corpus, each finding its root modules itself.

    lambdalint's folder search takes the folders no other module calls through a local source
    (ROOTS.txt's 99); checkov reads every folder and follows module calls. (checkov given each
    root as its own -d reports only the first root's results, once per -d, in 3.3.)
    """
    configs = terraform_corpus()
    print(f"terraform: {configs} (../shared/terraform-corpus laid out), {runs} runs each")
    commands = {
        "lambdalint": [tool("lambdalint"), "check", "--format", "json", "--fail-level", "none",
                       "--today", "2026-12-01", str(configs)],
        "checkov": [checkov, "--framework", "terraform", "--skip-download", "--quiet", "--compact", "-o", "json",
                    "-d", str(configs)],
    }
    results = compare(commands, runs)
    report(results, "lambdalint", ["checkov"])
    (ll, ll_peak), (ck, ck_peak) = results["lambdalint"], results["checkov"]
    print(f"  checkov / lambdalint = {ck / ll:.1f}x wall, memory lambdalint / checkov = {ll_peak / ck_peak:.2f}")
    ours = lambdalint_lambda_findings(subprocess.run(commands["lambdalint"], capture_output=True, text=True).stdout)
    theirs = checkov_lambda_findings(subprocess.run(commands["checkov"], capture_output=True, text=True).stdout)
    print(f"  Lambda findings: lambdalint {sum(ours.values())} in {len(ours)} rules, "
          f"checkov {sum(theirs.values())} in {len(theirs)} checks")
    for (rule, count), (check, count_) in _side_by_side(ours.most_common(), theirs.most_common()):
        print(f"    {count:>5} {rule:<10}   {count_:>5} {check}")
    shutil.rmtree(configs.parent, ignore_errors=True)


def _side_by_side(left: List[Tuple[str, int]], right: List[Tuple[str, int]]) -> List[Tuple[Tuple[str, int], ...]]:
    blank = ("", 0)
    rows = max(len(left), len(right))
    return [(left[i] if i < len(left) else blank, right[i] if i < len(right) else blank) for i in range(rows)]


def report(results: Dict[str, Tuple[float, int]], subject: str, others: List[str]) -> None:
    print("  medians:")
    for name, (elapsed, peak) in results.items():
        print(f"    {name:<18} {elapsed:8.3f} s   peak {peak / 1024:7.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["corpus", "startup", "scaling", "terraform", "server", "all"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="corpus: a fixed 100-file subset")
    parser.add_argument("--jobs", default="0", help="lambdalint --jobs (0: automatic)")
    parser.add_argument("--baseline", type=pathlib.Path,
                        help="startup: time this tree against that checkout of lambdalint (e.g. a git worktree)")
    parser.add_argument("--checkov", default=shutil.which("checkov") or "/tmp/venv-checkov/bin/checkov",
                        help="terraform: the checkov executable (its own environment; not a dependency)")
    args = parser.parse_args()
    if args.baseline is not None:
        if args.what != "startup":
            parser.error("--baseline goes with startup")
        bench_startup_against(args.baseline, max(args.runs, 21))
        return
    if args.what in ("corpus", "all"):
        bench_corpus(args.runs, args.quick, args.jobs)
    if args.what in ("startup", "all"):
        # A cold start lasts tens of milliseconds, so each run samples this shared machine's
        # noise; 21 alternating rounds keep the median steady.
        bench_startup(max(args.runs, 21), args.checkov)
    if args.what in ("scaling", "all"):
        bench_scaling(args.runs)
    if args.what in ("terraform", "all"):
        bench_terraform(args.runs, args.checkov)
    if args.what in ("server", "all"):
        subprocess.run([PYTHON, str(REPO / "bench" / "server.py")], check=False)


if __name__ == "__main__":
    main()
