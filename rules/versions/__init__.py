"""LL3: versions, aliases and deployment - aliases, publishing, provisioned concurrency.

One module per sub-family, rules in ID order; the registry finds them recursively.
"""
