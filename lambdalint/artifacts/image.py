"""Container images from `docker save` tarballs and OCI image layouts (a folder or a tar of one).

We read the manifest and the image config, then walk each layer's tar headers to list
files and add up their sizes. Compressed layers must be decompressed to reach the
headers, so the walk streams (`r|*`) under a byte budget; past it the image is marked
incomplete and its size is a lower bound. `tarfile` is only ever used to read headers
and member bytes: nothing is extracted.
"""

from __future__ import annotations

import json
import os
import posixpath
import stat
import struct
import zlib
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Set, Tuple

from .package import (
    DIRECTORY,
    FILE,
    OTHER,
    SYMLINK,
    ArtifactError,
    MemberTable,
    Package,
    UnsafeEntry,
    unsafe_name_reason,
)

# Decompressed layer bytes walked per image before giving up on exact sizes. Lambda's
# image quota is 10 GB uncompressed; walking that much gzip costs about a minute, so we
# stop at 4 GiB and report a lower bound (still enough to prove most oversize images).
DEFAULT_SCAN_BUDGET = 4 * 1024 ** 3
# manifest.json, index.json and config blobs are a few kilobytes; refuse absurd ones.
MAX_JSON_BYTES = 16 * 1024 * 1024

_INDEX_TYPES = ("application/vnd.oci.image.index.v1+json",
                "application/vnd.docker.distribution.manifest.list.v2+json")
_WHITEOUT = ".wh."
_OPAQUE = ".wh..wh..opq"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


@dataclass(frozen=True)
class ImageConfig:
    """The runtime settings of an image (the `config` object of the image config JSON)."""

    architecture: Optional[str] = None
    os: Optional[str] = None
    variant: Optional[str] = None
    cmd: Optional[Tuple[str, ...]] = None
    entrypoint: Optional[Tuple[str, ...]] = None
    env: Mapping[str, str] = field(default_factory=dict)
    working_dir: Optional[str] = None
    labels: Mapping[str, str] = field(default_factory=dict)
    user: Optional[str] = None


@dataclass(frozen=True)
class Layer:
    """One layer blob. `uncompressed_size` sums the file sizes in its tar headers."""

    ref: str  # digest ("sha256:...") or path inside a docker save tarball
    media_type: Optional[str]
    compressed_size: int
    uncompressed_size: int
    entries: int
    complete: bool
    error: Optional[str] = None


class ImagePackage(Package):
    """The merged filesystem of an image plus its config and layers.

    `uncompressed_size` is the sum over all layers (what Lambda's 10 GB quota counts),
    not the size of the merged filesystem; it is a lower bound when `complete` is False.
    """

    kind = "image"
    absolute_links_stay_inside = True

    def __init__(self, path: str, table: MemberTable, *, config: ImageConfig, layers: List[Layer],
                 problems: List[UnsafeEntry], sources: Dict[str, Tuple[int, str]],
                 layer_refs: List[str], platforms: List[str]):
        super().__init__(path, table, compressed_size=sum(layer.compressed_size for layer in layers),
                         problems=problems)
        self.config = config
        self.layers = layers
        self.platforms = platforms
        self.complete = all(layer.complete for layer in layers)
        self.uncompressed_size = sum(layer.uncompressed_size for layer in layers)
        self._sources = sources  # member -> (layer number, entry name as written in its tar)
        self._layer_refs = layer_refs

    @property
    def architecture(self) -> Optional[str]:
        return self.config.architecture

    def _read_raw(self, name: str, row: int, limit: int) -> bytes:
        import tarfile

        layer_number, entry_name = self._sources[name]
        try:
            with _open_store(self.path) as store, store.open(self._layer_refs[layer_number]) as blob:
                stream = blob
                if blob.read(4) == _ZSTD_MAGIC:
                    blob.seek(0)
                    stream = zstd_reader(blob)
                    if stream is None:
                        raise ArtifactError(f"{self.path}: cannot read {name}: {ZSTD_NOT_READ}")
                else:
                    blob.seek(0)
                with tarfile.open(fileobj=stream, mode="r|*") as layer:
                    while True:
                        info = layer.next()
                        if info is None:
                            break
                        layer.members = []  # type: ignore[attr-defined]  # undocumented, not in typeshed
                        if info.name == entry_name and info.isreg():
                            stream = layer.extractfile(info)
                            return stream.read(limit) if stream else b""
        except _TAR_ERRORS as exc:
            raise ArtifactError(f"{self.path}: cannot read {name}: {_describe(exc)}") from None
        raise ArtifactError(f"{self.path}: cannot read {name}: entry not found in its layer")


