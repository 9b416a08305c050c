"""A Configuration lowered into the CloudFormation-shaped template the model reads.

Each block of a known type (shapes.SHAPES) becomes a resource whose logical ID is spelled
from its address (`module.fn["a"].aws_lambda_function.this[0]` ->
`ModuleFnAAwsLambdaFunctionThis0`), its arguments renamed to CloudFormation properties. The
lowering keeps, for every property it wrote, the block and the value path it came from
(`Lowering.places`), so that a finding lands at the `.tf` line the user edits.

Values:
- a Reference becomes `Ref` / `Fn::GetAtt` of the lowered block (shapes.Shape.attributes), or the
  configured argument it reads; a reference to a block lambdalint does not lower is unknown;
- UNKNOWN becomes `{"Ref": "TerraformUnknown"}`, a parameter without a default: the model's
  own unknown (lambdalint.model.values), never a made-up value;
- an Interpolation becomes `Fn::Join` of its parts;
- an Encoded (`jsonencode` of a value with references in it) is the document itself where a
  policy or another JSON document is expected, and a string not known anywhere else; so is JSON
  text with interpolations inside its strings (documents.parsed);
- a block whose count/for_each could not be evaluated is under the condition
  `TerraformMaybe`, which nothing can decide: it may exist or not.

Some Terraform resources are parts of one CloudFormation resource: a function's `publish`
is an AWS::Lambda::Version, a role policy attachment one more managed policy ARN of the role,
a bucket notification the bucket's NotificationConfiguration, an event target one of the
rule's Targets, a provisioned concurrency config the ProvisionedConcurrencyConfig of the
alias or version it qualifies. Packages before `terraform apply`: `filename`, an
`archive_file` (its zip when it exists, else what it zips: lambdalint.frontends.terraform.archives)
and an `aws_s3_object`'s `source` give the local path the LL1 rules read.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any, Dict, Iterator, List, Optional, Tuple

from ...loading import Document
from ...model.values import UNKNOWN
from ...records import Record
from . import documents, shapes
from .archives import ArchiveSource, PackageView, archive_named, archive_source
from .configuration import Block, Configuration, Encoded, Interpolation, Reference, ValuePath

DATA = "data"  # Block.mode of a data block; a resource's is "resource" ("managed" in Terraform's JSON)
UNKNOWN_PARAMETER = "TerraformUnknown"
MAYBE_CONDITION = "TerraformMaybe"
UNKNOWN_VALUE: Dict[str, Any] = {"Ref": UNKNOWN_PARAMETER}
_MAX_DEPTH = 24

CfnPath = Tuple[Any, ...]
Place = Tuple[str, ValuePath]  # (address, value path in that block)
_Origin = Tuple[str, ValuePath, bool]  # a policy statement's place, and whether it is a `statement` block


class Lowering(Record):
    """The lowered template and what it came from.

    `addresses` maps each logical ID to its block's address; `places` maps property paths of
    the template (("Resources", id, "Properties", "Timeout")) to the block and value path that
    wrote them; `code_unknown` lists the functions and layers whose package cannot be known before
    apply; `views` says, per function or layer, how an archive_file makes its package of the
    local path its code names (lambdalint.model.code reads it).
    """

    __slots__ = ("configuration", "document", "addresses", "places", "code_unknown", "views")
    _hidden = ("document", "places")

    def __init__(self, configuration: Configuration, document: Document, addresses: Dict[str, str],
                 places: Dict[CfnPath, Place], code_unknown: Tuple[str, ...] = (),
                 views: Optional[Dict[str, PackageView]] = None) -> None:
        self.configuration = configuration
        self.document = document
        self.addresses = addresses
        self.places = places
        self.code_unknown = code_unknown
        self.views = views if views is not None else {}

    def place(self, path: CfnPath) -> Optional[Place]:
        """The block and value path a template path was written from: its deepest recorded prefix,
        with the rest of the path appended (a key of `variables` is the same key in Terraform)."""
        path = tuple(path)
        for end in range(len(path), 1, -1):
            found = self.places.get(path[:end])
            if found is not None:
                return found[0], found[1] + path[end:]
        if len(path) >= 2 and path[1] in self.addresses:
            return self.addresses[path[1]], ()
        return None


def logical_id(address: str) -> str:
    """`module.fn["orders"].aws_lambda_function.this[0]` -> `ModuleFnOrdersAwsLambdaFunctionThis0`."""
    words = re.findall(r"[A-Za-z0-9]+", address)
    return "".join(word[:1].upper() + word[1:] for word in words) or "Terraform"


def _unique_ids(blocks: Tuple[Block, ...]) -> Dict[str, str]:
    """address -> logical ID, with a hash of the address added where two spell the same."""
    import hashlib

    found: Dict[str, str] = {}
    taken: Dict[str, str] = {}
    for block in blocks:
        name = logical_id(block.address)
        if name in taken:
            name += hashlib.sha256(block.address.encode("utf-8")).hexdigest()[:8]
        taken[name] = block.address
        found[block.address] = name
    return found


def lower(configuration: Configuration, name: str) -> Lowering:
    """The template of `configuration`, named `name` (the root module folder as displayed)."""
    return _Lowerer(configuration).run(name)


def _set(target: Dict[str, Any], path: CfnPath, value: Any) -> None:
    """Put `value` at `path` below `target`, making dicts for names and lists for indexes."""
    node: Any = target
    for key, following in zip(path, path[1:]):
        fresh: Any = [] if isinstance(following, int) else {}
        if isinstance(node, list):
            while len(node) <= key:
                node.append(None)
            if node[key] is None:
                node[key] = fresh
            node = node[key]
        else:
            node = node.setdefault(key, fresh)
    last = path[-1]
    if isinstance(node, list):
        while len(node) <= last:
            node.append(None)
        node[last] = value
    else:
        node[last] = value


def _matches(values: Any, parts: List[str], prefix: ValuePath = ()) -> Iterator[Tuple[ValuePath, Any]]:
    """(concrete value path, value) for a pattern like `vpc_config.0.subnet_ids` or `cors.*.x`."""
    if not parts:
        yield prefix, values
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(values, list):
            for index, item in enumerate(values):
                yield from _matches(item, rest, prefix + (index,))
    elif head.isdigit():
        if isinstance(values, list) and int(head) < len(values):
            yield from _matches(values[int(head)], rest, prefix + (int(head),))
    elif isinstance(values, dict) and head in values:
        yield from _matches(values[head], rest, prefix + (head,))


def _target_path(pattern: str, source: ValuePath, source_pattern: str) -> CfnPath:
    """The CloudFormation path for one match: each `*` takes the index the source's `*` matched."""
    stars = [step for step, part in zip(source, source_pattern.split(".")) if part == "*"]
    result: List[Any] = []
    for part in pattern.split("."):
        if part == "*":
            result.append(stars.pop(0))
        elif part.isdigit():
            result.append(int(part))
        else:
            result.append(part)
    return tuple(result)


