"""Container images: docker save tarballs and OCI layouts, read from headers, never extracted."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambdalint.artifacts import ArtifactError, PackageCache, open_image

CONFIG = {
    "architecture": "arm64",
    "os": "linux",
    "config": {
        "Cmd": ["app.handler"],
        "Entrypoint": ["/lambda-entrypoint.sh"],
        "Env": ["PATH=/usr/bin:/bin", "LAMBDA_TASK_ROOT=/var/task", "EMPTY="],
        "WorkingDir": "/var/task",
        "Labels": {"maintainer": "me"},
    },
}


def layer(entries, compress=False) -> bytes:
    """entries: (name, bytes) for a file, (name, None) for a folder, (name, "->target") for a
    symlink, (name, "=>target") for a hard link."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, content in entries:
            info = tarfile.TarInfo(name)
            if content is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                archive.addfile(info)
            elif isinstance(content, str):
                info.type = tarfile.SYMTYPE if content.startswith("->") else tarfile.LNKTYPE
                info.linkname = content[2:]
                archive.addfile(info)
            else:
                info.size, info.mode = len(content), 0o644
                archive.addfile(info, io.BytesIO(content))
    raw = buffer.getvalue()
    return gzip.compress(raw, mtime=0) if compress else raw


BASE = [
    ("var", None), ("var/task", None),
    ("var/task/app.py", b"def handler(event, context):\n    return 1\n"),
    ("var/task/old.py", b"x" * 100),
    ("var/runtime/bootstrap", b"#!/bin/sh\n"),
    ("usr/bin/python3.11", b"\x7fELF" + b"\0" * 60),
    ("usr/bin/python3", "->/usr/bin/python3.11"),
    ("var/task/same.py", "=>var/task/app.py"),
    ("opt/cache/a.bin", b"a" * 10),
    ("opt/cache/b.bin", b"b" * 20),
]
TOP = [
    ("var/task/.wh.old.py", b""),  # deleted in the top layer
    ("opt/cache/.wh..wh..opq", b""),  # opaque: lower contents of opt/cache hidden
    ("opt/cache/c.bin", b"c" * 5),
    ("./var/task/extra.py", b"print('extra')\n"),
    ("../../etc/passwd", b"root::0:0::/root:/bin/sh\n"),
    ("/abs/file", b"abs"),
]


def tar_bytes(files) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def docker_save(path, config=CONFIG, layers=(BASE, TOP)):
    files = {"cfg.json": json.dumps(config).encode()}
    names = []
    for number, entries in enumerate(layers):
        name = f"layer{number}/layer.tar"
        files[name] = layer(entries)
        names.append(name)
    files["manifest.json"] = json.dumps([{"Config": "cfg.json", "RepoTags": ["app:latest"], "Layers": names}]).encode()
    path.write_bytes(tar_bytes(files))
    return str(path)


