"""The shared Terraform corpus: 99 real root configurations, their function code laid out from its listing.

../shared/terraform-corpus is laid out in a temporary folder (tests/terraform_corpus.py: the
`.tf` files as stored, every listed file a sparse file or handler stub, each repository a work
tree). Every ROOTS.txt folder is read by the evaluator (no parse error: every file parses with
`terraform fmt`) and checked as `lambdalint check <folder>`: no exception, no internal error
(LL0007), and every error- and warning-level finding one of the reviewed ones in
tests/terraform_findings/ (each class marked real or an artefact of the listing, after reading the
`.tf` code). A new
finding is a false positive to fix or a real defect to add after reading the configuration
(tools/terraform_findings.py prints the current list); one that disappears is a lost true
positive, or a fixed false positive to strike.
"""

from __future__ import annotations

import collections
import os
import stat

import pytest

from lambdalint.findings import Severity
from lambdalint.frontends.terraform.load import load_configuration
from projects_support import finding_key, listing, reviewed
from terraform_corpus import REVIEWED, TERRAFORM_CORPUS, check_roots, materialise, present, repository, roots

pytestmark = pytest.mark.slow  # laying out, reading and checking the corpus: several seconds
ROOT_COUNT = 99  # what ../shared/terraform-corpus/README.md says ROOTS.txt holds
# aws_lambda_function instances of the roots, local modules expanded (the README counts 92
# declarations; the terraform-aws-lambda examples each instantiate the module's one or more times)
FUNCTIONS = {
    "configs/aws-samples__serverless-patterns": 98,
    "configs/aws-samples__serverless-samples": 5,
    "configs/terraform-aws-modules__terraform-aws-lambda": 33,
}


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    if not present():
        pytest.skip(f"terraform corpus not found at {TERRAFORM_CORPUS} (expected ../shared/terraform-corpus "
                    "beside the repo)")
    return materialise(tmp_path_factory.mktemp("terraform-corpus"))


@pytest.fixture(scope="module")
def loaded(laid_out):
    return {folder: load_configuration(str(laid_out.root / folder), root=str(laid_out.root / repository(folder)))
            for folder in roots()}


@pytest.fixture(scope="module")
def checked(laid_out):
    return check_roots(laid_out.root)


def test_the_whole_listing_is_laid_out(laid_out):
    rows = listing(TERRAFORM_CORPUS)
    assert laid_out.files == len(rows) and laid_out.links_refused == ()
    for row in rows:
        info = os.lstat(laid_out.root / row.path)
        assert info.st_size >= row.size and stat.S_IMODE(info.st_mode) == row.mode, row.path


def test_every_root_loads_without_a_parse_error(loaded):
    assert len(loaded) == ROOT_COUNT
    errors = [f"{folder}: {position.file}:{position.line}: {message}"
              for folder, configuration in loaded.items() for position, message in configuration.errors]
    assert errors == []


def test_the_functions_read_and_the_modules_said_unchecked(loaded):
    # Reviewed figures (a change is read, not taken): the function instances the roots evaluate to,
    # their local modules expanded, per repository; and the registry modules not installed (no
    # `terraform init` ran), said once per root that calls them.
    functions = collections.Counter(
        repository(folder) for folder, configuration in loaded.items()
        for block in configuration.blocks if block.type == "aws_lambda_function")
    assert dict(functions) == FUNCTIONS
    reasons = collections.Counter(reason for configuration in loaded.values() for reason, _ in configuration.unchecked)
    # the 11 terraform-aws-modules/lambda calls are read through its adapter (module_adapters), which
    # maps every input they pass
    assert dict(reasons) == {"module-not-installed": 21}


def test_every_root_is_checked_without_internal_errors(checked):
    assert len(checked) == ROOT_COUNT
    internal = [f"{f.file}: {f.message}" for report in checked.values() for f in report.findings if f.rule == "LL0007"]
    assert internal == []
    unreadable = [f"{f.file}:{f.line}: {f.message}" for report in checked.values() for f in report.findings
                  if f.rule == "LL0001"]
    assert unreadable == []


def test_error_findings_are_exactly_the_reviewed_ones(laid_out, checked):
    found = collections.Counter(finding_key(laid_out.root, finding) for report in checked.values()
                                for finding in report.findings if finding.severity == Severity.ERROR)
    expected = reviewed("error", REVIEWED)
    unexpected, missing = sorted((found - expected).elements()), sorted((expected - found).elements())
    assert not unexpected, f"{len(unexpected)} new errors (review them): {unexpected[:20]}"
    assert not missing, f"{len(missing)} reviewed errors no longer reported: {missing[:20]}"


def test_warning_findings_are_exactly_the_reviewed_ones(laid_out, checked):
    # tests/terraform_findings/terraform_warnings.txt: each rule's block says why its findings are
    # true after reading the `.tf` code (the false ones were fixed at their cause)
    found = collections.Counter(finding_key(laid_out.root, finding) for report in checked.values()
                                for finding in report.findings if finding.severity == Severity.WARNING)
    expected = reviewed("warning", REVIEWED)
    unexpected, missing = sorted((found - expected).elements()), sorted((expected - found).elements())
    assert not unexpected, f"{len(unexpected)} new warnings (review them): {unexpected[:20]}"
    assert not missing, f"{len(missing)} reviewed warnings no longer reported: {missing[:20]}"


def test_the_layer_zips_missing_upstream_are_said_unchecked(checked):
    # pillow.zip is absent from its repository and boto3-bedrock-layer.zip is built by a script; the
    # terraform-aws-lambda module builds its layers' zips with package.py, which a linter never runs:
    # not inspected, so said in summary.unchecked, not passed over in silence
    layers = sorted((root.split("/")[-1], entry.resource) for root, report in checked.items()
                    for entry in report.unchecked
                    if entry.reason == "code-not-known-before-apply" and "aws_lambda_layer_version" in entry.resource)
    assert layers == [
        ("apigw-bedrock-nova-canvas", "aws_lambda_layer_version.pillow_layer"),
        ("apigw-lambda-bedrock-nova-terraform", "aws_lambda_layer_version.boto3_bedrock_layer"),
        ("build-package", "module.lambda_layer.aws_lambda_layer_version.this[0]"),
        ("build-package", "module.lambda_layer_pip_requirements.aws_lambda_layer_version.this[0]"),
        ("build-package", "module.lambda_layer_poetry.aws_lambda_layer_version.this[0]"),
        ("build-package", "module.lambda_layer_uv.aws_lambda_layer_version.this[0]"),
        ("complete", "module.lambda_layer_local.aws_lambda_layer_version.this[0]"),
        # the registry module (not installed, read through its adapter) pip-installs into its layer
        ("terraform-lambda-layer", "module.lambda_layer.aws_lambda_layer_version.this[0]"),
    ]
