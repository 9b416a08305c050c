"""Module instances: the names an expression of one module instance sees.

A ModuleInstance is one instance of a module in the tree (the root, or `module.fn["a"]`):
it answers `var.*` (from the call's arguments, evaluated in the caller, or tfvars and given
values for the root, else the default), `local.*`, `module.*` outputs, resource and data
references (Reference, with the instance key in the address when count/for_each is known),
`path.*` and file reads inside the trust boundary. Everything is evaluated on demand and
remembered; a cycle is UNKNOWN.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Tuple, Union

from ...findings import display_name
from ...model.values import UNKNOWN
from . import hcl
from .configuration import Position
from .evaluate import ReferenceHandle, Scope, evaluate
from .expansion import SINGLE, UNKNOWN_EXPANSION, Expansion, Instances, each_origins, expansion, instance_names
from .folders import MAX_FILE, Loader, ModuleFolder
from .module_adapters import MAJOR_INPUT, Adapter, adapter_for, undeclared_inputs
from .values import Context, EvalError, Handle, instance_key, to_number, to_string
from .variables import convert, read_tfvars, tfvars_files

MAX_DEPTH = 16  # module calls nested deeper than this are not expanded


class _ModuleCall(Handle):
    """`module.name` of a call with count/for_each: indexed by instance key."""

    def __init__(self, instances: Dict[Any, ModuleInstance], expanded: Expansion) -> None:
        self.instances = instances
        self.expanded = expanded

    def index(self, key: Any) -> Any:
        if not self.expanded.known:
            return next(iter(self.instances.values())).outputs_handle()
        if self.expanded.by_count:
            key = to_number(key)
        else:
            key = to_string(key)
        found = self.instances.get(key)
        if found is None:
            raise EvalError("no such module instance")
        return found.outputs_handle()

    def attr(self, name: str) -> Any:
        if not self.expanded.known:
            return UNKNOWN
        raise EvalError("index a module with instances before reading an output")

    def value(self) -> Any:
        if not self.expanded.known:
            return UNKNOWN
        values = [instance.outputs_handle().value() for instance in self.instances.values()]
        if self.expanded.by_count:
            return values
        return dict(zip(self.instances, values))

    def splat(self) -> Any:
        return self.value() if self.expanded.known and self.expanded.by_count else UNKNOWN


class _Outputs(Handle):
    def __init__(self, instance: ModuleInstance) -> None:
        self.instance = instance

    def attr(self, name: str) -> Any:
        return self.instance.output(name)

    def value(self) -> Any:
        return {name: self.instance.output(name) for name in sorted(self.instance.definition.outputs)}

    def splat(self) -> Any:
        return [self.value()]


class _Opaque(Handle):
    """A module whose source was not read: every output is UNKNOWN."""

    def attr(self, name: str) -> Any:
        return UNKNOWN

    def index(self, key: Any) -> Any:
        return self


_EMPTY_CONTEXT = Context()


class ModuleInstance(Context):
    """One instance of a module in the tree, as the names its expressions see."""

    def __init__(self, loader: Loader, module: ModuleFolder, prefix: str, chain: Tuple[str, ...],
                 inputs: Dict[str, Tuple[hcl.Expr, Scope]], given: Dict[str, Any],
                 call_keys: Tuple[str, ...] = (), conditional: bool = False,
                 caller: Optional[ModuleInstance] = None, call: Optional[hcl.HclBlock] = None) -> None:
        self.loader = loader
        self.definition = module
        self.prefix = prefix  # "" for the root, 'module.fn["a"].' below it
        self.chain = chain
        self.inputs = inputs  # argument expressions of the call, with the caller's scope
        self.given = given  # root only: values given to lambdalint, then tfvars
        self.planned: Dict[str, Any] = {}  # root only: the values a saved plan was made with
        self._from_plan: set = set()
        self.call_keys = call_keys  # call names from the root, for modules.json (`fn.inner`)
        self.conditional = conditional
        self.caller = caller  # the instance whose `module` block `call` made this one (None: the root)
        self.call = call
        self._variables: Dict[str, Any] = {}
        self._locals: Dict[str, Any] = {}
        self._outputs: Dict[str, Any] = {}
        self._busy: set = set()
        self._expansions: Dict[Any, Expansion] = {}
        self._calls: Dict[str, Any] = {}
        self.scope = Scope(self)
        self.tfvars: Dict[str, Tuple[hcl.Expr, Position]] = {}

    # -- Context --

    def variable(self, name: str) -> Any:
        if name in self._variables:
            return self._variables[name]
        declared = self.definition.variables.get(name)
        if declared is None:
            raise EvalError(f"undeclared variable {name}")
        value = self._guarded(("var", name), lambda: self._variable_value(name, declared))
        self._variables[name] = value
        return value

    def _variable_value(self, name: str, declared: hcl.HclBlock) -> Any:
        type_attribute = declared.body.attributes.get("type")
        type_expr = type_attribute.expr if type_attribute is not None else None
        if name in self.given:
            return convert(self.given[name], type_expr)
        value: Any = UNKNOWN
        source = self._source(name)
        if source is not None:
            expr, scope = source
            value = evaluate(expr, scope)
        if value is None or source is None:
            nullable = declared.body.attributes.get("nullable")
            default = declared.body.attributes.get("default")
            if default is not None and (source is None or _is_false(nullable)):
                value = evaluate(default.expr, Scope(_EMPTY_CONTEXT))
        value = convert(value, type_expr)
        if name in self.planned:
            planned = convert(self.planned[name], type_expr)
            # the plan's value where it is not the configuration's (`-var`, TF_VAR_, unknown here):
            # an equal one keeps the tfvars or default line findings land at
            if planned is not UNKNOWN and planned != value:
                self._from_plan.add(name)
                return planned
        return value

    def _source(self, name: str) -> Optional[Tuple[hcl.Expr, Scope]]:
        if name in self.inputs:
            return self.inputs[name]
        found = self.tfvars.get(name)
        if found is not None:
            return found[0], Scope(_EMPTY_CONTEXT)
        return None

    def written(self, kind: str, name: str) -> Optional[Tuple[hcl.Expr, Scope]]:
        if kind == "local":
            attribute = self.definition.locals.get(name)
            return (attribute.expr, self.scope) if attribute is not None else None
        if name in self.given or name not in self.definition.variables:
            return None
        if name in self.planned:
            self.variable(name)
            if name in self._from_plan:
                return None  # given to terraform on its command line or environment: no line of ours
        source = self._source(name)
        if source is not None:
            return source
        default = self.definition.variables[name].body.attributes.get("default")
        return (default.expr, Scope(_EMPTY_CONTEXT)) if default is not None else None

    def local(self, name: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        attribute = self.definition.locals.get(name)
        if attribute is None:
            raise EvalError(f"undeclared local {name}")
        value = self._guarded(("local", name), lambda: evaluate(attribute.expr, self.scope))
        self._locals[name] = value
        return value

    def _guarded(self, key: Tuple[str, str], compute: Any) -> Any:
        if key in self._busy:
            return UNKNOWN  # a cycle: Terraform rejects it, we know nothing
        self._busy.add(key)
        try:
            return compute()
        finally:
            self._busy.discard(key)

    def resource(self, mode: str, type: str, name: str) -> Any:
        declared = self.definition.resources.get((mode, type, name))
        if declared is None:
            raise EvalError(f"undeclared {type}.{name}")
        address = self.prefix + ("data." if mode == "data" else "") + f"{type}.{name}"
        expanded = self.expansion_of((mode, type, name), declared)
        if expanded.keys is None and expanded.known:
            return ReferenceHandle(address)
        return Instances(address, expanded)

    def expansion_of(self, key: Any, declared: hcl.HclBlock) -> Expansion:
        found = self._expansions.get(key)
        if found is None:
            found = self._guarded(("expansion", repr(key)), lambda: expansion(declared.body, self.scope))
            if found is UNKNOWN:
                found = UNKNOWN_EXPANSION
            self._expansions[key] = found
        return found

    def module(self, name: str) -> Any:
        if name in self._calls:
            return self._calls[name]
        call = self.definition.calls.get(name)
        if call is None:
            raise EvalError(f"undeclared module {name}")
        handle = self._guarded(("module", name), lambda: self._call_handle(name))
        if handle is UNKNOWN:
            return UNKNOWN  # asked again while being built: a cycle
        self._calls[name] = handle
        return handle

    def _call_handle(self, name: str) -> Any:
        instances, expanded = self.children(name)
        if instances is None:
            return _Opaque()
        if expanded.keys is None:
            return next(iter(instances.values())).outputs_handle()
        return _ModuleCall(instances, expanded)

    def path(self, name: str) -> Any:
        root = self.loader.root_folder
        if name == "module":
            relative = os.path.relpath(self.definition.folder, root)
            return relative.replace(os.sep, "/")
        if name == "root":
            return "."
        if name == "cwd":
            return os.path.abspath(root).replace(os.sep, "/")
        raise EvalError(f"no path.{name}")

    def read_file(self, path: str) -> Optional[bytes]:
        from .functions import MAX_FILE as MAX_READ

        full = path if os.path.isabs(path) else os.path.join(self.loader.root_folder, path)
        return self.loader.read_bytes(full, MAX_READ)

    def absolute(self, path: str) -> Any:
        return os.path.abspath(os.path.join(self.loader.root_folder, path)).replace(os.sep, "/")

    # -- outputs and child modules --

    def outputs_handle(self) -> Handle:
        return _Outputs(self)

    def output(self, name: str) -> Any:
        if name in self._outputs:
            return self._outputs[name]
        declared = self.definition.outputs.get(name)
        if declared is None:
            raise EvalError(f"no output {name}")
        value_attribute = declared.body.attributes.get("value")
        if value_attribute is None:
            value = UNKNOWN
        else:
            value = self._guarded(("output", name), lambda: evaluate(value_attribute.expr, self.scope))
        self._outputs[name] = value
        return value

    _children: Dict[str, Tuple[Optional[Dict[Any, ModuleInstance]], Expansion]]

    def children(self, name: str) -> Tuple[Optional[Dict[Any, ModuleInstance]], Expansion]:
        """The instances of module call `name` (None when its source is not read)."""
        cache = self.__dict__.setdefault("_children", {})
        if name in cache:
            return cache[name]
        cache[name] = (None, SINGLE)  # while building: a call reached again reads as not read
        cache[name] = self._build_children(name)
        return cache[name]

    def _build_children(self, name: str) -> Tuple[Optional[Dict[Any, ModuleInstance]], Expansion]:
        call = self.definition.calls[name]
        found = self._call_folder(name, call)
        if found is None:
            return None, SINGLE
        given: Dict[str, Any] = {}
        if isinstance(found, Adapter):
            child_module = self.loader.adapter_module(found)
            given = {MAJOR_INPUT: found.major}
            unmapped = undeclared_inputs(call, child_module.variables, _CALL_META)
            if unmapped:
                self.loader.unchecked.append(("module-inputs-not-mapped", (
                    f"{self._label(name)} ({found.source} v{found.major}): "
                    f"read without terraform init, not mapped: {', '.join(unmapped)}")))
        else:
            child_module = self.loader.folder(found)
        expanded = self.expansion_of(("module", name), call)
        inputs = {arg: attribute for arg, attribute in call.body.attributes.items() if arg not in _CALL_META}
        keys: List[Any] = expanded.keys if expanded.keys is not None else [None]
        values: List[Any] = expanded.values if expanded.values is not None else [None] * len(keys)
        instances: Dict[Any, ModuleInstance] = {}
        for key, each_value in zip(keys, values):
            step = f"module.{name}" + (instance_key(key) if key is not None else "")
            scope = self.scope.bind(instance_names(expanded, key, each_value), each_origins(call, self.scope, key))
            arguments = {arg: (attribute.expr, scope) for arg, attribute in inputs.items()}
            instances[key] = ModuleInstance(self.loader, child_module, self.prefix + step + ".",
                                            self.chain + (step,), arguments, given, self.call_keys + (name,),
                                            self.conditional or not expanded.known, caller=self, call=call)
        return instances, expanded

    def _label(self, name: str) -> str:
        return f"module `{'.'.join(self.call_keys + (name,))}`"

    def _call_folder(self, name: str, call: hcl.HclBlock) -> Union[str, Adapter, None]:
        """The folder a call's source names, or the adapter of a registry module not installed."""
        source = _literal(call, "source")
        label = self._label(name)
        if not isinstance(source, str):
            self.loader.unchecked.append(("module-source-unknown", f"{label}: its source is not a literal string"))
            return None
        if len(self.chain) >= MAX_DEPTH:
            self.loader.unchecked.append(("module-too-deep", f"{label} ({source}): nested deeper than {MAX_DEPTH}"))
            return None
        folder: Optional[str]
        if source.startswith(("./", "../")) or source in (".", ".."):
            folder = os.path.normpath(os.path.join(self.definition.folder, source))
        else:
            folder = self.loader.installed_modules().get(".".join(self.call_keys + (name,)))
            if folder is None:
                adapter = adapter_for(source, _literal(call, "version"))
                if adapter is not None:
                    return adapter
                self.loader.unchecked.append(
                    ("module-not-installed", f"{label} ({source}): not installed, run terraform init"))
                return None
        if not self.loader.boundary.admits(folder) or not os.path.isdir(folder):
            self.loader.unchecked.append(
                ("module-not-read", f"{label} ({source}): folder not found inside the project"))
            return None
        return folder