class _Lowerer:
    def __init__(self, configuration: Configuration) -> None:
        self.configuration = configuration
        self.blocks = {block.address: block for block in configuration.blocks}
        lowered = [block for block in configuration.blocks if self._lowers(block)]
        self.ids = _unique_ids(tuple(lowered))
        self.resources: Dict[str, Dict[str, Any]] = {}
        self.places: Dict[CfnPath, Place] = {}
        self.addresses: Dict[str, str] = {}
        self.code_unknown: List[str] = []
        self.views: Dict[str, PackageView] = {}
        self.uses_unknown = False

    @staticmethod
    def _lowers(block: Block) -> bool:
        return block.mode != DATA and (block.type in shapes.SHAPES or block.type in _MERGED)

    # -- the template --------------------------------------------------------------------
    def run(self, name: str) -> Lowering:
        merged = []
        for block in self.configuration.blocks:
            if block.mode == DATA:
                continue
            if block.type in shapes.SHAPES:
                self._resource(block)
            elif block.type in _MERGED:
                merged.append(block)
        for block in merged:  # after every resource they may add to exists
            _MERGED[block.type](self, block)
        template: Dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": self.resources}
        if self.uses_unknown or any(block.conditional for block in self.configuration.blocks):
            template["Parameters"] = {UNKNOWN_PARAMETER: {
                "Type": "String", "Description": "a value Terraform knows only at apply time"}}
        if any("Condition" in resource for resource in self.resources.values()):
            template["Conditions"] = {MAYBE_CONDITION: {"Fn::Equals": [{"Ref": UNKNOWN_PARAMETER}, "true"]}}
        text = json.dumps(template, default=str)
        document = Document(name, template, "json", text)
        return Lowering(self.configuration, document, self.addresses, self.places, tuple(self.code_unknown),
                        self.views)

    def _new(self, block: Block, cfn_type: str, suffix: str = "") -> Tuple[str, Dict[str, Any]]:
        """A resource for `block` (`suffix`: a second resource of the same block, e.g. its version)."""
        lid = self.ids.get(block.address, logical_id(block.address)) + suffix
        definition: Dict[str, Any] = {"Type": cfn_type, "Properties": {}}
        if block.conditional:
            definition["Condition"] = MAYBE_CONDITION
        self.resources[lid] = definition
        self.addresses[lid] = block.address
        return lid, definition["Properties"]

    def _put(self, lid: str, path: CfnPath, value: Any, block: Block, where: ValuePath) -> None:
        _set(self.resources[lid]["Properties"], path, value)
        self.places[("Resources", lid, "Properties") + path] = (block.address, where)

    def _resource(self, block: Block) -> None:
        shape = shapes.SHAPES[block.type]
        lid, properties = self._new(block, shape.cfn_type)
        for source, target, convert in shape.arguments:
            for where, raw in _matches(block.values, source.split(".")):
                if raw is None:
                    continue  # null: the argument is unset
                value = self._converted(raw, convert, block, where)
                if value is _ABSENT:
                    continue
                placed = _target_path(target, where, source)
                self._put(lid, placed, value, block, where)
                if len(placed) > 1:  # the property a nested block makes (VpcConfig) is that block
                    self.places.setdefault(("Resources", lid, "Properties", placed[0]), (block.address, where[:1]))
                if convert == shapes.JSON:
                    self._document_places(raw, ("Resources", lid, "Properties") + placed)
                if convert == shapes.WEIGHTS and isinstance(raw, dict):
                    for index, version in enumerate(raw):  # each entry lands at its `"2" = 0.1` line
                        for part in ((), ("FunctionVersion",), ("FunctionWeight",)):
                            self.places[("Resources", lid, "Properties") + placed + (index,) + part] = (
                                block.address, where + (version,))
        for key, default in shape.defaults.items():
            properties.setdefault(key, default)
        special = _SPECIAL.get(block.type)
        if special is not None:
            special(self, block, lid, properties)

    def _converted(self, raw: Any, convert: Optional[str], block: Block, where: ValuePath) -> Any:
        if convert == shapes.UNRESERVED_IS_ABSENT:
            return _ABSENT if raw == -1 else self.value(raw)
        if convert == shapes.JSON:
            return self.document_value(raw)
        if convert == shapes.WEIGHTS:
            if not isinstance(raw, dict):
                return self.value(raw)
            return [{"FunctionVersion": self.value(version), "FunctionWeight": self.value(weight)}
                    for version, weight in raw.items()]
        return self.value(raw)

    # -- values --------------------------------------------------------------------------
    def unknown(self) -> Dict[str, Any]:
        self.uses_unknown = True
        return dict(UNKNOWN_VALUE)

    def value(self, raw: Any, depth: int = 0) -> Any:
        if depth > _MAX_DEPTH or raw is UNKNOWN or isinstance(raw, Encoded):
            return self.unknown()
        if isinstance(raw, Reference):
            return self.reference(raw, depth + 1)
        if isinstance(raw, Interpolation):
            parts = [part if isinstance(part, str) else self.value(part, depth + 1) for part in raw.parts]
            if all(isinstance(part, str) for part in parts):
                return "".join(parts)
            return {"Fn::Join": ["", parts]}
        if isinstance(raw, dict):
            return {str(key): self.value(item, depth + 1) for key, item in raw.items() if item is not None}
        if isinstance(raw, (list, tuple)):
            return [self.value(item, depth + 1) for item in raw]
        return raw

    def document_value(self, raw: Any) -> Any:
        """A policy (or redrive policy, event pattern): JSON text parsed, a policy document inlined."""
        if isinstance(raw, str):
            try:
                return self.value(json.loads(raw))
            except (ValueError, RecursionError):  # not JSON, or nested past what Python parses
                return self.unknown()
        if isinstance(raw, Encoded):
            return self.value(raw.value)
        if isinstance(raw, Interpolation):  # JSON text naming resources (a heredoc, a templatefile)
            document = documents.parsed(raw)
            if document is not None:
                return self.value(document)
        return self.value(raw)

    def reference(self, reference: Reference, depth: int) -> Any:
        target = self.blocks.get(reference.address)
        attribute = str(reference.attribute[0]) if reference.attribute else ""
        if target is None or depth > _MAX_DEPTH:
            return self.unknown()
        rest = reference.attribute[1:]
        if target.mode == DATA:
            return self._data_attribute(target, attribute, rest, depth)
        lid = self.ids.get(target.address)
        shape = shapes.SHAPES.get(target.type)
        if lid is not None and shape is not None and not rest:
            special = _ATTRIBUTES.get((target.type, attribute))
            if special is not None:
                return special(self, target, lid)
            kind = shape.attributes.get(attribute)
            if kind == shapes.REF:
                return {"Ref": lid}
            if kind is not None and kind.startswith("GetAtt:"):
                return {"Fn::GetAtt": [lid, kind.split(":", 1)[1]]}
        if attribute in target.values:
            value: Any = target.values[attribute]
            for key in rest:
                if isinstance(value, dict) and key in value:
                    value = value[key]
                elif isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
                    value = value[key]
                else:
                    return self.unknown()
            return self.value(value, depth + 1)
        return self.unknown()

    def _data_attribute(self, block: Block, attribute: Any, rest: Tuple[Any, ...], depth: int) -> Any:
        if block.type == shapes.POLICY_DOCUMENT and attribute in ("json", "minified_json") and not rest:
            return self.policy_document(block)
        if block.type == shapes.ARCHIVE_FILE and attribute == "output_path" and not rest:
            source = archive_source(block, self.configuration.folder)
            return source.path if source is not None else self.unknown()
        if block.type == shapes.AVAILABILITY_ZONES and attribute == "names":
            return self._zone_names(block, rest)
        pseudo = shapes.PSEUDO_PARAMETERS.get((block.type, attribute))
        if pseudo is not None and not rest and not block.values:
            return {"Ref": pseudo}
        if isinstance(attribute, str) and attribute in block.values and not rest:
            return self.value(block.values[attribute], depth + 1)
        return self.unknown()

    def _zone_names(self, block: Block, rest: Tuple[Any, ...]) -> Any:
        """`data.aws_availability_zones.x.names[1]` as `!Select [1, !GetAZs ""]`: the region's available
        zones, in the same order, when the data source asks for that (no argument, or state = "available")
        and every such data source of the configuration asks alike, so one index is one zone.
        https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/availability_zones"""
        plain = all(key == "state" and value == "available" for key, value in block.values.items())
        alike = all(other.values == block.values for other in self.configuration.blocks
                    if other.mode == DATA and other.type == shapes.AVAILABILITY_ZONES)
        if not (plain and alike) or len(rest) > 1 or (rest and not isinstance(rest[0], int)):
            return self.unknown()
        zones = {"Fn::GetAZs": ""}
        return {"Fn::Select": [rest[0], zones]} if rest else zones

    def policy_document(self, block: Block, depth: int = 0) -> Any:
        """data.aws_iam_policy_document as the JSON policy it renders."""
        pairs = self._statement_pairs(block, depth)
        if pairs is None:
            return self.unknown()
        return {"Version": self.value(block.values.get("version", "2012-10-17")),
                "Statement": [statement for statement, _ in pairs]}

    def _statement_pairs(self, block: Block, depth: int) -> Optional[List[Tuple[Any, _Origin]]]:
        """The statements a policy document renders, each with where it is written: those of its
        source documents, then its own, then those of its override documents, a statement with the
        Sid of an earlier one taking its place; None when that cannot be known
        (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document)."""
        values = block.values
        statements = values.get("statement")
        if statements is UNKNOWN or depth > _MAX_DEPTH:
            return None
        rendered: List[Tuple[Any, _Origin]] = []
        for index, entry in enumerate(statements if isinstance(statements, list) else []):
            rendered.append((self._statement(entry), (block.address, ("statement", index), True)))
        layers = [self._layer(block, where, raw, depth) for where, raw in _layered(values, "source")]
        layers += [rendered] + [self._layer(block, where, raw, depth) for where, raw in _layered(values, "override")]
        if len(layers) == 1:
            return rendered  # nothing to merge: a Sid not known replaces nothing
        if any(statement == UNKNOWN_VALUE for layer in layers for statement, _ in layer or ()):
            return None  # a statement not known may have the Sid of any other
        merged: List[Tuple[Any, _Origin]] = []
        for layer in layers:
            if layer is None or not _merge_by_sid(merged, layer):
                return None  # a document not known here, or a Sid that is not
        return merged

    def _statement(self, entry: Any) -> Any:
        """A `statement` block of a policy document as the JSON statement it renders."""
        if not isinstance(entry, dict):
            return self.unknown()
        effect = entry.get("effect")  # null is unset: the provider's default, Allow
        statement: Dict[str, Any] = {"Effect": self.value("Allow" if effect is None else effect)}
        if entry.get("sid") is not None:
            statement["Sid"] = self.value(entry["sid"])
        for key, name in _STATEMENT_LISTS:
            if entry.get(key) is not None:
                statement[name] = self.value(entry[key])
        for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            if entry.get(key) is not None:
                statement[name] = self._principals(entry[key])
        if entry.get("condition") is not None:
            statement["Condition"] = self._conditions(entry["condition"])
        return statement

    def _layer(self, block: Block, where: ValuePath, raw: Any, depth: int) -> Optional[List[Tuple[Any, _Origin]]]:
        """The statements of a source or override document (at `where` in `block`), None when not known."""
        if isinstance(raw, Reference):
            target = self.blocks.get(raw.address)
            if target is None or target.mode != DATA or target.type != shapes.POLICY_DOCUMENT \
                    or raw.attribute not in (("json",), ("minified_json",)):
                return None
            return self._statement_pairs(target, depth + 1)
        document = self.document_value(raw)
        statements = document.get("Statement") if isinstance(document, dict) else None
        if isinstance(statements, dict):
            return [(statements, (block.address, where + ("Statement",), False))]
        if not isinstance(statements, list):
            return None
        return [(statement, (block.address, where + ("Statement", index), False))
                for index, statement in enumerate(statements)]

    def _document_places(self, raw: Any, path: CfnPath) -> None:
        """A policy from data.aws_iam_policy_document is written there: its statements' places,
        a statement of a source document at its own line."""
        if not isinstance(raw, Reference):
            return
        document = self.blocks.get(raw.address)
        if document is None or document.type != shapes.POLICY_DOCUMENT or document.mode != DATA:
            return
        self.places[path] = (document.address, ())
        for index, (_, (address, where, is_block)) in enumerate(self._statement_pairs(document, 0) or ()):
            self.places[path + ("Statement", index)] = (address, where)
            entries = self.blocks[address].values.get("statement") if is_block else None
            entry = entries[where[1]] if isinstance(entries, list) else None
            for key, name in _STATEMENT_KEYS:
                if isinstance(entry, dict) and entry.get(key) is not None:
                    self.places[path + ("Statement", index, name)] = (address, where + (key,))

    def _principals(self, blocks: Any) -> Any:
        if not isinstance(blocks, list):
            return self.unknown()
        principal: Dict[str, Any] = {}
        for entry in blocks:
            if not isinstance(entry, dict) or not isinstance(entry.get("type"), str):
                return self.unknown()
            kind, identifiers = entry["type"], self.value(entry.get("identifiers"))
            if kind == "*":
                return "*"
            listed = principal.setdefault(kind, [])
            if isinstance(identifiers, list):
                listed.extend(identifiers)
            else:
                listed.append(identifiers)
        return principal

    def _conditions(self, blocks: Any) -> Any:
        if not isinstance(blocks, list):
            return self.unknown()
        condition: Dict[str, Any] = {}
        for entry in blocks:
            if not isinstance(entry, dict) or not isinstance(entry.get("test"), str) \
                    or not isinstance(entry.get("variable"), str):
                return self.unknown()
            condition.setdefault(entry["test"], {})[entry["variable"]] = self.value(entry.get("values"))
        return condition


