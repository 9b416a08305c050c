"""Input variables of a root module: `terraform.tfvars`, `*.auto.tfvars` (and their `.json`
forms) in the order Terraform reads them, and the conversion a variable's `type` applies.

https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence
(later sources win: terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars and
*.auto.tfvars.json in lexical order of their names; values given to lambdalint win over all).
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Optional, Tuple

from ...model.values import UNKNOWN
from . import hcl
from .configuration import Position
from .values import EvalError, is_opaque, to_bool, to_number, to_string


def tfvars_files(folder: str, names: List[str]) -> List[str]:
    """The variable files Terraform reads from `folder`, in the order it applies them."""
    found: List[str] = [name for name in ("terraform.tfvars", "terraform.tfvars.json") if name in names]
    found += sorted(name for name in names if name.endswith((".auto.tfvars", ".auto.tfvars.json")))
    return [os.path.join(folder, name) for name in found]


def read_tfvars(source: bytes, display: str) -> Tuple[Dict[str, hcl.Expr], Optional[Tuple[Position, str]]]:
    """name -> expression of one tfvars file, and its syntax error if any."""
    if display.endswith(".json"):
        return _read_json(source, display)
    parsed = hcl.parse(source, display)
    if parsed.error is not None:
        return {}, parsed.error
    values = {name: attribute.expr for name, attribute in parsed.body.attributes.items()}
    if parsed.body.blocks:
        block = parsed.body.blocks[0]
        return values, (block.position, "blocks are not allowed in a variables file")
    return values, None


def _read_json(source: bytes, display: str) -> Tuple[Dict[str, hcl.Expr], Optional[Tuple[Position, str]]]:
    where = Position(display, 1, 1)
    try:
        document = json.loads(source.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as problem:
        return {}, (where, f"invalid JSON: {problem}")
    if not isinstance(document, dict):
        return {}, (where, "a variables file must hold an object")
    return {name: hcl.Literal(value, where) for name, value in document.items()}, None


def convert(value: Any, type_expr: Optional[hcl.Expr]) -> Any:
    """`value` as the declared type makes it (`"5"` for a number is 5); UNKNOWN when the
    conversion fails (Terraform would reject the value) or the type is not a primitive we
    convert: such values pass as they are."""
    if type_expr is None or value is None or is_opaque(value):
        return value
    kind = type_expr.name if isinstance(type_expr, hcl.Variable) else None
    try:
        if kind == "string":
            if isinstance(value, (list, dict)):
                return UNKNOWN
            return to_string(value)
        if kind == "number":
            return to_number(value)
        if kind == "bool":
            return to_bool(value)
    except EvalError:
        return UNKNOWN
    return value
