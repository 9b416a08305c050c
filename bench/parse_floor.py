"""The floor a Python linter cannot beat: read and parse every file, nothing else.

PyYAML's C loader for YAML (CloudFormation short tags accepted as plain values) and `json`
for JSON. Usage: python bench/parse_floor.py FILE_OR_FOLDER...
"""

import json
import os
import sys

import yaml


class _Loader(yaml.CSafeLoader):
    pass


def _any_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_Loader.add_multi_constructor("!", _any_tag)

SUFFIXES = (".yaml", ".yml", ".json", ".template")


def files(paths):
    for path in paths:
        if os.path.isdir(path):
            for folder, _, names in os.walk(path):
                for name in sorted(names):
                    if name.lower().endswith(SUFFIXES):
                        yield os.path.join(folder, name)
        else:
            yield path


def main(paths):
    count = 0
    for path in files(paths):
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8-sig", errors="replace")
        try:
            if text.lstrip().startswith(("{", "[")):
                json.loads(text)
            else:
                yaml.load(text, Loader=_Loader)
        except Exception:
            pass
        count += 1
    print(f"parsed {count} files")


if __name__ == "__main__":
    main(sys.argv[1:])
