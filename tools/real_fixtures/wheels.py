"""Install real wheels into fixtures/real/wheels/installed/<name>/, the way a user vendors them.

    python tools/real_fixtures/wheels.py

Each package is fetched with `pip download --only-binary=:all: --platform P --python-version V
--no-deps` (a wheel built for that platform, whatever this machine is), then installed with
`pip install --target` from that download alone, beside a copy of src/app.py. The wheels are
small on purpose (MarkupSafe, bcrypt: a few hundred KB installed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # fixture_record is beside this script

from fixture_record import REAL, sha256, write_record  # noqa: E402

FOLDER = os.path.join(REAL, "wheels")
# name -> (platform, python version, requirement)
WHEELS = {
    "musl": ("musllinux_1_2_x86_64", "3.12", "markupsafe==3.0.2"),
    "glibc234": ("manylinux_2_34_x86_64", "3.12", "bcrypt==4.3.0"),
    "x86_64": ("manylinux2014_x86_64", "3.12", "markupsafe==3.0.2"),
}


def main() -> int:
    installed = os.path.join(FOLDER, "installed")
    shutil.rmtree(installed, ignore_errors=True)
    downloaded = {}
    for name, (platform, python, requirement) in WHEELS.items():
        with tempfile.TemporaryDirectory() as scratch:
            pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
            subprocess.run(pip + ["download", "--only-binary=:all:", "--platform", platform, "--python-version", python,
                                  "--implementation", "cp", "--no-deps", "-d", scratch, requirement], check=True)
            (wheel,) = os.listdir(scratch)
            target = os.path.join(installed, name)
            subprocess.run(pip + ["install", "--no-index", "--no-deps", "--no-compile", "--only-binary=:all:",
                                  "--platform", platform, "--python-version", python, "--implementation", "cp",
                                  "--target", target, os.path.join(scratch, wheel)], check=True)
            downloaded[name] = {"wheel": wheel, "sha256": sha256(os.path.join(scratch, wheel))}
            shutil.rmtree(os.path.join(target, "bin"), ignore_errors=True)
            shutil.copy(os.path.join(FOLDER, "src", "app.py"), os.path.join(target, "app.py"))
    pip_version = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True, text=True,
                                 check=True).stdout.split()[1]
    write_record(FOLDER, {"pip": pip_version}, skip=("installed",), wheels=downloaded)
    return 0


if __name__ == "__main__":
    sys.exit(main())
