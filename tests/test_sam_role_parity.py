"""The role our model derives for a SAM function without `Role` matches what the SAM transform generates.

For the SAM templates of the corpus (a deterministic sample, to stay well under a minute), we run
aws-sam-translator's transform with a fake region/account and compare, for each generated
`<Function>Role`, the AWS managed policies (by name) and the inline statements (as parsed by the
IAM layer: effect, actions, resources, condition) with `lambdalint.model.roles`.

Skipped, with the reason recorded in `SKIPS` below:
- templates the transform rejects (invalid SAM, unsupported features offline, plugins needing AWS);
- templates using `AWS::LanguageExtensions`, `Fn::ForEach` or `Fn::Transform` (not expanded here);
- functions whose role our model marks incomplete on purpose (connectors, MQ/Kafka/DocumentDB
  events, `Fn::If` in `Policies` or destinations): there we only claim "unknown", which is correct
  by construction and not comparable statement by statement.
"""

from __future__ import annotations

import copy
import hashlib
import os
import pathlib
from collections import Counter
from typing import Any, Dict, List, Tuple

import pytest

CORPUS = pathlib.Path(__file__).resolve().parents[2] / "shared" / "corpus" / "templates"
SAMPLE_SIZE = 400  # of ~990 SAM templates; about 0.05 s each: ~20 s
REGION, ACCOUNT = "us-east-1", "123456789012"

SKIP_REASONS = {
    "unreadable": "the template does not load (unknown tags, syntax errors): LL0001, not comparable",
    "transform-error": "the SAM transform rejects the template (invalid SAM, or a feature needing AWS calls)",
    "language-extensions": "AWS::LanguageExtensions / Fn::ForEach / Fn::Transform: not expanded offline",
    "incomplete": "our model marks the role incomplete (connectors, MQ/Kafka/DocumentDB events, Fn::If): "
                  "it answers unknown, never a statement list",
    "conditional-policies": "Fn::If inside Policies: SAM keeps the condition in the role, we mark branches",
}


def _sam_templates() -> List[pathlib.Path]:
    if not CORPUS.is_dir():
        return []
    found = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".json", ".template") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if "AWS::Serverless::Function" in text and "Serverless-2016-10-31" in text:
            found.append(path)
    # deterministic sample: order by a hash of the relative path
    found.sort(key=lambda p: hashlib.sha256(str(p.relative_to(CORPUS)).encode()).hexdigest())
    return found[:SAMPLE_SIZE]


_LOCAL_URIS = {
    "AWS::Serverless::Function": "CodeUri", "AWS::Serverless::LayerVersion": "ContentUri",
    "AWS::Serverless::Api": "DefinitionUri", "AWS::Serverless::HttpApi": "DefinitionUri",
    "AWS::Serverless::StateMachine": "DefinitionUri",
}


def _as_deployed(template: Dict[str, Any]) -> Dict[str, Any]:
    """Local code paths as `sam package` leaves them: S3 URIs (the transform accepts only those)."""
    template = copy.deepcopy(template)
    sections = [(template.get("Globals") or {}).get("Function") or {}]
    for resource in (template.get("Resources") or {}).values():
        if isinstance(resource, dict) and resource.get("Type") in _LOCAL_URIS:
            key = _LOCAL_URIS[resource["Type"]]
            properties = resource.get("Properties")
            if isinstance(properties, dict) and isinstance(properties.get(key), str):
                sections.append((properties, key))
    for entry in sections:
        if isinstance(entry, tuple):
            properties, key = entry
        elif isinstance(entry, dict) and isinstance(entry.get("CodeUri"), str):
            properties, key = entry, "CodeUri"
        else:
            continue
        if not properties[key].startswith("s3://"):
            properties[key] = "s3://bucket/" + properties[key].strip("./") or "s3://bucket/code"
    return template


def _transform(template: Dict[str, Any]) -> Dict[str, Any]:
    from samtranslator.parser import parser
    from samtranslator.translator.arn_generator import ArnGenerator
    from samtranslator.translator.translator import Translator

    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    ArnGenerator.BOTO_SESSION_REGION_NAME = REGION
    translator = Translator(managed_policy_map={}, sam_parser=parser.Parser())
    return translator.translate(
        sam_template=_as_deployed(template),
        parameter_values={"AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::Partition": "aws"},
    )


def _managed_names(arns: Any) -> Counter:
    from lambdalint.iam.managed import managed_policy_suffix
    from lambdalint.model.values import normalise_value

    names: Counter = Counter()
    for arn in arns or []:
        suffix = managed_policy_suffix(arn)
        names[suffix.rsplit("/", 1)[-1] if suffix else normalise_value(arn) or repr(arn)] += 1
    return Counter(set(names))  # SAM de-duplicates; compare the set


