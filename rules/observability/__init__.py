"""LL8: observability - tracing and logs.
"""
