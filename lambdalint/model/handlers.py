"""Where a function's handler lives in its packages, and what its code defines.

The handler file is looked up the way each runtime looks for it (python's sys.path of
/var/task then the layers' python folders, Node's task root, a custom runtime's
`bootstrap`). Python source is read with `ast` only: never imported, never executed.
Node source gets a best-effort text check: a name that never appears is not exported.
"""

from __future__ import annotations

import ast
import posixpath
import re
import sys
from typing import Any, Iterator, List, NamedTuple, Optional, Sequence, Tuple

from .packages import FunctionPackage, python_version, runtime_family

# A handler module bigger than this is generated or bundled; we do not parse it.
SOURCE_READ_LIMIT = 2 * 1024 * 1024

# Where Lambda looks, relative to a package root (https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html):
# the function package is /var/task, every layer is merged into /opt.
_NODE_EXTENSIONS = ("", ".js", ".mjs", ".cjs")
_RUBY_EXTENSIONS = (".rb",)


# Plain immutable records are NamedTuples, not frozen dataclasses: creating a dataclass
# execs its generated methods (~0.7 ms each at import), which a cold start pays for every one.
class HandlerSpec(NamedTuple):
    """What a handler string asks for."""

    family: str  # python | nodejs | ruby | provided
    module: str  # the file part ("app", "src/app", "pkg.mod"); "bootstrap" for custom runtimes
    function: Optional[str]  # None for custom runtimes


class HandlerFile(NamedTuple):
    """The member that holds the handler, and the package (function or layer) holding it."""

    package: Any
    member: str
    in_layer: bool


def handler_spec(function) -> Optional[HandlerSpec]:
    family = runtime_family(function.runtime)
    if family == "provided":
        return HandlerSpec("provided", "bootstrap", None)
    handler = function.handler
    if family not in ("python", "nodejs", "ruby") or not isinstance(handler, str) or "." not in handler:
        return None
    module, _, name = handler.rpartition(".")
    if not module or not name:
        return None
    return HandlerSpec(family, module, name)


def task_root_candidates(spec: HandlerSpec) -> List[str]:
    """Member names in the function package (/var/task) that would satisfy the handler."""
    if spec.family == "provided":
        return ["bootstrap"]
    if spec.family == "python":
        base = spec.module.replace(".", "/")
        return [base + ".py", base + "/__init__.py", base + ".pyc", base + "/__init__.pyc"]
    if spec.family == "nodejs":
        return [spec.module + extension for extension in _NODE_EXTENSIONS]
    return [spec.module + extension for extension in _RUBY_EXTENSIONS]


def layer_candidates(spec: HandlerSpec, runtime: Any) -> List[str]:
    """Member names in a layer (/opt) that would satisfy the handler."""
    if spec.family == "provided":
        return ["bootstrap"]
    if spec.family == "python":
        roots = ["python/"]
        version = python_version(runtime)
        if version:
            roots.append(f"python/lib/python{version}/site-packages/")
        return [root + name for root in roots for name in task_root_candidates(spec)]
    if spec.family == "nodejs":
        return ["nodejs/node_modules/" + name for name in task_root_candidates(spec)]
    return ["ruby/lib/" + name for name in task_root_candidates(spec)]


def _python_extension_module(package, spec: HandlerSpec) -> bool:
    """`mod.cpython-312-x86_64-linux-gnu.so`, `mod.abi3.so`, `mod.so`, or a namespace folder."""
    base = spec.module.replace(".", "/")
    if package.has_dir(base):
        return True
    folder, stem = posixpath.split(base)
    prefix = (folder + "/" if folder else "") + stem + "."
    return any(name.startswith(prefix) and name.endswith(".so") and "/" not in name[len(prefix):]
               for name in package.names())