def open_image(path: str, *, scan_budget: int = DEFAULT_SCAN_BUDGET, tag: Optional[str] = None) -> ImagePackage:
    """Index a `docker save` tarball, an OCI layout folder or a tar of one.

    `tag` chooses one image of several (an OCI layout's `org.opencontainers.image.ref.name`,
    a docker save tarball's `RepoTags`); without one, an input holding several tagged images
    is an ArtifactError that lists them, never a guess at the first.
    """
    if not os.path.exists(path):
        raise ArtifactError(f"{path}: no such file or folder")
    try:
        with _open_store(path) as store:
            return _index(path, store, scan_budget, tag)
    except ArtifactError:
        raise
    except _TAR_ERRORS as exc:
        raise ArtifactError(f"{path}: cannot read image: {_describe(exc)}") from None


# What a zstd layer says when no zstd decoder is installed (summary.unchecked reads it).
ZSTD_NOT_READ = "zstd-compressed layer not read (install the zstandard package to read it)"


def zstd_reader(blob):
    """A stream of the decompressed bytes of a zstd blob, or None without a decoder.

    The standard library has zstd from Python 3.14 (`compression.zstd`); before that the
    optional `zstandard` package (the `zstd` extra of setup.cfg) reads it.
    """
    import importlib

    try:
        zstd = importlib.import_module("compression.zstd")
    except ImportError:
        pass
    else:
        return zstd.ZstdFile(blob)
    try:
        zstandard = importlib.import_module("zstandard")
    except ImportError:
        return None
    return zstandard.ZstdDecompressor().stream_reader(blob, closefd=False)


# --- where blobs come from -------------------------------------------------------------


class _FolderStore:
    def __init__(self, root: str):
        self.root = root

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def has(self, name: str) -> bool:
        return os.path.isfile(self._path(name))

    def size(self, name: str) -> int:
        return os.path.getsize(self._path(name))

    def open(self, name: str):
        return open(self._path(name), "rb")

    def _path(self, name: str) -> str:
        if unsafe_name_reason(name):
            raise ArtifactError(f"{self.root}: refusing blob path {name!r}")
        return os.path.join(self.root, *name.split("/"))


class _TarStore:
    """An outer tar (docker save output, or an OCI layout packed with tar): read, never extracted."""

    def __init__(self, path: str):
        import tarfile

        self.archive = tarfile.open(path, mode="r:*")
        self.entries = {}
        for info in self.archive.getmembers():
            self.entries[_tar_key(info.name)] = info

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.archive.close()
        return False

    def has(self, name: str) -> bool:
        return _tar_key(name) in self.entries

    def size(self, name: str) -> int:
        info = self._info(name)
        for _ in range(8):  # docker save (25+) links <id>/layer.tar to the blob it names
            if not (info.issym() or info.islnk()):
                return info.size
            base = posixpath.dirname(info.name) if info.issym() else ""
            info = self._info(posixpath.join(base, info.linkname))
        raise ArtifactError(f"image tarball: {name} is a chain of links")

    def open(self, name: str):
        stream = self.archive.extractfile(self._info(name))
        if stream is None:
            raise ArtifactError(f"{name} is not a file in the image tarball")
        return stream

    def _info(self, name: str):
        try:
            return self.entries[_tar_key(name)]
        except KeyError:
            raise ArtifactError(f"image tarball has no {name}") from None


def _tar_key(name: str) -> str:
    return posixpath.normpath(name).lstrip("/")


def _open_store(path: str):
    if os.path.isdir(path):
        return _FolderStore(path)
    return _TarStore(path)


def _read_json(store, name: str):
    if not store.has(name):
        raise ArtifactError(f"image has no {name}")
    with store.open(name) as handle:
        raw = handle.read(MAX_JSON_BYTES + 1)
    if len(raw) > MAX_JSON_BYTES:
        raise ArtifactError(f"{name} is over {MAX_JSON_BYTES} bytes")
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ArtifactError(f"{name} is not valid JSON: {exc}") from None


