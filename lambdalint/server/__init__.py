"""`lambdalint server`: findings as an editor's diagnostics, over the Language Server Protocol.

session.py keeps the buffers and what was linted (no protocol), diagnostics.py turns findings
into LSP diagnostics, fixes.py computes the quick fixes as text edits, protocol.py wires them
to pygls. Nothing here is imported by a `check` run: the CLI imports protocol.py only for the
`server` command.
"""
