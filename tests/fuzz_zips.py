"""Hypothesis strategies for deployment zips, broken in every way a stranger's build could break them.

Used by tests/test_fuzz_packages.py (bounded) and tools/fuzz_campaign.py. A zip is
one of: random bytes; a well-formed zip of plausible members (handler sources that may
not parse, ELF headers, native extensions, node_modules, `..` names, symlinks, odd
modes) with some bytes flipped, cut or inserted; or a hand-written zip whose central
directory lies about sizes. `write_package` puts it behind a SAM function, a plain
Lambda function and a layer, so every LL1 rule opens it.
"""

from __future__ import annotations

import importlib.util
import io
import os
import stat
import warnings
import zipfile

from hypothesis import strategies as st

from packagecraft import elf
from repo_paths import REPO


def _load_zipcraft():
    spec = importlib.util.spec_from_file_location("zipcraft_for_fuzz", REPO / "tests" / "artifacts" / "zipcraft.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


craft_zip = _load_zipcraft().craft_zip

_NAMES = ["app.py", "index.js", "index.mjs", "handler.rb", "bootstrap", "lib/x.so", "native.cpython-312-x86_64-linux-gnu.so",
          "pkg/__init__.py", "node_modules/aws-sdk/package.json", "boto3/__init__.py", "python/lib/python3.13/site-packages/a.py",
          "nodejs/node_modules/a/index.js", "../../etc/passwd", "/abs/path", "C:\\win.txt", "a/../../b", "dir/",
          "tests/test_app.py", ".git/config", "dup.txt", "dup.txt", "ü/ñ.py", "a\x00b", "x" * 300]
_PYTHON = ["def handler(event, context):\n    return 1\n", "import boto3\nclient = boto3.client('s3')\n"
           "def handler(e, c):\n    return boto3.client('sqs')\n", "def handler(:\n", "\x00\xff", "lambda_handler = 3\n",
           "class X:\n    def handler(self): pass\n", "def " + "(" * 500 + "\n", "x = " + "[" * 2000 + "\n"]
_CONTENT = st.one_of(st.sampled_from(_PYTHON).map(str.encode), st.binary(max_size=64),
                     st.sampled_from(["x86_64", "arm64"]).map(lambda arch: elf(arch, 128)),
                     st.just(b"\xcf\xfa\xed\xfe" + bytes(60)), st.just(b"MZ" + bytes(62)))
_MODES = st.sampled_from([0o100644, 0o100755, 0o100000, 0o120777, 0o040755, 0o010644, 0, 0o104755])

members = st.lists(st.tuples(st.sampled_from(_NAMES) | st.text(max_size=20), _CONTENT, _MODES), max_size=8)


def build_zip(entries) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # duplicate names are wanted here
        for name, content, mode in entries:
            name = name or "empty"
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED if len(content) % 2 else zipfile.ZIP_STORED
            if stat.S_ISLNK(mode):
                content = b"../../../etc/passwd" if len(content) % 3 == 0 else b"app.py"
            try:
                archive.writestr(info, content)
            except (ValueError, UnicodeEncodeError):  # a name zipfile refuses (surrogates)
                continue
    return buffer.getvalue()


@st.composite
def mutated_zip(draw):
    raw = bytearray(build_zip(draw(members)))
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        if not raw:
            break
        where = draw(st.integers(min_value=0, max_value=len(raw) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "zero", "ff"]))
        if action == "flip":
            raw[where] ^= draw(st.integers(min_value=1, max_value=255))
        elif action == "cut":
            del raw[where:]
        elif action == "insert":
            raw[where:where] = draw(st.binary(min_size=1, max_size=16))
        elif action == "zero":
            raw[where:where + 4] = bytes(4)
        else:
            raw[where:where + 4] = b"\xff\xff\xff\xff"
    return bytes(raw)


lying_zip = st.lists(
    st.tuples(st.sampled_from(["app.py", "big.bin", "../x", "lib/a.so"]), st.binary(max_size=32),
              st.sampled_from([None, 0, 2 ** 31, 2 ** 32 + 5, 10 ** 12]), _MODES),
    min_size=1, max_size=4,
).flatmap(lambda entries: st.sampled_from([0, 8]).map(lambda method: craft_zip(entries, method=method)))


def zip_bytes():
    return st.one_of(st.binary(max_size=200), mutated_zip(), lying_zip, members.map(build_zip))


TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  SamFn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: app.zip
      Handler: {handler}
      Runtime: {runtime}
      Architectures: [{arch}]
      Layers: [!Ref Layer]
  PlainFn:
    Type: AWS::Lambda::Function
    Properties:
      Code: app.zip
      Handler: index.handler
      Runtime: nodejs20.x
      Role: arn:aws:iam::123456789012:role/r
  Layer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: app.zip
      CompatibleRuntimes: [python3.13]
"""


def write_package(folder: str, raw: bytes, handler: str = "app.handler", runtime: str = "python3.13",
                  arch: str = "arm64") -> str:
    """Write `raw` as folder/app.zip; the SAM template text that uses it three ways."""
    with open(os.path.join(folder, "app.zip"), "wb") as handle:
        handle.write(raw)
    return TEMPLATE.format(handler=handler, runtime=runtime, arch=arch)
