"""Village bundles: what the coordinator's hub sends one village on a USB stick.

A village bundle is a folder `tutor-village/<v-hash>/` on the stick: `village.json`, a
manifest signed with the hub's key (village bundles go the other way from device bundles,
so they are signed by the hub, not by a device), the lesson packs under `packs/<id>/`, and
`enrolments.json`, the village's learners. The manifest names every file with its size and
sha256, so one flipped byte, a missing file or a file slipped in beside them is found before
anything is installed; files the manifest does not name are never read.

The folder is written beside its final name and renamed into place, manifest last, so a
stick pulled out half-way never shows a village bundle that looks whole.
"""

import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from tutor.progress.bundle import BundleError, sign, signed_part
from tutor.progress.events import is_uuid, timestamp
from tutor.progress.home import fsync_dir, make_dirs

FORMAT = 1
VILLAGE_FOLDER = "tutor-village"
MANIFEST = "village.json"
ENROLMENTS = "enrolments.json"
FIELDS = ("format", "village", "hub_key", "created", "packs", "enrolments", "signature")
LANGUAGES = ("zh", "ko", "ug")


@dataclass(frozen=True)
class VillageBundle:
    path: Path  # the manifest
    manifest: dict[str, Any]

    @property
    def village(self) -> str:
        return str(self.manifest["village"])

    @property
    def folder(self) -> Path:
        return self.path.parent


@dataclass(frozen=True)
class PackFiles:
    """A pack to send: its id and version from its manifest, and the files that make it."""

    id: str
    version: str
    root: Path
    files: list[str]


def folder_name(village: str) -> str:
    """A folder name any stick's file system takes, whatever the village is called."""
    return "v-" + hashlib.sha256(village.encode()).hexdigest()[:16]


# Writing (the hub) ----------------------------------------------------------------------


def write_village(
    stick: Path,
    village: str,
    packs: list[PackFiles],
    learners: list[dict[str, Any]],
    private_key: Any,
    public_key: str,
) -> VillageBundle:
    """The village's bundle onto the stick, replacing an older one for the same village."""
    root = stick / VILLAGE_FOLDER
    make_dirs(root)
    target = root / folder_name(village)
    draft = root / f".{target.name}.new-{uuid.uuid4().hex[:8]}"
    try:
        draft.mkdir()
        listed = []
        for pack in packs:
            files = {}
            for name in pack.files:
                data = (pack.root / name).read_bytes()
                _write(draft / "packs" / pack.id / name, data)
                files[name] = _entry(data)
            listed.append({"id": pack.id, "version": pack.version, "files": files})
        roster = json.dumps(learners, ensure_ascii=False, indent=1).encode() + b"\n"
        _write(draft / ENROLMENTS, roster)
        manifest = {
            "format": FORMAT,
            "village": village,
            "hub_key": public_key,
            "created": timestamp(),
            "packs": listed,
            "enrolments": {**_entry(roster), "learners": len(learners)},
        }
        signed = sign(manifest, private_key)
        _write(draft / MANIFEST, json.dumps(signed, ensure_ascii=False, indent=1).encode())
        fsync_dir(draft)
        _swap_into_place(draft, target)
    finally:
        shutil.rmtree(draft, ignore_errors=True)
    return VillageBundle(target / MANIFEST, signed)


def pack_files(root: Path) -> list[str]:
    """Every file of a pack folder, as relative POSIX names (hidden files and caches left)."""
    names = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        if path.is_file():
            names.append(relative.as_posix())
    return names