_ABSENT: Any = object()
_STATEMENT_LISTS = (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"),
                    ("not_resources", "NotResource"))
_STATEMENT_KEYS = _STATEMENT_LISTS + (("effect", "Effect"), ("sid", "Sid"), ("principals", "Principal"),
                                      ("not_principals", "NotPrincipal"), ("condition", "Condition"))


def _layered(values: Dict[str, Any], kind: str) -> List[Tuple[ValuePath, Any]]:
    """(where, document) of a policy document's `<kind>_json` and each of its `<kind>_policy_documents`
    (kind: source or override)."""
    found: List[Tuple[ValuePath, Any]] = []
    if values.get(f"{kind}_json") is not None:
        found.append(((f"{kind}_json",), values[f"{kind}_json"]))
    listed = values.get(f"{kind}_policy_documents")
    if isinstance(listed, list):
        found.extend(((f"{kind}_policy_documents", index), raw) for index, raw in enumerate(listed))
    elif listed is not None:
        found.append(((f"{kind}_policy_documents",), UNKNOWN))
    return found


def _merge_by_sid(merged: List[Tuple[Any, _Origin]], layer: List[Tuple[Any, _Origin]]) -> bool:
    """Statements of `layer` added to `merged`, one with the non-empty Sid of a statement already
    there in its place; False when a Sid is not known (which statement it replaces is not)."""
    for statement, origin in layer:
        sid = statement.get("Sid") if isinstance(statement, dict) else None
        if not isinstance(statement, dict) or (sid is not None and not isinstance(sid, str)):
            return False
        same = [index for index, (old, _) in enumerate(merged) if sid and old.get("Sid") == sid]
        if same:
            merged[same[0]] = (statement, origin)
        else:
            merged.append((statement, origin))
    return True


