"""The rules lambdalint always has, whatever rule packs are installed.

LL0001 and LL0007 come from the engine (a template it cannot read, a rule that failed),
LL0010 from the suppression step (an ignore entry that suppressed nothing); LL0009 (a key
written twice) is an ordinary check on what the loader recorded. They are declared here,
below both the engine and the registry, so that the registry can list them without importing
the engine that reports them.
"""

from __future__ import annotations

from typing import Any, Iterator

from .findings import Hit, Severity
from .rule import Rule, engine_rule

PARSE_ERROR = engine_rule(
    id="LL0001",
    origin=__name__,
    name="template-unreadable",
    severity=Severity.ERROR,
    summary="File cannot be parsed as a template",
    source="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html",
    docs="""
    ## What it does
    Reports a file that cannot be read as a CloudFormation or SAM template: YAML or JSON syntax
    errors, tabs used for indentation, text that is not UTF-8, an empty file, or a document
    whose top level is not a mapping. The finding names the line and column where reading
    stopped. (A key written twice is no reason to stop: CloudFormation deploys the last one;
    LL0009 reports it and the template is checked.)

    ## Why is this bad?
    CloudFormation rejects the template before it looks at a single resource.

    ## Example
    ```yaml
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Layers: [!Ref DepsLayer   # the list is never closed
    ```
    Use instead: valid YAML or JSON (spaces for indentation, closed brackets), UTF-8 text, a
    mapping of template sections.
    """,
)

INTERNAL_ERROR = engine_rule(
    id="LL0007",
    origin=__name__,
    name="internal-error",
    severity=Severity.ERROR,
    summary="A rule raised on this input (a lambdalint bug)",
    source="https://github.com/lambdalint/lambdalint/issues",
    docs="""
    ## What it does
    Reports that a rule raised an exception, or ran past its time budget, on this template. The
    message names the rule and the exception; the other rules and files are still checked.

    ## Why is this bad?
    It is a bug in lambdalint (or in a third-party rule pack), not in your template: the rule
    could not say whether the template is right. Please report it with the template.

    ## Example
    ```text
    template.yaml:1:1: LL0007 error: rule LL6001 failed: KeyError: 'Timeout'
    ```
    Use instead: report the bug; meanwhile `--ignore` the failing rule if it blocks you.
    """,
)

UNUSED_SUPPRESSION = engine_rule(
    id="LL0010",
    origin=__name__,
    name="unused-suppression",
    severity=Severity.WARNING,
    summary="A lambdalint ignore (template Metadata, .tf comment) suppressed nothing",
    source="https://github.com/lambdalint/lambdalint/blob/main/docs/usage.md#suppressing-findings-in-a-template",
    opt_in=True,
    docs="""
    ## What it does
    Reports an entry of `Metadata: {lambdalint: {ignore: [...]}}` (on a resource or for the
    whole template) that suppressed no finding in this run, like ruff's RUF100 for unused
    `noqa` comments. An entry is only reported when every rule it names ran on the template:
    an entry for a rule that was not selected, or a template where a rule failed (LL0007),
    is not judged. An entry that names LL0010 itself is never reported. Opt-in: enable it
    with `--select ALL`, or with the default rules as `--select LL,LL0010` (`select: [LL, LL0010]`);
    `--select LL0010` alone runs no rule whose entries it could judge.
    On Terraform the same holds for a `# lambdalint:ignore RULE reason` comment above a block
    or argument, reported at the comment's line; a comment in a module called several times
    suppressed something when it did on any instance.

    ## Why is this bad?
    A stale suppression outlives the problem it hid: after the fix, or a rename, it silently
    hides the next real finding of that rule on that resource.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Metadata:
        lambdalint:
          ignore: [LL2006]      # the runtime was upgraded long ago
      Properties:
        Runtime: python3.13
    ```
    ```hcl
    # lambdalint:ignore LL2006 the runtime was upgraded long ago
    resource "aws_lambda_function" "worker" {
      runtime = "python3.13"
    }
    ```
    Use instead: delete the entry (or the whole `lambdalint` section, or the comment) once nothing
    needs it.
    """,
)


def _duplicate_keys(model: Any) -> Iterator[Hit]:
    """
    ## What it does
    Reports a mapping key written more than once in the same mapping of a template (YAML or
    JSON): two `Handler:` lines in one function, a logical ID used for two resources, a
    parameter declared twice. The finding sits on the last one and names the line of each
    earlier one. The template is then checked as CloudFormation reads it: with the last value.

    ## Why is this bad?
    CloudFormation accepts the template and deploys the last value of the key; the earlier
    ones are dropped without a word (cfn-language-discussion#96). A reader who reviews the
    first `Handler:` or the first resource of that name reviews something that never deploys,
    and an edit to it changes nothing.

    ## Example
    ```yaml
    Resources:
      Worker:
        Type: AWS::Lambda::Function
        Properties:
          Runtime: python3.13
          Handler: app.handler
          Handler: app.other   # LL0009: the first Handler is dropped
    ```
    Use instead: write each key once, with the value you mean to deploy.
    """
    for duplicate in model.duplicate_keys:
        key = duplicate.path[-1]
        lines = ", ".join(str(line) for line, _ in duplicate.earlier)
        where = f"line {lines}" if len(duplicate.earlier) == 1 else f"lines {lines}"
        yield Hit(duplicate.path, f"duplicate key {key!r} (also on {where}): CloudFormation deploys this last "
                                  f"one and silently drops the earlier")


DUPLICATE_KEY = Rule(
    id="LL0009",
    name="duplicate-key",
    severity=Severity.WARNING,
    summary="A mapping key is written twice: only the last one deploys",
    source="https://github.com/aws-cloudformation/cfn-language-discussion/issues/96",
    check=_duplicate_keys,
    docs=_duplicate_keys.__doc__ or "",
    origin=__name__,
)


OWN_RULES = (PARSE_ERROR, INTERNAL_ERROR, DUPLICATE_KEY, UNUSED_SUPPRESSION)
