"""LL1 handlers: the handler file is there, defines the handler, and creates no clients per call.

The handler modules of the model are imported inside the rules, once a local package is
found: a run on templates without one does not load them (a cheaper start-up).
"""

from __future__ import annotations

from typing import Iterator

from lambdalint.findings import Artifact, Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.packages import display_path, function_packages
from lambdalint.registry import rule

from . import BEST_PRACTICES

PYTHON_HANDLER = "https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html"


@rule(id="LL1004", name="handler-file-missing", severity=Severity.ERROR,
      summary="Handler file in neither the package nor any of its layers",
      source=PYTHON_HANDLER)
def check_handler_file(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Looks for the file the `Handler` names where the runtime looks: python `app.handler` needs
    `app.py` (or `app/__init__.py`) in the package or under `python/` in a layer; Node.js
    `index.handler` needs `index.js`, `index.mjs` or `index.cjs`; a custom runtime needs
    `bootstrap` in the package or a layer. When a local layer cannot be read the finding is a
    warning; with a layer from outside the template nothing is said. For a CDK image asset on
    an AWS base image, the handler command (`CMD ["app.handler"]` or `ImageConfig.Command`)
    must name a file the Dockerfile copies from its build context; a `RUN` other than a
    package install, a `COPY --from` or a glob leaves the image's files unknown.
    In a local image (`--image`) run by an AWS base image's entrypoint or a runtime interface
    client, the handler its CMD or `ImageConfig.Command` names must be in the task root
    (`LAMBDA_TASK_ROOT`, /var/task); an image whose entrypoint is not a known runtime, or
    whose task root holds neither Python nor Node.js files, is not judged.

    Source that a build turns into the package is not judged as the package: a SAM function
    whose `Metadata.BuildMethod` makes the package (esbuild, makefile, rust-cargolambda,
    dotnet, go1.x, java...) or whose runtime always compiles (Java, .NET, Go, custom runtimes).
    A folder whose handler file is missing but whose root holds build inputs (a Makefile,
    `webpack.config.js`, `tsconfig.json`, `Cargo.toml`, `go.mod`, `pom.xml`, `build.gradle`,
    a `*.csproj`, a `package.json` with a build script) is reported as an info, "not built
    yet", and both are counted in `summary.unchecked` as `not-built`. A folder whose handler
    file is there is checked, build files or not.

    ## Why is this bad?
    The deployment succeeds and every invocation fails with `Runtime.ImportModuleError` or
    "Cannot find module".

    ## Example
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        CodeUri: src/
        Handler: app.handler      # src/ holds main.py, not app.py
    ```
    Use instead:
    ```yaml
        Handler: main.handler
    ```
    """
    said = set()  # functions sharing a Globals handler and a package: one finding
    for item in function_packages(model):
        if item.opened is None or item.package is None or item.function.package_type == "Image":
            continue
        # imported here, once a local package is found: start-up without one stays cheaper
        from lambdalint.model.handlers import find_handler, handler_spec, task_root_candidates, typescript_only
        from lambdalint.model.unbuilt import awaiting_build

        spec = handler_spec(item.function)
        if spec is None or item.is_source or typescript_only(item, spec):
            continue
        if any(layer.resource is None for layer in item.layers):
            continue  # a layer from elsewhere may hold it
        found, unsure = find_handler(item)
        if found is not None or unsure:
            continue
        unreadable = [layer for layer in item.layers if layer.resource is not None and not layer.known]
        if any(layer.opened is None for layer in unreadable):
            continue  # layer content in S3: unknown
        expected = task_root_candidates(spec)
        if spec.family == "python":
            wanted = " or ".join(expected[:2])
        elif spec.family == "nodejs":
            wanted = " or ".join(name for name in expected if name != spec.module)
        else:
            wanted = " or ".join(expected)
        where = "package"
        if item.layers:
            where += " or its layers"
        message = f"handler {item.function.handler!r}: no {wanted} in the {where} ({item.opened.display})"
        severity = None
        inputs = awaiting_build(item)
        if inputs:  # source a build has not run on: the handler is missing because nothing was built
            severity = Severity.INFO
            message = (f"not built yet: no {wanted} in {item.opened.display}, which holds build inputs "
                       f"({', '.join(inputs)}); build before checking packages, or lint the build output")
        elif unreadable:
            severity = Severity.WARNING
            names = ", ".join(layer.resource.logical_id for layer in unreadable if layer.resource is not None)
            message += f"; layer {names} could not be read"
        key = ("Handler",) if spec.family != "provided" or item.function.has("Handler") else ()
        path = item.function.path(*key) if key else item.code.path
        if (path, message) not in said:
            said.add((path, message))
            yield Hit(path, message, item.function.logical_id, item.opened.artifact(expected[0]), severity)
    yield from _image_handler_files(model)
    if model.cdk is not None:
        yield from _image_asset_handlers(model)


def _image_handler_files(model: TemplateModel) -> Iterator[Hit]:
    """A local image that runs a runtime's handler (CMD or ImageConfig.Command) absent from its task root."""
    for item in function_packages(model):
        shown = item.image_display if item.image is not None else None
        if shown is None:
            continue
        from lambdalint.model.handlers import image_handler_missing

        missing = image_handler_missing(item)
        if missing is None:
            continue
        handler, root, expected = missing
        function = item.function
        own = function.has("ImageConfig", "Command")
        where = function.path("ImageConfig", "Command") if own else item.code.path
        named_by = "ImageConfig.Command" if own else "the image's CMD"
        wanted = " or ".join(expected[:2] if len(expected) == 2 else expected)
        yield Hit(where, f"handler {handler!r} ({named_by}): no {wanted} in {root} of image {shown}",
                  function.logical_id, Artifact(shown, root.strip("/") + "/" + expected[0]))


def _image_asset_handlers(model: TemplateModel) -> Iterator[Hit]:
    """A CDK image asset on an AWS base image whose Dockerfile copies no file the handler command names."""
    from lambdalint.model.code import image_uri
    from lambdalint.model.dockerfile import copied_file, image_asset_builds, image_handler

    for function, build in image_asset_builds(model):
        wanted = image_handler(build, function) if build.dockerfile.files_known else None
        if wanted is None:
            continue
        handler, candidates = wanted
        if any(copied_file(build, name) for name in candidates):
            continue
        where, _ = image_uri(function)
        yield Hit(where or function.resource.path,
                  f"handler {handler!r}: {build.shown} copies no {candidates[0]} into the image",
                  function.logical_id)


@rule(id="LL1005", name="handler-function-missing", severity=Severity.ERROR,
      summary="Handler function not defined in the handler file",
      source=PYTHON_HANDLER)
def check_handler_function(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reads the handler file and checks that it defines the handler function (in a local image
    run the way AWS base images run: the `module.function` its CMD or `ImageConfig.Command`
    names, in its task root): python files are
    parsed with `ast` (never imported) for a module-level `def`, assignment or import of that
    name; Node.js files are checked on a best-effort basis (the name must appear at all).
    Modules that define names dynamically (`from x import *`, a module `__getattr__`) are
    not judged.

    ## Why is this bad?
    Every invocation fails with `Runtime.HandlerNotFound`.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        Handler: worker.process     # worker.py defines handle(), not process()
    ```
    Use instead:
    ```yaml
        Handler: worker.handle
    ```
    """
    for item in function_packages(model):
        if item.opened is None or item.package is None:
            continue
        # imported here, once a local package is found: start-up without one stays cheaper
        from lambdalint.model.handlers import handler_source, node_mentions, parse_python, python_defines

        found = handler_source(item)
        if found is None:
            continue
        spec, handler_file, source = found
        if spec.function is None:  # a custom runtime's handler names no function
            continue
        if spec.family == "python":
            if not handler_file.member.endswith(".py"):
                continue
            tree = parse_python(source)
            if tree is None or python_defines(tree, spec.function) is not False:
                continue
        elif spec.family == "nodejs":
            if node_mentions(source, spec.function):
                continue
        else:
            continue
        if handler_file.in_layer:
            package_name = display_path(handler_file.package.path, model)
        else:
            package_name = item.opened.display
        yield Hit(item.function.path("Handler"),
                  f"handler {item.function.handler!r}: {handler_file.member} in {package_name} "
                  f"does not define {spec.function!r}",
                  item.function.logical_id, item.opened.artifact(handler_file.member))
    yield from _image_handler_functions(model)


def _image_handler_functions(model: TemplateModel) -> Iterator[Hit]:
    """The same check in a local image: the handler its CMD (or ImageConfig.Command) names."""
    for item in function_packages(model):
        if item.image is None or not item.image.complete:
            continue  # a layer not read may replace the file
        from lambdalint.model.handlers import image_handler_source, node_mentions, parse_python, python_defines

        found = image_handler_source(item)
        shown = item.image_display
        name = found.spec.function if found is not None else None
        if found is None or name is None or shown is None:
            continue
        if found.spec.family == "python":
            tree = parse_python(found.text)
            if tree is None or python_defines(tree, name) is not False:
                continue
        elif node_mentions(found.text, name):
            continue
        function = item.function
        own = function.has("ImageConfig", "Command")
        where = function.path("ImageConfig", "Command") if own else item.code.path
        named_by = "ImageConfig.Command" if own else "the image's CMD"
        yield Hit(where, f"handler {found.handler!r} ({named_by}): {found.file.member} in image {shown} "
                         f"does not define {name!r}", function.logical_id,
                  Artifact(shown, found.file.member))


@rule(id="LL1021", name="client-created-in-handler", severity=Severity.INFO,
      summary="Handler creates SDK clients or connections on every invocation", source=BEST_PRACTICES)
def check_clients_in_handler(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Parses a python handler with `ast` and finds `boto3.client(...)`, `boto3.resource(...)`,
    `boto3.Session()`, `requests.Session()` and `*.connect(...)` calls in the body of the
    handler function itself.

    ## Why is this bad?
    Code in the handler runs on every invocation; a client or connection created there is
    paid again each time (TLS handshakes, loading the SDK's service model). Created at module
    level it is reused for as long as the execution environment lives.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Serverless::Function
      Properties:
        Handler: app.handler   # def handler(e, c): table = boto3.resource("dynamodb").Table(...)
    ```
    Use instead:
    ```yaml
        Handler: app.handler   # TABLE = boto3.resource("dynamodb").Table(...) at module level
    ```
    """
    for item in function_packages(model):
        if item.opened is None or item.package is None:
            continue
        # imported here, once a local package is found: start-up without one stays cheaper
        from lambdalint.model.handlers import client_calls, handler_source, parse_python, python_function

        found = handler_source(item)
        if found is None:
            continue
        spec, handler_file, source = found
        if spec.family != "python" or spec.function is None or not handler_file.member.endswith(".py"):
            continue
        tree = parse_python(source)
        node = python_function(tree, spec.function) if tree is not None else None
        if node is None:
            continue
        calls = client_calls(node)
        if calls:
            first = calls[0]
            more = f" (and {len(calls) - 1} more)" if len(calls) > 1 else ""
            yield Hit(item.function.path("Handler"),
                      f"{spec.function}() in {handler_file.member} calls {first.text} at line {first.line}{more} "
                      f"on every invocation; create it once at module level",
                      item.function.logical_id, item.opened.artifact(handler_file.member))
