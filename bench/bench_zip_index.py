"""How fast lambdalint indexes a large zip, against `unzip -l` and a bare `zipfile` listing.

    python bench/bench_zip_index.py [--members 20000] [--megabytes 250] [--runs 5]

Builds a ~250 MB, 20,000-member zip in a temporary folder (stored members of random-ish
data: building it takes a few seconds, not minutes), then times, several runs each:
  - lambdalint: `open_package` plus iterating every member,
  - `unzip -l` (when installed), which reads the same central directory in C,
  - `zipfile.ZipFile(...).infolist()`, the floor our indexing is built on.
Prints the median of each and the ratios. A script, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from lambdalint.artifacts import open_package  # noqa: E402


def build_zip(path: str, members: int, total_bytes: int) -> None:
    size = max(1, total_bytes // members)
    # One random block, rotated per member: random enough that nothing compresses, and
    # cheap, since os.urandom for 250 MB alone would dominate the build.
    block = os.urandom(size + members)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for number in range(members):
            folder = f"pkg{number % 50:02d}/sub{number % 7}"
            start = number % members
            archive.writestr(f"{folder}/module_{number:06d}.py", block[start:start + size])


def lambdalint_index(path: str) -> int:
    package = open_package(path)
    return sum(1 for _ in package.members)


def zipfile_listing(path: str) -> int:
    with zipfile.ZipFile(path) as archive:
        return len(archive.infolist())


def unzip_listing(path: str) -> int:
    result = subprocess.run(["unzip", "-l", path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
    return result.stdout.count(b"\n")


def median_seconds(action, path: str, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action(path)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--megabytes", type=int, default=250)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-zip-") as folder:
        path = os.path.join(folder, "package.zip")
        started = time.perf_counter()
        build_zip(path, options.members, options.megabytes * 1024 * 1024)
        print(f"built {path}: {os.path.getsize(path) / 1e6:.0f} MB, {options.members} members "
              f"in {time.perf_counter() - started:.1f} s")

        assert lambdalint_index(path) == options.members  # warm the page cache, check the count
        ours = median_seconds(lambdalint_index, path, options.runs)
        floor = median_seconds(zipfile_listing, path, options.runs)
        print(f"lambdalint open_package + iterate : {ours * 1000:8.1f} ms (median of {options.runs})")
        print(f"zipfile infolist                  : {floor * 1000:8.1f} ms   lambdalint/zipfile = {ours / floor:.2f}")
        if shutil.which("unzip"):
            unzip = median_seconds(unzip_listing, path, options.runs)
            print(f"unzip -l                          : {unzip * 1000:8.1f} ms   lambdalint/unzip   = {ours / unzip:.2f}")
        else:
            print("unzip is not installed: compared with the zipfile listing only")


if __name__ == "__main__":
    main()
