"""A serverless.yml service (its variables resolved) lowered into the stack `serverless package` makes.

This mirrors what serverless 3.40.0 compiles (lib/plugins/aws/package/compile/, lib/plugins/aws/
package/lib/merge-iam-templates.js) for what lambdalint's rules read, with the framework's
logical IDs (lib/plugins/aws/lib/naming.js) so that both inputs of one service name resources
alike:

- each function: `<Name>LambdaFunction` with the framework's defaults (1024 MB, 6 s, the
  provider's runtime, else nodejs16.x), provider settings under the function's, the shared
  `IamRoleLambdaExecution` (log statements, `provider.iam.role` statements and managed policies,
  what the events and settings add) unless a role is given, a `<Name>LogGroup` unless
  `disableLogs`, a `<Name>LambdaVersion<hash>` unless `versionFunctions: false` (the hash is of
  the function's configuration: the framework also hashes the zip, which does not exist yet),
  a function URL and an event invoke config;
- events `sqs`, `stream`, `sns`, `schedule`, `s3`, `eventBridge`, `http`, `httpApi`, `alb`,
  `cloudFront` (Lambda@Edge: environment and VPC stripped, as the framework does); any other
  event kind is listed in `not_lowered`, never guessed;
- `layers:` and the `resources:` section as written.

Values that cannot be known are lambdalint.model.values.UNKNOWN. Every resource records the
service-file path it comes from (`places`), so findings land on the serverless.yml line.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple

from ..model.values import UNKNOWN

Path = Tuple[Any, ...]
ROLE = "IamRoleLambdaExecution"
DEFAULT_RUNTIME = "nodejs16.x"  # provider.getRuntime() of serverless 3.40.0
DEFAULT_MEMORY = 1024
DEFAULT_TIMEOUT = 6
# Always out of a package (package-service.js defaultExcludes), before the service's own patterns.
DEFAULT_EXCLUDES = (".git/**", ".gitignore", ".DS_Store", "npm-debug.log", "yarn-*.log", ".serverless/**",
                    ".serverless_plugins/**")
# `package.artifactDirectoryName`: the framework names the folder of the zips after the time of
# each deploy (generate-artifact-directory-name.js), so every deploy uploads to new keys; the
# time is not known before, this one stands for it.
DEPLOY_FOLDER = "0000000000000-1970-01-01T00:00:00.000Z"
LOWERED_EVENTS = frozenset({"sqs", "stream", "sns", "schedule", "s3", "eventBridge", "http", "httpApi", "alb",
                            "cloudFront"})
# function settings -> the template property they set, for findings about a property the
# function does not set itself: they land at the provider's setting, else at the function
PROVIDER_SETTINGS = {"Runtime": "runtime", "MemorySize": "memorySize", "Timeout": "timeout",
                     "Architectures": "architecture", "TracingConfig": "tracing", "KmsKeyArn": "kmsKeyArn",
                     "Layers": "layers", "VpcConfig": "vpc", "Role": "role", "Tags": "tags",
                     "Environment": "environment"}
FUNCTION_SETTINGS = {"Handler": "handler", "Code": "handler", "Runtime": "runtime", "MemorySize": "memorySize",
                     "Timeout": "timeout", "Architectures": "architecture", "TracingConfig": "tracing",
                     "KmsKeyArn": "kmsKeyArn", "Layers": "layers", "VpcConfig": "vpc", "Role": "role",
                     "Tags": "tags", "Description": "description", "EphemeralStorage": "ephemeralStorageSize",
                     "DeadLetterConfig": "onError", "ReservedConcurrentExecutions": "reservedConcurrency",
                     "FileSystemConfigs": "fileSystemConfig", "Environment": "environment",
                     "FunctionName": "name", "ImageConfig": "image"}


def normalized(name: str) -> str:
    """getNormalizedFunctionName / getNormalizedResourceName: `-` as Dash, `_` as Underscore, first letter up."""
    name = name.replace("-", "Dash").replace("_", "Underscore")
    return name[:1].upper() + name[1:]


def alphanumeric(name: Any) -> str:
    """normalizeNameToAlphaNumericOnly."""
    text = re.sub(r"[^0-9A-Za-z]", "", name if isinstance(name, str) else "")
    return text[:1].upper() + text[1:]


def _first_upper(text: Any) -> str:
    return text[:1].upper() + text[1:] if isinstance(text, str) else ""


class Lowered:
    """The template, and what the front end keeps beside it."""

    def __init__(self) -> None:
        self.template: Dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09",
                                         "Description": "The AWS CloudFormation template for this Serverless "
                                                        "application", "Resources": {}, "Outputs": {}}
        # template path -> (service-file path, whether the rest of a longer path continues there)
        self.places: Dict[Path, Tuple[Path, bool]] = {}
        self.function_keys: Dict[str, str] = {}  # logical ID -> key under `functions:`
        self.versions: Set[str] = set()
        self.selections: Dict[str, Tuple[str, ...]] = {}  # logical ID -> the globs of its package
        self.code: Dict[str, str] = {}  # S3Key -> local path (the service folder, or a given artifact)
        self.code_of: Dict[str, str] = {}  # function or layer logical ID -> that local path
        self.not_lowered: List[str] = []  # `functions.<key>.events[<n>] (websocket)`, ...

    @property
    def resources(self) -> Dict[str, Any]:
        return self.template["Resources"]

    def add(self, logical_id: str, resource: Dict[str, Any], written: Path, key: Optional[str] = None,
            carries: bool = False) -> None:
        self.resources[logical_id] = resource
        self.places[("Resources", logical_id)] = (written, carries)
        if key is not None:
            self.function_keys[logical_id] = key


def _or(*values: Any) -> Any:
    """JavaScript's `a || b || c`, where an UNKNOWN is a value given (it is not the default)."""
    for value in values[:-1]:
        if value is UNKNOWN or value:
            return value
    return values[-1]


def _mapping(value: Any) -> Dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> List[Any]:
    return value if isinstance(value, list) else []


