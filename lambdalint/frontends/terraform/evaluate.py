"""HCL expressions evaluated to what Terraform knows before `apply`, and UNKNOWN for the rest.

Values are plain Python (str, int, float, bool, None, list, dict); a reference to a resource
or data block is a configuration.Reference, a template mixing text with one an Interpolation.
What Terraform would only know at apply time, or what this evaluator does not model (a
function outside functions.py, `terraform.workspace`), is UNKNOWN; never a guess.

An expression Terraform would reject (an attribute a map does not have, an index out of
range) raises EvalError inside; `try` and `can` catch it as Terraform does, and the callers
of `evaluate` get UNKNOWN. Names come from a Context (modules.ModuleInstance: variables,
locals, resources, module outputs, paths) and a Scope's local names (each, count, for
variables, dynamic block iterators).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

from ...model.values import UNKNOWN
from . import functions, hcl
from .configuration import Encoded, Interpolation, Position, Reference
from .values import (
    HUGE_NUMBER,
    MAX_ITEMS,
    Context,
    EvalError,
    Handle,
    equal,
    is_known,
    is_opaque,
    join_parts,
    to_bool,
    to_number,
    to_string,
)


class _Namespace(Handle):
    """`aws_lambda_function` before `.name`, `data.x` before `.name`, `var`, `local`, `module`, `path`."""

    def __init__(self, context: Context, kind: str, type: str = "") -> None:
        self.context = context
        self.kind = kind
        self.type = type

    def attr(self, name: str) -> Any:
        kind = self.kind
        if kind == "var":
            return self.context.variable(name)
        if kind == "local":
            return self.context.local(name)
        if kind == "module":
            return self.context.module(name)
        if kind == "path":
            return self.context.path(name)
        if kind == "data":
            if not self.type:
                return _Namespace(self.context, "data", name)
            return self.context.resource("data", self.type, name)
        if kind == "terraform":
            return UNKNOWN  # terraform.workspace: the one selected when it runs
        return self.context.resource("managed", self.type, name)

    def value(self) -> Any:
        raise EvalError(f"{self.type or self.kind} alone is not a value")  # an unbound name


_NAMESPACES = {"var", "local", "module", "path", "data", "terraform"}


class ReferenceHandle(Handle):
    """An instance of a resource or data block: every attribute read is a Reference."""

    def __init__(self, address: str) -> None:
        self.address = address

    def attr(self, name: str) -> Any:
        return Reference(self.address, (name,))

    def index(self, key: Any) -> Any:
        raise EvalError(f"{self.address} has no instances to index")

    def splat(self) -> Any:
        return [self.value()]

    def value(self) -> Any:
        return Reference(self.address, ())


class Scope:
    """A Context plus the names bound around an expression (each, count, for variables).

    `origins` says where a bound value is written, for positions: `"each.value"` (or a dynamic
    block's `"<iterator>.value"`) -> the for_each element's expression and its scope.
    """

    __slots__ = ("context", "names", "origins")

    def __init__(self, context: Context, names: Optional[Dict[str, Any]] = None,
                 origins: Optional[Dict[str, Tuple[hcl.Expr, Scope]]] = None) -> None:
        self.context = context
        self.names = names or {}
        self.origins = origins or {}

    def bind(self, names: Dict[str, Any], origins: Optional[Dict[str, Tuple[hcl.Expr, Scope]]] = None) -> Scope:
        merged = dict(self.names)
        merged.update(names)
        placed = self.origins
        if origins or any(name + ".value" in placed for name in names):
            placed = {key: value for key, value in placed.items() if key.split(".")[0] not in names}
            placed.update(origins or {})
        return Scope(self.context, merged, placed)


def evaluate(expr: hcl.Expr, scope: Scope) -> Any:
    """The value of `expr`, UNKNOWN where Terraform would not know it or would reject it."""
    try:
        return _resolve(_eval(expr, scope))
    except (EvalError, RecursionError, ArithmeticError):
        return UNKNOWN


def evaluate_strict(expr: hcl.Expr, scope: Scope) -> Any:
    """As evaluate, but an expression Terraform rejects raises EvalError (for try/can, count)."""
    return _resolve(_eval(expr, scope))


def _resolve(value: Any) -> Any:
    if isinstance(value, Handle):
        return value.value()
    return value


# ---- evaluation ------------------------------------------------------------------------


def _eval(expr: hcl.Expr, scope: Scope) -> Any:
    return _DISPATCH[type(expr)](expr, scope)


def _literal(expr: hcl.Literal, scope: Scope) -> Any:
    return expr.value


def _variable(expr: hcl.Variable, scope: Scope) -> Any:
    name = expr.name
    if name in scope.names:
        return scope.names[name]
    if name in _NAMESPACES:
        return _Namespace(scope.context, name)
    if name in ("each", "count", "self", "each_value"):
        raise EvalError(f"{name} is not available here")
    # any other root name is a managed resource type (`aws_lambda_function.name`)
    return _Namespace(scope.context, "managed", name)


def _get_attr(expr: hcl.GetAttr, scope: Scope) -> Any:
    return get_attr(_eval(expr.target, scope), expr.name)


def get_attr(target: Any, name: str) -> Any:
    if isinstance(target, Handle):
        return target.attr(name)
    if isinstance(target, dict):
        if name in target:
            return target[name]
        raise EvalError(f"no attribute {name}")
    if target is UNKNOWN:
        return UNKNOWN
    if isinstance(target, Reference):
        return Reference(target.address, target.attribute + (name,))
    raise EvalError(f"cannot read attribute {name}")


def _index(expr: hcl.Index, scope: Scope) -> Any:
    return index(_eval(expr.target, scope), _resolve(_eval(expr.key, scope)))


def index(target: Any, key: Any) -> Any:
    if isinstance(target, Handle):
        if key is UNKNOWN:
            return UNKNOWN
        return target.index(key)
    if target is UNKNOWN:
        return UNKNOWN
    if isinstance(target, Reference):
        if not is_known(key):
            return UNKNOWN
        return Reference(target.address, target.attribute + (key,))
    if is_opaque(key):
        return UNKNOWN
    if isinstance(target, list):
        number = to_number(key)
        if not isinstance(number, int) or not 0 <= number < len(target):
            raise EvalError("index out of range")
        return target[number]
    if isinstance(target, dict):
        name = to_string(key)
        if name in target:
            return target[name]
        raise EvalError(f"no key {name!r}")
    raise EvalError("cannot index")


def _splat(expr: hcl.Splat, scope: Scope) -> Any:
    target = _eval(expr.target, scope)
    if isinstance(target, Handle):
        target = target.splat()
    if target is UNKNOWN or isinstance(target, (Reference, Interpolation, Encoded)):
        return UNKNOWN
    if target is None:
        return []
    items = target if isinstance(target, list) else [target]
    return [_resolve(_eval(expr.each, scope.bind({hcl.SPLAT_ITEM: item}))) for item in items]


def _template(expr: hcl.Template, scope: Scope) -> Any:
    parts = expr.parts
    if len(parts) == 1 and isinstance(parts[0], hcl.Expr):
        # `"${x}"` is x itself, of whatever type (HCL's single-interpolation rule)
        return _resolve(_eval(parts[0], scope))
    pieces: List[Any] = []
    _template_parts(parts, scope, pieces)
    return join_parts(pieces)


def _template_parts(parts: Tuple[Any, ...], scope: Scope, out: List[Any]) -> None:
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, hcl.TemplateIf):
            condition = _resolve(_eval(part.condition, scope))
            if is_opaque(condition):
                out.append(UNKNOWN)
            else:
                _template_parts(part.then if to_bool(condition) else part.otherwise, scope, out)
        elif isinstance(part, hcl.TemplateFor):
            collection = _resolve(_eval(part.collection, scope))
            pairs = iterate(collection)
            if pairs is None:
                out.append(UNKNOWN)
                continue
            for key, value in pairs:
                names = {part.value: value}
                if part.key is not None:
                    names[part.key] = key
                _template_parts(part.parts, scope.bind(names), out)
        else:
            out.append(_resolve(_eval(part, scope)))


def iterate(collection: Any) -> Optional[List[Tuple[Any, Any]]]:
    """(key, value) pairs as a for expression sees them, or None when not known."""
    if isinstance(collection, list):
        return list(enumerate(collection))
    if isinstance(collection, dict):
        return [(key, collection[key]) for key in sorted(collection)]
    if collection is None:
        raise EvalError("cannot iterate over null")
    if is_opaque(collection):
        return None
    raise EvalError("cannot iterate")


def _tuple(expr: hcl.TupleExpr, scope: Scope) -> Any:
    return [_resolve(_eval(item, scope)) for item in expr.items]


def _object(expr: hcl.ObjectExpr, scope: Scope) -> Any:
    result: Dict[str, Any] = {}
    unknown_key = False
    for key_expr, value_expr in expr.items:
        key = _resolve(_eval(key_expr, scope))
        if is_opaque(key):
            unknown_key = True
            continue
        result[to_string(key)] = _resolve(_eval(value_expr, scope))
    return UNKNOWN if unknown_key else result


def _for(expr: hcl.ForExpr, scope: Scope) -> Any:
    collection = _resolve(_eval(expr.collection, scope))
    pairs = iterate(collection)
    if pairs is None:
        return UNKNOWN
    if len(pairs) > MAX_ITEMS:
        raise EvalError("collection too large")
    items: List[Any] = []
    grouped: Dict[str, Any] = {}
    for key, value in pairs:
        names = {expr.value_var: value}
        if expr.key_var is not None:
            names[expr.key_var] = key
        inner = scope.bind(names)
        if expr.condition is not None:
            keep = _resolve(_eval(expr.condition, inner))
            if is_opaque(keep):
                return UNKNOWN
            if not to_bool(keep):
                continue
        if expr.key is None:
            items.append(_resolve(_eval(expr.value, inner)))
            continue
        result_key = _resolve(_eval(expr.key, inner))
        if is_opaque(result_key):
            return UNKNOWN
        name = to_string(result_key)
        result_value = _resolve(_eval(expr.value, inner))
        if expr.group:
            grouped.setdefault(name, []).append(result_value)
        elif name in grouped:
            raise EvalError(f"duplicate key {name!r}")
        else:
            grouped[name] = result_value
    return items if expr.key is None else grouped


def _conditional(expr: hcl.Conditional, scope: Scope) -> Any:
    condition = _resolve(_eval(expr.condition, scope))
    if not is_opaque(condition):
        return _resolve(_eval(expr.then if to_bool(condition) else expr.otherwise, scope))
    # unknown condition: known only when both branches agree
    try:
        then = _resolve(_eval(expr.then, scope))
        otherwise = _resolve(_eval(expr.otherwise, scope))
    except EvalError:
        return UNKNOWN
    if is_known(then) and is_known(otherwise) and equal(then, otherwise):
        return then
    return UNKNOWN


def _operation(expr: hcl.Operation, scope: Scope) -> Any:
    operator = expr.operator
    right = _resolve(_eval(expr.right, scope))
    if expr.left is None:
        if is_opaque(right):
            return UNKNOWN
        if operator == "!":
            return not to_bool(right)
        return -to_number(right)
    left = _resolve(_eval(expr.left, scope))
    if operator in ("&&", "||"):
        return _logical(operator, left, right)
    if operator in ("==", "!="):
        if not (is_known(left) and is_known(right)):
            return UNKNOWN
        same = equal(left, right)
        return same if operator == "==" else not same
    if is_opaque(left) or is_opaque(right):
        return UNKNOWN
    a, b = to_number(left), to_number(right)
    if operator == "+":
        return _tidy(a + b)
    if operator == "-":
        return _tidy(a - b)
    if operator == "*":
        return _tidy(a * b)
    if operator == "/":
        if b == 0:
            raise EvalError("division by zero")
        return _tidy(a / b)
    if operator == "%":
        if b == 0:
            raise EvalError("division by zero")
        return _tidy(a - b * int(a / b))  # the sign of the dividend, as Go's math.Mod
    if operator == "<":
        return a < b
    if operator == ">":
        return a > b
    if operator == "<=":
        return a <= b
    if operator == ">=":
        return a >= b
    raise EvalError(f"unknown operator {operator}")


def _logical(operator: str, left: Any, right: Any) -> Any:
    # a known false (&&) or true (||) decides, whatever the other side (as cty does)
    decisive = operator == "||"
    known = [to_bool(side) for side in (left, right) if not is_opaque(side)]
    if decisive in known:
        return decisive
    if len(known) < 2:
        return UNKNOWN
    return not decisive


def _tidy(number: Any) -> Any:
    if isinstance(number, int) and abs(number) >= HUGE_NUMBER:
        raise EvalError("number beyond Terraform's precision")  # and squaring through locals
    if isinstance(number, float):
        if number != number or number in (float("inf"), float("-inf")):
            raise EvalError("not a finite number")
        if number.is_integer() and abs(number) < 2 ** 63:
            return int(number)
    return number


def _call(expr: hcl.Call, scope: Scope) -> Any:
    name = expr.name
    if name == "templatefile":
        return _templatefile([_resolve(_eval(arg, scope)) for arg in expr.args], scope.context)
    if name in ("try", "can"):
        return functions.attempt(name, [_deferred(arg, scope) for arg in expr.args])
    args = [_resolve(_eval(arg, scope)) for arg in expr.args]
    if expr.expand and args:
        last = args.pop()
        if is_opaque(last):
            return UNKNOWN
        if not isinstance(last, list):
            raise EvalError("`...` needs a list")
        args.extend(last)
    return functions.call(name, args, scope.context, expr.position)


_TEMPLATE_END = "LAMBDALINT_TEMPLATEFILE_END"


def _templatefile(args: List[Any], context: Context) -> Any:
    """`templatefile(path, vars)`: the file inside the trust boundary rendered as a template
    whose only names are `vars` (https://developer.hashicorp.com/terraform/language/functions/templatefile)."""
    if len(args) != 2:
        raise EvalError("templatefile takes two arguments")
    path, names = args
    if not is_known(path) or is_opaque(names):
        return UNKNOWN
    if not isinstance(names, dict):
        raise EvalError("templatefile variables must be a map")
    data = context.read_file(to_string(path))
    if data is None:
        return UNKNOWN
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise EvalError("templatefile of a file that is not UTF-8") from None
    if _TEMPLATE_END in text:
        return UNKNOWN
    ends_with_newline = text.endswith("\n")
    source = f"x = <<{_TEMPLATE_END}\n{text}{'' if ends_with_newline else chr(10)}{_TEMPLATE_END}\n"
    parsed = hcl.parse(source.encode("utf-8"), to_string(path))
    attribute = parsed.body.attributes.get("x")
    if parsed.error is not None or attribute is None:
        raise EvalError("templatefile of a file that is not a template")
    value = _resolve(_eval(attribute.expr, Scope(Context(), dict(names))))
    if ends_with_newline:
        return value
    # the heredoc added a final newline the file does not have
    if isinstance(value, str):
        return value[:-1] if value.endswith("\n") else value
    if isinstance(value, Interpolation) and value.parts and isinstance(value.parts[-1], str):
        return join_parts(list(value.parts[:-1]) + [value.parts[-1][:-1]])
    return UNKNOWN


def _deferred(expr: hcl.Expr, scope: Scope) -> Callable[[], Any]:
    return lambda: evaluate_strict(expr, scope)


_DISPATCH: Dict[type, Any] = {
    hcl.Literal: _literal,
    hcl.Variable: _variable,
    hcl.GetAttr: _get_attr,
    hcl.Index: _index,
    hcl.Splat: _splat,
    hcl.Template: _template,
    hcl.TupleExpr: _tuple,
    hcl.ObjectExpr: _object,
    hcl.ForExpr: _for,
    hcl.Conditional: _conditional,
    hcl.Operation: _operation,
    hcl.Call: _call,
}


# ---- where values are written ------------------------------------------------------------


def written(expr: hcl.Expr, scope: Scope, depth: int = 0) -> Tuple[hcl.Expr, Scope]:
    """The expression that writes `expr`'s value: through `var.x` to the tfvars line, the
    default or the module call's argument; through `local.x` to the local; through
    `each.value` to the for_each element; into object and tuple literals by key. `expr`
    itself when it is computed in place."""
    while depth < 24:
        depth += 1
        found = _written_once(expr, scope, depth)
        if found is None:
            return expr, scope
        expr, scope = found
    return expr, scope


def _written_once(expr: hcl.Expr, scope: Scope, depth: int) -> Optional[Tuple[hcl.Expr, Scope]]:
    if isinstance(expr, hcl.GetAttr):
        target = expr.target
        if isinstance(target, hcl.Variable):
            if target.name in ("var", "local") and target.name not in scope.names:
                return scope.context.written(target.name, expr.name)
            return scope.origins.get(f"{target.name}.{expr.name}")
        inner, inner_scope = written(target, scope, depth)
        if inner is not target:
            return member(inner, expr.name, inner_scope)
        return None
    if isinstance(expr, hcl.Index) and isinstance(expr.key, hcl.Literal):
        inner, inner_scope = written(expr.target, scope, depth)
        if inner is not expr.target or isinstance(inner, (hcl.ObjectExpr, hcl.TupleExpr)):
            return member(inner, expr.key.value, inner_scope)
        return None
    if isinstance(expr, hcl.Conditional):  # a known condition: the branch it takes writes the value
        condition = evaluate(expr.condition, scope)
        if isinstance(condition, bool):
            return (expr.then if condition else expr.otherwise), scope
        return None
    if isinstance(expr, hcl.Template) and len(expr.parts) == 1 and isinstance(expr.parts[0], hcl.Expr):
        inner, inner_scope = written(expr.parts[0], scope, depth)
        return (inner, inner_scope) if inner is not expr.parts[0] else None
    return None


def member(expr: hcl.Expr, key: Any, scope: Scope) -> Optional[Tuple[hcl.Expr, Scope]]:
    """The expression of `key` in an object or tuple literal."""
    if isinstance(expr, hcl.ObjectExpr):
        for key_expr, value_expr in expr.items:
            if isinstance(key_expr, hcl.Literal) and key_expr.value == key:
                return value_expr, scope
    if isinstance(expr, hcl.TupleExpr) and isinstance(key, int) and 0 <= key < len(expr.items):
        return expr.items[key], scope
    return None


def element_origin(collection: hcl.Expr, scope: Scope, key: Any) -> Optional[Tuple[hcl.Expr, Scope]]:
    """Where the for_each element of `key` is written, when the collection is a literal."""
    source, source_scope = written(collection, scope)
    return member(source, key, source_scope)


def record_positions(expr: hcl.Expr, scope: Scope, path: Tuple[Any, ...],
                     out: Dict[Tuple[Any, ...], Position], depth: int = 0) -> None:
    """Position of `path` and of every literal key and item below it, where each is written;
    below a `jsonencode(...)` too, whose keys are the JSON document's (a policy's statements)."""
    source, source_scope = written(expr, scope)
    out[path] = source.position
    if depth > 32:
        return
    if isinstance(source, hcl.Call) and source.name == "jsonencode" and len(source.args) == 1 and not source.expand:
        inner: Dict[Tuple[Any, ...], Position] = {}
        record_positions(source.args[0], source_scope, path, inner, depth + 1)
        inner.pop(path, None)  # the document itself stays where its argument is set
        out.update(inner)
        return
    if isinstance(source, hcl.ObjectExpr):
        for key_expr, value_expr in source.items:
            if isinstance(key_expr, hcl.Literal) and isinstance(key_expr.value, str):
                record_positions(value_expr, source_scope, path + (key_expr.value,), out, depth + 1)
    elif isinstance(source, hcl.TupleExpr):
        for number, item in enumerate(source.items):
            record_positions(item, source_scope, path + (number,), out, depth + 1)
