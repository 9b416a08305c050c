"""LL2: function configuration - limits, environment, runtimes, platform.

One module per sub-family, rules in ID order; the registry finds them recursively.
"""