# -- what needs more than a rename -------------------------------------------------------------

def _function(lowerer: _Lowerer, block: Block, lid: str, properties: Dict[str, Any]) -> None:
    """Code from `filename` (a zip, an archive_file, a folder) or an aws_s3_object's `source`;
    `publish` an AWS::Lambda::Version (the provider's default is false:
    https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function#publish)."""
    values = block.values
    code = properties.get("Code")
    if values.get("filename") is not None:
        _package_file(lowerer, block, lid, "Code")
    elif isinstance(code, dict) and "S3Key" in code:
        source = _s3_object_source(lowerer, values.get("s3_key"))
        if source is not None:
            _put_package(lowerer, block, lid, "Code", ("s3_key",), source)
        elif values.get("source_code_hash") is not None and "S3ObjectVersion" not in code:
            # a new hash makes the provider update the code from the same key, as a new object
            # version would: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function#source_code_hash
            code["S3ObjectVersion"] = lowerer.unknown()
    elif code is None:
        properties["Code"] = lowerer.unknown()
        lowerer.code_unknown.append(lid)
    if values.get("publish") is True:
        version, version_properties = lowerer._new(block, "AWS::Lambda::Version", "Version")
        version_properties["FunctionName"] = {"Ref": lid}
        # a new version whenever the code changes: its hash is known at apply time only
        version_properties["CodeSha256"] = lowerer.unknown()
        lowerer.places[("Resources", version)] = (block.address, ("publish",))