def oci_layout(root, config=CONFIG, layers=(BASE, TOP), platforms=("linux/arm64",)):
    blobs = root / "blobs" / "sha256"
    blobs.mkdir(parents=True)

    def blob(data: bytes) -> dict:
        digest = hashlib.sha256(data).hexdigest()
        (blobs / digest).write_bytes(data)
        return {"digest": f"sha256:{digest}", "size": len(data)}

    layer_descriptors = [dict(blob(layer(entries, compress=True)),
                              mediaType="application/vnd.oci.image.layer.v1.tar+gzip") for entries in layers]
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": dict(blob(json.dumps(config).encode()), mediaType="application/vnd.oci.image.config.v1+json"),
                "layers": layer_descriptors}
    manifest_descriptor = dict(blob(json.dumps(manifest).encode()),
                               mediaType="application/vnd.oci.image.manifest.v1+json")
    entries = []
    for platform in platforms:
        system, arch = platform.split("/")
        entries.append(dict(manifest_descriptor, platform={"os": system, "architecture": arch}))
    # what buildx adds next to the image: an attestation manifest, which is not an image
    entries.append(dict(manifest_descriptor, platform={"os": "unknown", "architecture": "unknown"}))
    (root / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": entries}))
    (root / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')
    return str(root)


def check_image(image):
    assert image.kind == "image"
    assert image.config.architecture == "arm64" == image.architecture
    assert image.config.os == "linux"
    assert image.config.cmd == ("app.handler",)
    assert image.config.entrypoint == ("/lambda-entrypoint.sh",)
    assert image.config.env == {"PATH": "/usr/bin:/bin", "LAMBDA_TASK_ROOT": "/var/task", "EMPTY": ""}
    assert image.config.working_dir == "/var/task"
    assert image.config.labels == {"maintainer": "me"}

    names = set(image.names())
    assert {"var/task/app.py", "var/task/extra.py", "opt/cache/c.bin", "abs/file"} <= names
    assert "var/task/old.py" not in names  # whiteout
    assert not names & {"opt/cache/a.bin", "opt/cache/b.bin"}  # opaque folder
    assert not any(".wh." in name for name in names)
    assert not any("passwd" in name for name in names)  # reported, never placed

    unsafe = {(problem.member, problem.reason.rsplit(": ", 1)[-1]) for problem in image.problems}
    assert unsafe == {("../../etc/passwd", "'..' path component"), ("/abs/file", "absolute path")}

    # Every file of every layer counts, deleted ones included (Lambda's quota counts layers).
    base_files = sum(len(data) for _, data in BASE if isinstance(data, bytes))
    top_files = sum(len(data) for _, data in TOP if isinstance(data, bytes))
    assert [layer.uncompressed_size for layer in image.layers] == [base_files, top_files]
    assert image.uncompressed_size == base_files + top_files
    assert image.complete and all(layer.error is None for layer in image.layers)
    assert [layer.entries for layer in image.layers] == [len(BASE), len(TOP)]

    assert image.read("var/task/app.py") == b"def handler(event, context):\n    return 1\n"
    assert image.head("usr/bin/python3", 4) == b"\x7fELF"  # absolute link inside the image
    assert image.member("usr/bin/python3").link_target == "/usr/bin/python3.11"
    assert image.has("var/runtime") and image.has("var/task/extra.py")
    assert image.read("var/task/same.py") == image.read("var/task/app.py")  # hard link
    assert image.member("var/task/same.py").size == image.member("var/task/app.py").size


def test_docker_save_tarball(tmp_path):
    image = open_image(docker_save(tmp_path / "image.tar"))
    check_image(image)
    assert image.compressed_size == sum(layer.compressed_size for layer in image.layers) > 0


def test_oci_layout_folder(tmp_path):
    image = open_image(oci_layout(tmp_path / "layout"))
    check_image(image)
    assert all(layer.media_type.endswith("tar+gzip") for layer in image.layers)
    assert all(layer.ref.startswith("blobs/sha256/") for layer in image.layers)
    assert image.platforms == ["linux/arm64"]


def test_oci_layout_packed_as_tar(tmp_path):
    layout = oci_layout(tmp_path / "layout")
    packed = tmp_path / "layout.tar"
    with tarfile.open(packed, "w") as archive:
        archive.add(layout, arcname=".")
    check_image(open_image(str(packed)))


def test_gzipped_docker_save_tarball(tmp_path):
    plain = docker_save(tmp_path / "image.tar")
    (tmp_path / "image.tar.gz").write_bytes(gzip.compress((tmp_path / "image.tar").read_bytes()))
    check_image(open_image(str(tmp_path / "image.tar.gz")))
    assert os.path.exists(plain)


def test_multi_platform_index_picks_the_first_linux_image(tmp_path):
    image = open_image(oci_layout(tmp_path / "layout", platforms=("windows/amd64", "linux/arm64")))
    assert image.platforms == ["windows/amd64", "linux/arm64"]
    assert image.architecture == "arm64"


def test_scan_budget_gives_a_lower_bound(tmp_path):
    big = [("blob.bin", b"z" * 200_000)] + [(f"f{number}", b"1") for number in range(5)]
    image = open_image(oci_layout(tmp_path / "layout", layers=(big,)), scan_budget=10_000)
    assert not image.complete
    assert "lower bound" in image.layers[0].error
    assert image.uncompressed_size < 200_005


def test_corrupt_layer_is_reported_on_the_layer(tmp_path):
    path = tmp_path / "image.tar"
    files = {"cfg.json": json.dumps(CONFIG).encode(), "l/layer.tar": layer(BASE)[:700],
             "manifest.json": json.dumps([{"Config": "cfg.json", "Layers": ["l/layer.tar", "gone/layer.tar"]}]).encode()}
    path.write_bytes(tar_bytes(files))
    image = open_image(str(path))
    assert not image.complete
    assert image.layers[0].error.startswith("corrupt layer")
    assert image.layers[1].error.startswith("layer blob missing")


@pytest.mark.parametrize("content, message", [
    (b"not a tar at all" * 100, "cannot read image"),
    (None, "neither a docker save tarball"),
])
def test_unreadable_images_are_artifact_errors(tmp_path, content, message):
    path = tmp_path / "image.tar"
    path.write_bytes(content if content is not None else tar_bytes({"readme.txt": b"hello"}))
    with pytest.raises(ArtifactError, match=message):
        open_image(str(path))


def test_missing_image_and_bad_manifest(tmp_path):
    with pytest.raises(ArtifactError, match="no such file"):
        open_image(str(tmp_path / "nope.tar"))
    (tmp_path / "bad.tar").write_bytes(tar_bytes({"manifest.json": b"{not json"}))
    with pytest.raises(ArtifactError, match="manifest.json is not valid JSON"):
        open_image(str(tmp_path / "bad.tar"))


def test_cache_indexes_an_image_once(tmp_path):
    path = docker_save(tmp_path / "image.tar")
    cache = PackageCache()
    assert cache.image(path) is cache.image("image.tar", root=str(tmp_path))
    assert len(cache) == 1


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
        ["Config", "Layers", "config", "layers", "digest", "manifests", "platform", "os",
         "architecture", "mediaType", "Cmd", "Env", "Labels"]), inner, max_size=4),
    max_leaves=12,
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(manifest=JSON_VALUES, config=JSON_VALUES, oci=st.booleans())
def test_any_manifest_and_config_either_index_or_raise_artifact_error(tmp_path, manifest, config, oci):
    files = {"cfg.json": json.dumps(config).encode(), "blobs/sha256/abc": json.dumps(config).encode(),
             "l/layer.tar": layer(BASE)}
    files["index.json" if oci else "manifest.json"] = json.dumps(manifest).encode()
    path = tmp_path / "image.tar"
    path.write_bytes(tar_bytes(files))
    try:
        open_image(str(path))
    except ArtifactError as error:
        assert "\n" not in error.message


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_image_bytes_either_index_or_raise_artifact_error(tmp_path, data):
    raw = bytearray((tmp_path / "seed.tar").read_bytes() if (tmp_path / "seed.tar").exists()
                    else open(docker_save(tmp_path / "seed.tar"), "rb").read())
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    (tmp_path / "mutated.tar").write_bytes(bytes(raw))
    try:
        image = open_image(str(tmp_path / "mutated.tar"))
    except ArtifactError:
        return
    for name in list(image.names())[:5]:
        try:
            image.read(name, limit=64)
        except ArtifactError:
            pass


