"""Is this YAML or JSON file a CloudFormation/SAM template? Judged by its shape, cheaply.

A template is a mapping with a top-level `AWSTemplateFormatVersion`, or with a top-level
`Resources` mapping whose entries are resources (mappings, at least one with a `Type`; an
`Fn::ForEach` loop counts). Other files that mention both words are not templates: a
Serverless `serverless.yml` (`resources: {Resources: ...}`), a CodeDeploy `appspec.yml`
(`Resources:` holding a list), `.serverless/serverless-state.json` (the words nested deep),
a CI workflow quoting them.

Folder walks and `--skip-non-templates` ask this of every YAML/JSON file, so it must cost
far less than the parse that follows: a byte search first (most files stop there), then for
YAML a look at the lines without indentation (the top-level keys) and the `Resources` block,
and for JSON a parse by the C decoder. When the shape cannot be told cheaply (an indented
top level, a flow mapping, a tag), the answer is yes: the linter then parses the file and
says what is wrong with it, as it did before this test was structural.
"""

from __future__ import annotations

import re
from typing import Optional

SNIFF_BYTES = 1 << 20
# JSON must be read whole to be parsed; past this the answer is the byte test's.
MAX_JSON_BYTES = 64 * 1024 * 1024

_TOP_LEVEL_VERSION = re.compile(rb"^[\"']?AWSTemplateFormatVersion[\"']?[ \t]*:", re.M)
_TOP_LEVEL_RESOURCES = re.compile(rb"^[\"']?Resources[\"']?[ \t]*:(?=[ \t]|\r?$)", re.M)
# Where the Resources block ends: a line starting in column 0 that is not blank, a comment or
# a `- ` item (a sequence may sit at its key's indentation), or a document marker.
_BLOCK_END = re.compile(rb"^(?:[^\s#-]|-[^\s-]|---|\.\.\.)", re.M)
_TRAILING_COMMENT = re.compile(rb"[ \t]+#.*$")
_TYPE_KEY = re.compile(rb"(?:^|[\s{,])[\"']?Type[\"']?[ \t]*:|Fn::ForEach::")


def is_template(path: str) -> bool:
    """The file's shape says template (an unreadable file: no)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
            if not mentions_template_words(head):
                return False
            if _looks_like_json(head):
                rest = handle.read(MAX_JSON_BYTES)
                if handle.read(1):
                    return True  # too big to parse twice: the byte test decides
                return _json_is_template(head + rest)
    except OSError:
        return False
    return _yaml_is_template(head)


def is_template_text(raw: bytes) -> bool:
    """The same judgement on content already in memory (an editor's unsaved buffer)."""
    head = raw[:SNIFF_BYTES]
    if not mentions_template_words(head):
        return False
    if _looks_like_json(head):
        return len(raw) > MAX_JSON_BYTES or _json_is_template(raw)
    return _yaml_is_template(head)


def mentions_template_words(head: bytes) -> bool:
    """The byte pre-filter: most YAML and JSON files stop here."""
    if b"AWSTemplateFormatVersion" in head:
        return True
    return b"Resources" in head and (b"AWS::" in head or b"Custom::" in head)


def _looks_like_json(head: bytes) -> bool:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return stripped[:1] in (b"{", b"[")


def _json_is_template(raw: bytes) -> bool:
    import json

    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # broken JSON that mentions the words: let the linter say why
        return True
    return shape_is_template(data)


def shape_is_template(data: object) -> bool:
    """The structural definition, on parsed data."""
    if not isinstance(data, dict):
        return False
    if "AWSTemplateFormatVersion" in data:
        return True
    resources = data.get("Resources")
    if not isinstance(resources, dict) or not resources:
        return False
    typed = False
    for logical_id, resource in resources.items():
        if isinstance(logical_id, str) and logical_id.startswith("Fn::ForEach::"):
            typed = True
        elif not isinstance(resource, dict):
            return False
        elif "Type" in resource:
            typed = True
    return typed


def _yaml_is_template(head: bytes) -> bool:
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    first = _first_content_line(head)
    if first is None:
        return False
    if first[:1] in b" \t{[!&?":
        return True  # an indented or flow top level, a tag, a complex key: lines cannot tell
    if _TOP_LEVEL_VERSION.search(head):
        return True
    found = _TOP_LEVEL_RESOURCES.search(head)
    if found is None:
        return False  # e.g. serverless.yml: its `Resources` is under `resources:`
    line_end = head.find(b"\n", found.end())
    line_end = len(head) if line_end < 0 else line_end
    inline = _strip_comment(head[found.end():line_end])
    if inline:  # `Resources: {...}` (flow, or tagged) would need a parse; a list or scalar is no mapping
        return inline[:1] in b"{!&*" and not inline.startswith(b"{}")
    block = _block(head, line_end + 1)
    item = _first_content_line(block)
    if item is None or _is_list_item(item):
        return False  # `Resources:` null, or a list (a CodeDeploy appspec: `- MyFunction: {Type: ...}`)
    return _TYPE_KEY.search(block) is not None


def _block(head: bytes, start: int) -> bytes:
    """The lines from start up to the next top-level key or document marker."""
    following = _BLOCK_END.search(head, start)
    return head[start:following.start()] if following else head[start:]


def _first_content_line(text: bytes) -> Optional[bytes]:
    """The first line that is not blank, a comment, a directive or a bare document marker."""
    start = 0
    while start < len(text):
        end = text.find(b"\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end].rstrip(b"\r")
        start = end + 1
        stripped = line.strip()
        if not stripped or stripped.startswith(b"#") or line.startswith(b"%"):
            continue
        if line.startswith((b"---", b"...")):
            rest = _strip_comment(line[3:])
            if rest:
                return rest  # `--- !Tag` or `--- {`: the document starts on the marker line
            continue
        return line
    return None


def _is_list_item(line: bytes) -> bool:
    stripped = line.lstrip()
    return stripped[:1] == b"-" and stripped[1:2] in (b"", b" ", b"\t")


def _strip_comment(text: bytes) -> bytes:
    text = text.strip()
    if text.startswith(b"#"):
        return b""
    return _TRAILING_COMMENT.sub(b"", text).strip()
