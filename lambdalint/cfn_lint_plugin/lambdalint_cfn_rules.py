"""Entry for the folder form: `cfn-lint --append-rules <this folder>`.

cfn-lint loads each `[A-Za-z1-9]*.py` file of an --append-rules folder as a
standalone module (hence the absolute import) and registers the rule classes
it finds; these are the same classes the module form registers.
"""

from lambdalint.cfn_lint_plugin._adapter import rule_classes

globals().update(rule_classes())
