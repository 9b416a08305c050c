"""Generated from lambdalint/schemas/config.schema.json by `python -m lambdalint.schemas.build`: do not edit.

`errors(value)` yields (path, keyword, message) for each way `value` breaks the schema, as
jsonschema's Draft7Validator.iter_errors would (its absolute_path, validator and message).
"""

# fmt: off
from __future__ import annotations

import re
from typing import Any, Iterator, Tuple

Error = Tuple[Tuple[Any, ...], str, str]

# The top level's properties, in the schema's order.
TOP_LEVEL_KEYS: Tuple[str, ...] = ('select', 'ignore', 'severity', 'fail-level', 'exclude', 'per-file-ignores', 'parameters', 'limits', 'today', 'paths', 'images', 'rules-dir', 'artifact-roots', 'baseline', 'jobs', 'rule-timeout', 'respect-gitignore', 'serverless-env', 'terraform-plan', 'format')


def _is_number(instance: Any) -> bool:
    return isinstance(instance, (int, float)) and not isinstance(instance, bool)


def _is_integer(instance: Any) -> bool:
    return (isinstance(instance, int) and not isinstance(instance, bool)) or (
        isinstance(instance, float) and instance.is_integer())


def _step(path: Tuple[Any, ...], key: Any) -> Tuple[Any, ...]:
    """The path to a key's value; a None key (YAML's `null:`) adds no step, as in jsonschema."""
    return path if key is None else path + (key,)


def errors(instance: Any) -> Iterator[Error]:
    """Every error of `instance` against the schema (none: it is valid)."""
    return _check(instance, ())


def _check(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, dict):
        yield path, 'type', f"{instance!r} is not of type 'object'"
    if isinstance(instance, dict):
        extras = [key for key in instance if key not in ('select', 'ignore', 'severity', 'fail-level', 'exclude', 'per-file-ignores', 'parameters', 'limits', 'today', 'paths', 'images', 'rules-dir', 'artifact-roots', 'baseline', 'jobs', 'rule-timeout', 'respect-gitignore', 'serverless-env', 'terraform-plan', 'format')]
        if extras:
            verb = 'was' if len(extras) == 1 else 'were'
            listed = ', '.join(repr(extra) for extra in sorted(extras, key=str))
            yield path, 'additionalProperties', f'Additional properties are not allowed ({listed} {verb} unexpected)'
    if isinstance(instance, dict):
        if 'select' in instance:
            yield from _check_definitions_rule_patterns(instance['select'], path + ('select',))
        if 'ignore' in instance:
            yield from _check_definitions_rule_patterns(instance['ignore'], path + ('ignore',))
        if 'severity' in instance:
            yield from _check_properties_severity(instance['severity'], path + ('severity',))
        if 'fail-level' in instance:
            yield from _check_properties_fail_level(instance['fail-level'], path + ('fail-level',))
        if 'exclude' in instance:
            yield from _check_properties_exclude(instance['exclude'], path + ('exclude',))
        if 'per-file-ignores' in instance:
            yield from _check_properties_per_file_ignores(instance['per-file-ignores'], path + ('per-file-ignores',))
        if 'parameters' in instance:
            yield from _check_properties_parameters(instance['parameters'], path + ('parameters',))
        if 'limits' in instance:
            yield from _check_properties_limits(instance['limits'], path + ('limits',))
        if 'today' in instance:
            yield from _check_properties_today(instance['today'], path + ('today',))
        if 'paths' in instance:
            yield from _check_properties_paths(instance['paths'], path + ('paths',))
        if 'images' in instance:
            yield from _check_properties_images(instance['images'], path + ('images',))
        if 'rules-dir' in instance:
            yield from _check_properties_rules_dir(instance['rules-dir'], path + ('rules-dir',))
        if 'artifact-roots' in instance:
            yield from _check_properties_artifact_roots(instance['artifact-roots'], path + ('artifact-roots',))
        if 'baseline' in instance:
            yield from _check_properties_baseline(instance['baseline'], path + ('baseline',))
        if 'jobs' in instance:
            yield from _check_properties_jobs(instance['jobs'], path + ('jobs',))
        if 'rule-timeout' in instance:
            yield from _check_properties_rule_timeout(instance['rule-timeout'], path + ('rule-timeout',))
        if 'respect-gitignore' in instance:
            yield from _check_properties_respect_gitignore(instance['respect-gitignore'], path + ('respect-gitignore',))
        if 'serverless-env' in instance:
            yield from _check_properties_serverless_env(instance['serverless-env'], path + ('serverless-env',))
        if 'terraform-plan' in instance:
            yield from _check_properties_terraform_plan(instance['terraform-plan'], path + ('terraform-plan',))
        if 'format' in instance:
            yield from _check_properties_format(instance['format'], path + ('format',))


def _check_definitions_rule_patterns(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, list):
        yield path, 'type', f"{instance!r} is not of type 'array'"
    if isinstance(instance, list):
        for index, item in enumerate(instance):
            yield from _check_definitions_rule_patterns_items(item, path + (index,))