def _s3_object_source(lowerer: _Lowerer, key: Any) -> Optional[ArchiveSource]:
    """The local package an aws_s3_object's `source` uploads to the key a function names, or None."""
    if not isinstance(key, Reference):
        return None
    target = lowerer.blocks.get(key.address)
    if target is None or target.type != shapes.S3_OBJECT or key.attribute[:1] not in (("key",), ("id",)):
        return None
    return _local_package(lowerer, target.values.get("source"))


def _layer(lowerer: _Lowerer, block: Block, lid: str, properties: Dict[str, Any]) -> None:
    """A layer's `filename` as a function's: a zip not built yet is unknown content, not an error."""
    if block.values.get("filename") is not None:
        _package_file(lowerer, block, lid, "Content")


def _package_file(lowerer: _Lowerer, block: Block, lid: str, property_name: str) -> None:
    """`filename` (a zip or folder, or what an archive_file zips) as the package when it exists; a
    zip a build step makes before `terraform apply`, or a path known at apply time only, is unknown
    and said in summary.unchecked."""
    source = _local_package(lowerer, block.values["filename"])
    if source is not None:
        _put_package(lowerer, block, lid, property_name, ("filename",), source)
    else:
        lowerer._put(lid, (property_name,), lowerer.unknown(), block, ("filename",))
        lowerer.code_unknown.append(lid)


def _put_package(lowerer: _Lowerer, block: Block, lid: str, property_name: str, where: ValuePath,
                 source: ArchiveSource) -> None:
    lowerer._put(lid, (property_name,), source.path, block, where)
    if source.view is not None:
        lowerer.views[lid] = source.view


def _local_package(lowerer: _Lowerer, raw: Any) -> Optional[ArchiveSource]:
    """The local path a package argument leads to before apply: a zip or folder that exists, or what
    the archive_file it names zips (by reference to its output_path, or written as the same path)."""
    folder = lowerer.configuration.folder
    archive = None
    if isinstance(raw, Reference) and raw.attribute == ("output_path",):
        target = lowerer.blocks.get(raw.address)
        archive = target if target is not None and target.mode == DATA and target.type == shapes.ARCHIVE_FILE else None
    path = lowerer.value(raw) if archive is None else None
    if isinstance(path, str):
        if os.path.exists(os.path.join(folder, path)):
            return ArchiveSource(path)
        archive = archive_named(lowerer.configuration.blocks, path)
    source = archive_source(archive, folder) if archive is not None else None
    if source is None or not os.path.exists(os.path.join(folder, source.path)):
        return None
    return source


def _route_table(lowerer: _Lowerer, block: Block, lid: str, properties: Dict[str, Any]) -> None:
    """Inline `route` blocks: one AWS::EC2::Route each."""
    routes = block.values.get("route")
    for index, route in enumerate(routes if isinstance(routes, list) else []):
        if not isinstance(route, dict):
            continue
        name, route_properties = lowerer._new(block, "AWS::EC2::Route", f"Route{index}")
        route_properties["RouteTableId"] = {"Ref": lid}
        for key, target in _INLINE_ROUTE:
            if route.get(key) not in (None, ""):
                lowerer._put(name, (target,), lowerer.value(route[key]), block, ("route", index, key))


