"""`python -m lambdalint`: the same as the `lambdalint` command."""

from .entry import run

run()
