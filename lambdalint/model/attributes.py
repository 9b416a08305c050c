"""Resource attributes: the keys CloudFormation reads beside `Type` in a resource.

A resource is `Type`, `Properties` and the resource attributes
(https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-product-attribute-reference.html):
`Condition`, `CreationPolicy`, `DeletionPolicy`, `DependsOn`, `Metadata`, `UpdatePolicy`,
`UpdateReplacePolicy`; custom resources also take `Version`
(https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-customresource.html),
and the SAM transform reads `Connectors` (embedded connectors, on any resource) and `IgnoreGlobals`
(https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-resource-attributes.html).
cfn-lint's resource schema (`data/schemas/other/resources/configuration.json`) admits the same set.
Any other key there is dropped without a word by CloudFormation and by the SAM transform.

A key `Fn::...` (an `AWS::Include` `Fn::Transform`, a loop the model could not expand) is no
attribute either, but a transform replaces it: it is not ours to judge. Nor is anything in a
template run through a macro that is not AWS's own: a macro may read any key it likes.
"""

from __future__ import annotations

from typing import Any, Dict, FrozenSet, List, Optional

from ..records import Record
from .sam import GLOBAL_FUNCTION_PROPERTIES
from .template import Resource, TemplateModel

RESOURCE_ATTRIBUTES = frozenset({
    "Type", "Properties", "Condition", "CreationPolicy", "DeletionPolicy", "DependsOn", "Metadata",
    "UpdatePolicy", "UpdateReplacePolicy", "Connectors", "IgnoreGlobals",
})
CUSTOM_RESOURCE_ATTRIBUTES = frozenset({"Version"})

# Properties of the types lambdalint reads most, so that a finding can say "move it under
# Properties" with certainty; for any other type the message says where it goes if it is one.
# CloudFormation types: the writable properties of their resource schemas
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html,
# .../aws-resource-lambda-layerversion.html, .../aws-resource-iam-role.html); a test compares them
# with the schemas cfn-lint ships. SAM types: the property lists of the SAM specification
# (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html,
# sam-resource-api.html, sam-resource-httpapi.html, sam-resource-simpletable.html,
# sam-resource-layerversion.html).
KNOWN_PROPERTIES: Dict[str, FrozenSet[str]] = {
    "AWS::Lambda::Function": frozenset({
        "Architectures", "CapacityProviderConfig", "Code", "CodeSigningConfigArn", "DeadLetterConfig",
        "Description", "DurableConfig", "Environment", "EphemeralStorage", "FileSystemConfigs", "FunctionName",
        "FunctionScalingConfig", "Handler", "ImageConfig", "KmsKeyArn", "Layers", "LoggingConfig", "MemorySize",
        "PackageType", "PublishToLatestPublished", "RecursiveLoop", "ReservedConcurrentExecutions", "Role",
        "Runtime", "RuntimeManagementConfig", "SnapStart", "Tags", "TenancyConfig", "Timeout", "TracingConfig",
        "VpcConfig",
    }),
    "AWS::Lambda::LayerVersion": frozenset({
        "CompatibleArchitectures", "CompatibleRuntimes", "Content", "Description", "LayerName", "LicenseInfo",
    }),
    "AWS::IAM::Role": frozenset({
        "AssumeRolePolicyDocument", "Description", "ManagedPolicyArns", "MaxSessionDuration", "Path",
        "PermissionsBoundary", "Policies", "RoleName", "Tags",
    }),
    "AWS::Serverless::Function": GLOBAL_FUNCTION_PROPERTIES | {
        "AutoPublishCodeSha256", "Events", "FunctionName", "ImageConfig", "ImageUri", "InlineCode",
        "PackageType", "Policies", "Role", "VersionDescription",
    },
    "AWS::Serverless::Api": frozenset({
        "AccessLogSetting", "AlwaysDeploy", "ApiKeySourceType", "Auth", "BinaryMediaTypes", "CacheClusterEnabled",
        "CacheClusterSize", "CanarySetting", "Cors", "DefinitionBody", "DefinitionUri", "Description",
        "DisableExecuteApiEndpoint", "Domain", "EndpointConfiguration", "FailOnWarnings", "GatewayResponses",
        "MergeDefinitions", "MethodSettings", "MinimumCompressionSize", "Mode", "Models", "Name",
        "OpenApiVersion", "PropagateTags", "StageName", "Tags", "TracingEnabled", "Variables",
    }),
    "AWS::Serverless::HttpApi": frozenset({
        "AccessLogSettings", "Auth", "CorsConfiguration", "DefaultRouteSettings", "DefinitionBody",
        "DefinitionUri", "Description", "DisableExecuteApiEndpoint", "Domain", "FailOnWarnings", "Name",
        "PropagateTags", "RouteSettings", "StageName", "StageVariables", "Tags",
    }),
    "AWS::Serverless::SimpleTable": frozenset({
        "PointInTimeRecoverySpecification", "PrimaryKey", "ProvisionedThroughput", "SSESpecification",
        "TableName", "Tags",
    }),
    "AWS::Serverless::LayerVersion": frozenset({
        "CompatibleArchitectures", "CompatibleRuntimes", "ContentUri", "Description", "LayerName", "LicenseInfo",
        "PublishLambdaVersion", "RetentionPolicy",
    }),
}