_INLINE_ROUTE = (("cidr_block", "DestinationCidrBlock"), ("ipv6_cidr_block", "DestinationIpv6CidrBlock"),
                 ("gateway_id", "GatewayId"), ("nat_gateway_id", "NatGatewayId"),
                 ("transit_gateway_id", "TransitGatewayId"), ("vpc_endpoint_id", "VpcEndpointId"),
                 ("network_interface_id", "NetworkInterfaceId"),
                 ("vpc_peering_connection_id", "VpcPeeringConnectionId"),
                 ("egress_only_gateway_id", "EgressOnlyInternetGatewayId"))


def _internet_gateway(lowerer: _Lowerer, block: Block, lid: str, properties: Dict[str, Any]) -> None:
    vpc = block.values.get("vpc_id")
    if vpc is not None:
        name, _ = lowerer._new(block, "AWS::EC2::VPCGatewayAttachment", "Attachment")
        lowerer._put(name, ("InternetGatewayId",), {"Ref": lid}, block, ())
        lowerer._put(name, ("VpcId",), lowerer.value(vpc), block, ("vpc_id",))


def _bucket(lowerer: _Lowerer, block: Block, lid: str, properties: Dict[str, Any]) -> None:
    """The `versioning` block the provider still accepts inside aws_s3_bucket (deprecated for
    aws_s3_bucket_versioning): `enabled` true is versioning Enabled, false Suspended
    https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket#versioning"""
    for where, enabled in _matches(block.values, ["versioning", "0", "enabled"]):
        # Terraform reads "true"/"false" text given to a bool argument as the bool
        status = _VERSIONING_STATUS.get(str(enabled).lower()) if isinstance(enabled, (bool, str)) else None
        lowerer._put(lid, ("VersioningConfiguration", "Status"), status or lowerer.unknown(), block, where)


_VERSIONING_STATUS = {"true": "Enabled", "false": "Suspended"}


def _kms_key(lowerer: _Lowerer, block: Block, lid: str, properties: Dict[str, Any]) -> None:
    """A key without `policy` has the default key policy AWS KMS gives it, which grants the account
    and so leaves access to IAM policies: https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
    (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key#policy)."""
    if "KeyPolicy" not in properties:
        properties["KeyPolicy"] = {"Version": "2012-10-17", "Statement": [{
            "Sid": "Enable IAM User Permissions", "Effect": "Allow",
            "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
            "Action": "kms:*", "Resource": "*"}]}


def _http_api(lowerer: _Lowerer, block: Block, lid: str, properties: Dict[str, Any]) -> None:
    """Quick create: `target` makes API Gateway create the API's integration with that function
    (and its default route and stage), which CloudFormation's template shows as an
    AWS::ApiGatewayV2::Integration of its own
    https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/apigatewayv2_api#target"""
    target = block.values.get("target")
    if target is None:
        return
    name, _ = lowerer._new(block, "AWS::ApiGatewayV2::Integration", "Target")
    lowerer._put(name, ("ApiId",), {"Ref": lid}, block, ())
    if _target_of(lowerer, target, shapes.LAMBDA_FUNCTION, "aws_lambda_alias") is not None:
        lowerer._put(name, ("IntegrationType",), "AWS_PROXY", block, ("target",))  # a URL is HTTP_PROXY
    lowerer._put(name, ("IntegrationUri",), lowerer.value(target), block, ("target",))


_SPECIAL = {
    shapes.LAMBDA_FUNCTION: _function,
    shapes.KMS_KEY: _kms_key,
    "aws_lambda_layer_version": _layer,
    "aws_route_table": _route_table,
    "aws_internet_gateway": _internet_gateway,
    "aws_s3_bucket": _bucket,
    "aws_apigatewayv2_api": _http_api,
}


def _qualified_arn(lowerer: _Lowerer, block: Block, lid: str) -> Any:
    if block.values.get("publish") is True:
        return {"Ref": lid + "Version"}
    if block.values.get("publish") in (None, False):
        return {"Fn::Join": [":", [{"Fn::GetAtt": [lid, "Arn"]}, "$LATEST"]]}
    return lowerer.unknown()


def _version(lowerer: _Lowerer, block: Block, lid: str) -> Any:
    if block.values.get("publish") is True:
        return {"Fn::GetAtt": [lid + "Version", "Version"]}
    if block.values.get("publish") in (None, False):
        return "$LATEST"  # the provider's `version` of an unpublished function
    return lowerer.unknown()


def _invoke_arn(lowerer: _Lowerer, block: Block, lid: str, qualified: bool = False) -> Any:
    arn = _qualified_arn(lowerer, block, lid) if qualified else (
        {"Ref": lid} if block.type == "aws_lambda_alias" else {"Fn::GetAtt": [lid, "Arn"]})
    return {"Fn::Join": ["", ["arn:aws:apigateway:", {"Ref": "AWS::Region"}, ":lambda:path/2015-03-31/functions/",
                              arn, "/invocations"]]}


_ATTRIBUTES = {
    (shapes.LAMBDA_FUNCTION, "qualified_arn"): _qualified_arn,
    (shapes.LAMBDA_FUNCTION, "version"): _version,
    (shapes.LAMBDA_FUNCTION, "invoke_arn"): _invoke_arn,
    (shapes.LAMBDA_FUNCTION, "qualified_invoke_arn"):
        lambda lowerer, block, lid: _invoke_arn(lowerer, block, lid, qualified=True),
    ("aws_lambda_alias", "invoke_arn"): _invoke_arn,
}