def _blob_name(digest) -> str:
    if not isinstance(digest, str) or ":" not in digest:
        raise ArtifactError(f"malformed digest {digest!r}")
    algorithm, _, encoded = digest.partition(":")
    return f"blobs/{algorithm}/{encoded}"


# --- manifests ---------------------------------------------------------------------------


def _index(path: str, store, scan_budget: int, tag: Optional[str] = None) -> ImagePackage:
    platforms: List[str] = []
    if store.has("manifest.json"):
        manifest = _read_json(store, "manifest.json")
        if not isinstance(manifest, list) or not manifest or not isinstance(manifest[0], dict):
            raise ArtifactError(f"{path}: manifest.json is not a list of images")
        entry = _pick_docker_image(path, [item for item in manifest if isinstance(item, dict)], tag)
        config_name = entry.get("Config")
        layer_refs = entry.get("Layers") or []
        if not isinstance(config_name, str) or not isinstance(layer_refs, list):
            raise ArtifactError(f"{path}: manifest.json has no Config or Layers")
        layer_refs = [str(ref) for ref in layer_refs]
        media_types: List[Optional[str]] = [None] * len(layer_refs)
    elif store.has("index.json"):
        index = _read_json(store, "index.json")
        image_manifest, platforms = _pick_oci_manifest(path, store, _pick_tag(path, index, tag))
        config_name = _blob_name(_mapping(image_manifest.get("config")).get("digest"))
        descriptors = [layer for layer in _sequence(image_manifest.get("layers")) if isinstance(layer, dict)]
        layer_refs = [_blob_name(layer.get("digest")) for layer in descriptors]
        media_types = [_text(layer.get("mediaType")) for layer in descriptors]
    else:
        raise ArtifactError(f"{path}: neither a docker save tarball (manifest.json) "
                            f"nor an OCI image layout (index.json)")

    config = _parse_config(_read_json(store, config_name))
    walker = _LayerWalker(scan_budget)
    layers = [walker.walk(store, number, ref, media_type)
              for number, (ref, media_type) in enumerate(zip(layer_refs, media_types))]
    table = MemberTable()
    sources: Dict[str, Tuple[int, str]] = {}
    for name in sorted(walker.files):
        size, mode, kind, link, layer_number, entry_name = walker.files[name]
        table.add(name, size, -1, mode, kind, link)
        sources[name] = (layer_number, entry_name)
    return ImagePackage(path, table, config=config, layers=layers, problems=walker.problems,
                        sources=sources, layer_refs=layer_refs, platforms=platforms)


_REF_NAME = "org.opencontainers.image.ref.name"


def _tags_listed(tags: List[str]) -> str:
    return ", ".join(tags)


def _pick_tag(path: str, index, tag: Optional[str]):
    """The part of an OCI layout's index.json for one tag (skopeo's `oci:PATH:TAG`).

    umoci and skopeo keep every tag of a layout as one entry of index.json, named by its
    `org.opencontainers.image.ref.name` annotation. Entries of one tag (or of none: a
    multi-platform index) are left to _pick_oci_manifest.
    """
    descriptors = [item for item in _sequence(_mapping(index).get("manifests")) if isinstance(item, dict)]
    names = [_text(_mapping(item.get("annotations")).get(_REF_NAME)) for item in descriptors]
    tags = sorted({name for name in names if name})
    if tag is None:
        if len(tags) > 1:
            raise ArtifactError(f"{path}: the layout holds {len(tags)} tagged images ({_tags_listed(tags)}): "
                                f"choose one with --image LOGICAL_ID=PATH:TAG")
        return index
    chosen = [item for item, name in zip(descriptors, names) if name == tag]
    if not chosen:
        raise ArtifactError(f"{path}: no image tagged {tag!r} (tags: {_tags_listed(tags) or 'none'})")
    return {**index, "manifests": chosen}


def _pick_docker_image(path: str, entries: List[dict], tag: Optional[str]) -> dict:
    """The entry of a docker save manifest.json for a tag (`name:tag`, or the part after the colon)."""
    def tags_of(entry) -> List[str]:
        return [item for item in _sequence(entry.get("RepoTags")) if isinstance(item, str)]

    every = sorted({item for entry in entries for item in tags_of(entry)})
    if tag is None:
        if len(entries) > 1:
            listed = _tags_listed(every) or "untagged"
            raise ArtifactError(f"{path}: the tarball holds {len(entries)} images ({listed}): "
                                f"choose one with --image LOGICAL_ID=PATH:TAG")
        return entries[0]
    for entry in entries:
        if any(item == tag or item.rpartition(":")[2] == tag for item in tags_of(entry)):
            return entry
    raise ArtifactError(f"{path}: no image tagged {tag!r} (tags: {_tags_listed(every) or 'none'})")