def _statement_key(statement: Any) -> Tuple:
    def items(values: Any) -> Any:
        return None if values is None else tuple(sorted(str(v).lower() for v in values))

    return (statement.effect, items(statement.actions), items(statement.not_actions),
            items(statement.resources), items(statement.not_resources), statement.has_condition)


def _generated_statements(role: Dict[str, Any]) -> Counter:
    from lambdalint.iam import parse_policy

    statements: Counter = Counter()
    for policy in role.get("Policies") or []:
        for statement in parse_policy(policy.get("PolicyDocument"), ""):
            statements[_statement_key(statement)] += 1
    return statements


def _derived(model: Any, function: Any) -> Tuple[Counter, Counter, str]:
    """(managed names, inline statements, skip reason or "") as our model derives them."""
    from lambdalint.iam import parse_policy
    from lambdalint.iam.sam_policies import expand_policy_template
    from lambdalint.model import roles

    role = roles.execution_role(model, function)
    assert role is not None and role.kind == roles.SAM
    managed = list(role.managed_policy_arns)
    statements: Counter = Counter()
    for document in role.documents:
        for statement in parse_policy(document, ""):
            statements[_statement_key(statement)] += 1
    policies = function.get("Policies")
    for entry in policies if isinstance(policies, list) else ([] if policies is None else [policies]):
        if isinstance(entry, str) or (isinstance(entry, dict) and set(entry) <= {"Fn::Sub", "Fn::Join"}):
            managed.append(entry)
        elif isinstance(entry, dict) and "Fn::If" in entry:
            return Counter(), Counter(), "conditional-policies"
        elif isinstance(entry, dict) and "Statement" in entry:
            for statement in parse_policy(entry, ""):
                statements[_statement_key(statement)] += 1
        elif isinstance(entry, dict) and len(entry) == 1:
            (name, parameters), = entry.items()
            expanded = expand_policy_template(name, parameters)
            if expanded is None:
                return Counter(), Counter(), "incomplete"
            for statement in expanded:
                statements[_statement_key(statement)] += 1
        else:
            return Counter(), Counter(), "incomplete"
    if role.permissions.incomplete:
        return Counter(), Counter(), "incomplete"
    return _managed_names(managed), statements, ""


def _compare_template(path: pathlib.Path) -> Tuple[int, List[str], Dict[str, str]]:
    from lambdalint.loading import LoadError, load_file
    from lambdalint.model import TemplateModel

    try:
        document = load_file(str(path), str(path))
    except LoadError:
        return 0, [], {str(path): "unreadable"}
    data = document.data if isinstance(document.data, dict) else {}
    text = repr(data)
    if "Fn::ForEach" in text or "AWS::LanguageExtensions" in text or "Fn::Transform" in text:
        return 0, [], {str(path): "language-extensions"}
    try:
        output = _transform(data)
    except Exception as error:  # the transform's own verdict: not ours to compare
        return 0, [], {str(path): f"transform-error: {type(error).__name__}"}
    model = TemplateModel(document)
    compared, problems, skips = 0, [], {}
    for function in model.functions:
        if not function.is_sam or function.has("Role"):
            continue
        generated = output.get("Resources", {}).get(function.logical_id + "Role")
        if not isinstance(generated, dict):
            continue
        managed, statements, reason = _derived(model, function)
        if reason:
            skips[f"{path}:{function.logical_id}"] = reason
            continue
        properties = generated.get("Properties", {})
        expected_managed = _managed_names(properties.get("ManagedPolicyArns"))
        expected_statements = _generated_statements(properties)
        compared += 1
        if managed != expected_managed:
            problems.append(f"{path.relative_to(CORPUS)}:{function.logical_id}: managed "
                            f"{sorted(managed)} != SAM {sorted(expected_managed)}")
        if statements != expected_statements:
            problems.append(f"{path.relative_to(CORPUS)}:{function.logical_id}: statements "
                            f"ours-only {sorted((statements - expected_statements).elements())} "
                            f"SAM-only {sorted((expected_statements - statements).elements())}")
    return compared, problems, skips


TEMPLATES = _sam_templates()


@pytest.mark.skipif(not TEMPLATES, reason="corpus not available")
@pytest.mark.slow
def test_sam_generated_roles_match_the_transform():
    pytest.importorskip("samtranslator")
    compared, problems, skips = 0, [], {}
    for path in TEMPLATES:
        count, found, skipped = _compare_template(path)
        compared += count
        problems.extend(found)
        skips.update(skipped)
    # the sample must exercise the comparison, not skip its way to green
    assert compared >= 100, (compared, Counter(reason.split(":")[0] for reason in skips.values()))
    assert not problems, "\n".join(problems[:40])
    print(f"compared {compared} generated roles; skipped {Counter(r.split(':')[0] for r in skips.values())}")
    for reason in skips.values():
        assert reason.split(":")[0] in SKIP_REASONS
