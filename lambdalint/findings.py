"""The values that flow out of rules: severities, hits and located findings."""

from __future__ import annotations

import enum
import os
from typing import Any, Dict, List, Optional, Tuple

from .records import Record

PathKey = object  # a mapping key (str) or a list index (int)
Path = Tuple[PathKey, ...]


class Severity(enum.IntEnum):
    """Ordered so that `severity >= fail_level` reads naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        aliases = {"e": "error", "w": "warning", "i": "info", "warn": "warning"}
        name = aliases.get(text.lower(), text.lower())
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or info)") from None


class Artifact(Record):
    """Where inside a deployment package a finding points."""

    __slots__ = ("package", "member")

    def __init__(self, package: str, member: Optional[str] = None) -> None:
        self.package = package
        self.member = member

    def as_dict(self) -> dict:
        return {"package": self.package, "member": self.member}

    def where(self) -> str:
        """`build/app.zip: src/app.py`, or the package alone: how every format names the place."""
        return self.package if self.member is None else f"{self.package}: {self.member}"


class Hit(Record):
    """What a rule yields: a message and the template path it is about.

    Rules report paths, the engine turns them into lines. `resource` is only
    needed when the path does not start with ("Resources", logical_id), e.g. a
    value inherited from SAM Globals.
    """

    __slots__ = ("path", "message", "resource", "artifact", "severity")

    def __init__(
        self,
        path: Path,
        message: str,
        resource: Optional[str] = None,
        artifact: Optional[Artifact] = None,
        severity: Optional[Severity] = None,
    ) -> None:
        self.path = path
        self.message = message
        self.resource = resource
        self.artifact = artifact
        self.severity = severity  # a rule may downgrade one hit (e.g. E -> W)


class Place(Record):
    """A file, line and column: where a generated template says a thing is (`generated`)."""

    __slots__ = ("file", "line", "column")

    def __init__(self, file: str, line: int, column: int) -> None:
        self.file = file
        self.line = line
        self.column = column

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column}


class Origin(Record):
    """The name the user knows a resource by, and which front end knows it (`origin` of DESIGN.md).

    `kind` is `cdk`, `sam-build`, `serverless` or `terraform`; `name` the construct path
    (`HandlerStack/OrdersFn`), the function key or the address.
    """

    __slots__ = ("kind", "name")

    def __init__(self, kind: str, name: str) -> None:
        self.kind = kind
        self.name = name

    def as_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name}


class Finding(Record):
    """A located, severity-resolved hit, ready for suppression and output.

    Findings compare and sort by place and rule only: (file, line, column, rule).
    `file`/`line`/`column` are where the user edits the thing (the CDK app's source line, say);
    `generated` is then the place in the template that was read, and `origin` the user's name
    for the resource ("Where a finding lands" in DESIGN.md). Both are None for a plain template.
    """

    __slots__ = ("file", "line", "column", "rule", "severity", "message", "resource", "path", "artifact",
                 "generated", "origin")
    _compared = ("file", "line", "column", "rule")

    def __init__(self, file: str, line: int, column: int, rule: str, severity: Severity, message: str,
                 resource: Optional[str] = None, path: Path = (), artifact: Optional[Artifact] = None,
                 generated: Optional[Place] = None, origin: Optional[Origin] = None) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.rule = rule
        self.severity = severity
        self.message = message
        self.resource = resource
        self.path = path
        self.artifact = artifact
        self.generated = generated
        self.origin = origin

    @property
    def shown_name(self) -> Optional[str]:
        """What the user calls the resource: the origin's name when a front end knows it, else the logical ID."""
        return self.origin.name if self.origin is not None else self.resource

    @property
    def stable_path(self) -> Path:
        """The property path for fingerprints: without the logical ID when the origin names the resource."""
        if self.origin is not None and self.path[:2] == ("Resources", self.resource):
            return self.path[2:]
        return self.path

    def _key(self) -> Tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.rule)

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "severity": self.severity.label,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "resource": self.resource,
            "path": list(self.path),
            "artifact": self.artifact.as_dict() if self.artifact else None,
            "generated": self.generated.as_dict() if self.generated else None,
            "origin": self.origin.as_dict() if self.origin else None,
        }


class Unchecked(Record):
    """A function whose code was not inspected, and why (`summary.unchecked` of DESIGN.md).

    `reason` is a short stable word: `outside-project` (its package lies outside the trust
    boundary), `s3-object` (the code is in S3), `image-not-given` (an image function run
    without `--image`), `not-built` (its folder is source a build turns into the package:
    lambdalint.model.unbuilt), `zstd-layers-not-read` (its image has zstd-compressed layers
    and no zstd decoder is installed), `layer-not-in-template` (its own code was read, a layer
    it names by ARN was not), `sam-build-stale` (`.aws-sam/build` is older than the template,
    so the source was read, not the packages `sam deploy` uploads), `not-packaged` (a serverless.yml
    read directly whose plugins build the package, or whose given artifact is not built); later front ends add their
    own. `file` is the template it is in (for ordering; the JSON entry has the contract's keys only).
    """

    __slots__ = ("file", "resource", "reason", "origin")

    def __init__(self, file: str, resource: str, reason: str, origin: Optional[dict] = None) -> None:
        self.file = file
        self.resource = resource
        self.reason = reason
        self.origin = origin  # {"kind", "name"} when a front end knows the user's name for it

    def as_dict(self) -> dict:
        return {"resource": self.resource, "origin": self.origin, "reason": self.reason}


class Report(Record):
    """Everything a formatter needs: the findings of one run, sorted, and how many files were checked.

    `checked_files` names the checked files (as findings name them) when the caller knows them;
    `missing` counts the given paths that did not exist (each is also an LL0004 finding).
    `unchecked` lists the functions whose code was not inspected, `functions` how many
    functions the checked templates define (for "1 of 3 functions"). `declared` is what the
    templates declare that the command line names (parameters, image functions), or None.
    """

    __slots__ = ("findings", "files", "checked_files", "missing", "unchecked", "functions", "declared")

    def __init__(self, findings: Tuple[Finding, ...], files: int, checked_files: Tuple[str, ...] = (),
                 missing: int = 0, unchecked: Tuple[Unchecked, ...] = (), functions: int = 0,
                 declared: Any = None) -> None:
        self.findings = findings
        self.files = files
        self.checked_files = checked_files
        self.missing = missing
        self.unchecked = unchecked
        self.functions = functions
        self.declared = declared  # lambdalint.declared.Declared, for the CLI's checks of -p and --image

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def rule_counts(self, findings: Optional[Tuple[Finding, ...]] = None) -> List[Tuple[str, int]]:
        """(rule ID, number of findings), most frequent first, then by ID (`--statistics`)."""
        counts: Dict[str, int] = {}
        for finding in self.findings if findings is None else findings:
            counts[finding.rule] = counts.get(finding.rule, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def summary(self) -> dict:
        return {
            "files": self.files,
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "infos": self.count(Severity.INFO),
            "unchecked": [entry.as_dict() for entry in self.unchecked],
        }


def number_text(number: float) -> str:
    """A number for a message: `:g` as usual, but an integer too large for a float in full."""
    try:
        return f"{number:g}"
    except OverflowError:
        return str(number)
def display_name(path: str) -> str:
    """How findings name a file: as given, or relative to the current folder when it lies below it."""
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        return path if relative.startswith("..") else relative
    return os.path.normpath(path)
