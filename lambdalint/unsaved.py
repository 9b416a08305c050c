"""What an editor's unsaved buffer is to lambdalint, told from its path and text, as discovery
tells a file on disk: a Terraform configuration file, a Serverless service file, a
CloudFormation/SAM template, or nothing lambdalint reads (any other YAML or JSON file, which
an editor then shows no diagnostics for)."""

from __future__ import annotations

import os
from typing import Optional

TERRAFORM, SERVICE, TEMPLATE = "terraform", "service", "template"


def buffer_kind(path: str, raw: bytes) -> Optional[str]:
    from .frontends.terraform.files import is_configuration_file

    name = os.path.basename(path)
    if is_configuration_file(name):
        return TERRAFORM
    if name.startswith("serverless."):
        from .frontends.serverless_files import CODE_SERVICE_FILES, SERVICE_FILES

        if name in CODE_SERVICE_FILES:
            return None  # a program: lambdalint never runs it, and without its package knows nothing
        if name in SERVICE_FILES:
            from .frontends.serverless import is_service_file

            if is_service_file(path, raw):
                return SERVICE
    from .sniff import is_template_text

    return TEMPLATE if is_template_text(raw) else None
