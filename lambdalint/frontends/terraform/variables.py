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
from .evaluate import Scope, evaluate
from .values import Context, EvalError, is_opaque, to_bool, to_number, to_string


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
    """`value` as the declared type makes it: `"5"` for a number is 5, each element of a
    `list(string)` a string, an `object({...})` with its `optional(type, default)` attributes
    filled in and undeclared ones dropped
    (https://developer.hashicorp.com/terraform/language/expressions/type-constraints).
    UNKNOWN when the conversion fails (Terraform would reject the value); a type this does
    not read (`any`, a type it cannot parse) leaves the value as it is."""
    try:
        return _convert(value, type_expr, 0)
    except EvalError:
        return UNKNOWN


def _convert(value: Any, type_expr: Optional[hcl.Expr], depth: int) -> Any:
    if type_expr is None or value is None or is_opaque(value) or depth > 32:
        return value
    if isinstance(type_expr, hcl.Variable):
        kind = type_expr.name
        if kind == "string":
            if isinstance(value, (list, dict)):
                raise EvalError("a string is required")
            return to_string(value)
        if kind == "number":
            return to_number(value)
        if kind == "bool":
            return to_bool(value)
        return value
    if not isinstance(type_expr, hcl.Call) or len(type_expr.args) < 1:
        return value
    kind, argument = type_expr.name, type_expr.args[0]
    if kind in ("list", "set"):
        if not isinstance(value, list):
            raise EvalError(f"a {kind} is required")
        items = [_convert(item, argument, depth + 1) for item in value]
        if kind == "set" and all(isinstance(item, str) for item in items):
            return sorted(set(items))
        return items
    if kind == "map":
        if not isinstance(value, dict):
            raise EvalError("a map is required")
        return {key: _convert(item, argument, depth + 1) for key, item in value.items()}
    if kind == "tuple" and isinstance(argument, hcl.TupleExpr):
        if not isinstance(value, list) or len(value) != len(argument.items):
            raise EvalError("a tuple of another length")
        return [_convert(item, item_type, depth + 1) for item, item_type in zip(value, argument.items)]
    if kind == "object" and isinstance(argument, hcl.ObjectExpr):
        return _object(value, argument, depth)
    return value


def _object(value: Any, declared: hcl.ObjectExpr, depth: int) -> Any:
    if not isinstance(value, dict):
        raise EvalError("an object is required")
    result = {}
    for key_expr, attribute_type in declared.items:
        if not isinstance(key_expr, hcl.Literal) or not isinstance(key_expr.value, str):
            return value
        name = key_expr.value
        optional = _optional(attribute_type)
        inner_type = optional[0] if optional is not None else attribute_type
        if name in value and value[name] is not None:
            result[name] = _convert(value[name], inner_type, depth + 1)
        elif optional is not None:
            default = optional[1]
            constant = evaluate(default, Scope(Context())) if default is not None else None
            result[name] = _convert(constant, inner_type, depth + 1)
        elif name in value:
            result[name] = None
        else:
            raise EvalError(f"attribute {name} is required")
    return result


def _optional(attribute_type: hcl.Expr) -> Optional[Tuple[hcl.Expr, Optional[hcl.Expr]]]:
    """(type, default or None) of `optional(type[, default])`, None for a required attribute."""
    if isinstance(attribute_type, hcl.Call) and attribute_type.name == "optional" and attribute_type.args:
        args = attribute_type.args
        return args[0], (args[1] if len(args) > 1 else None)
    return None