def find_handler(item: FunctionPackage) -> Tuple[Optional[HandlerFile], bool]:
    """(the handler file, whether an unusual form we cannot judge was found instead).

    The second value is True when the module exists in a form we do not read (a compiled
    extension, a namespace folder, a Node package folder): the handler may well be there.
    """
    spec = handler_spec(item.function)
    if spec is None or item.package is None:
        return None, False
    for name in task_root_candidates(spec):
        resolved = item.package.resolve(name)
        if resolved is not None and not item.package.has_dir(resolved):
            return HandlerFile(item.package, resolved, False), False
    for layer in item.known_layers():
        for name in layer_candidates(spec, item.function.runtime):
            resolved = layer.package.resolve(name)
            if resolved is not None and not layer.package.has_dir(resolved):
                return HandlerFile(layer.package, resolved, True), False
    packages = [item.package] + [layer.package for layer in item.known_layers()]
    if spec.family == "python":
        if any(_python_extension_module(package, spec) for package in packages):
            return None, True
    elif spec.family == "nodejs":
        # A folder (its package.json main or index.js) or a dependency in node_modules.
        module = spec.module
        if item.package.has_dir(module) or item.package.has("node_modules/" + module.split("/")[0]):
            return None, True
        for layer in item.known_layers():
            if layer.package.has_dir("nodejs/node_modules/" + module.split("/")[0]):
                return None, True
    return None, False


def read_source(handler: HandlerFile) -> Optional[str]:
    """The handler file as text, or None when it is too big, binary or unreadable."""
    from ..artifacts import ArtifactError

    if not handler.member.endswith((".py", ".js", ".mjs", ".cjs", ".rb")) and "." in posixpath.basename(handler.member):
        return None
    try:
        raw = handler.package.read(handler.member, limit=SOURCE_READ_LIMIT + 1)
    except ArtifactError:
        return None
    if len(raw) > SOURCE_READ_LIMIT or b"\0" in raw[:4096]:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def typescript_only(item: FunctionPackage, spec: HandlerSpec) -> bool:
    """A Node.js handler whose module exists only as TypeScript: it is compiled before deploy."""
    return spec.family == "nodejs" and any(item.package.has(spec.module + ext) for ext in (".ts", ".mts", ".cts"))


class HandlerSource(NamedTuple):
    spec: HandlerSpec
    file: HandlerFile
    text: str


def handler_source(item: FunctionPackage) -> Optional[HandlerSource]:
    """The handler file of a zip function with a named handler function, and its text.

    None for image functions, custom runtimes, SAM source folders that a build replaces, and
    when the file is not found or cannot be read as text.
    """
    spec = handler_spec(item.function)
    if spec is None or spec.function is None or item.function.package_type == "Image" or item.is_source:
        return None
    found, _ = find_handler(item)
    if found is None:
        return None
    source = read_source(found)
    if source is None:
        return None
    return HandlerSource(spec, found, source)


class ImageHandler(NamedTuple):
    """The handler an image runs (its CMD, or the function's ImageConfig.Command), found in its task root."""

    spec: HandlerSpec
    handler: str
    file: HandlerFile
    text: str


# Entrypoints that take the handler as CMD: the AWS base images' script and the runtime
# interface clients (python -m awslambdaric app.handler, npx aws-lambda-ric index.handler).
_BASE_ENTRYPOINT = "/lambda-entrypoint.sh"
_CLIENTS = ("awslambdaric", "aws-lambda-ric")


def _image_runtime_handler(item: FunctionPackage) -> Optional[Tuple[str, str, str, str]]:
    """(handler, task root as a member prefix or "", module, function) of an image run the way
    AWS base images run: the entrypoint passes one `module.function` CMD word to a runtime
    interface client. None when what runs is not known or not a runtime's handler."""
    runs = item.image_command()
    if runs is None or len(runs[1]) != 1 or "." not in runs[1][0]:
        return None
    entrypoint, (handler,) = runs
    config = item.image.config
    if entrypoint == (_BASE_ENTRYPOINT,):
        root = config.env.get("LAMBDA_TASK_ROOT") or "/var/task"
    elif any(client in " ".join(entrypoint) for client in _CLIENTS) and config.working_dir:
        root = config.working_dir
    else:
        return None
    module, _, name = handler.rpartition(".")
    if not module or not name:
        return None
    return handler, posixpath.normpath("/" + root).strip("/"), module, name


