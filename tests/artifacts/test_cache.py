"""PackageCache: one index per package per run, failures included."""

from __future__ import annotations

import threading
import zipfile

import pytest

import lambdalint.artifacts.zip_package as zip_package
from lambdalint.artifacts import ArtifactError, PackageCache


@pytest.fixture
def counted_open_zip(monkeypatch):
    calls = []
    real = zip_package.open_zip

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(zip_package, "open_zip", counting)
    return calls


def test_shared_package_is_indexed_once(tmp_path, counted_open_zip):
    (tmp_path / "templates").mkdir()
    with zipfile.ZipFile(tmp_path / "app.zip", "w") as archive:
        archive.writestr("app.py", "x = 1\n")
    cache = PackageCache()

    first = cache.package("app.zip", root=str(tmp_path))
    second = cache.package("../app.zip", root=str(tmp_path / "templates"))
    third = cache.package(str(tmp_path / "app.zip"))

    assert first is second is third
    assert len(counted_open_zip) == 1
    assert len(cache) == 1


def test_folder_reached_through_a_symlink_is_the_same_package(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("")
    (tmp_path / "alias").symlink_to(tmp_path / "src")
    cache = PackageCache()
    assert cache.package(str(tmp_path / "src")) is cache.package(str(tmp_path / "alias"))


def test_failures_are_cached_and_raised_each_time(tmp_path, counted_open_zip):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    cache = PackageCache()
    messages = []
    for _ in range(3):
        with pytest.raises(ArtifactError) as error:
            cache.package(str(tmp_path / "broken.zip"))
        messages.append(error.value.message)
    assert len(set(messages)) == 1 and "not a valid zip" in messages[0]
    assert len(counted_open_zip) == 1


def test_threads_asking_for_one_package_share_one_index(tmp_path, counted_open_zip):
    with zipfile.ZipFile(tmp_path / "app.zip", "w") as archive:
        for number in range(2000):
            archive.writestr(f"m{number}.py", "")
    cache = PackageCache()
    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.package(str(tmp_path / "app.zip"))))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8 and all(result is results[0] for result in results)
    assert len(counted_open_zip) == 1
