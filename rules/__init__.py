"""lambdalint's built-in rules, one module per family.

Installed as the `lambdalint_rules` package and registered through the
`lambdalint.rules` entry point, exactly like a third-party rule pack.
"""
