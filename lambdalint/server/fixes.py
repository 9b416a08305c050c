"""Quick fixes as text edits on the buffer (no protocol here; lambdalint.server.protocol sends them).

- Any finding on a resource of a CloudFormation/SAM template (YAML or JSON): suppress the
  rule on that resource with a Metadata ignore and a reason to fill in, the form docs/usage.md
  documents ("Suppressing findings in a template").
- Any finding in a Terraform file: a `# lambdalint:ignore RULE reason` comment on the line
  above the one it is at (an argument or the block), the form the Terraform front end reads.
- LL6001: the queue's VisibilityTimeout raised to what AWS advises for every function reading
  it (lambdalint.model.events.recommended_visibility, as LL6002 reads it: six times the function
  timeout plus the mapping's batching window, the factor from the buffer's settings so that a
  project's `limits:` counts), when the queue is a resource of the same template and its value
  is a literal or absent. The finding is matched to its queue where the rule puts it
  (lambdalint.model.events.queue_hit).

A fix is only computed on text as it is written (a block or flow mapping of a usual shape);
anything else gets no fix rather than a guess. And every fix is checked before it is offered:
the edited text is linted again, and the fix is dropped unless the finding is gone and no
finding appeared that was not there (lambdalint.server.session.Session.relinted).
"""

from __future__ import annotations

import json
import os
import re
from typing import Any, Callable, List, Mapping, Optional, Sequence, Tuple

from ..findings import Finding, Path
from ..frontends.terraform.files import is_configuration_file
from ..loading import Document, LoadError, load_text
from ..records import Record
from ..settings import Settings

REASON = "TODO say why {rule} does not apply here"
_NO_FIX = ("LL0001", "LL0010")  # a file that cannot be read; an unused suppression (remove it instead)


class Edit(Record):
    """Replace the text from `start` to `end` ((line, character), both from 0) by `text`."""

    __slots__ = ("start", "end", "text")

    def __init__(self, start: Tuple[int, int], end: Tuple[int, int], text: str) -> None:
        self.start = start
        self.end = end
        self.text = text


class Fix(Record):
    __slots__ = ("title", "edits")

    def __init__(self, title: str, edits: Sequence[Edit]) -> None:
        self.title = title
        self.edits = tuple(edits)


def fixes_for(finding: Finding, path: str, text: str, settings: Settings,
              relinted: Callable[[str], Optional[Sequence[Finding]]], before: Sequence[Finding]) -> List[Fix]:
    """The fixes of one finding of the buffer `path` holding `text`, linted with `settings` (its
    configuration's, `limits:` included, so that a number offered is the one the rule asks for),
    each checked by linting the edited text again (`relinted`: the findings of that text in place
    of the buffer, or None)."""
    if finding.rule in _NO_FIX or os.path.abspath(finding.file) != os.path.abspath(path):
        return []
    candidates = _candidates(finding, path, text, settings)
    return [fix for fix in candidates if _holds(fix, finding, text, relinted, before)]


def _candidates(finding: Finding, path: str, text: str, settings: Settings) -> List[Fix]:
    if is_configuration_file(os.path.basename(path)):
        fix = _terraform_comment(finding, text)
        return [fix] if fix is not None else []
    if finding.origin is not None or finding.resource is None:
        return []  # a finding moved to the user's source (CDK, serverless.yml): not this template's text
    try:
        document = load_text(text, path)
    except LoadError:
        return []
    found = []
    if finding.rule == "LL6001":
        fix = _visibility_fix(finding, document, text.splitlines(), settings)
        if fix is not None:
            found.append(fix)
    suppression = _suppression(finding, document, text.splitlines())
    if suppression is not None:
        found.append(suppression)
    return found


def _holds(fix: Fix, finding: Finding, text: str, relinted: Callable[[str], Optional[Sequence[Finding]]],
           before: Sequence[Finding]) -> bool:
    after = relinted(applied(text, fix.edits))
    if after is None:
        return False
    known = {_identity(other) for other in before}
    remaining = {_identity(other) for other in after}
    return _identity(finding) not in remaining and remaining <= known


def _identity(finding: Finding) -> Tuple[str, Optional[str], str]:
    """A finding apart from its line, which an inserted line moves."""
    return (finding.rule, finding.resource, finding.message)


