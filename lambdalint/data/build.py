"""Write `tables.py` from the JSON data files: `python -m lambdalint.data.build`.

The JSON files are the source: people edit them, and every value in them carries its AWS
source URL. lambdalint reads the same values from `tables.py`, a Python literal of them,
because importing the `json` module and parsing three files costs ~2 ms of every cold start,
while a compiled module loads in a fraction of that. `tests/test_data_files.py` fails when
`tables.py` does not match the JSON files. In a checkout it also rewrites the table of limits
in docs/usage.md (`tests/test_docs.py` fails when that is stale).
"""

from __future__ import annotations

import json
import os
import pprint

DATA_FILES = ("runtimes.json", "limits.json", "managed_policies.json")
HERE = os.path.dirname(os.path.abspath(__file__))
TABLES_FILE = os.path.join(HERE, "tables.py")


def render() -> str:
    """The text of `tables.py` for the JSON files as they are now."""
    tables = {}
    for name in DATA_FILES:
        with open(os.path.join(HERE, name), encoding="utf-8") as handle:
            tables[name] = json.load(handle)
    body = pprint.pformat(tables, width=110, sort_dicts=False)
    return ('"""Generated from lambdalint/data/*.json by `python -m lambdalint.data.build`: do not edit."""\n\n'
            f"# fmt: off\nTABLES: dict = {body}\n")


# In a checkout, docs/usage.md holds a table of the limits generated from limits.json.
USAGE_DOC = os.path.join(os.path.dirname(os.path.dirname(HERE)), "docs", "usage.md")


def main() -> None:
    with open(TABLES_FILE, "w", encoding="utf-8") as handle:
        handle.write(render())
    print(f"wrote {TABLES_FILE}")
    if os.path.isfile(USAGE_DOC):
        from lambdalint import docs

        with open(os.path.join(HERE, "limits.json"), encoding="utf-8") as handle:
            rows = json.load(handle)["limits"]  # the file as it is now, not the tables imported before
        with open(USAGE_DOC, encoding="utf-8") as handle:
            docs_text = handle.read()
        with open(USAGE_DOC, "w", encoding="utf-8") as handle:
            handle.write(docs.with_limits_table(docs_text, rows))
        print(f"wrote the limits table of {USAGE_DOC}")


if __name__ == "__main__":
    main()