def image_handler_source(item: FunctionPackage) -> Optional[ImageHandler]:
    """The handler file of an image function run the way AWS base images run, and its text.

    Only when what runs is known (the image's ENTRYPOINT and CMD, replaced by ImageConfig),
    the entrypoint passes CMD to a runtime interface client, CMD is one `module.function`
    word, and `module.py` or `module.js` is in the task root (`LAMBDA_TASK_ROOT`, or the
    working folder for a client started by hand). Anything else is not judged.
    """
    runs = _image_runtime_handler(item)
    if runs is None:
        return None
    handler, root, module, name = runs
    for family, members in (("python", [module.replace(".", "/") + ".py"]),
                            ("nodejs", [module + extension for extension in _NODE_EXTENSIONS if extension])):
        for member in members:
            resolved = item.image.resolve(posixpath.join(root, member) if root else member)
            if resolved is not None and not item.image.has_dir(resolved):
                found = HandlerFile(item.image, resolved, False)
                text = read_source(found)
                return ImageHandler(HandlerSpec(family, module, name), handler, found, text) if text else None
    return None


# A handler word of Python or Node.js: `app.handler`, `pkg.app.handler`, `src/index.handler`
# (Java's `example.Handler::handleRequest` and .NET's `Assembly::Type::Method` are not).
_SCRIPT_HANDLER = re.compile(r"[A-Za-z_$][\w$-]*(?:[./][A-Za-z_$][\w$-]*)*\.[A-Za-z_$][\w$]*")
_PYTHON_FILE = re.compile(r".+\.py")
_NODE_FILE = re.compile(r".+\.[mc]?js")


def image_handler_missing(item: FunctionPackage) -> Optional[Tuple[str, str, List[str]]]:
    """(handler, task root, expected files) when an image runs a runtime's handler whose file
    is nowhere in its task root; None when it is there or the question cannot be answered.

    The language is taken from the client (awslambdaric is Python, aws-lambda-ric Node.js)
    or, for the base images' entrypoint, from the files of the task root (Python or Node.js
    sources; a task root with neither, as for Java or a custom runtime, is not judged). The
    image must have been read whole, and nothing anywhere in it may be named like the module
    (a package the runtime could import from elsewhere on its path).
    """
    image = item.image
    if image is None or not image.complete:
        return None
    runs = _image_runtime_handler(item)
    if runs is None or not _SCRIPT_HANDLER.fullmatch(runs[0]):
        return None
    handler, root, module, _ = runs
    prefix = root + "/" if root else ""
    command = item.image_command()
    entrypoint = " ".join(command[0]) if command else ""
    task_files = [name[len(prefix):] for name in image.names() if name.startswith(prefix)]
    python = "awslambdaric" in entrypoint or ("aws-lambda-ric" not in entrypoint and
                                              any(_PYTHON_FILE.fullmatch(name) for name in task_files))
    node = "aws-lambda-ric" in entrypoint or ("awslambdaric" not in entrypoint and
                                              any(_NODE_FILE.fullmatch(name) for name in task_files))
    expected: List[str] = []
    stems = []
    if python and "/" not in module:
        stem = module.replace(".", "/")
        stems.append(stem)
        expected += [stem + ".py", stem + "/__init__.py"]
    if node:
        stems.append(module)
        expected += [module + extension for extension in _NODE_EXTENSIONS if extension]
    if not expected:
        return None
    for name in image.names():
        for stem in stems:
            base = stem.rsplit("/", 1)[-1]
            tail = name.rsplit("/", 1)[-1]
            if tail.startswith(base + ".") or ("/" + base + "/") in ("/" + name) or name.endswith("/" + base):
                return None  # something named like the module: the runtime may import it
    return handler, "/" + root, expected


