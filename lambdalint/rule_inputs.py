"""Which inputs a rule runs on: CloudFormation (SAM, CDK output, Serverless packages), Terraform, or both.

Every rule reads the model, and every front end feeds the same model, so a rule runs on both
unless it reads something only a CloudFormation template has: its own sections and syntax,
the SAM transform, or CloudFormation's way of publishing versions. Those are listed here with
the reason `explain` gives; the Terraform front end does not run them (a lowered template
has no such thing to check, and what it lowers must not look like a template's mistake).
A third-party rule runs on both.
"""

from __future__ import annotations

from typing import Dict

CLOUDFORMATION, BOTH = "cfn", "cfn+tf"

NOT_ON_TERRAFORM: Dict[str, str] = {
    "LL0002": "it checks a template's Resources section and resource types; a Terraform file that "
              "does not parse is LL0001",
    "LL0003": "it checks Ref, GetAtt, Sub and DependsOn; `terraform validate` refuses a reference to "
              "an undeclared resource, and a reference lambdalint cannot follow is an unknown value",
    "LL0006": "it checks what the SAM transform accepts",
    "LL0008": "it checks CloudFormation's resource-level keys",
    "LL0009": "it checks mapping keys of YAML and JSON templates; Terraform refuses an argument "
              "written twice in a block itself",
    "LL1016": "it checks inline ZipFile code and the CloudFormation template size; Terraform deploys "
              "no inline code",
    "LL3005": "it checks AWS::Lambda::Version resources with a fixed logical ID; Terraform's "
              "`publish = true` publishes a new version whenever the code or configuration changes",
    "LL3006": "it checks SAM's DeploymentPreference and AutoPublishAlias",
    "LL3009": "it checks SAM's DeploymentPreference hooks",
}


def inputs(rule_id: str) -> str:
    return CLOUDFORMATION if rule_id in NOT_ON_TERRAFORM else BOTH


def runs_on_terraform(rule_id: str) -> bool:
    return rule_id not in NOT_ON_TERRAFORM