def test_blob_digest_cannot_walk_out_of_the_layout(tmp_path):
    root = tmp_path / "layout"
    root.mkdir()
    (tmp_path / "secret").write_text('{"config": {}}')
    (root / "index.json").write_text(json.dumps({"manifests": [{"digest": "sha256:../../../secret"}]}))
    with pytest.raises(ArtifactError, match="refusing blob path"):
        open_image(str(root))


def test_docker_save_tarball_of_several_images_needs_a_tag(tmp_path):
    # `docker save app:latest worker:v2` writes one manifest.json entry per image
    arm = {**CONFIG, "architecture": "arm64"}
    files = {"cfg.json": json.dumps(CONFIG).encode(), "arm.json": json.dumps(arm).encode(),
             "l0/layer.tar": layer(BASE), "l1/layer.tar": layer(TOP)}
    files["manifest.json"] = json.dumps([
        {"Config": "cfg.json", "RepoTags": ["app:latest"], "Layers": ["l0/layer.tar"]},
        {"Config": "arm.json", "RepoTags": ["worker:v2", "worker:stable"], "Layers": ["l0/layer.tar", "l1/layer.tar"]},
    ]).encode()
    (tmp_path / "both.tar").write_bytes(tar_bytes(files))
    path = str(tmp_path / "both.tar")
    with pytest.raises(ArtifactError, match=r"holds 2 images \(app:latest, worker:stable, worker:v2\): choose one"):
        open_image(path)
    assert open_image(path, tag="worker:v2").architecture == "arm64"
    assert open_image(path, tag="stable").architecture == "arm64"  # the part after the colon
    assert open_image(path, tag="latest").architecture == CONFIG["architecture"]
    with pytest.raises(ArtifactError, match=r"no image tagged 'v3' \(tags: app:latest, worker:stable, worker:v2\)"):
        open_image(path, tag="v3")


def test_a_path_with_a_colon_that_exists_is_never_split(tmp_path, monkeypatch):
    from lambdalint.api import Linter
    from lambdalint.config import Config

    folder = tmp_path / "images:v1"  # a folder whose name has a colon
    folder.mkdir()
    docker_save(folder / "app.tar")
    template = tmp_path / "template.yaml"
    uri = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/a:1"
    template.write_text("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n"
                        f"      PackageType: Image\n      Code: {{ImageUri: {uri}}}\n"
                        "      Role: arn:aws:iam::123456789012:role/r\n")
    monkeypatch.chdir(tmp_path)
    for value in (str(folder / "app.tar"), str(folder / "app.tar") + ":latest"):
        report = Linter(Config(select=("LL0004",), images={"Fn": value})).lint_paths([str(template)])
        assert [f.rule for f in report.findings] == [], value
    report = Linter(Config(select=("LL0004",), images={"Fn": str(folder / "app.tar") + ":nope"})).lint_paths(
        [str(template)])
    expected = "app.tar: no image tagged 'nope' (tags: app:latest)"
    assert [f.message.endswith(expected) for f in report.findings] == [True]
