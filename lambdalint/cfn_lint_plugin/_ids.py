"""lambdalint rule IDs as cfn-lint rule IDs: the scheme lives in lambdalint/cfn_ids.py."""

from lambdalint.cfn_ids import LETTERS, cfn_lint_id  # noqa: F401  (the plug-in's names for them)
