"""LL1 permissions: the file modes a package records, as the user Lambda runs the code as sees them."""

from __future__ import annotations

import stat
from typing import Iterator, List, Optional, Set

from lambdalint.findings import Hit, Severity
from lambdalint.model import TemplateModel
from lambdalint.model.packages import FunctionPackage, Opened, readable_packages, runtime_family
from lambdalint.registry import rule

from . import first_few

PERMISSIONS = "https://repost.aws/knowledge-center/lambda-deployment-package-errors"


def _executables(item: Optional[FunctionPackage]) -> Set[str]:
    """Members that must be executable: `bootstrap` of a custom runtime, or of a layer
    (where /opt/bootstrap can be a custom runtime)."""
    if item is None or runtime_family(item.function.runtime) == "provided":
        return {"bootstrap"}
    return set()


def _is_sam_owner(model: TemplateModel, opened: Opened) -> bool:
    resource = model.resource(opened.location.owner)
    return resource is not None and resource.is_sam


@rule(id="LL1006", name="package-permissions", severity=Severity.ERROR,
      summary="Package files not readable by others, or executables others cannot run", source=PERMISSIONS)
def check_permissions(model: TemplateModel) -> Iterator[Hit]:
    """
    ## What it does
    Reads the Unix modes recorded in the package: every file must be readable by others
    (`o+r`, e.g. 644) and every folder readable and searchable (`o+rx`, 755); `bootstrap` and
    files marked executable for their owner must be executable by others too. Zips made on
    Windows record no modes and are not judged. SAM CLI adds read permission when it zips a
    folder, so for SAM folder packages only executables are checked. A folder that a build
    turns into the package (`Metadata.BuildMethod` makefile, esbuild, ...; or source awaiting
    a build, see LL1004) is not judged: the build decides the modes of what deploys (a
    Makefile may `chmod` the `bootstrap` it copies).

    ## Why is this bad?
    Lambda runs your code as a user that owns none of the files: "permission denied" or
    `Runtime.ImportModuleError` at the first invocation.

    ## Example
    ```yaml
    Fn:
      Type: AWS::Lambda::Function
      Properties:
        Code: dist/function.zip   # app.py stored with mode 600
    ```
    Use instead: `chmod -R o+rX` before zipping (644 files, 755 folders and executables).
    """
    for opened, item in readable_packages(model):
        package = opened.package
        if package.kind == "image":
            continue
        # imported here, once a local package is found: start-up without one stays cheaper
        from lambdalint.model.unbuilt import is_unbuilt_package

        if is_unbuilt_package(model, opened, item):
            continue  # source a build turns into the package: its modes are not the package's
        reads_fixed = package.kind == "folder" and _is_sam_owner(model, opened)
        executables = _executables(item)
        unreadable: List[str] = []
        not_runnable: List[str] = []
        for member in package.members:
            mode = member.permissions
            if mode is None or member.is_symlink:
                continue
            if member.is_dir:
                if not reads_fixed and (mode & 0o005) != 0o005:
                    unreadable.append(member.name + "/")
                continue
            if not reads_fixed and not mode & stat.S_IROTH:
                unreadable.append(member.name)
            if member.name in executables and not mode & stat.S_IXOTH:
                not_runnable.append(member.name)
            elif mode & stat.S_IXUSR and not mode & stat.S_IXOTH and member.name not in executables:
                not_runnable.append(member.name)
        if unreadable:
            yield opened.hit(f"{len(unreadable)} entr{'y' if len(unreadable) == 1 else 'ies'} of "
                             f"{opened.display} not readable by others (Lambda needs o+r on files, "
                             f"o+rx on folders): {first_few(unreadable)}", unreadable[0])
        if not_runnable:
            yield opened.hit(f"{len(not_runnable)} executable{'' if len(not_runnable) == 1 else 's'} "
                             f"in {opened.display} not executable by others (needs o+x, e.g. 755): "
                             f"{first_few(not_runnable)}", not_runnable[0])
