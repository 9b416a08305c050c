"""LL4: networking - how a function attaches to a VPC, and whether it can reach anything from there.

One module per sub-family, rules in ID order; the registry finds them recursively.
"""