def _check_definitions_rule_patterns_items(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"
    if isinstance(instance, str) and len(instance) < 1:
        yield path, 'minLength', f"{instance!r} should be non-empty"


def _check_properties_severity(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, dict):
        yield path, 'type', f"{instance!r} is not of type 'object'"
    if isinstance(instance, dict):
        for key in instance:
            yield from _check_properties_severity_propertyNames(key, path)
    if isinstance(instance, dict):
        extras = list(instance)
        for extra in extras:
            yield from _check_definitions_severity(instance[extra], _step(path, extra))


def _check_properties_severity_propertyNames(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"


def _check_definitions_severity(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"
    if instance not in ('error', 'warning', 'info'):
        yield path, 'enum', f"{instance!r} is not one of ['error', 'warning', 'info']"


def _check_properties_fail_level(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"
    if instance not in ('error', 'warning', 'info', 'none'):
        yield path, 'enum', f"{instance!r} is not one of ['error', 'warning', 'info', 'none']"


def _check_properties_exclude(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, list):
        yield path, 'type', f"{instance!r} is not of type 'array'"
    if isinstance(instance, list):
        for index, item in enumerate(instance):
            yield from _check_properties_exclude_items(item, path + (index,))


def _check_properties_exclude_items(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"


def _check_properties_per_file_ignores(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, dict):
        yield path, 'type', f"{instance!r} is not of type 'object'"
    if isinstance(instance, dict):
        for key in instance:
            yield from _check_properties_per_file_ignores_propertyNames(key, path)
    if isinstance(instance, dict):
        extras = list(instance)
        for extra in extras:
            yield from _check_definitions_rule_patterns(instance[extra], _step(path, extra))


def _check_properties_per_file_ignores_propertyNames(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"


def _check_properties_parameters(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, dict):
        yield path, 'type', f"{instance!r} is not of type 'object'"
    if isinstance(instance, dict):
        for key in instance:
            yield from _check_properties_parameters_propertyNames(key, path)
    if isinstance(instance, dict):
        extras = list(instance)
        for extra in extras:
            yield from _check_properties_parameters_additionalProperties(instance[extra], _step(path, extra))


def _check_properties_parameters_propertyNames(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"


def _check_properties_parameters_additionalProperties(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not (isinstance(instance, str) or _is_number(instance) or isinstance(instance, bool) or isinstance(instance, list)):
        yield path, 'type', f"{instance!r} is not of type 'string', 'number', 'boolean', 'array'"


def _check_properties_limits(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, dict):
        yield path, 'type', f"{instance!r} is not of type 'object'"


def _check_properties_today(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"
    if isinstance(instance, str) and not re.search('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', instance):
        yield path, 'pattern', f"{instance!r} does not match '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$'"


def _check_properties_paths(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, list):
        yield path, 'type', f"{instance!r} is not of type 'array'"
    if isinstance(instance, list):
        for index, item in enumerate(instance):
            yield from _check_properties_paths_items(item, path + (index,))


def _check_properties_paths_items(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"


def _check_properties_images(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, dict):
        yield path, 'type', f"{instance!r} is not of type 'object'"
    if isinstance(instance, dict):
        for key in instance:
            yield from _check_properties_images_propertyNames(key, path)
    if isinstance(instance, dict):
        extras = list(instance)
        for extra in extras:
            yield from _check_properties_images_additionalProperties(instance[extra], _step(path, extra))


def _check_properties_images_propertyNames(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"


def _check_properties_images_additionalProperties(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"


def _check_properties_rules_dir(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, list):
        yield path, 'type', f"{instance!r} is not of type 'array'"
    if isinstance(instance, list):
        for index, item in enumerate(instance):
            yield from _check_properties_rules_dir_items(item, path + (index,))


def _check_properties_rules_dir_items(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"


def _check_properties_artifact_roots(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, list):
        yield path, 'type', f"{instance!r} is not of type 'array'"
    if isinstance(instance, list):
        for index, item in enumerate(instance):
            yield from _check_properties_artifact_roots_items(item, path + (index,))


def _check_properties_artifact_roots_items(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"
    if isinstance(instance, str) and len(instance) < 1:
        yield path, 'minLength', f"{instance!r} should be non-empty"


def _check_properties_baseline(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"


def _check_properties_jobs(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not _is_integer(instance):
        yield path, 'type', f"{instance!r} is not of type 'integer'"
    if _is_number(instance) and instance < 0:
        yield path, 'minimum', f"{instance!r} is less than the minimum of 0"


def _check_properties_rule_timeout(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not _is_number(instance):
        yield path, 'type', f"{instance!r} is not of type 'number'"
    if _is_number(instance) and instance < 0:
        yield path, 'minimum', f"{instance!r} is less than the minimum of 0"


def _check_properties_respect_gitignore(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, bool):
        yield path, 'type', f"{instance!r} is not of type 'boolean'"


def _check_properties_serverless_env(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, bool):
        yield path, 'type', f"{instance!r} is not of type 'boolean'"


def _check_properties_terraform_plan(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"
    if isinstance(instance, str) and len(instance) < 1:
        yield path, 'minLength', f"{instance!r} should be non-empty"


def _check_properties_format(instance: Any, path: Tuple[Any, ...]) -> Iterator[Error]:
    if not isinstance(instance, str):
        yield path, 'type', f"{instance!r} is not of type 'string'"
    if instance not in ('text', 'json', 'sarif', 'junit', 'github'):
        yield path, 'enum', f"{instance!r} is not one of ['text', 'json', 'sarif', 'junit', 'github']"
