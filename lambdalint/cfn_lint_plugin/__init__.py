"""lambdalint's rules inside cfn-lint.

    cfn-lint --append-rules lambdalint.cfn_lint_plugin -- template.yaml

(`--append-rules` takes several values, so `--` ends them: docs/cfn-lint.md.)

cfn-lint imports this module and registers every CloudFormationLintRule
subclass it finds here: one per lambdalint rule, with IDs mapped as
docs/cfn-lint.md describes. Needs cfn-lint installed (it is not a lambdalint
dependency); nothing else in lambdalint imports this package.
"""

from __future__ import annotations

from lambdalint.cfn_lint_plugin._adapter import rule_classes

globals().update(rule_classes())