def parse_python(source: str) -> Optional[ast.Module]:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # newer syntax than ours, or not Python: say nothing


# -- python: what a module defines ------------------------------------------------------


def python_defines(tree: ast.Module, name: str) -> Optional[bool]:
    """True/False when we can tell whether the module binds `name` at import; None when not.

    Star imports, a module `__getattr__` and writes through `globals()` make the answer
    unknowable without running the code, so they give None.
    """
    found = False
    for node in _module_level(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == name:
                found = True
            if node.name == "__getattr__":
                return None
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    return None
                bound = alias.asname or alias.name.split(".")[0]
                if bound == name:
                    found = True
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(name in _bound_names(target) for target in targets):
                found = True
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith)):
            targets = [node.target] if isinstance(node, (ast.For, ast.AsyncFor)) else [
                item.optional_vars for item in node.items if item.optional_vars is not None]
            if any(name in _bound_names(target) for target in targets):
                found = True
        if isinstance(node, ast.stmt) and _writes_globals(node):
            return None
    return found


def _module_level(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements that run at import: the body plus the bodies of top-level if/try/with/for."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        nested: List[ast.stmt] = []
        if isinstance(node, (ast.If, ast.For, ast.AsyncFor, ast.While)):
            nested = node.body + node.orelse
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            nested = node.body
        elif isinstance(node, ast.Try) or (sys.version_info >= (3, 11) and isinstance(node, ast.TryStar)):
            nested = node.body + node.orelse + node.finalbody + [
                statement for handler in node.handlers for statement in handler.body]
        stack.extend(reversed(nested))


def _bound_names(target: ast.AST) -> List[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _bound_names(element)]
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    return []


def _writes_globals(node: ast.stmt) -> bool:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return False
    for child in ast.walk(node):
        if (isinstance(child, ast.Call) and isinstance(child.func, ast.Name)
                and child.func.id in ("globals", "exec", "setattr")):
            return True
    return False


def python_function(tree: ast.Module, name: str) -> Optional[ast.AST]:
    """The module-level `def name` (the last one wins, as at import)."""
    found = None
    for node in _module_level(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            found = node
    return found


# Calls that open a client or connection: each costs a TLS handshake (and for boto3,
# loading service models) when run per invocation instead of once per execution environment
# (https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html).
_CLIENT_CALLS = (("boto3", "client"), ("boto3", "resource"), ("boto3", "Session"),
                 ("requests", "Session"), ("httpx", "Client"), ("httpx", "AsyncClient"))


class ClientCall(NamedTuple):
    line: int
    text: str


def client_calls(function_node: ast.AST) -> List[ClientCall]:
    """SDK clients and connections created in the handler's own body (not in nested defs)."""
    calls = []
    stack = list(ast.iter_child_nodes(function_node))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Call):
            text = _call_name(node.func)
            if text:
                calls.append(ClientCall(node.lineno, text + "()"))
        stack.extend(ast.iter_child_nodes(node))
    return sorted(calls, key=lambda call: call.line)


def _call_name(func: ast.AST) -> Optional[str]:
    if not isinstance(func, ast.Attribute):
        return None
    owner = _dotted(func.value)
    if owner is None:
        return None
    for module, attribute in _CLIENT_CALLS:
        if func.attr == attribute and (owner == module or owner.endswith("." + module) or
                                       owner == f"{module}.session"):
            return f"{owner}.{attribute}"
    if func.attr == "connect" and owner.split(".")[0] not in ("self", "signal"):
        return f"{owner}.connect"
    return None


def _dotted(node: ast.AST) -> Optional[str]:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


# -- node: best effort ----------------------------------------------------------------


def node_mentions(source: str, name: str) -> bool:
    """Whether `name` appears as a word: bundlers and CommonJS/ESM export it in many forms,
    but never without writing its name (or a string holding it)."""
    return re.search(r"(?<![\w$])" + re.escape(name) + r"(?![\w$])", source) is not None