def _entry(data: bytes) -> dict[str, Any]:
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _swap_into_place(draft: Path, target: Path) -> None:
    """Rename the finished folder to its name; an older one goes aside first, then away."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
        os.rename(target, old)
    os.rename(draft, target)
    fsync_dir(target.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# Reading and checking (a device) ----------------------------------------------------------


def village_bundles(stick: Path) -> list[VillageBundle]:
    """Every village bundle on a stick; an unreadable manifest raises BundleError."""
    root = stick / VILLAGE_FOLDER
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(root.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        path = folder / MANIFEST
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise BundleError(path, "manifest_unreadable", str(err)) from err
        if not isinstance(manifest, dict) or set(manifest) != set(FIELDS):
            raise BundleError(path, "manifest_fields")
        found.append(VillageBundle(path, manifest))
    return found


def check_signature(bundle: VillageBundle) -> None:
    """Raise BundleError unless the manifest is whole and signed by the key it names."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    m, path = bundle.manifest, bundle.path
    if m["format"] != FORMAT:
        raise BundleError(path, "format", str(m["format"]))
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(str(m["hub_key"])))
        key.verify(bytes.fromhex(str(m["signature"])), signed_part(m))
    except (InvalidSignature, ValueError, TypeError):
        raise BundleError(path, "signature") from None
    if not isinstance(m["village"], str) or not m["village"].strip():
        raise BundleError(path, "manifest_fields", "village")
    if bundle.folder.name != folder_name(m["village"]):
        raise BundleError(path, "manifest_fields", "village")


@dataclass(frozen=True)
class StagedPack:
    id: str
    version: str
    root: Path


def stage(
    bundle: VillageBundle, into: Path | None
) -> tuple[list[StagedPack], list[dict[str, Any]]]:
    """Copy the bundle's packs into `into` (one folder each; None: only check them) and read
    its learners, checking every byte against the signed manifest; BundleError on the first
    difference."""
    m, path = bundle.manifest, bundle.path
    packs = m["packs"]
    if not isinstance(packs, list):
        raise BundleError(path, "manifest_fields", "packs")
    staged = []
    for pack in packs:
        pack_id, version, files = _pack_fields(pack, path)
        root = (into or bundle.folder) / f"{pack_id}-{version}"
        for name, entry in files.items():
            data = _checked_read(bundle.folder / "packs" / pack_id / name, entry, path)
            if into is not None:
                _write(root / name, data)
        staged.append(StagedPack(pack_id, version, root))
    roster = _checked_read(bundle.folder / ENROLMENTS, m["enrolments"], path)
    try:
        learners = json.loads(roster)
    except ValueError:
        raise BundleError(path, "village_fields", ENROLMENTS) from None
    return staged, _checked_learners(learners, bundle.village, path)


def _pack_fields(pack: Any, path: Path) -> tuple[str, str, dict[str, Any]]:
    try:
        pack_id, version, files = str(pack["id"]), str(pack["version"]), dict(pack["files"])
    except (KeyError, TypeError, ValueError):
        raise BundleError(path, "manifest_fields", "packs") from None
    if not _safe_name(pack_id) or not _safe_name(version) or "pack.toml" not in files:
        raise BundleError(path, "manifest_fields", f"packs: {pack_id}")
    for name in files:
        if not _safe_relative(name):
            raise BundleError(path, "manifest_fields", f"packs: {pack_id}/{name}")
    return pack_id, version, files


def _checked_read(file: Path, entry: Any, manifest: Path) -> bytes:
    try:
        size, digest = int(entry["size"]), str(entry["sha256"])
    except (KeyError, TypeError, ValueError):
        raise BundleError(manifest, "manifest_fields", file.name) from None
    try:
        with file.open("rb") as f:
            data = f.read(size + 1)
    except OSError:
        raise BundleError(file, "village_missing") from None
    if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
        raise BundleError(file, "village_changed")
    return data


def _checked_learners(learners: Any, village: str, path: Path) -> list[dict[str, Any]]:
    """Each learner: a UUID, this village, a language, a name (sent only with consent)."""
    if not isinstance(learners, list):
        raise BundleError(path, "village_fields", ENROLMENTS)
    for n, learner in enumerate(learners, 1):
        good = (
            isinstance(learner, dict)
            and is_uuid(learner.get("learner"))
            and learner.get("village") == village
            and learner.get("language") in LANGUAGES
            and isinstance(learner.get("name"), str)
            and learner["name"].strip()
            and learner.get("name_consent") is True
        )
        if not good:
            raise BundleError(path, "village_fields", f"{ENROLMENTS}[{n}]")
    return learners


def _safe_name(text: str) -> bool:
    return bool(text) and text == Path(text).name and not text.startswith(".")


def _safe_relative(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return (
        bool(parts)
        and not name.startswith("/")
        and "\\" not in name
        and all(part not in ("", ".", "..") and not part.startswith(".") for part in parts)
    )
