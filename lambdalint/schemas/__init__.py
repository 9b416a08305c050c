"""JSON schemas lambdalint's files follow, and the checks generated from them.

``config.schema.json`` is the configuration's (editors read it too); ``config_check.py`` is
generated from it by ``python -m lambdalint.schemas.build`` and is what a run uses.
"""
