"""Read template files into Documents (YAML or JSON), never raising anything but LoadError."""

from __future__ import annotations

import os

from .document import Document, DuplicateKey, LoadError, offset_to_position

# A template body deployable from S3 is at most 1 MB; we allow far more before
# refusing, so that generated templates still load, but not unbounded input.
MAX_TEMPLATE_BYTES = 64 * 1024 * 1024
# YAML costs far more to read than JSON: PyYAML's composer makes Python node and mark objects,
# about 14 s and 750 MB for 20 MB of small mappings (JSON: 0.7 s). CloudFormation reads at most
# 1 MB (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html),
# and generated templates (CDK, SAM build) are JSON, so a YAML template over 8 MiB is refused.
MAX_YAML_BYTES = 8 * 1024 * 1024

__all__ = ["Document", "DuplicateKey", "LoadError", "load_file", "load_text", "decode", "refuse_oversized"]


def refuse_oversized(size: int) -> None:
    """A template of `size` bytes (a file's, an editor buffer's) over MAX_TEMPLATE_BYTES: LoadError."""
    if size > MAX_TEMPLATE_BYTES:
        raise LoadError(f"file is {size} bytes, over the {MAX_TEMPLATE_BYTES} byte limit for a template", 1, 1)


def decode(raw: bytes) -> str:
    """Bytes to text; a binary or non-UTF-8 file is a LoadError with its position."""
    if b"\x00" in raw[:8192]:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                return raw.decode("utf-16")
            except UnicodeDecodeError:
                pass
        raise LoadError("binary file, not a template (contains NUL bytes)", 1, 1)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # the UTF-8 byte order mark (decoding as "utf-8-sig" loads one more codec module)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line, column = offset_to_position(good, len(good))
        raise LoadError(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", line, column) from None


def load_text(text: str, name: str) -> Document:
    """Parse text as JSON when it looks like JSON, otherwise as YAML."""
    stripped = text.lstrip()
    if not stripped:
        raise LoadError("empty file", 1, 1)
    if stripped[0] in "{[":
        from .json_loader import load_json as parse  # each parser on first use: a JSON template never loads PyYAML
    else:
        if len(text) > MAX_YAML_BYTES:
            raise LoadError(f"YAML template of {len(text)} characters, over the {MAX_YAML_BYTES} lambdalint reads "
                            f"(CloudFormation accepts 1 MB; convert it to JSON to check it)", 1, 1)
        from .yaml_loader import load_yaml as parse
    document = parse(text, name)
    if not isinstance(document.data, dict):
        kind = "a list" if isinstance(document.data, list) else "a scalar"
        line, column = document.locate(())
        raise LoadError(f"the top level is {kind}, not a mapping of template sections", line, column)
    return document


def load_file(path: str, name: str | None = None) -> Document:
    name = name or path
    try:
        refuse_oversized(os.path.getsize(path))
        with open(path, "rb") as handle:
            raw = handle.read()
    except LoadError:
        raise
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}", 1, 1) from None
    return load_text(decode(raw), name)
