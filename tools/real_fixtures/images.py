"""Make the OCI image layouts of fixtures/real/images/ with umoci and skopeo (Debian packages).

    apt-get install umoci skopeo
    python tools/real_fixtures/images.py

layout/ is one OCI layout holding several tags, as `umoci` makes them:
  orders-arm64  arm64, an AWS-base-image-like entrypoint, CMD app.handler, and an x86_64
                extension module (MarkupSafe's, from `pip download --platform
                manylinux2014_x86_64`) in /var/task
  reports       amd64, same base, CMD app.missing (app.py defines handler)
  web           amd64, CMD python3 app.py, no runtime interface client
layout-zstd/ is orders-arm64 copied by `skopeo copy --dest-compress-format zstd`.
The files of each image come from app/ beside the template.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from typing import Dict, List, Optional, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # fixture_record is beside this script

from fixture_record import REAL, sha256, write_record  # noqa: E402

FOLDER = os.path.join(REAL, "images")
APP = os.path.join(FOLDER, "app")
WHEEL = ("manylinux2014_x86_64", "3.12", "markupsafe==3.0.2")
BASE_ENV = ["PATH=/var/lang/bin:/usr/local/bin:/usr/bin:/bin", "LAMBDA_TASK_ROOT=/var/task",
            "LAMBDA_RUNTIME_DIR=/var/runtime"]
# tag -> (architecture, entrypoint, cmd, env, files: image path -> source path or None for the wheel's .so)
TAGS: Dict[str, Tuple[str, List[str], List[str], List[str], Dict[str, Optional[str]]]] = {
    "orders-arm64": ("arm64", ["/lambda-entrypoint.sh"], ["app.handler"], BASE_ENV,
                     {"lambda-entrypoint.sh": "lambda-entrypoint.sh", "var/task/app.py": "app.py",
                      "var/task/markupsafe/": None}),
    "reports": ("amd64", ["/lambda-entrypoint.sh"], ["app.missing"], BASE_ENV,
                {"lambda-entrypoint.sh": "lambda-entrypoint.sh", "var/task/app.py": "app.py"}),
    "web": ("amd64", [], ["python3", "app.py"], ["PATH=/usr/local/bin:/usr/bin:/bin"],
            {"app/app.py": "app.py", "app/worker.py": "worker.py"}),
}


def run(*command: str) -> None:
    subprocess.run(list(command), check=True)


def extension_module(scratch: str) -> str:
    """The x86_64 MarkupSafe package folder, from a wheel downloaded for that platform."""
    platform, python, requirement = WHEEL
    run(sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", "download", "--only-binary=:all:",
        "--platform", platform, "--python-version", python, "--implementation", "cp", "--no-deps",
        "-d", scratch, requirement)
    (wheel,) = [name for name in os.listdir(scratch) if name.endswith(".whl")]
    with zipfile.ZipFile(os.path.join(scratch, wheel)) as archive:
        archive.extractall(os.path.join(scratch, "wheel"))
    return os.path.join(scratch, "wheel", "markupsafe")


def main() -> int:
    for name in ("layout", "layout-zstd"):
        shutil.rmtree(os.path.join(FOLDER, name), ignore_errors=True)
    layout = os.path.join(FOLDER, "layout")
    with tempfile.TemporaryDirectory() as scratch:
        markupsafe = extension_module(scratch)
        run("umoci", "init", "--layout", layout)
        run("umoci", "new", "--image", f"{layout}:base")
        for tag, (architecture, entrypoint, cmd, env, files) in TAGS.items():
            bundle = os.path.join(scratch, f"bundle-{tag}")
            run("umoci", "unpack", "--rootless", "--image", f"{layout}:base", bundle)
            rootfs = os.path.join(bundle, "rootfs")
            for target, source in files.items():
                path = os.path.join(rootfs, target)
                os.makedirs(os.path.dirname(path.rstrip("/")), exist_ok=True)
                if source is None:
                    shutil.copytree(markupsafe, path)
                else:
                    shutil.copy2(os.path.join(APP, source), path)
            run("umoci", "repack", "--image", f"{layout}:{tag}", bundle)
            config = ["umoci", "config", "--image", f"{layout}:{tag}", "--architecture", architecture, "--os", "linux",
                      "--config.workingdir", "/var/task" if entrypoint else "/app"]
            config += [f"--config.entrypoint={word}" for word in entrypoint] or ["--clear=config.entrypoint"]
            config += ["--clear=config.cmd"] + [f"--config.cmd={word}" for word in cmd]
            config += ["--clear=config.env"] + [f"--config.env={item}" for item in env]
            run(*config)
        run("umoci", "rm", "--image", f"{layout}:base")
        run("umoci", "gc", "--layout", layout)
        run("skopeo", "copy", "--dest-compress-format", "zstd", f"oci:{layout}:orders-arm64",
            f"oci:{os.path.join(FOLDER, 'layout-zstd')}:orders-arm64")
        wheel = [name for name in os.listdir(scratch) if name.endswith(".whl")][0]
        digest = sha256(os.path.join(scratch, wheel))
    versions = {
        "umoci": subprocess.run(["umoci", "--version"], capture_output=True, text=True).stdout.split()[-1],
        "skopeo": subprocess.run(["skopeo", "--version"], capture_output=True, text=True).stdout.split()[-1],
    }
    write_record(FOLDER, versions, skip=("layout", "layout-zstd"), wheels={"markupsafe": {"wheel": wheel,
                                                                                          "sha256": digest}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
