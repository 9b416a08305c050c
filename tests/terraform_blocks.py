"""Hand-built Terraform configurations for the lowering's tests: blocks with positions.

`block("aws_lambda_function.worker", timeout=60)` is the block a `.tf` file would give,
each top-level argument written on its own line below the block's (in keyword order), so
a test can say at which line a finding must land.
"""

from __future__ import annotations

from typing import Any, Dict, Tuple

from lambdalint.frontends.terraform.configuration import Block, Configuration, Ignore, Position

FILE = "main.tf"


def block(address: str, line: int = 1, file: str = FILE, conditional: bool = False,
          ignores: Tuple[Ignore, ...] = (), **values: Any) -> Block:
    mode = "data" if address.startswith("data.") else "resource"
    local = address.split(".")[-2:] if mode == "resource" else address.split(".")[1:3]
    kind, name = local[0], local[1].split("[")[0]
    positions: Dict[Tuple[Any, ...], Position] = {}
    for offset, key in enumerate(values, start=1):
        positions[(key,)] = Position(file, line + offset, 3)
    return Block(address, mode, kind, name, dict(values), Position(file, line, 1), positions,
                 conditional=conditional, ignores=ignores)


def configuration(*blocks: Block, folder: str = ".") -> Configuration:
    return Configuration(folder, tuple(blocks), (FILE,))
