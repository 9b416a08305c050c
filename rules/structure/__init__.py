"""LL0: the template itself - structure, references, in-template configuration, SAM shape.

One module per sub-family, rules in ID order; the registry finds them recursively.
"""