# -- resources that are part of another one ------------------------------------------------------

def _target_of(lowerer: _Lowerer, raw: Any, *types: str) -> Optional[str]:
    """The logical ID of the lowered block of one of `types` that a reference names."""
    if not isinstance(raw, Reference):
        return None
    target = lowerer.blocks.get(raw.address)
    if target is None or target.type not in types:
        return None
    return lowerer.ids.get(target.address)


def _role_policy_attachment(lowerer: _Lowerer, block: Block) -> None:
    """https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy_attachment"""
    _attach(lowerer, block, [block.values.get("role")])


def _policy_attachment(lowerer: _Lowerer, block: Block) -> None:
    """https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_policy_attachment:
    the policy on each role of `roles` (its users and groups are not execution roles)."""
    roles = block.values.get("roles")
    if roles is None:
        return
    _attach(lowerer, block, roles if isinstance(roles, list) else [UNKNOWN])


def _attach(lowerer: _Lowerer, block: Block, roles: List[Any]) -> None:
    """`policy_arn` one more managed policy of each role named. A role named by a value not known
    here may be any role of the configuration: each of the others gets a managed policy not known,
    so that no rule says a role lacks a permission the attachment may give it."""
    named = [_role_named(lowerer, raw) for raw in roles]
    attached = {role: lowerer.value(block.values.get("policy_arn")) for role in named
                if role is not None and role is not _ANY_ROLE}
    if _ANY_ROLE in named:
        for address, lid in lowerer.ids.items():
            if lowerer.blocks[address].type == "aws_iam_role" and lid not in attached:
                attached[lid] = lowerer.unknown()
    for role, arn in attached.items():
        arns = lowerer.resources[role]["Properties"].setdefault("ManagedPolicyArns", [])
        if isinstance(arns, list):
            lowerer._put(role, ("ManagedPolicyArns", len(arns)), arn, block, ("policy_arn",))


_ANY_ROLE: Any = object()


def _role_named(lowerer: _Lowerer, raw: Any) -> Any:
    """The logical ID of the lowered aws_iam_role `raw` names (a reference, or its `name` spelled out),
    None when it surely names none of them (a role made elsewhere), else _ANY_ROLE."""
    roles = [(lid, lowerer.blocks[address]) for address, lid in lowerer.ids.items()
             if lowerer.blocks[address].type == "aws_iam_role"]
    if isinstance(raw, Reference):
        target = lowerer.blocks.get(raw.address)
        if target is not None and target.type == "aws_iam_role":
            return lowerer.ids.get(target.address)
        return _ANY_ROLE
    if isinstance(raw, str):
        names = [(lid, role.values.get("name")) for lid, role in roles]
        found = next((lid for lid, name in names if name == raw), None)
        if found is not None:
            return found
        # a name Terraform generates (no `name`) is never spelled in advance; one not known may be this
        return _ANY_ROLE if any(name is not None and not isinstance(name, str) for _, name in names) else None
    return _ANY_ROLE


def _bucket_for(lowerer: _Lowerer, block: Block) -> str:
    """The bucket resource a bucket-level block adds to; one is made for a bucket not lowered here,
    with what lambdalint cannot know about it unknown."""
    bucket = _target_of(lowerer, block.values.get("bucket"), "aws_s3_bucket")
    if bucket is not None:
        return bucket
    name, properties = lowerer._new(block, "AWS::S3::Bucket", "Bucket")
    properties["BucketName"] = lowerer.value(block.values.get("bucket"))
    properties["VersioningConfiguration"] = {"Status": lowerer.unknown()}
    return name


def _bucket_notification(lowerer: _Lowerer, block: Block) -> None:
    """https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_notification"""
    entries = block.values.get("lambda_function")
    if not isinstance(entries, list) or not entries:
        return
    bucket = _bucket_for(lowerer, block)
    configs = lowerer.resources[bucket]["Properties"].setdefault("NotificationConfiguration", {}) \
        .setdefault("LambdaConfigurations", [])
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        events = entry.get("events")
        for event in events if isinstance(events, list) else [UNKNOWN]:
            where = ("lambda_function", index)
            config: Dict[str, Any] = {"Event": lowerer.value(event),
                                      "Function": lowerer.value(entry.get("lambda_function_arn"))}
            rules = [{"Name": name, "Value": lowerer.value(entry[key])}
                     for key, name in (("filter_prefix", "prefix"), ("filter_suffix", "suffix"))
                     if entry.get(key) is not None]
            if rules:
                config["Filter"] = {"S3Key": {"Rules": rules}}
            lowerer._put(bucket, ("NotificationConfiguration", "LambdaConfigurations", len(configs)), config,
                         block, where)


def _bucket_versioning(lowerer: _Lowerer, block: Block) -> None:
    """https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_versioning"""
    bucket = _target_of(lowerer, block.values.get("bucket"), "aws_s3_bucket")
    status = [value for _, value in _matches(block.values, ["versioning_configuration", "0", "status"])]
    if bucket is not None and status:
        lowerer._put(bucket, ("VersioningConfiguration", "Status"), lowerer.value(status[0]), block,
                     ("versioning_configuration", 0, "status"))