_CALL_META = {"source", "version", "count", "for_each", "providers", "depends_on"}


def _literal(call: hcl.HclBlock, argument: str) -> Any:
    """A call's argument written as a literal (Terraform allows nothing else for source and version)."""
    attribute = call.body.attributes.get(argument)
    return attribute.expr.value if attribute is not None and isinstance(attribute.expr, hcl.Literal) else None


def _is_false(attribute: Optional[hcl.Attribute]) -> bool:
    return attribute is not None and isinstance(attribute.expr, hcl.Literal) and attribute.expr.value is False


def root_instance(loader: Loader, given: Dict[str, Any], planned: Optional[Dict[str, Any]] = None) -> ModuleInstance:
    """The root module: `given` values win over everything, `planned` (a fresh plan's variables)
    over tfvars and defaults where they differ."""
    module = loader.folder(loader.root_folder)
    root = ModuleInstance(loader, module, "", (), {}, dict(given))
    root.planned = dict(planned or {})
    for path in tfvars_files(module.folder, module.names):
        data = loader.read_bytes(path, MAX_FILE)
        if data is None:
            continue
        display = display_name(path)
        loader.files.append(display)
        values, error = read_tfvars(data, display)
        if error is not None:
            loader.errors.append(error)
        for name, expr in values.items():
            root.tfvars[name] = (expr, expr.position)
    return root
