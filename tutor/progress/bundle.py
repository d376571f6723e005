"""Sync bundles: a device's events on a USB stick, with a manifest signed by the device key.

A bundle is two files under `tutor-sync/<device>/` on the stick: `<first>-<last>.jsonl`, the
device's log lines for that seq range byte for byte, and `<first>-<last>.json`, the manifest
(device, public key, seq range, the hash before the first event, the head hash, the events
file's sha256 and line count) with an Ed25519 signature over its canonical form. The chain
of hashes ties every event to the head; the signature ties the head to the device; so one
flipped byte, a cut, a reorder or a forged event is found before anything is merged.

A device's key is pinned the first time its bundle is imported (trust on first use, as a
coordinator meets a device once at enrolment); a bundle signed by another key for the same
device is refused. Bundles are written under a temporary name and renamed into place, the
manifest last, so a stick pulled out or a full disk never leaves a bundle that looks whole.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.progress.chain import check_chain
from tutor.progress.events import canonical, timestamp
from tutor.progress.home import make_dirs, progress_home, write_atomically

FORMAT = 1
STICK_FOLDER = "tutor-sync"
MANIFEST_FIELDS = (
    "format",
    "device",
    "public_key",
    "first",
    "last",
    "prev",
    "head",
    "events",
    "sha256",
    "lines",
    "created",
    "signature",
)


class BundleError(Exception):
    """A bundle that must not be merged; `reason` names it for the catalog."""

    def __init__(self, path: Path, reason: str, detail: str = ""):
        super().__init__(f"{path}: {reason} {detail}".strip())
        self.path, self.reason, self.detail = path, reason, detail


@dataclass(frozen=True)
class Bundle:
    manifest_path: Path
    manifest: dict[str, Any]

    @property
    def device(self) -> str:
        return str(self.manifest["device"])

    @property
    def events_path(self) -> Path:
        return self.manifest_path.with_name(str(self.manifest["events"]))

    @property
    def first(self) -> int:
        return int(self.manifest["first"])

    @property
    def last(self) -> int:
        return int(self.manifest["last"])


def signed_part(manifest: dict[str, Any]) -> bytes:
    return canonical({k: v for k, v in manifest.items() if k != "signature"})


def sign(manifest: dict[str, Any], private_key: Any) -> dict[str, Any]:
    signature = private_key.sign(signed_part(manifest)).hex()
    return {**manifest, "signature": signature}


def signature_holds(manifest: dict[str, Any]) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(str(manifest["public_key"])))
        key.verify(bytes.fromhex(str(manifest["signature"])), signed_part(manifest))
    except (InvalidSignature, ValueError, KeyError, TypeError):
        return False
    return True


# Reading and checking -----------------------------------------------------------------------


def stick_bundles(stick: Path) -> list[Bundle]:
    """Every bundle manifest on a stick, by device and seq; unreadable ones raise."""
    root = stick / STICK_FOLDER
    if not root.is_dir():
        return []
    bundles = []
    for path in sorted(root.glob("*/*.json")):
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise BundleError(path, "manifest_unreadable", str(err)) from err
        if not isinstance(manifest, dict) or set(manifest) != set(MANIFEST_FIELDS):
            raise BundleError(path, "manifest_fields")
        bundles.append(Bundle(path, manifest))
    return sorted(bundles, key=lambda b: (b.device, b.first, b.last))


def check_bundle(bundle: Bundle, pinned_key: str | None, revoked_after: int | None) -> None:
    """Raise BundleError unless the bundle is whole, unchanged and signed by its device."""
    path = bundle.manifest_path
    check_manifest(bundle.manifest, path, pinned_key, revoked_after)
    if path.parent.name != bundle.device:
        raise BundleError(path, "manifest_fields")
    check_events(bundle.manifest, _FileLines(bundle.events_path), bundle.events_path)


def check_manifest(
    m: dict[str, Any], where: Path, pinned_key: str | None, revoked_after: int | None
) -> None:
    """Raise BundleError unless the manifest is signed by its device's (pinned) key and
    names a seq range a revocation still allows. The hub checks a pushed batch with this
    too, so a stick and the LAN refuse the same things for the same reasons."""
    if m["format"] != FORMAT:
        raise BundleError(where, "format", str(m["format"]))
    if not signature_holds(m):
        raise BundleError(where, "signature")
    if pinned_key is not None and pinned_key != m["public_key"]:
        raise BundleError(where, "unknown_key", str(m["device"]))
    if type(m["first"]) is not int or type(m["last"]) is not int:
        raise BundleError(where, "manifest_fields")
    if revoked_after is not None and m["last"] > revoked_after:
        raise BundleError(where, "revoked", str(m["device"]))
    if not 1 <= m["first"] <= m["last"]:
        raise BundleError(where, "manifest_fields")


def check_events(m: dict[str, Any], lines: Iterable[bytes], where: Path) -> None:
    """Raise BundleError unless `lines` (read twice: bytes first, then the chain) are
    exactly the events the manifest signed: same bytes, count, chain and head."""
    digest, count, last_raw = hashlib.sha256(), 0, b""
    try:
        for raw in lines:
            digest.update(raw)
            count += 1
            last_raw = raw
    except OSError as err:
        raise BundleError(where, "events_missing", str(err)) from err
    if digest.hexdigest() != m["sha256"] or count != m["lines"]:
        raise BundleError(where, "events_changed")
    if count != m["last"] - m["first"] + 1:
        raise BundleError(where, "events_changed")
    last, bad = check_chain(lines, str(m["device"]), m["first"] - 1, m["prev"])
    if bad is not None:
        raise BundleError(where, "chain", f"line {bad.line}: {bad.reason}")
    if last != m["last"] or json.loads(last_raw)["hash"] != m["head"]:
        raise BundleError(where, "chain", "head")


class _FileLines:
    """A file's lines, read afresh each time they are iterated."""

    def __init__(self, path: Path):
        self.path = path

    def __iter__(self) -> Iterator[bytes]:
        with self.path.open("rb") as f:
            yield from f


