"""LL1: deployment packages - zips, folders, layers and container images, read but never run.

One module per sub-family, rules in ID order inside each: `sizes` (quotas on package and
image size), `handlers` (the handler file, its function, what it does per invocation),
`permissions` (file modes), `binaries` (native code for another platform or Python),
`contents` (what a package carries: bundled SDKs, dead weight, unsafe entries), `layers`,
`images` (container image functions) and `code_properties` (how the template declares the
code: inline, in S3, PackageType). Which packages there are, and what is in them, is
answered by the model (`lambdalint.model.packages`, `.code`, `.handlers`).

What the modules share is how their messages are worded: the helpers below.
"""

from __future__ import annotations

from typing import List

QUOTAS = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html"
BEST_PRACTICES = "https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html"
PYTHON_PACKAGE = "https://docs.aws.amazon.com/lambda/latest/dg/python-package.html"
IMAGES = "https://docs.aws.amazon.com/lambda/latest/dg/images-create.html"
CODE_PROPERTY = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-code.html"

MIB = 1024 * 1024


def megabytes(size: int) -> str:
    return f"{size / MIB:.1f} MB"


def human_size(size: int) -> str:
    """MB from one MiB up, KB below."""
    if size >= MIB:
        return megabytes(size)
    return f"{size / 1024:.1f} KB"


def first_few(names: List[str], limit: int = 3) -> str:
    """`a, b, c and 4 more`: the first names of a list and how many were left out."""
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
