"""The names of the Serverless Framework's files, and the one cheap test of a package folder.

Apart from serverless.py so that discovery can tell a path is none of them without loading
the front end (most runs check plain templates).
"""

from __future__ import annotations

import os

UPDATE_TEMPLATE = "cloudformation-template-update-stack.json"
STATE = "serverless-state.json"
PACKAGE_FOLDER = ".serverless"
# The service files the framework looks for, in its order (serverless 3.40.0,
# lib/cli/resolve-configuration-path.js): the first one found is the service. Those of
# CODE_SERVICE_FILES are programs that build the configuration: lambdalint never runs them.
SERVICE_FILES = ("serverless.yml", "serverless.yaml", "serverless.json",
                 "serverless.js", "serverless.mjs", "serverless.cjs", "serverless.ts")
CODE_SERVICE_FILES = frozenset(SERVICE_FILES[3:])
FILE_NAMES = (UPDATE_TEMPLATE, STATE, *SERVICE_FILES)


def is_package_folder(folder: str) -> bool:
    """`.serverless/` (any folder holding the framework's state and update template)."""
    return os.path.isfile(os.path.join(folder, STATE)) and os.path.isfile(os.path.join(folder, UPDATE_TEMPLATE))