def applied(text: str, edits: Sequence[Edit]) -> str:
    """`text` with the edits made (they do not overlap), as an editor applies a WorkspaceEdit."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: Tuple[int, int]) -> int:
        line, character = position
        return starts[min(line, len(lines))] + character

    for edit in sorted(edits, key=lambda item: item.start, reverse=True):
        text = text[:offset(edit.start)] + edit.text + text[offset(edit.end):]
    return text


# --- Metadata suppression -----------------------------------------------------------------

def _suppression(finding: Finding, document: Document, lines: Sequence[str]) -> Optional[Fix]:
    resources = document.data.get("Resources") if isinstance(document.data, dict) else None
    resource = resources.get(finding.resource) if isinstance(resources, dict) else None
    if not isinstance(resource, dict) or not resource:
        return None  # generated (SAM, Fn::ForEach) or not a mapping: nothing written to add to
    rule = finding.rule
    title = f"Suppress {rule} on {finding.resource} (Metadata ignore with a reason)"
    reason = REASON.format(rule=rule)
    here: Path = ("Resources", finding.resource)
    metadata = resource.get("Metadata")
    if "Metadata" not in resource:
        edit = _insert_entry(document, lines, here, "Metadata", {"lambdalint": {"ignore": [rule], "reason": reason}})
    elif not isinstance(metadata, dict) or not metadata:
        return None
    elif "lambdalint" not in metadata:
        edit = _insert_entry(document, lines, here + ("Metadata",), "lambdalint", {"ignore": [rule], "reason": reason})
    else:
        section = metadata["lambdalint"]
        if not isinstance(section, dict) or not section:
            return None
        ignore = section.get("ignore")
        if "ignore" not in section:
            edit = _insert_entry(document, lines, here + ("Metadata", "lambdalint"), "ignore", [rule])
        elif isinstance(ignore, list) and ignore:
            edit = _append_item(document, lines, here + ("Metadata", "lambdalint", "ignore", len(ignore) - 1), rule)
        else:
            return None
    return Fix(title, [edit]) if edit is not None else None


# --- LL6001: the queue's visibility timeout ---------------------------------------------

def _visibility_fix(finding: Finding, document: Document, lines: Sequence[str], settings: Settings) -> Optional[Fix]:
    from ..model import TemplateModel
    from ..model.events import queue_hit, queue_readers, recommended_visibility

    model = TemplateModel(document, settings)
    readers = queue_readers(model)
    target = next((queue for source, queue in readers if queue_hit(source, "").path == tuple(finding.path)), None)
    if target is None or target.generated:
        return None
    # every function reading the queue: the largest need, which the rule says of its function
    needs = [recommended_visibility(model, source) for source, queue in readers
             if queue.logical_id == target.logical_id]
    known = [need for need in needs if need is not None]
    if len(known) < len(needs):
        return None  # a timeout or a batching window not known: no number to offer
    wanted = max(need.seconds for need in known)
    resources = document.data.get("Resources") if isinstance(document.data, dict) else None
    written = resources.get(target.logical_id) if isinstance(resources, dict) else None
    if not isinstance(written, dict):
        return None  # made by a loop: its text is not this queue's alone
    here: Path = ("Resources", target.logical_id)
    properties = written.get("Properties")
    if "Properties" not in written:
        edit = _insert_entry(document, lines, here, "Properties", {"VisibilityTimeout": wanted})
    elif not isinstance(properties, dict) or not properties:
        return None
    elif "VisibilityTimeout" not in properties:
        edit = _insert_entry(document, lines, here + ("Properties",), "VisibilityTimeout", wanted)
    else:
        edit = _replace_number(document, lines, here + ("Properties", "VisibilityTimeout"), properties, wanted)
    if edit is None:
        return None
    return Fix(f"Raise the visibility timeout of queue {target.logical_id} to {wanted} s "
               f"({known[0].factor} x the function timeout, as AWS advises)", [edit])


_YAML_NUMBER = re.compile(r"""\s*:\s*(["']?)([0-9]+)\1\s*(?:#.*)?$""")
_JSON_NUMBER = re.compile(r"""\s*"?\s*:\s*("?)([0-9]+)\1""")


def _replace_number(document: Document, lines: Sequence[str], path: Path, mapping: Mapping[str, Any],
                    value: int) -> Optional[Edit]:
    key = str(path[-1])
    written = mapping[key]
    if isinstance(written, bool) or not isinstance(written, (int, str)) or not str(written).isdigit():
        return None  # a reference, a parameter: not a literal to raise
    line, column = document.locate(path)
    text = lines[line - 1] if line <= len(lines) else ""
    start = column - 1
    if not text[start:].lstrip("\"'").startswith(key):
        return None
    after = start + text[start:].index(key) + len(key)
    match = (_JSON_NUMBER if document.format == "json" else _YAML_NUMBER).match(text, after)
    if match is None:
        return None
    return Edit((line - 1, match.start(2)), (line - 1, match.end(2)), str(value))


# --- text insertion -----------------------------------------------------------------------

def _insert_entry(document: Document, lines: Sequence[str], mapping_path: Path, key: str, value: Any) -> Optional[Edit]:
    """An edit adding `key: value` to the (non-empty) mapping at `mapping_path`, before its first key."""
    mapping: Any = document.data
    for step in mapping_path:
        mapping = mapping[step]
    first = next(iter(mapping))
    line, column = document.locate(tuple(mapping_path) + (first,))
    text = lines[line - 1] if line <= len(lines) else ""
    prefix = text[:column - 1]
    own_line = prefix.strip() == ""
    if not text[column - 1:].lstrip("\"'").startswith(str(first)):
        return None  # not where the key is written
    if document.format == "json":
        rendered = f"{json.dumps(key)}: {json.dumps(value)},"
        return Edit((line - 1, column - 1), (line - 1, column - 1), rendered + ("\n" + prefix if own_line else " "))
    if not own_line:
        return None  # a flow mapping ({Type: ...}): left as written
    parent_column = document.locate(tuple(mapping_path))[1] if mapping_path else 1
    step = max(column - parent_column, 2)
    rendered = _yaml_entry(key, value, prefix, " " * step)
    return Edit((line - 1, column - 1), (line - 1, column - 1), rendered + prefix)


def _yaml_entry(key: str, value: Any, indent: str, step: str) -> str:
    """`key: value` as block YAML whose first line starts at `indent` (already written)."""
    if isinstance(value, dict):
        nested = "".join(indent + step + _yaml_entry(k, v, indent + step, step) for k, v in value.items())
        return f"{key}:\n{nested}"
    if isinstance(value, list):
        return f"{key}: [{', '.join(str(item) for item in value)}]\n"
    return f"{key}: {value}\n"


def _append_item(document: Document, lines: Sequence[str], last_item: Path, item: str) -> Optional[Edit]:
    """An edit adding `item` after the list item at `last_item` (block or flow list)."""
    line, column = document.locate(last_item)
    text = lines[line - 1] if line <= len(lines) else ""
    before = text[:column - 1]
    if before.rstrip().endswith("-") and before.rstrip()[:-1].strip() == "":
        dash = before.rstrip()[:-1]
        return Edit((line - 1, len(text)), (line - 1, len(text)), f"\n{dash}- {item}")
    close = text.find("]", column - 1)
    if close < 0:
        return None
    shown = json.dumps(item) if document.format == "json" else item
    return Edit((line - 1, close), (line - 1, close), f", {shown}")


# --- Terraform ----------------------------------------------------------------------------

def _terraform_comment(finding: Finding, text: str) -> Optional[Fix]:
    if not os.path.basename(finding.file).endswith((".tf", ".tofu")):
        return None  # JSON syntax has no comments
    lines = text.splitlines()
    if not 1 <= finding.line <= len(lines):
        return None
    line = lines[finding.line - 1]
    indent = line[:len(line) - len(line.lstrip())]
    comment = f"{indent}# lambdalint:ignore {finding.rule} {REASON.format(rule=finding.rule)}\n"
    where = finding.origin.name if finding.origin is not None else (finding.resource or "this block")
    return Fix(f"Suppress {finding.rule} on {where} (# lambdalint:ignore comment with a reason)",
               [Edit((finding.line - 1, 0), (finding.line - 1, 0), comment)])
