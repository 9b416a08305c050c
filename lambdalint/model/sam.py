"""What the SAM transform does that rules need to see: Globals and implicit names.

Globals merge follows SAM's own rules (samtranslator/plugins/globals):
a function's scalar overrides the global one, maps merge key by key
(recursively), lists concatenate Globals first. An intrinsic counts as a
scalar: the function's value wins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Mapping, Optional, Sequence, Tuple

from .values import is_intrinsic

if TYPE_CHECKING:  # annotations only: template.py imports this module
    from .template import Resource, TemplateModel

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"

# Properties SAM accepts under Globals.Function
# (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html).
GLOBAL_FUNCTION_PROPERTIES = frozenset(
    {
        "Handler", "Runtime", "CodeUri", "DeadLetterQueue", "Description", "MemorySize", "Timeout",
        "VpcConfig", "Environment", "Tags", "PropagateTags", "Tracing", "KmsKeyArn",
        "AutoPublishAlias", "AutoPublishAliasAllProperties", "Layers", "DeploymentPreference",
        "RolePath", "PermissionsBoundary", "ReservedConcurrentExecutions", "ProvisionedConcurrencyConfig",
        "AssumeRolePolicyDocument", "EventInvokeConfig", "FileSystemConfigs", "CodeSigningConfigArn",
        "Architectures", "SnapStart", "EphemeralStorage", "FunctionUrlConfig", "RuntimeManagementConfig",
        "LoggingConfig", "RecursiveLoop", "SourceKMSKeyArn", "TenancyConfig", "DurableConfig",
        "CapacityProviderConfig", "FunctionScalingConfig", "PublishToLatestPublished", "VersionDeletionPolicy",
    }
)
# Globals sections: the SAM resource types without their `AWS::Serverless::` prefix.
GLOBALS_SECTIONS = frozenset(
    {"Function", "Api", "HttpApi", "SimpleTable", "StateMachine", "LayerVersion", "CapacityProvider",
     "MicroVMImage", "NetworkConnector", "WebSocketApi"}
)


def uses_sam(template: Mapping[str, Any]) -> bool:
    """SAM by transform, or by resource types (many real templates omit the Transform line)."""
    transform = template.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    if SAM_TRANSFORM in names:
        return True
    resources = template.get("Resources")
    if isinstance(resources, dict):
        for resource in resources.values():
            if isinstance(resource, dict):
                kind = resource.get("Type")
                if isinstance(kind, str) and kind.startswith("AWS::Serverless::"):
                    return True
    return False


def merge_globals(global_value: Any, local_value: Any) -> Any:
    """SAM's merge of one Globals value with the function's own value."""
    if is_intrinsic(global_value) or is_intrinsic(local_value):
        return local_value
    if isinstance(global_value, dict) and isinstance(local_value, dict):
        merged = dict(global_value)
        for key, value in local_value.items():
            merged[key] = merge_globals(global_value[key], value) if key in global_value else value
        return merged
    if isinstance(global_value, list) and isinstance(local_value, list):
        return global_value + local_value
    return local_value


def merge_function_properties(globals_function: Mapping[str, Any], properties: Mapping[str, Any]) -> dict:
    merged = {key: value for key, value in globals_function.items() if key in GLOBAL_FUNCTION_PROPERTIES}
    for key, value in properties.items():
        merged[key] = merge_globals(merged[key], value) if key in merged else value
    return merged


def merged_origin(globals_function: Mapping[str, Any], own: Mapping[str, Any],
                  keys: Sequence[Any]) -> Tuple[str, tuple]:
    """Where the merged value at `keys` was written: ("globals" or "own", the keys inside that source).

    Walks both sources the way `merge_globals` combined them, so a list index
    into a concatenated list (`Layers`) lands on the right entry of the right
    source: indices below the Globals length are Globals entries.
    """
    keys = tuple(keys)
    if not keys or keys[0] not in GLOBAL_FUNCTION_PROPERTIES or keys[0] not in globals_function:
        return "own", keys
    if keys[0] not in own:
        return "globals", keys
    global_value, local_value = globals_function[keys[0]], own[keys[0]]
    for position in range(1, len(keys)):
        key = keys[position]
        if is_intrinsic(global_value) or is_intrinsic(local_value):
            break  # the function's value replaced the global one whole
        if isinstance(global_value, dict) and isinstance(local_value, dict):
            if key in local_value:
                if key not in global_value:
                    break
                global_value, local_value = global_value[key], local_value[key]
                continue
            if key in global_value:
                return "globals", keys
            break
        if (isinstance(global_value, list) and isinstance(local_value, list)
                and isinstance(key, int) and not isinstance(key, bool)):
            if 0 <= key < len(global_value):
                return "globals", keys
            return "own", keys[:position] + (key - len(global_value),) + keys[position + 1:]
        break
    return "own", keys


SAM_PREFIX = "AWS::Serverless::"


def rejected_ignore_globals(model: TemplateModel) -> List[Tuple[Resource, Optional[int], Any]]:
    """(resource, list index or None for the whole attribute, the entry) for each `IgnoreGlobals`
    the SAM transform rejects. It reads the attribute only when Globals has a section for the
    resource's type; then it takes `'*'`, or a list of properties that section sets (the Globals
    value is removed, so a name it does not set, `Timeot`, fails), and nothing else
    (samtranslator/plugins/globals/globals.py, `get_template_globals`)."""
    found: List[Tuple[Resource, Optional[int], Any]] = []
    globals_sections = model.section("Globals")
    for resource in model.resources.values():
        ignored = resource.definition.get("IgnoreGlobals")
        section = globals_sections.get(resource.type[len(SAM_PREFIX):]) \
            if resource.type.startswith(SAM_PREFIX) else None
        if not isinstance(section, dict) or not ignored or ignored == "*":
            continue
        if not isinstance(ignored, list):
            found.append((resource, None, ignored))
            continue
        found.extend((resource, index, name) for index, name in enumerate(ignored)
                     if isinstance(name, str) and name not in section)
    return found