class Compiler:
    def __init__(self, service: Mapping[str, Any], stage: Any, region: Any, config_file: str,
                 dev_dependencies: Sequence[str] = (), rewritten: bool = False) -> None:
        self.service = service
        self.name = service.get("service") if isinstance(service.get("service"), str) else UNKNOWN
        if isinstance(service.get("service"), dict):  # the old `service: {name: ...}` form
            name = service["service"].get("name")
            self.name = name if isinstance(name, str) else UNKNOWN
        self.provider = _mapping(service.get("provider"))
        self.stage = stage
        self.region = region
        self.config_file = config_file
        self.dev_dependencies = dev_dependencies
        # plugins may rewrite the configuration before it compiles: a runtime Lambda does not know
        # (serverless-rust's `rust`) is then theirs to replace, not a mistake
        self.rewritten = rewritten
        self.functions = {key: value for key, value in _mapping(service.get("functions")).items()
                          if isinstance(key, str) and isinstance(value, dict)}
        self.out = Lowered()
        self.statements: List[Any] = []
        self.iam = _mapping(_mapping(self.provider.get("iam")).get("role"))
        self._aliases: Dict[str, Tuple[str, str]] = {}  # function key -> (alias name, alias logical ID)

    # -- the whole service ----------------------------------------------------------------
    def compile(self) -> Lowered:
        if self.provider.get("name") not in ("aws", None):
            return self.out  # another cloud: nothing lambdalint checks
        self._deployment_bucket()
        self._role()
        for key, function in self.functions.items():
            self._function(key, function)
        for key, function in self.functions.items():
            for index, event in enumerate(_list(function.get("events"))):
                self._event(key, function, index, event)
        self._layers()
        self._resources()
        return self.out

    def _deployment_bucket(self) -> None:
        """The bucket of the framework's core template (core-cloudformation-template.json), unless one is named."""
        given = self.provider.get("deploymentBucket")
        if isinstance(given, str) or (isinstance(given, dict) and given.get("name")) or given is UNKNOWN:
            return
        bucket = {"Ref": "ServerlessDeploymentBucket"}
        arn = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", bucket]]}
        objects = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", bucket, "/*"]]}
        self.out.add("ServerlessDeploymentBucket", {"Type": "AWS::S3::Bucket", "Properties": {"BucketEncryption": {
            "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}},
            ("provider",))
        self.out.add("ServerlessDeploymentBucketPolicy", {"Type": "AWS::S3::BucketPolicy", "Properties": {
            "Bucket": bucket, "PolicyDocument": {"Statement": [{
                "Action": "s3:*", "Effect": "Deny", "Principal": "*", "Resource": [objects, arn],
                "Condition": {"Bool": {"aws:SecureTransport": False}}}]}}}, ("provider",))
        self.out.template["Outputs"]["ServerlessDeploymentBucketName"] = {"Value": bucket}

    def _text(self, *parts: Any) -> Any:
        return "-".join(parts) if all(isinstance(part, str) for part in parts) else UNKNOWN

    def function_name(self, key: str) -> Any:
        name = self.functions[key].get("name")
        return name if name is not None else self._text(self.name, self.stage, key)

    def _uses_shared_role(self, function: Mapping[str, Any]) -> bool:
        return "role" not in function and "role" not in self.provider and not self._existing_role()

    def _existing_role(self) -> bool:
        role = _mapping(self.provider.get("iam")).get("role")
        return isinstance(role, str) or (isinstance(role, dict) and "Fn::GetAtt" in role)

    def _role(self) -> None:
        if (not self.functions or self._existing_role() or "role" in self.provider
                or all("role" in function for function in self.functions.values())):
            return
        prefix = self._text(self.name, self.stage)
        groups: List[Any] = []
        for key, function in self.functions.items():
            if function.get("disableLogs"):
                continue
            name = self.function_name(key)
            if isinstance(name, str) and isinstance(prefix, str) and name.startswith(prefix):
                continue
            groups.append(name if isinstance(name, str) else UNKNOWN)
        canonical = any(not function.get("disableLogs") and (not isinstance(self.function_name(key), str) or not
                        isinstance(prefix, str) or self.function_name(key).startswith(prefix))
                        for key, function in self.functions.items())
        partition = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:"
        create: List[Any] = []
        put: List[Any] = []
        for name in groups:
            create.append({"Fn::Sub": f"{partition}/aws/lambda/{name}:*"} if isinstance(name, str) else UNKNOWN)
            put.append({"Fn::Sub": f"{partition}/aws/lambda/{name}:*:*"} if isinstance(name, str) else UNKNOWN)
        if canonical:
            create.append({"Fn::Sub": f"{partition}/aws/lambda/{prefix}*:*"} if isinstance(prefix, str) else UNKNOWN)
            put.append({"Fn::Sub": f"{partition}/aws/lambda/{prefix}*:*:*"} if isinstance(prefix, str) else UNKNOWN)
        self.statements = [
            {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"],
             "Resource": create},
            {"Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": put},
        ]
        written: Path = ("provider",)
        given = self.iam.get("statements") if "statements" in self.iam else self.provider.get("iamRoleStatements")
        given_path: Path = (("provider", "iam", "role", "statements") if "statements" in self.iam
                            else ("provider", "iamRoleStatements"))
        statements_at = len(self.statements)
        self.statements.extend(_list(given))
        policy_path = ("Resources", ROLE, "Properties", "Policies", 0, "PolicyDocument", "Statement")
        for offset in range(len(_list(given))):
            self.out.places[policy_path + (statements_at + offset,)] = (given_path + (offset,), True)
        properties: Dict[str, Any] = {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]},
                 "Action": ["sts:AssumeRole"]}]},
            "Policies": [{"PolicyName": {"Fn::Join": ["-", [self.name, self.stage, "lambda"]]},
                          "PolicyDocument": {"Version": "2012-10-17", "Statement": self.statements}}],
            "Path": self.iam.get("path", "/"),
            "RoleName": self.iam.get("name") or {"Fn::Join": ["-", [self.name, self.stage, {"Ref": "AWS::Region"},
                                                                     "lambdaRole"]]},
        }
        managed = _list(self.iam.get("managedPolicies") if "managedPolicies" in self.iam
                        else self.provider.get("iamManagedPolicies"))
        if self.provider.get("vpc") or any("vpc" in function for function in self.functions.values()):
            managed = managed + [{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"},
                                                    ":iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"]]}]
        if managed:
            properties["ManagedPolicyArns"] = managed
        boundary = (self.iam.get("permissionsBoundary") or self.iam.get("permissionBoundary")
                    or self.provider.get("rolePermissionsBoundary"))
        if boundary:
            properties["PermissionsBoundary"] = boundary
        if "iam" in self.provider:
            written = ("provider", "iam", "role") if self.iam else ("provider", "iam")
        self.out.add(ROLE, {"Type": "AWS::IAM::Role", "Properties": properties}, written)

    def _statement(self, statement: Dict[str, Any], function: Mapping[str, Any]) -> None:
        """What the framework adds to the shared role for an event or setting (when that role is used)."""
        if ROLE in self.out.resources and self._uses_shared_role(function) and statement["Resource"]:
            self.statements.append(statement)

    # -- a function -----------------------------------------------------------------------
    def _setting(self, function: Mapping[str, Any], key: str) -> Any:
        return function[key] if key in function else self.provider.get(key)

    def _function(self, key: str, function: Mapping[str, Any]) -> None:
        name = normalized(key)
        logical_id = f"{name}LambdaFunction"
        where: Path = ("functions", key)
        properties: Dict[str, Any] = {}
        image = function.get("image")
        if function.get("handler") is not None or image is None:
            properties["Code"] = self._code(key, function, logical_id)
            properties["Handler"] = function.get("handler", UNKNOWN)
            runtime = self._setting(function, "runtime")
            properties["Runtime"] = runtime if runtime is not None else DEFAULT_RUNTIME
            if self.rewritten and isinstance(runtime, str):
                from ..data import runtime as known_runtime

                properties["Runtime"] = runtime if known_runtime(runtime) is not None else UNKNOWN
        else:
            uri = image if isinstance(image, str) else _mapping(image).get("uri")
            properties["Code"] = {"ImageUri": uri if isinstance(uri, str) and ".dkr.ecr." in uri else UNKNOWN}
            properties["PackageType"] = "Image"
            config = {target: _mapping(image).get(source) for source, target in
                      (("command", "Command"), ("entryPoint", "EntryPoint"), ("workingDirectory", "WorkingDirectory"))
                      if _mapping(image).get(source)}
            if config:
                properties["ImageConfig"] = config
        properties["FunctionName"] = self.function_name(key)
        properties["MemorySize"] = _or(function.get("memorySize"), self.provider.get("memorySize"), DEFAULT_MEMORY)
        properties["Timeout"] = _or(function.get("timeout"), self.provider.get("timeout"), DEFAULT_TIMEOUT)
        architecture = self._setting(function, "architecture")
        if architecture:
            properties["Architectures"] = [architecture]
        if function.get("description"):
            properties["Description"] = function["description"]
        tags = {**_mapping(self.provider.get("tags")), **_mapping(function.get("tags"))}
        if tags:
            properties["Tags"] = [{"Key": tag, "Value": value} for tag, value in tags.items()]
        if function.get("ephemeralStorageSize"):
            properties["EphemeralStorage"] = {"Size": function["ephemeralStorageSize"]}
        if function.get("onError"):
            properties["DeadLetterConfig"] = {"TargetArn": function["onError"]}
            if isinstance(function["onError"], str):
                self._statement({"Effect": "Allow", "Action": ["sns:Publish"], "Resource": [function["onError"]]},
                                function)
        kms = _or(function.get("kmsKeyArn"), self.provider.get("kmsKeyArn"), None)
        if kms:
            properties["KmsKeyArn"] = kms
            if isinstance(kms, str):
                self._statement({"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [kms]}, function)
        tracing = _or(function.get("tracing"), _mapping(self.provider.get("tracing")).get("lambda"), None)
        if tracing:
            properties["TracingConfig"] = {"Mode": "Active" if isinstance(tracing, bool) else tracing}
            self._statement({"Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                             "Resource": ["*"]}, function)
        environment = {**_mapping(self.provider.get("environment")), **_mapping(function.get("environment"))}
        if UNKNOWN in (function.get("environment"), self.provider.get("environment")):
            properties["Environment"] = {"Variables": UNKNOWN}
        elif "environment" in function or "environment" in self.provider:
            properties["Environment"] = {"Variables": environment}
            for variable in environment:
                scope = where if variable in _mapping(function.get("environment")) else ("provider",)
                self.out.places[("Resources", logical_id, "Properties", "Environment", "Variables", variable)] = (
                    scope + ("environment", variable), True)
        properties["Role"] = self._role_of(function)
        vpc = function.get("vpc", self.provider.get("vpc")) if function.get("vpc") is not False else None
        if vpc is UNKNOWN or UNKNOWN in _mapping(vpc).values():
            properties["VpcConfig"] = UNKNOWN
        elif isinstance(vpc, dict):
            groups = vpc.get("securityGroupIds") or _mapping(self.provider.get("vpc")).get("securityGroupIds")
            subnets = vpc.get("subnetIds") or _mapping(self.provider.get("vpc")).get("subnetIds")
            if groups and subnets:
                properties["VpcConfig"] = {"SecurityGroupIds": groups, "SubnetIds": subnets}
        filesystem = _mapping(function.get("fileSystemConfig"))
        if filesystem:
            properties["FileSystemConfigs"] = [{"Arn": filesystem.get("arn"),
                                                "LocalMountPath": filesystem.get("localMountPath")}]
            self._statement({"Effect": "Allow", "Action": ["elasticfilesystem:ClientMount",
                                                          "elasticfilesystem:ClientWrite"],
                             "Resource": [filesystem.get("arn")]}, function)
        if function.get("reservedConcurrency") is not None:
            properties["ReservedConcurrentExecutions"] = function["reservedConcurrency"]
        layers = function.get("layers", self.provider.get("layers"))
        if layers:
            properties["Layers"] = list(layers) if isinstance(layers, list) else layers
        resource: Dict[str, Any] = {"Type": "AWS::Lambda::Function", "Properties": properties}
        if not function.get("disableLogs"):
            resource["DependsOn"] = [f"{name}LogGroup"]
            self._log_group(key, function)
        if function.get("condition"):
            resource["Condition"] = function["condition"]
        self.out.add(logical_id, resource, where, key)
        for template_key, setting in FUNCTION_SETTINGS.items():
            if template_key not in properties:
                continue
            path = ("Resources", logical_id, "Properties", template_key)
            if setting in function:
                self.out.places.setdefault(path, (where + (setting,), template_key in ("Layers", "Tags")))
            elif template_key in PROVIDER_SETTINGS and PROVIDER_SETTINGS[template_key] in self.provider:
                self.out.places.setdefault(path, (("provider", PROVIDER_SETTINGS[template_key]), False))
        self._version(key, function, logical_id, properties)
        self._url(key, function, logical_id)
        self._invoke_config(key, function, logical_id)

    def _role_of(self, function: Mapping[str, Any]) -> Any:
        role = function.get("role", self.provider.get("role", _mapping(self.provider.get("iam")).get("role")))
        if isinstance(role, str):
            return role if role.startswith("arn:") else {"Fn::GetAtt": [role, "Arn"]}
        if isinstance(role, dict) and role and not ({"name", "statements", "managedPolicies", "path", "tags",
                                                     "permissionsBoundary", "permissionBoundary"} & set(role)):
            return role
        return {"Fn::GetAtt": [ROLE, "Arn"]}

    def _code(self, key: str, function: Mapping[str, Any], logical_id: str) -> Dict[str, Any]:
        """Where the function's package is: a given artifact, else the service folder through its patterns."""
        package = _mapping(self.service.get("package"))
        own = _mapping(function.get("package"))
        artifact = own.get("artifact") or package.get("artifact")
        individually = bool(package.get("individually") or own.get("individually"))
        zip_name = f"{key}.zip" if individually else f"{self.name}.zip"
        if isinstance(artifact, str) and not artifact.startswith(("s3://", "https://")):
            zip_name = artifact.replace("\\", "/").rsplit("/", 1)[-1]
        object_key = self._object_key(zip_name)
        if isinstance(object_key, str):
            if isinstance(artifact, str) and not artifact.startswith(("s3://", "https://")):
                self.out.code[object_key] = self.out.code_of[logical_id] = artifact
            elif artifact is None:
                self.out.code[object_key] = self.out.code_of[logical_id] = "."
                self.out.selections[logical_id] = self.patterns(own if individually else {})
        bucket = _mapping(package.get("deploymentBucket")) or self.provider.get("deploymentBucket")
        bucket_name = _mapping(bucket).get("name") if isinstance(bucket, dict) else bucket
        return {"S3Bucket": bucket_name if isinstance(bucket_name, str) else {"Ref": "ServerlessDeploymentBucket"},
                "S3Key": object_key}

    def _object_key(self, zip_name: str) -> Any:
        """The S3 key the framework uploads a zip to (`<artifactDirectoryName>/<zip>`)."""
        if isinstance(self.name, str) and isinstance(self.stage, str):
            return f"serverless/{self.name}/{self.stage}/{DEPLOY_FOLDER}/{zip_name}"
        return UNKNOWN

    def patterns(self, own: Mapping[str, Any]) -> Tuple[str, ...]:
        """The globs, in the framework's order, that pick a package out of the service folder."""
        package = _mapping(self.service.get("package"))
        excludes = list(DEFAULT_EXCLUDES) + [self.config_file]
        excludes += [item for item in _list(package.get("exclude")) + _list(own.get("exclude"))
                     if isinstance(item, str)]
        excludes += [f"{layer.get('path')}/**" for layer in _mapping(self.service.get("layers")).values()
                     if isinstance(layer, dict) and isinstance(layer.get("path"), str)]
        if package.get("excludeDevDependencies", True) is not False:
            excludes += [f"node_modules/{name}/**" for name in self.dev_dependencies]
        negated = [pattern[1:] if pattern.startswith("!") else f"!{pattern}" for pattern in excludes]
        includes = [item for item in _list(package.get("include")) + _list(package.get("patterns"))
                    + _list(own.get("include")) + _list(own.get("patterns")) if isinstance(item, str)]
        return tuple(negated + includes)

    def _log_group(self, key: str, function: Mapping[str, Any]) -> None:
        properties: Dict[str, Any] = {"LogGroupName": self._text_join("/aws/lambda/", self.function_name(key))}
        retention = _or(function.get("logRetentionInDays"), self.provider.get("logRetentionInDays"), None)
        if retention:
            properties["RetentionInDays"] = retention
        logical_id = f"{normalized(key)}LogGroup"
        self.out.add(logical_id, {"Type": "AWS::Logs::LogGroup", "Properties": properties}, ("functions", key), key)
        if retention:
            source = ("functions", key, "logRetentionInDays") if function.get("logRetentionInDays") \
                else ("provider", "logRetentionInDays")
            self.out.places[("Resources", logical_id, "Properties", "RetentionInDays")] = (source, False)

    @staticmethod
    def _text_join(prefix: str, value: Any) -> Any:
        return prefix + value if isinstance(value, str) else UNKNOWN

    def _version(self, key: str, function: Mapping[str, Any], logical_id: str, properties: Mapping[str, Any]) -> None:
        versioned = function.get("versionFunction", self.provider.get("versionFunctions", True))
        if not (versioned or function.get("provisionedConcurrency") or function.get("snapStart")):
            return
        digest = hashlib.sha256(json.dumps(properties, sort_keys=True, default=str).encode()).digest()
        version_id = f"{normalized(key)}LambdaVersion" + re.sub(r"[^0-9a-zA-Z]", "", base64.b64encode(digest).decode())
        version: Dict[str, Any] = {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": logical_id}}}
        if versioned:
            version["DeletionPolicy"] = "Retain"
        if function.get("description"):
            version["Properties"]["Description"] = function["description"]
        self.out.add(version_id, version, ("functions", key), key)
        self.out.versions.add(version_id)
        self.out.template["Outputs"][f"{logical_id}QualifiedArn"] = {
            "Description": "Current Lambda function version", "Value": {"Ref": version_id}}
        for setting, suffix, alias in (("provisionedConcurrency", "ProvConcLambdaAlias", "provisioned"),
                                       ("snapStart", "SnapStartLambdaAlias", "snapstart")):
            if not function.get(setting):
                continue
            alias_properties: Dict[str, Any] = {"FunctionName": {"Ref": logical_id},
                                                "FunctionVersion": {"Fn::GetAtt": [version_id, "Version"]},
                                                "Name": alias}
            if setting == "provisionedConcurrency":
                alias_properties["ProvisionedConcurrencyConfig"] = {
                    "ProvisionedConcurrentExecutions": function[setting]}
            else:
                self.out.resources[logical_id]["Properties"]["SnapStart"] = {"ApplyOn": "PublishedVersions"}
            self.out.add(f"{normalized(key)}{suffix}", {"Type": "AWS::Lambda::Alias", "Properties": alias_properties,
                                                        "DependsOn": logical_id},
                         ("functions", key, setting), key)
            function_alias = f"{normalized(key)}{suffix}"
            self._aliases[key] = (alias, function_alias)

    def target(self, key: str) -> Any:
        """resolveLambdaTarget: the function's ARN, or its alias with provisioned concurrency or SnapStart."""
        logical_id = f"{normalized(key)}LambdaFunction"
        if key in self._aliases:
            alias = self._aliases[key][0]
            return {"Fn::Join": [":", [{"Fn::GetAtt": [logical_id, "Arn"]}, alias]]}
        return {"Fn::GetAtt": [logical_id, "Arn"]}

    def _url(self, key: str, function: Mapping[str, Any], logical_id: str) -> None:
        url = function.get("url")
        if not url:
            return
        url = url if isinstance(url, dict) else {}
        auth = "AWS_IAM" if url.get("authorizer") == "aws_iam" else "NONE"
        properties: Dict[str, Any] = {"AuthType": auth, "TargetFunctionArn": self.target(key)}
        cors = url.get("cors")
        if cors:
            cors = cors if isinstance(cors, dict) else {}
            properties["Cors"] = {
                "AllowCredentials": True if cors.get("allowCredentials") else None,
                "AllowHeaders": cors.get("allowedHeaders", ["Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key",
                                                            "X-Amz-Security-Token", "X-Amzn-Trace-Id"]),
                "AllowMethods": cors.get("allowedMethods", ["*"]),
                "AllowOrigins": cors.get("allowedOrigins", ["*"]),
                "ExposeHeaders": cors.get("exposedResponseHeaders"), "MaxAge": cors.get("maxAge")}
            properties["Cors"] = {name: value for name, value in properties["Cors"].items() if value is not None}
        if url.get("invokeMode") == "RESPONSE_STREAM":
            properties["InvokeMode"] = "RESPONSE_STREAM"
        where = ("functions", key, "url")
        self.out.add(f"{logical_id}Url", {"Type": "AWS::Lambda::Url", "Properties": properties}, where, key)
        if auth == "NONE":
            self.out.add(f"{normalized(key)}LambdaPermissionFnUrl", {"Type": "AWS::Lambda::Permission", "Properties": {
                "FunctionName": self.target(key), "Action": "lambda:InvokeFunctionUrl", "Principal": "*",
                "FunctionUrlAuthType": "NONE"}}, where, key)

    def _invoke_config(self, key: str, function: Mapping[str, Any], logical_id: str) -> None:
        destinations = _mapping(function.get("destinations"))
        age, retries = function.get("maximumEventAge"), function.get("maximumRetryAttempts")
        if not destinations and not age and retries is None:
            return
        config: Dict[str, Any] = {}
        for setting, name in (("onSuccess", "OnSuccess"), ("onFailure", "OnFailure")):
            target = destinations.get(setting)
            if isinstance(target, dict):
                config[name] = {"Destination": target.get("arn", UNKNOWN)}
            elif isinstance(target, str):
                config[name] = {"Destination": target if target.startswith("arn:") or target not in self.functions
                                else {"Fn::GetAtt": [f"{normalized(target)}LambdaFunction", "Arn"]}}
        properties: Dict[str, Any] = {"FunctionName": {"Ref": logical_id}, "DestinationConfig": config,
                                      "Qualifier": self._aliases[key][0] if key in self._aliases else "$LATEST"}
        if age:
            properties["MaximumEventAgeInSeconds"] = age
        if retries is not None:
            properties["MaximumRetryAttempts"] = retries
        self.out.add(f"{normalized(key)}LambdaEvConf", {"Type": "AWS::Lambda::EventInvokeConfig",
                                                        "Properties": properties}, ("functions", key), key)

    # -- events ---------------------------------------------------------------------------
    def _event(self, key: str, function: Mapping[str, Any], index: int, event: Any) -> None:
        where = ("functions", key, "events", index)
        if not isinstance(event, dict) or len(event) != 1:
            self.out.not_lowered.append(f"functions.{key}.events[{index}]")
            return
        (kind, settings), = event.items()
        if kind not in LOWERED_EVENTS or settings is UNKNOWN:
            self.out.not_lowered.append(f"functions.{key}.events[{index}] ({kind})")
            return
        getattr(self, f"_event_{kind}")(key, function, index, settings, where)

    def _mapping_dependencies(self, key: str, function: Mapping[str, Any]) -> List[str]:
        depends = [ROLE] if self._uses_shared_role(function) and ROLE in self.out.resources else []
        role = function.get("role", self.provider.get("role"))
        if isinstance(role, str) and not role.startswith("arn:"):
            depends = [role]
        if key in self._aliases:
            depends.append(self._aliases[key][1])
        return depends

    def _event_sqs(self, key: str, function: Mapping[str, Any], index: int, settings: Any, where: Path) -> None:
        settings = settings if isinstance(settings, dict) else {"arn": settings}
        arn = settings.get("arn", UNKNOWN)
        properties: Dict[str, Any] = {"BatchSize": _or(settings.get("batchSize"), 10), "EventSourceArn": arn,
                                      "FunctionName": self.target(key), "Enabled": settings.get("enabled", True)}
        if settings.get("maximumBatchingWindow") is not None:
            properties["MaximumBatchingWindowInSeconds"] = settings["maximumBatchingWindow"]
        if settings.get("functionResponseType") is not None:
            properties["FunctionResponseTypes"] = [settings["functionResponseType"]]
        if settings.get("filterPatterns"):
            properties["FilterCriteria"] = {"Filters": [{"Pattern": json.dumps(pattern, default=str)}
                                                        for pattern in _list(settings["filterPatterns"])]}
        if settings.get("maximumConcurrency"):
            properties["ScalingConfig"] = {"MaximumConcurrency": settings["maximumConcurrency"]}
        name = _source_name(arn, ":")
        self.out.add(f"{normalized(key)}EventSourceMappingSQS{alphanumeric(name)}", {
            "Type": "AWS::Lambda::EventSourceMapping", "DependsOn": self._mapping_dependencies(key, function),
            "Properties": properties}, where, key)
        self._statement({"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage",
                                                       "sqs:GetQueueAttributes"], "Resource": [arn]}, function)

    def _event_stream(self, key: str, function: Mapping[str, Any], index: int, settings: Any, where: Path) -> None:
        settings = settings if isinstance(settings, dict) else {"arn": settings}
        arn = settings.get("arn", UNKNOWN)
        kind = settings.get("type") or (arn.split(":")[2] if isinstance(arn, str) and arn.count(":") >= 2 else None)
        kind = kind if isinstance(kind, str) else None
        properties: Dict[str, Any] = {"BatchSize": _or(settings.get("batchSize"), 10),
                                      "Enabled": settings.get("enabled", True), "EventSourceArn": arn,
                                      "FunctionName": self.target(key),
                                      "StartingPosition": settings.get("startingPosition") or "TRIM_HORIZON"}
        for setting, name in (("parallelizationFactor", "ParallelizationFactor"),
                              ("batchWindow", "MaximumBatchingWindowInSeconds"),
                              ("maximumRetryAttempts", "MaximumRetryAttempts"),
                              ("bisectBatchOnFunctionError", "BisectBatchOnFunctionError"),
                              ("maximumRecordAgeInSeconds", "MaximumRecordAgeInSeconds"),
                              ("tumblingWindowInSeconds", "TumblingWindowInSeconds"),
                              ("startingPositionTimestamp", "StartingPositionTimestamp")):
            if settings.get(setting) is not None:
                properties[name] = settings[setting]
        if settings.get("functionResponseType") is not None:
            properties["FunctionResponseTypes"] = [settings["functionResponseType"]]
        failure = _mapping(settings.get("destinations")).get("onFailure")
        if failure is not None:
            target = failure.get("arn", UNKNOWN) if isinstance(failure, dict) else failure
            properties["DestinationConfig"] = {"OnFailure": {"Destination": target}}
            destination_kind = (failure.get("type") if isinstance(failure, dict) else None) or (
                target.split(":")[2] if isinstance(target, str) and target.count(":") >= 2 else None)
            self._statement({"Effect": "Allow", "Action": ["sns:Publish"] if destination_kind == "sns"
                             else ["sqs:ListQueues", "sqs:SendMessage"], "Resource": [target]}, function)
        if settings.get("filterPatterns"):
            properties["FilterCriteria"] = {"Filters": [{"Pattern": json.dumps(pattern, default=str)}
                                                        for pattern in _list(settings["filterPatterns"])]}
        name = _stream_name(arn)
        logical_id = f"{normalized(key)}EventSourceMapping{_first_upper(kind)}{alphanumeric(name)}"
        mapping: Dict[str, Any] = {"Type": "AWS::Lambda::EventSourceMapping",
                                   "DependsOn": self._mapping_dependencies(key, function), "Properties": properties}
        consumer = settings.get("consumer")
        if consumer and kind == "kinesis":
            if consumer is True:
                consumer_name = f"{key}{name}Consumer" if isinstance(name, str) else "Consumer"
                consumer_id = f"{normalized(consumer_name)}StreamConsumer"
                self.out.add(consumer_id, {"Type": "AWS::Kinesis::StreamConsumer", "Properties": {
                    "StreamARN": arn, "ConsumerName": consumer_name}}, where, key)
                mapping["DependsOn"].append(consumer_id)
                properties["EventSourceArn"] = {"Ref": consumer_id}
            else:
                properties["EventSourceArn"] = consumer
            self._statement({"Effect": "Allow", "Action": ["kinesis:GetRecords", "kinesis:GetShardIterator",
                                                           "kinesis:DescribeStreamSummary", "kinesis:ListShards"],
                             "Resource": [arn]}, function)
            self._statement({"Effect": "Allow", "Action": ["kinesis:SubscribeToShard"],
                             "Resource": [properties["EventSourceArn"]]}, function)
        else:
            service = "dynamodb" if kind == "dynamodb" else "kinesis"
            self._statement({"Effect": "Allow", "Action": [f"{service}:GetRecords", f"{service}:GetShardIterator",
                                                           f"{service}:DescribeStream", f"{service}:ListStreams"],
                             "Resource": [arn]}, function)
        self.out.add(logical_id, mapping, where, key)

    def _permission(self, key: str, logical_id: str, principal: str, source_arn: Any, where: Path,
                    **extra: Any) -> None:
        properties: Dict[str, Any] = {"FunctionName": self.target(key), "Action": "lambda:InvokeFunction",
                                      "Principal": principal}
        if source_arn is not None:
            properties["SourceArn"] = source_arn
        properties.update(extra)
        self.out.add(logical_id, {"Type": "AWS::Lambda::Permission", "Properties": properties}, where, key)

    def _event_sns(self, key: str, function: Mapping[str, Any], index: int, settings: Any, where: Path) -> None:
        arn: Any = None
        if isinstance(settings, dict):
            arn = settings.get("arn")
            topic = settings.get("topicName") or (arn.split(":")[-1] if isinstance(arn, str) else None)
        elif isinstance(settings, str) and settings.startswith("arn:"):
            arn, topic = settings, settings.split(":")[-1]
        else:
            topic = settings
        topic_key = alphanumeric(topic) if isinstance(topic, str) else "Topic"
        subscription: Dict[str, Any] = {"Endpoint": self.target(key), "Protocol": "lambda"}
        options = _mapping(settings)
        if options.get("filterPolicy"):
            subscription["FilterPolicy"] = options["filterPolicy"]
        if options.get("filterPolicyScope"):
            subscription["FilterPolicyScope"] = options["filterPolicyScope"]
        redrive = _mapping(options.get("redrivePolicy"))
        if redrive:
            target = (redrive.get("deadLetterTargetArn") or ({"Fn::GetAtt": [redrive["deadLetterTargetRef"], "Arn"]}
                      if redrive.get("deadLetterTargetRef") else UNKNOWN))
            subscription["RedrivePolicy"] = {"deadLetterTargetArn": target}
        if arn is None:
            topic_id = f"SNSTopic{topic_key}"
            arn = {"Ref": topic_id}
            if topic_id not in self.out.resources:
                properties: Dict[str, Any] = {"TopicName": topic}
                if options.get("displayName"):
                    properties["DisplayName"] = options["displayName"]
                self.out.add(topic_id, {"Type": "AWS::SNS::Topic", "Properties": properties}, where)
        subscription["TopicArn"] = arn
        self.out.add(f"{normalized(key)}SnsSubscription{topic_key}", {"Type": "AWS::SNS::Subscription",
                                                                      "Properties": subscription}, where, key)
        self._permission(key, f"{normalized(key)}LambdaPermission{topic_key}SNS", "sns.amazonaws.com", arn, where)

    def _event_schedule(self, key: str, function: Mapping[str, Any], index: int, settings: Any, where: Path) -> None:
        settings = settings if isinstance(settings, dict) else {"rate": settings}
        rates = settings.get("rate")
        rates = rates if isinstance(rates, list) else [rates]
        number = 1 + sum(1 for event in _list(function.get("events"))[:index]
                         if isinstance(event, dict) and "schedule" in event)
        for offset, rate in enumerate(rates):
            count = number + offset
            if settings.get("method") == "scheduler":
                properties: Dict[str, Any] = {"ScheduleExpression": rate, "State": "ENABLED" if settings.get(
                    "enabled", True) else "DISABLED", "FlexibleTimeWindow": {"Mode": "OFF"},
                    "Target": {"Arn": self.target(key), "RoleArn": {"Fn::GetAtt": [ROLE, "Arn"]}}}
                if settings.get("timezone"):
                    properties["ScheduleExpressionTimezone"] = settings["timezone"]
                self.out.add(f"{normalized(key)}SchedulerSchedule{count}", {"Type": "AWS::Scheduler::Schedule",
                                                                             "Properties": properties}, where, key)
                continue
            rule_id = f"{normalized(key)}EventsRuleSchedule{count}"
            target: Dict[str, Any] = {"Arn": self.target(key), "Id": f"{key}Schedule"}
            for setting, name in (("input", "Input"), ("inputPath", "InputPath")):
                if settings.get(setting) is not None:
                    value = settings[setting]
                    target[name] = json.dumps(value, default=str) if isinstance(value, dict) else value
            rule: Dict[str, Any] = {"ScheduleExpression": rate, "State": "ENABLED" if settings.get("enabled", True)
                                    else "DISABLED", "Targets": [target]}
            if settings.get("name"):
                rule["Name"] = settings["name"]
            if settings.get("description"):
                rule["Description"] = settings["description"]
            self.out.add(rule_id, {"Type": "AWS::Events::Rule", "Properties": rule}, where, key)
            self._permission(key, f"{normalized(key)}LambdaPermissionEventsRuleSchedule{count}", "events.amazonaws.com",
                             {"Fn::GetAtt": [rule_id, "Arn"]}, where)

    def _event_s3(self, key: str, function: Mapping[str, Any], index: int, settings: Any, where: Path) -> None:
        settings = settings if isinstance(settings, dict) else {"bucket": settings}
        bucket = settings.get("bucket")
        name = bucket if isinstance(bucket, str) else UNKNOWN
        if settings.get("existing"):
            # the framework configures an existing bucket through its own custom resource
            self._permission(key, f"{normalized(key)}LambdaPermission{alphanumeric(name)}S3", "s3.amazonaws.com",
                             {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":s3:::{name}"]]}
                             if isinstance(name, str) else UNKNOWN, where, SourceAccount={"Ref": "AWS::AccountId"})
            return
        bucket_id = f"S3Bucket{alphanumeric(name)}"
        filters = [{"Name": rule_name, "Value": value}
                   for rule in _list(settings.get("rules")) if isinstance(rule, dict)
                   for rule_name, value in rule.items()]
        configuration: Dict[str, Any] = {"Event": settings.get("event", "s3:ObjectCreated:*"),
                                         "Function": {"Fn::GetAtt": [f"{normalized(key)}LambdaFunction", "Arn"]}}
        if filters:
            configuration["Filter"] = {"S3Key": {"Rules": filters}}
        existing = self.out.resources.get(bucket_id)
        if existing is None:
            self.out.add(bucket_id, {"Type": "AWS::S3::Bucket", "Properties": {
                "BucketName": name, "NotificationConfiguration": {"LambdaConfigurations": [configuration]}},
                "DependsOn": []}, where)
        else:
            existing["Properties"]["NotificationConfiguration"]["LambdaConfigurations"].append(configuration)
        permission_id = f"{normalized(key)}LambdaPermission{alphanumeric(name)}S3"
        self.out.resources[bucket_id]["DependsOn"].append(permission_id)
        self._permission(key, permission_id, "s3.amazonaws.com",
                         {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":s3:::{name}"]]}
                         if isinstance(name, str) else UNKNOWN, where, SourceAccount={"Ref": "AWS::AccountId"})

    def _event_eventBridge(self, key: str, function: Mapping[str, Any], index: int, settings: Any,  # noqa: N802
                           where: Path) -> None:
        settings = _mapping(settings)
        number = 1 + sum(1 for event in _list(function.get("events"))[:index]
                         if isinstance(event, dict) and "eventBridge" in event)
        bus = settings.get("eventBus")
        bus_arn: Any = None
        if isinstance(bus, str) and not bus.startswith("arn:") and bus != "default":
            bus_id = f"{normalized(bus)}EventBridgeEventBus"
            if bus_id not in self.out.resources:
                self.out.add(bus_id, {"Type": "AWS::Events::EventBus", "Properties": {"Name": bus}}, where)
            bus_arn = {"Ref": bus_id}
        elif bus is not None:
            bus_arn = bus
        rule_name = settings.get("name") or (f"{self.function_name(key)}-rule-{number}"
                                             if isinstance(self.function_name(key), str) else UNKNOWN)
        target: Dict[str, Any] = {"Arn": self.target(key), "Id": f"{key}-target"[:64]}
        for setting, name in (("input", "Input"), ("inputPath", "InputPath")):
            if settings.get(setting) is not None:
                value = settings[setting]
                target[name] = json.dumps(value, default=str) if isinstance(value, dict) else value
        retry = _mapping(settings.get("retryPolicy"))
        if retry:
            target["RetryPolicy"] = {"MaximumEventAgeInSeconds": retry.get("maximumEventAge"),
                                     "MaximumRetryAttempts": retry.get("maximumRetryAttempts")}
        dead_letter = settings.get("deadLetterQueueArn")
        if dead_letter:
            target["DeadLetterConfig"] = {"Arn": dead_letter}
        rule: Dict[str, Any] = {"Name": rule_name, "State": "ENABLED" if settings.get("enabled", True) else "DISABLED",
                                "Targets": [target]}
        if bus_arn is not None:
            rule["EventBusName"] = bus_arn
        if settings.get("pattern") is not None:
            rule["EventPattern"] = settings["pattern"]
        if settings.get("schedule") is not None:
            rule["ScheduleExpression"] = settings["schedule"]
        rule_id = f"{alphanumeric(rule_name)}EventBridgeRule" if isinstance(rule_name, str) else \
            f"{normalized(key)}EventBridgeRule{number}"
        self.out.add(rule_id, {"Type": "AWS::Events::Rule", "Properties": rule}, where, key)
        self._permission(key, f"{normalized(key)}EventBridgeLambdaPermission{number}", "events.amazonaws.com",
                         {"Fn::GetAtt": [rule_id, "Arn"]}, where)

    def _event_http(self, key: str, function: Mapping[str, Any], index: int, settings: Any, where: Path) -> None:
        api = _mapping(self.provider.get("apiGateway"))
        if not api.get("restApiId") and "ApiGatewayRestApi" not in self.out.resources:
            self.out.add("ApiGatewayRestApi", {"Type": "AWS::ApiGateway::RestApi", "Properties": {
                "Name": self._text(self.stage, self.name) if not self.provider.get("apiName")
                else self.provider["apiName"], "EndpointConfiguration": {"Types": [
                    _or(self.provider.get("endpointType"), "EDGE")]}}},
                ("provider",) if "apiGateway" not in self.provider else ("provider", "apiGateway"))
        rest_api = api.get("restApiId") or {"Ref": "ApiGatewayRestApi"}
        permission_id = f"{normalized(key)}LambdaPermissionApiGateway"
        if permission_id not in self.out.resources:
            self._permission(key, permission_id, "apigateway.amazonaws.com", {"Fn::Join": ["", [
                "arn:", {"Ref": "AWS::Partition"}, ":execute-api:", {"Ref": "AWS::Region"}, ":",
                {"Ref": "AWS::AccountId"}, ":", rest_api, "/*/*"]]}, where)

    def _event_httpApi(self, key: str, function: Mapping[str, Any], index: int, settings: Any,  # noqa: N802
                       where: Path) -> None:
        api = _mapping(self.provider.get("httpApi"))
        if not api.get("id") and "HttpApi" not in self.out.resources:
            self.out.add("HttpApi", {"Type": "AWS::ApiGatewayV2::Api", "Properties": {
                "Name": api.get("name") or self._text(self.stage, self.name), "ProtocolType": "HTTP"}},
                ("provider", "httpApi") if "httpApi" in self.provider else ("provider",))
            self.out.add("HttpApiStage", {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {
                "ApiId": {"Ref": "HttpApi"}, "StageName": "$default", "AutoDeploy": True}},
                ("provider", "httpApi") if "httpApi" in self.provider else ("provider",))
        api_id = api.get("id") or {"Ref": "HttpApi"}
        integration_id = f"HttpApiIntegration{normalized(key)}"
        if integration_id not in self.out.resources:
            self.out.add(integration_id, {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
                "ApiId": api_id, "IntegrationType": "AWS_PROXY", "IntegrationUri": self.target(key),
                "PayloadFormatVersion": api.get("payload", "2.0"),
                "TimeoutInMillis": 30000}}, where, key)
            self._permission(key, f"{normalized(key)}LambdaPermissionHttpApi", "apigateway.amazonaws.com",
                             {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":execute-api:",
                                                {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":", api_id,
                                                "/*"]]}, where)

    def _event_alb(self, key: str, function: Mapping[str, Any], index: int, settings: Any, where: Path) -> None:
        settings = _mapping(settings)
        listener = settings.get("listenerArn")
        alb_id = alphanumeric(listener.split("/")[-2]) if isinstance(listener, str) and listener.count("/") >= 2 \
            else alphanumeric(str(index))
        multi = bool(settings.get("multiValueHeaders"))
        group_id = f"{normalized(key)}Alb{'MultiValue' if multi else ''}TargetGroup{alb_id}"
        if group_id not in self.out.resources:
            self.out.add(group_id, {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {
                "TargetType": "lambda", "Targets": [{"Id": self.target(key)}],
                "TargetGroupAttributes": [{"Key": "lambda.multi_value_headers.enabled", "Value": multi}]},
                "DependsOn": [f"{normalized(key)}LambdaPermissionRegisterTarget"]}, where, key)
            self._permission(key, f"{normalized(key)}LambdaPermissionRegisterTarget",
                             "elasticloadbalancing.amazonaws.com", None, where)
            self._permission(key, f"{normalized(key)}LambdaPermissionAlb", "elasticloadbalancing.amazonaws.com",
                             {"Ref": group_id}, where)

    def _event_cloudFront(self, key: str, function: Mapping[str, Any], index: int, settings: Any,  # noqa: N802
                          where: Path) -> None:
        settings = _mapping(settings)
        logical_id = f"{normalized(key)}LambdaFunction"
        resource = self.out.resources.get(logical_id)
        if resource is None:
            return
        # Lambda@Edge runs without environment variables or a VPC: the framework removes them
        resource["Properties"].pop("VpcConfig", None)
        resource["Properties"].pop("Environment", None)
        resource["DeletionPolicy"] = "Retain"
        prefix = f"{normalized(key)}LambdaVersion"
        version = next((logical for logical in self.out.versions if logical.startswith(prefix)), None)
        association: Dict[str, Any] = {"EventType": settings.get("eventType", UNKNOWN),
                                       "LambdaFunctionARN": {"Ref": version} if version else UNKNOWN}
        if settings.get("includeBody") is not None:
            association["IncludeBody"] = settings["includeBody"]
        behavior: Dict[str, Any] = {"TargetOriginId": UNKNOWN, "ViewerProtocolPolicy": "allow-all",
                                    "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
                                    "LambdaFunctionAssociations": [association]}
        distribution = self.out.resources.get("CloudFrontDistribution")
        if distribution is None:
            self.out.add("CloudFrontDistribution", {"Type": "AWS::CloudFront::Distribution", "Properties": {
                "DistributionConfig": {"Comment": self._text(self.name, self.stage), "Enabled": True,
                                       "DefaultCacheBehavior": behavior, "Origins": UNKNOWN}}}, where)
            self.out.places[("Resources", "CloudFrontDistribution", "Properties", "DistributionConfig",
                             "DefaultCacheBehavior")] = (where, False)
            return
        config = distribution["Properties"]["DistributionConfig"]
        behavior["PathPattern"] = settings.get("pathPattern", UNKNOWN)
        config.setdefault("CacheBehaviors", []).append(behavior)
        self.out.places[("Resources", "CloudFrontDistribution", "Properties", "DistributionConfig", "CacheBehaviors",
                         len(config["CacheBehaviors"]) - 1)] = (where, False)

    # -- layers and resources -------------------------------------------------------------
    def _layers(self) -> None:
        for name, layer in _mapping(self.service.get("layers")).items():
            if not isinstance(name, str) or not isinstance(layer, dict):
                continue
            logical_id = f"{normalized(name)}LambdaLayer"
            object_key = self._object_key(f"{name}.zip")
            artifact = _mapping(layer.get("package")).get("artifact")
            properties: Dict[str, Any] = {"Content": {"S3Bucket": {"Ref": "ServerlessDeploymentBucket"},
                                                      "S3Key": object_key},
                                          "LayerName": layer.get("name", name)}
            for setting, template_key in (("description", "Description"), ("compatibleRuntimes", "CompatibleRuntimes"),
                                          ("compatibleArchitectures", "CompatibleArchitectures"),
                                          ("licenseInfo", "LicenseInfo")):
                if layer.get(setting) is not None:
                    properties[template_key] = layer[setting]
            if isinstance(object_key, str):
                if isinstance(artifact, str):
                    self.out.code[object_key] = self.out.code_of[logical_id] = artifact
                elif isinstance(layer.get("path"), str):
                    self.out.code[object_key] = self.out.code_of[logical_id] = layer["path"]
                    self.out.selections[logical_id] = self._layer_patterns(layer)
            resource: Dict[str, Any] = {"Type": "AWS::Lambda::LayerVersion", "Properties": properties}
            if layer.get("retain"):
                resource["DeletionPolicy"] = "Retain"
            self.out.add(logical_id, resource, ("layers", name))
            self.out.places[("Resources", logical_id, "Properties", "Content")] = (
                ("layers", name, "path" if "path" in layer else "package"), False)

    def _layer_patterns(self, layer: Mapping[str, Any]) -> Tuple[str, ...]:
        package = _mapping(layer.get("package"))
        excludes = list(DEFAULT_EXCLUDES) + [self.config_file] + [item for item in _list(package.get("exclude"))
                                                                   if isinstance(item, str)]
        negated = [pattern[1:] if pattern.startswith("!") else f"!{pattern}" for pattern in excludes]
        service = _mapping(self.service.get("package"))
        includes = [item for item in _list(service.get("include")) + _list(service.get("patterns"))
                    + _list(package.get("include")) + _list(package.get("patterns")) if isinstance(item, str)]
        return tuple(negated + includes)

    def _resources(self) -> None:
        resources = self.service.get("resources")
        sections = [resources] if isinstance(resources, dict) else [item for item in _list(resources)
                                                                    if isinstance(item, dict)]
        for number, section in enumerate(sections):
            base: Path = ("resources",) if isinstance(resources, dict) else ("resources", number)
            for name in ("Resources", "Outputs", "Conditions", "Parameters", "Mappings"):
                for logical_id, value in _mapping(section.get(name)).items():
                    if not isinstance(logical_id, str):
                        continue
                    target = self.out.template.setdefault(name, {})
                    existing = target.get(logical_id)
                    if name == "Resources" and isinstance(existing, dict) and isinstance(value, dict):
                        merged = dict(existing)  # an override of a compiled resource: merged, as the framework does
                        for part, part_value in value.items():
                            merged[part] = ({**existing[part], **part_value} if isinstance(existing.get(part), dict)
                                            and isinstance(part_value, dict) else part_value)
                        target[logical_id] = merged
                    else:
                        target[logical_id] = value
                    self.out.places[(name, logical_id)] = (base + (name, logical_id), True)
            if isinstance(section.get("Description"), str):
                self.out.template["Description"] = section["Description"]


def _source_name(arn: Any, separator: str) -> Any:
    """The queue name the framework names a mapping after (GetAtt target, import, Join tail, ARN tail)."""
    if isinstance(arn, dict):
        if isinstance(arn.get("Fn::GetAtt"), list) and arn["Fn::GetAtt"]:
            return arn["Fn::GetAtt"][0]
        if "Fn::ImportValue" in arn:
            return arn["Fn::ImportValue"]
        join = arn.get("Fn::Join")
        if isinstance(join, list) and len(join) == 2 and isinstance(join[1], list) and join[1]:
            return join[1][-1]
        return UNKNOWN
    return arn.split(separator)[-1] if isinstance(arn, str) else UNKNOWN


def _stream_name(arn: Any) -> Any:
    if isinstance(arn, dict):
        if "Ref" in arn:
            return arn["Ref"]
        name = _source_name(arn, "/")
        return name.split("/")[-1] if isinstance(name, str) else name
    if isinstance(arn, str):
        parts = arn.split("/")
        return parts[1] if len(parts) > 1 else UNKNOWN
    return UNKNOWN