def _pick_oci_manifest(path: str, store, index, depth: int = 0):
    """The image manifest to read: the first linux one; attestation entries are not images."""
    if depth > 4 or not isinstance(index, dict):
        raise ArtifactError(f"{path}: index.json is not an OCI image index")
    candidates = []
    platforms = []
    for descriptor in _sequence(index.get("manifests")):
        if not isinstance(descriptor, dict):
            continue
        platform = _mapping(descriptor.get("platform"))
        system, arch = _text(platform.get("os")), _text(platform.get("architecture"))
        if system == "unknown" or arch == "unknown":  # buildx attestation manifests
            continue
        if system or arch:
            platforms.append(f"{system}/{arch}")
        candidates.append(descriptor)
    linux = [item for item in candidates if _mapping(item.get("platform")).get("os") in (None, "linux")]
    if not linux:
        raise ArtifactError(f"{path}: index.json lists no linux image")
    chosen = linux[0]
    document = _read_json(store, _blob_name(chosen.get("digest")))
    media_type = _text(chosen.get("mediaType")) or _text(_mapping(document).get("mediaType"))
    if media_type in _INDEX_TYPES or (isinstance(document, dict) and "manifests" in document):
        return _pick_oci_manifest(path, store, document, depth + 1)
    if not isinstance(document, dict):
        raise ArtifactError(f"{path}: image manifest is not a JSON object")
    return document, platforms


def _parse_config(document) -> ImageConfig:
    if not isinstance(document, dict):
        raise ArtifactError("image config is not a JSON object")
    settings = _mapping(document.get("config"))

    def words(value) -> Optional[Tuple[str, ...]]:
        if isinstance(value, list):
            return tuple(str(item) for item in value)
        if isinstance(value, str):
            return (value,)
        return None

    env = {}
    for item in _sequence(settings.get("Env")):
        if isinstance(item, str):
            key, _, value = item.partition("=")
            env[key] = value
    labels = _mapping(settings.get("Labels"))
    return ImageConfig(
        architecture=_text(document.get("architecture")),
        os=_text(document.get("os")),
        variant=_text(document.get("variant")),
        cmd=words(settings.get("Cmd")),
        entrypoint=words(settings.get("Entrypoint")),
        env=env,
        working_dir=_text(settings.get("WorkingDir")) or None,
        labels={str(key): str(value) for key, value in labels.items()},
        user=_text(settings.get("User")) or None,
    )


# JSON from an image is untrusted: a field of the wrong type reads as absent, never raises.
def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _sequence(value) -> list:
    return value if isinstance(value, list) else []


def _text(value) -> Optional[str]:
    return value if isinstance(value, str) else None


# --- layers ------------------------------------------------------------------------------