def _event_target(lowerer: _Lowerer, block: Block) -> None:
    """https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_event_target"""
    rule = _target_of(lowerer, block.values.get("rule"), "aws_cloudwatch_event_rule")
    if rule is None:
        return
    targets = lowerer.resources[rule]["Properties"].setdefault("Targets", [])
    target: Dict[str, Any] = {"Id": lowerer.value(block.values.get("target_id", block.name)),
                              "Arn": lowerer.value(block.values.get("arn"))}
    for source, name in (("dead_letter_config.0.arn", "DeadLetterConfig.Arn"),
                         ("retry_policy.0.maximum_retry_attempts", "RetryPolicy.MaximumRetryAttempts"),
                         ("retry_policy.0.maximum_event_age_in_seconds", "RetryPolicy.MaximumEventAgeInSeconds"),
                         ("input", "Input")):
        for _, value in _matches(block.values, source.split(".")):
            if value is not None:
                _set(target, tuple(name.split(".")), lowerer.value(value))
    lowerer._put(rule, ("Targets", len(targets)), target, block, ())


def _provisioned(lowerer: _Lowerer, block: Block) -> None:
    """https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_provisioned_concurrency_config:
    on the alias its qualifier names, the version a published function's `version` is, or $LATEST
    (which Lambda refuses: CloudFormation has no place for it, so it stays with the function)."""
    qualifier = block.values.get("qualifier")
    count = lowerer.value(block.values.get("provisioned_concurrent_executions"))
    owner: Optional[str] = None
    if isinstance(qualifier, Reference):
        owner = _target_of(lowerer, qualifier, "aws_lambda_alias")
        function = _target_of(lowerer, qualifier, shapes.LAMBDA_FUNCTION)
        if owner is None and function is not None and qualifier.attribute == ("version",):
            owner = function + "Version" if function + "Version" in lowerer.resources else None
    elif isinstance(qualifier, str):  # `qualifier = "live"`: the alias of that name of the same function
        owner = _alias_named(lowerer, block.values.get("function_name"), qualifier)
    if owner is None:
        return
    lowerer._put(owner, ("ProvisionedConcurrencyConfig", "ProvisionedConcurrentExecutions"), count, block,
                 ("provisioned_concurrent_executions",))


def _function_named(lowerer: _Lowerer, raw: Any, depth: int = 0) -> Optional[str]:
    """The lowered function a `function_name` argument names: a reference to the function (or to an
    alias's function_name), or the one function configured with that name; None when not known."""
    found = _target_of(lowerer, raw, shapes.LAMBDA_FUNCTION)
    if found is not None or depth > 2:
        return found
    if isinstance(raw, Reference) and raw.attribute == ("function_name",):
        alias = lowerer.blocks.get(raw.address)
        if alias is not None and alias.type == "aws_lambda_alias":
            return _function_named(lowerer, alias.values.get("function_name"), depth + 1)
    if not isinstance(raw, str):
        return None
    named = [lowerer.ids[other.address] for other in lowerer.configuration.blocks
             if other.type == shapes.LAMBDA_FUNCTION and other.mode != DATA
             and other.values.get("function_name") == raw]
    return named[0] if len(named) == 1 else None


def _alias_named(lowerer: _Lowerer, function_name: Any, name: str) -> Optional[str]:
    """The lowered alias called `name` of the function `function_name` names, when just one is."""
    function = _function_named(lowerer, function_name)
    if function is None:
        return None
    found = [lowerer.ids[alias.address] for alias in lowerer.configuration.blocks
             if alias.type == "aws_lambda_alias" and alias.mode != DATA and alias.values.get("name") == name
             and _function_named(lowerer, alias.values.get("function_name")) == function]
    return found[0] if len(found) == 1 else None


def _queue_redrive(lowerer: _Lowerer, block: Block) -> None:
    """https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sqs_queue_redrive_policy"""
    queue = _target_of(lowerer, block.values.get("queue_url"), "aws_sqs_queue")
    if queue is not None and block.values.get("redrive_policy") is not None:
        lowerer._put(queue, ("RedrivePolicy",), lowerer.document_value(block.values["redrive_policy"]), block,
                     ("redrive_policy",))


def _kms_key_policy(lowerer: _Lowerer, block: Block) -> None:
    """https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key_policy: the
    key's KeyPolicy; one whose key is not known here may be any key's, so no key keeps the default."""
    key = _target_of(lowerer, block.values.get("key_id"), shapes.KMS_KEY)
    if key is not None:
        lowerer._put(key, ("KeyPolicy",), lowerer.document_value(block.values.get("policy")), block, ("policy",))
        lowerer._document_places(block.values.get("policy"), ("Resources", key, "Properties", "KeyPolicy"))
        return
    for target in lowerer.configuration.blocks:
        lid = lowerer.ids.get(target.address)
        if target.type == shapes.KMS_KEY and lid is not None and target.values.get("policy") is None:
            lowerer.resources[lid]["Properties"]["KeyPolicy"] = lowerer.unknown()


_MERGED = {
    "aws_iam_role_policy_attachment": _role_policy_attachment,
    "aws_iam_policy_attachment": _policy_attachment,
    "aws_kms_key_policy": _kms_key_policy,
    "aws_s3_bucket_notification": _bucket_notification,
    "aws_s3_bucket_versioning": _bucket_versioning,
    "aws_cloudwatch_event_target": _event_target,
    "aws_lambda_provisioned_concurrency_config": _provisioned,
    "aws_sqs_queue_redrive_policy": _queue_redrive,
}
