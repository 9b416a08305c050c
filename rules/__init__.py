"""lambdalint's built-in rules: one package per family, one module per sub-family, rules in ID order.

Installed as the `lambdalint_rules` package and registered through the
`lambdalint.rules` entry point, exactly like a third-party rule pack; the registry
finds the rules of every sub-package.
"""
