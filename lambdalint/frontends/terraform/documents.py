"""JSON documents written as text with interpolations in it: a heredoc policy naming a resource.

    policy = <<EOF
    {"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "${aws_sqs_queue.q.arn}"}]}
    EOF

is an Interpolation: its text is known at apply time only, but where every interpolation sits
inside a JSON string the document's structure is known before. `parsed` reads it with each
interpolation as a placeholder, then puts the References and UNKNOWNs back into the strings
they were in, for the lowering to read as it reads a jsonencode (configuration.Encoded).
"""

from __future__ import annotations

import json
import re
from typing import Any, List, Optional

from ...model.values import UNKNOWN
from .configuration import Interpolation

_MARK = "\x1elambdalint-part-"  # a record separator: JSON text has it escaped, if at all
_PLACEHOLDER = re.compile(re.escape(_MARK) + r"(\d+)\x1e")
_MAX_DEPTH = 64


def parsed(text: Interpolation) -> Optional[Any]:
    """The JSON value `text` stands for, References and UNKNOWN in its strings; None when it is
    not JSON once the interpolations are set aside (one outside a string, say) or a key is not known."""
    pieces: List[str] = []
    holes: List[Any] = []
    for part in text.parts:
        if isinstance(part, str):
            if "\x1e" in part:
                return None
            pieces.append(part)
        else:
            pieces.append(f"{_MARK}{len(holes)}\x1e")
            holes.append(part)
    try:
        # a raw control character is not valid inside a JSON string: the placeholder is escaped
        document = json.loads("".join(pieces).replace("\x1e", "\\u001e"))
    except (ValueError, RecursionError):
        return None
    return _filled(document, holes, 0)


def _filled(value: Any, holes: List[Any], depth: int) -> Any:
    if depth > _MAX_DEPTH:
        return UNKNOWN
    if isinstance(value, str):
        return _string(value, holes)
    if isinstance(value, list):
        return [_filled(item, holes, depth + 1) for item in value]
    if isinstance(value, dict):
        if any(_MARK in key for key in value):
            return UNKNOWN  # a key known at apply time only: what it holds is not known either
        return {key: _filled(item, holes, depth + 1) for key, item in value.items()}
    return value


def _string(value: str, holes: List[Any]) -> Any:
    if _MARK not in value:
        return value
    parts: List[Any] = []
    position = 0
    for match in _PLACEHOLDER.finditer(value):
        if match.start() > position:
            parts.append(value[position:match.start()])
        number = int(match.group(1))
        parts.append(holes[number] if number < len(holes) else UNKNOWN)
        position = match.end()
    if position < len(value):
        parts.append(value[position:])
    if len(parts) == 1 and not isinstance(parts[0], str):
        return parts[0]  # "${aws_sqs_queue.q.arn}": the value itself
    flat: List[Any] = []
    for part in parts:
        flat.extend(part.parts if isinstance(part, Interpolation) else [part])
    return Interpolation(tuple(flat))