PROPERTY, MISSPELT, CUSTOM_ONLY, UNKNOWN_KEY = "property", "misspelt-attribute", "custom-resources-only", "unknown"


class UnknownResourceKey(Record):
    """A key beside `Type` that CloudFormation does not read.

    `kind` says what it probably is: PROPERTY (a property of the resource's type, written one
    level too high), MISSPELT (an attribute in other letter case: `meant` names it), CUSTOM_ONLY
    (`Version` on a resource that is not a custom resource), or UNKNOWN_KEY.
    """

    __slots__ = ("resource", "key", "kind", "meant")
    _hidden = ("resource",)

    def __init__(self, resource: Resource, key: str, kind: str, meant: Optional[str] = None) -> None:
        self.resource = resource
        self.key = key
        self.kind = kind
        self.meant = meant

    @property
    def path(self) -> Any:
        return self.resource.path + (self.key,)


def attributes_of(resource_type: str) -> FrozenSet[str]:
    """The keys CloudFormation reads beside `Type` in a resource of `resource_type`."""
    if resource_type == "AWS::CloudFormation::CustomResource" or resource_type.startswith("Custom::"):
        return RESOURCE_ATTRIBUTES | CUSTOM_RESOURCE_ATTRIBUTES
    return RESOURCE_ATTRIBUTES


def unknown_resource_keys(model: TemplateModel) -> List[UnknownResourceKey]:
    """Every resource-level key CloudFormation would ignore, in template order (once per model)."""
    return model.memo("attributes.unknown_keys", _find_unknown_keys)


def _find_unknown_keys(model: TemplateModel) -> List[UnknownResourceKey]:
    if _runs_a_macro(model.template.get("Transform")):
        return []
    found: List[UnknownResourceKey] = []
    for resource in model.resources.values():
        known = attributes_of(resource.type)
        if any(isinstance(key, str) and key.startswith("Fn::") for key in resource.definition):
            continue  # an included or looped snippet: what the resource ends up holding is the transform's
        for key in resource.definition:
            if not isinstance(key, str) or key in known:
                continue
            found.append(_classify(resource, key, known))
    return found


def _classify(resource: Resource, key: str, known: FrozenSet[str]) -> UnknownResourceKey:
    if key in KNOWN_PROPERTIES.get(resource.type, ()):
        return UnknownResourceKey(resource, key, PROPERTY)
    if key in CUSTOM_RESOURCE_ATTRIBUTES:
        return UnknownResourceKey(resource, key, CUSTOM_ONLY)
    for attribute in sorted(known):
        if attribute.lower() == key.lower():
            return UnknownResourceKey(resource, key, MISSPELT, attribute)
    return UnknownResourceKey(resource, key, UNKNOWN_KEY)


def _runs_a_macro(transform: Any) -> bool:
    """Whether the template names a transform that is not AWS's own (`AWS::Serverless-...`,
    `AWS::LanguageExtensions`, `AWS::Include`, ...): a macro may give any key a meaning."""
    if transform is None:
        return False
    names = transform if isinstance(transform, list) else [transform]
    for name in names:
        if isinstance(name, dict):
            name = name.get("Name")
        if not isinstance(name, str) or not name.startswith("AWS::"):
            return True
    return False
