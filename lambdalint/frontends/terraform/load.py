"""The entry point of the Terraform reading half: a folder in, a Configuration out.

    load_configuration("infra", variables={"env": "prod"}, root=".")

reads the root module in `infra` with its variables files, expands local modules (and the
remote ones `terraform init` installed under `.terraform/modules`), and evaluates every
resource and data block. It never raises for bad input: syntax errors are
Configuration.errors, what was not read is Configuration.unchecked, what is not known is
UNKNOWN. `root` is the trust boundary for files and module folders (default: the project
root around `folder`, lambdalint.boundary). Relative paths in the values (`path.module`,
`filename = "lambda.zip"`) are relative to `folder`, Terraform's working directory.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from ...boundary import TrustBoundary
from ...findings import display_name
from .configuration import Block, Configuration
from .folders import Loader
from .modules import ModuleInstance, root_instance


def load_configuration(folder: str, variables: Mapping[str, Any] = {}, root: Optional[str] = None,
                       buffers: Optional[Dict[str, bytes]] = None, planned: Mapping[str, Any] = {}) -> Configuration:
    """`buffers`: an editor's unsaved files (absolute path -> bytes), read in place of what is on disk.
    `planned`: the root variables a fresh saved plan was made with (below `variables`)."""
    boundary = TrustBoundary((root,)) if root is not None else TrustBoundary.around(folder, folder)
    loader = Loader(folder, boundary, buffers)
    top = root_instance(loader, dict(variables), dict(planned))
    blocks: List[Block] = []
    _collect(top, blocks)
    return Configuration(display_name(folder), tuple(blocks), tuple(dict.fromkeys(loader.files)),
                         tuple(dict.fromkeys(loader.unchecked)), tuple(dict.fromkeys(loader.errors)),
                         tuple(top.definition.variables))


def _collect(instance: ModuleInstance, blocks: List[Block]) -> None:
    from .blocks import module_blocks

    blocks.extend(module_blocks(instance))
    for name in instance.definition.calls:
        children, _ = instance.children(name)
        for child in (children or {}).values():
            _collect(child, blocks)