class _LayerWalker:
    """Walks layer tars in order, applying whiteouts, within one byte budget for the image."""

    def __init__(self, budget: int):
        self.budget = budget
        # name -> (size, mode, kind, symlink target, layer number, entry name as written)
        self.files: Dict[str, tuple] = {}
        self.problems: List[UnsafeEntry] = []

    def walk(self, store, number: int, ref: str, media_type: Optional[str]) -> Layer:
        import tarfile

        try:
            compressed = store.size(ref)
        except (ArtifactError, OSError) as exc:
            return Layer(ref, media_type, 0, 0, 0, False, f"layer blob missing: {_describe(exc)}")
        added: Dict[str, tuple] = {}
        removed: Set[str] = set()
        opaque: Set[str] = set()
        total = entries = 0
        complete, error = True, None
        try:
            with store.open(ref) as blob:
                magic = blob.read(4)
                blob.seek(0)
                stream = blob
                if magic == _ZSTD_MAGIC:
                    stream = zstd_reader(blob)
                    if stream is None:
                        return Layer(ref, media_type, compressed, 0, 0, False, ZSTD_NOT_READ)
                # A plain tar can be walked by seeking past file data; a compressed one must stream.
                plain = magic[:2] != b"\x1f\x8b" and magic[:3] != b"BZh" and magic != b"\xfd7zX" and stream is blob
                with tarfile.open(fileobj=stream, mode="r:" if plain else "r|*") as layer:
                    while True:
                        if not plain and layer.offset > self.budget:
                            complete, error = False, "scan budget reached: size is a lower bound"
                            break
                        info = layer.next()
                        if info is None:
                            break
                        # tarfile keeps every header otherwise (`members` is undocumented, not in typeshed)
                        layer.members = []  # type: ignore[attr-defined]
                        entries += 1
                        if info.isreg():
                            total += info.size
                        self._entry(number, ref, info, added, removed, opaque)
                    if plain and complete and not _ends_with_zero_block(blob, layer.offset):
                        # tarfile takes a header cut short for the end of the archive
                        complete, error = False, "corrupt layer: truncated or damaged after entry " + str(entries)
                if not plain:
                    self.budget -= layer.offset
        except _TAR_ERRORS as exc:
            complete, error = False, f"corrupt layer: {_describe(exc)}"
        self._merge(added, removed, opaque)
        return Layer(ref, media_type, compressed, total, entries, complete, error)

    def _entry(self, number: int, ref: str, info, added, removed, opaque) -> None:
        raw = info.name
        reason = unsafe_name_reason(raw)
        if reason:
            self.problems.append(UnsafeEntry(raw, f"layer {ref}: {reason}"))
        if info.islnk() and unsafe_name_reason(info.linkname):
            self.problems.append(UnsafeEntry(raw, f"layer {ref}: hard link to {info.linkname!r} leaves the image"))
        name = posixpath.normpath("/" + raw).lstrip("/")
        if reason == "'..' path component" or not name:
            return  # reported; never placed in the filesystem we model
        folder, base = posixpath.split(name)
        if base == _OPAQUE:
            opaque.add(folder)
            return
        if base.startswith(_WHITEOUT):
            removed.add(posixpath.join(folder, base[len(_WHITEOUT):]))
            return
        if info.isdir():
            kind, size = DIRECTORY, 0
        elif info.issym():
            kind, size = SYMLINK, 0
        elif info.islnk():
            # A hard link shares the data of an entry earlier in this layer: read that one.
            target = posixpath.normpath("/" + info.linkname).lstrip("/")
            kind, size = FILE, (added.get(target) or self.files.get(target) or (0,))[0]
            raw = info.linkname
        elif info.isreg():
            kind, size = FILE, info.size
        else:
            kind, size = OTHER, 0
        mode = stat.S_IMODE(info.mode) | _TAR_TYPE_BITS.get(kind, 0)
        added[name] = (size, mode, kind, info.linkname if info.issym() else None, number, raw)

    def _merge(self, added, removed, opaque) -> None:
        if removed or opaque:
            def hidden(name: str) -> bool:
                if name in removed:
                    return True
                parent = posixpath.dirname(name)
                while True:
                    if parent in removed or parent in opaque:
                        return True
                    if not parent:
                        return False
                    parent = posixpath.dirname(parent)

            self.files = {name: row for name, row in self.files.items() if not hidden(name)}
        self.files.update(added)


def _ends_with_zero_block(blob, offset: int) -> bool:
    blob.seek(offset)
    block = blob.read(512)
    return len(block) == 512 and not block.strip(b"\0")


_TAR_TYPE_BITS = {FILE: stat.S_IFREG, DIRECTORY: stat.S_IFDIR, SYMLINK: stat.S_IFLNK}


def _tar_errors():
    # This module is imported only when an image is opened, so these imports cost nothing at start-up.
    import importlib
    import lzma
    import tarfile

    errors: Tuple[type, ...] = (tarfile.TarError, OSError, EOFError, ValueError, struct.error, zlib.error,
                                lzma.LZMAError, UnicodeError, KeyError, IndexError, OverflowError)
    for module in ("compression.zstd", "zstandard"):  # a damaged zstd layer is a corrupt layer too
        try:
            errors += (importlib.import_module(module).ZstdError,)
        except (ImportError, AttributeError):
            pass
    return errors


def _describe(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.splitlines()[0] if text else type(exc).__name__


_TAR_ERRORS = _tar_errors()
