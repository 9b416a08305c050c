"""LL2: runtimes - deprecated and blocked ones (dates from lambdalint's runtimes data), unknown
identifiers, and the handler format each runtime family expects."""

from __future__ import annotations

import datetime
import math
import re
from typing import Iterator, Optional, Tuple

from lambdalint import data
from lambdalint.findings import Hit, Severity
from lambdalint.lazy import lazy_pattern
from lambdalint.model import TemplateModel
from lambdalint.registry import rule

RUNTIMES = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"


def _date(text: Optional[str]) -> Optional[datetime.date]:
    return datetime.date.fromisoformat(text) if text else None


@rule(id="LL2006", name="runtime-creation-blocked", severity=Severity.ERROR,
      summary="Runtime deprecated: function creation is blocked", source=RUNTIMES)
def check_runtime_blocked(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports a runtime whose deprecation has reached the date from which Lambda blocks creating
    functions with it (the "Block function create" column of the runtimes page). The dates live
    in lambdalint's runtimes data file, each with its source; "today" is the current date or
    `--today` / config `today`.

    ## Why is this bad?
    New stacks (a new environment, a new region, a disaster-recovery deploy) fail to create the
    function, and once updates are blocked too the function can no longer be changed at all.

    ## Example
    ```yaml
    Runtime: python3.7
    ```
    Use instead: a supported runtime such as `python3.13`, after testing the code on it.
    """
    today = model.settings.today
    for function in model.functions:
        for runtime in function.runtimes:
            row = data.runtime(runtime)
            if not row:
                continue
            blocked = _date(row.get("block_create"))
            if blocked and blocked <= today:
                also = ""
                update = _date(row.get("block_update"))
                if update and update <= today:
                    also = f" and updates since {update.isoformat()}"
                yield function.hit(f"runtime {runtime} is deprecated: Lambda blocks creating functions with it since "
                                   f"{blocked.isoformat()}{also}", "Runtime")
                break


@rule(id="LL2007", name="runtime-deprecated", severity=Severity.WARNING,
      summary="Runtime deprecated, or deprecated within 90 days", source=RUNTIMES)
def check_runtime_deprecated(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Warns about a runtime that is deprecated (past its deprecation date) or will be within 90
    days, while creating functions with it is still allowed (once it is blocked, LL2006 reports
    it instead).

    ## Why is this bad?
    A deprecated runtime gets no security patches or support, and the block dates follow within
    months. Migrating takes testing time: start before the block.

    ## Example
    ```yaml
    Runtime: nodejs20.x
    ```
    Use instead: `nodejs22.x` or newer.
    """
    today = model.settings.today
    horizon = today + datetime.timedelta(days=90)
    for function in model.functions:
        for runtime in function.runtimes:
            row = data.runtime(runtime)
            if not row:
                continue
            deprecation, blocked = _date(row.get("deprecation")), _date(row.get("block_create"))
            if blocked and blocked <= today:
                continue  # LL2006
            if deprecation and deprecation <= today:
                yield function.hit(f"runtime {runtime} is deprecated since {deprecation.isoformat()}"
                                   + (f"; function creation is blocked from {blocked.isoformat()}" if blocked else ""),
                                   "Runtime")
                break
            if deprecation and deprecation <= horizon:
                yield function.hit(f"runtime {runtime} will be deprecated on {deprecation.isoformat()} "
                                   f"(within 90 days)", "Runtime")
                break


# Identifiers shaped like a runtime of a known family: newer than our data, or a version no runtime has (below).
# JAVA_VERSION, ${Runtime}, {{runtime}}, <RUNTIME>: a value some script substitutes before deploy
_PLACEHOLDER = lazy_pattern(r"^([A-Z][A-Z0-9]*(_[A-Z0-9]+)+|\$\{[^}]+\}|\{\{[^}]+\}\}|<[^>]+>)$")
_PLAUSIBLE_RUNTIME = lazy_pattern(
    r"^(nodejs\d+\.x|python3\.\d+|java\d+(\.al2|\.al2023)?|dotnet\d+|ruby\d+\.\d+|provided(\.al2|\.al2023)?)$"
)


# The horizon of each numbered family. Lambda cannot ship a runtime before its language publishes the
# version, and languages publish on a calendar: (identifier pattern, versions a year, slack). A
# version beyond the newest runtime of our data + slack + the versions published since the data was
# checked does not exist yet, so it is a typo (python3.21 for python3.12). The slack (two years'
# worth) keeps quiet what a language may already have published and Lambda may add any day.
_CADENCE = {
    "python": (r"python3\.(\d+)", 1, 2),  # one 3.x minor each October: https://peps.python.org/pep-0602/
    "nodejs": (r"nodejs(\d+)\.x", 2, 4),  # a major each April and October: https://nodejs.org/en/about/previous-releases
    "java": (r"java(\d+)(?:\.al2|\.al2023)?", 2, 4),  # a feature release each March and September: https://openjdk.org/jeps/322
    "dotnet": (r"dotnet(\d+)", 1, 2),  # a major each November: https://dotnet.microsoft.com/en-us/platform/support/policy/dotnet-core
    "ruby": (r"ruby(\d+)\.(\d+)", 1, 1),  # majors: Ruby has no calendar for them (3.0 in 2020, 4.0 in 2025)
}


def _version(pattern: str, identifier: str) -> Optional[Tuple[int, ...]]:
    match = re.fullmatch(pattern, identifier)
    return tuple(int(part) for part in match.groups() if part and part.isdigit()) if match else None


def _never_a_runtime(runtime: str, today: datetime.date) -> Optional[str]:
    """Why an identifier our data lacks cannot be a Lambda runtime, or None when it may be a newer one.

    Our data lists every runtime Lambda ever had, deprecated ones included, so a version up to the
    newest one of its family that is not listed never existed (python3.5, nodejs19.x, java11.al2).
    """
    family = _family(runtime)
    if family not in _CADENCE:
        return None
    pattern, per_year, slack = _CADENCE[family]
    version = _version(pattern, runtime)
    known = {v: identifier for identifier in data.runtimes() for v in [_version(pattern, identifier)] if v}
    if version is None or not known:
        return None
    newest = max(known)
    if version <= newest:
        return f"Lambda never had this {family} version (the newest is {known[newest]})"
    checked = _date(data.load("runtimes.json").get("checked")) or today
    years = max(0, math.ceil((today - checked).days / 365.25))
    if version[0] > newest[0] + slack + per_year * years:
        return f"no {family} runtime can have that version yet (the newest is {known[newest]}): a typo?"
    return None


@rule(id="LL2008", name="unknown-runtime", severity=Severity.ERROR,
      summary="Unknown runtime", source=RUNTIMES)
def check_unknown_runtime(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reports a `Runtime` that is not a Lambda runtime identifier, such as `python3`, `node18` or
    `java-17`, and a family's identifier with a version Lambda never had (`python3.5`,
    `nodejs19.x`: lambdalint's data lists every runtime, deprecated ones too) or that no runtime
    can have yet (`python3.21`, a typo of `python3.12`).

    A placeholder that a script fills in before deploy (`JAVA_VERSION`, `${Runtime}`,
    `{{runtime}}`, `<RUNTIME>`) is a warning, not an error: the file as written cannot deploy,
    but it is probably not the file that is deployed.

    An identifier newer than lambdalint's data but within reach (`python3.15`) is not reported:
    AWS adds runtimes faster than a linter releases. The horizon follows each language's release
    calendar: beyond the newest version lambdalint knows by two years' worth of releases (Python
    +2 minors, Node.js and Java +4 majors, .NET +2, Ruby +1 major), plus one year's worth for each
    year since the data was checked, the language has not published the version, so Lambda cannot
    run it.

    ## Why is this bad?
    CloudFormation fails with "Value ... at 'runtime' failed to satisfy constraint".

    ## Example
    ```yaml
    Runtime: python3
    ```
    Use instead: a full identifier such as `python3.13` or `nodejs22.x`.
    """
    for function in model.functions:
        if function.package_type == "Image":
            continue
        for runtime in function.runtimes:
            if data.runtime(runtime) is not None:
                continue
            if _PLACEHOLDER.match(runtime):
                yield function.hit(f"runtime {runtime!r} looks like a placeholder: CloudFormation rejects it unless "
                                   f"a script replaces it with a runtime identifier before deploy", "Runtime",
                                   severity=Severity.WARNING)
                break
            if not _PLAUSIBLE_RUNTIME.match(runtime):
                yield function.hit(f"unknown runtime {runtime!r}", "Runtime")
                break
            reason = _never_a_runtime(runtime, model.settings.today)
            if reason:
                yield function.hit(f"unknown runtime {runtime!r}: {reason}", "Runtime")
                break


def _family(runtime: str) -> Optional[str]:
    row = data.runtime(runtime)
    if row:
        return row["family"]
    match = re.match(r"^(nodejs|python|java|dotnet|ruby|provided)", runtime)
    return match.group(1) if match else None


@rule(id="LL2009", name="handler-format", severity=Severity.ERROR,
      summary="Handler string malformed for its runtime", source="https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html")
def check_handler_format(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Checks that `Handler` has the shape its runtime expects: python `module.function`, Node.js
    `file.export`, Java `package.Class::method` (or `package.Class`), .NET
    `Assembly::Namespace.Class::Method` (or the assembly name), Ruby `file.method`. Custom
    runtimes (`provided*`) take any handler, and image functions have none.

    ## Why is this bad?
    The function deploys, then fails on every invocation with `Runtime.HandlerNotFound` or
    "Bad handler".

    ## Example
    ```yaml
    Runtime: python3.12
    Handler: app            # no function name
    ```
    Use instead:
    ```yaml
    Handler: app.lambda_handler
    ```
    """
    families = data.runtime_families()
    for function in model.functions:
        if function.package_type == "Image":
            continue
        handler, runtimes = function.handler, function.runtimes
        if not isinstance(handler, str) or len(runtimes) != 1:
            continue
        family = _family(runtimes[0])
        if family in (None, "provided", "go"):
            continue
        pattern = families.get(family, {}).get("handler_pattern")
        if pattern and not re.match(pattern, handler):
            expected = families[family]["handler_format"]
            yield function.hit(f"handler {handler!r} does not match {runtimes[0]}'s format {expected}", "Handler")