# Writing a bundle ---------------------------------------------------------------------------


def make_manifest(
    device: str, public_key: str, lines: list[bytes], first: int, prev: str | None, head: str
) -> dict[str, Any]:
    """The unsigned manifest of `device`'s events `first`..: a USB bundle and a batch pushed
    to a hub carry the same one, signed with `sign`."""
    last = first + len(lines) - 1
    return {
        "format": FORMAT,
        "device": device,
        "public_key": public_key,
        "first": first,
        "last": last,
        "prev": prev,
        "head": head,
        "events": f"{first:010d}-{last:010d}.jsonl",
        "sha256": hashlib.sha256(b"".join(lines)).hexdigest(),
        "lines": len(lines),
        "created": timestamp(),
    }


def write_bundle(
    stick: Path,
    device: str,
    public_key: str,
    private_key: Any,
    lines: list[bytes],
    first: int,
    prev: str | None,
    head: str,
) -> Bundle:
    """The events `first`..`first+len(lines)-1` of `device`, signed, onto the stick."""
    signed = sign(make_manifest(device, public_key, lines, first, prev, head), private_key)
    return place_bundle(stick, signed, b"".join(lines))


def place_bundle(stick: Path, manifest: dict[str, Any], blob: bytes) -> Bundle:
    """A signed manifest and its events onto a stick (or a folder laid out like one), the
    manifest last, so a bundle is never seen whole before it is."""
    name, device = str(manifest["events"]), str(manifest["device"])
    if Path(name).name != name or not name.endswith(".jsonl") or Path(device).name != device:
        raise BundleError(stick, "manifest_fields", name)
    folder = stick / STICK_FOLDER / device
    make_dirs(folder)
    events = folder / name
    write_atomically(events, blob)
    path = events.with_suffix(".json")
    write_atomically(path, json.dumps(manifest, indent=1).encode() + b"\n")
    return Bundle(path, manifest)


def copy_bundle(bundle: Bundle, stick: Path) -> Bundle:
    """Carry another device's bundle onward as it was signed."""
    folder = stick / STICK_FOLDER / bundle.device
    make_dirs(folder)
    write_atomically(folder / bundle.events_path.name, bundle.events_path.read_bytes())
    target = folder / bundle.manifest_path.name
    write_atomically(target, bundle.manifest_path.read_bytes())
    return Bundle(target, bundle.manifest)


# What this device keeps about others ------------------------------------------------------


def sync_home(home: Path | None = None) -> Path:
    return progress_home(home) / "sync"


def pinned_keys(home: Path | None = None) -> dict[str, str]:
    path = sync_home(home) / "keys.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def save_pinned_keys(keys: dict[str, str], home: Path | None = None) -> None:
    make_dirs(sync_home(home))
    write_atomically(sync_home(home) / "keys.json", json.dumps(keys, indent=1).encode())


def revocations(home: Path | None = None) -> dict[str, int]:
    """Revoked devices and the last seq accepted from each (what came before is kept)."""
    path = sync_home(home) / "revoked.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def save_revocations(revoked: dict[str, int], home: Path | None = None) -> None:
    make_dirs(sync_home(home))
    write_atomically(sync_home(home) / "revoked.json", json.dumps(revoked, indent=1).encode())


def kept_bundles(home: Path | None = None) -> Iterator[Bundle]:
    """Other devices' bundles this device imported, kept to carry onward."""
    yield from stick_bundles(sync_home(home) / "carried")


def keep_bundle(bundle: Bundle, home: Path | None = None) -> None:
    copy_bundle(bundle, sync_home(home) / "carried")
