"""This device's identity: a random id and an Ed25519 key pair, made once on first run.

Every event names the device that wrote it, and a sync bundle's manifest is signed with the
device's private key so a coordinator can tell whose records it holds and revoke a lost
device. The folder appears whole or not at all: it is built under a temporary name and
renamed into place, so a power cut or a second process starting at the same moment can never
leave half an identity; the one that loses the race uses the winner's.
"""

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.progress.home import fsync_dir, make_dirs, progress_home

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

DEVICE_FILE = "device.json"
KEY_FILE = "device.key"


class IdentityError(Exception):
    """The device folder exists but cannot be used; the message names the file."""


@dataclass(frozen=True)
class Device:
    id: str
    public_key: str
    folder: Path


def device_identity(home: Path | None = None) -> Device:
    """This device's identity, created on the first call on a new `TUTOR_HOME`."""
    folder = progress_home(home) / "device"
    if not folder.exists():
        _create(folder)
    return _read(folder)


def signing_key(device: Device) -> "Ed25519PrivateKey":
    """The private key, for signing what this device hands to others."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    key = load_pem_private_key((device.folder / KEY_FILE).read_bytes(), password=None)
    return key  # type: ignore[return-value]


def _read(folder: Path) -> Device:
    path = folder / DEVICE_FILE
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        return Device(str(info["device"]), str(info["public_key"]), folder)
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise IdentityError(f"{path}: {err}") from err


def _create(folder: Path) -> None:
    create_key_folder(folder, KEY_FILE, DEVICE_FILE, {"device": str(uuid.uuid4())})


def create_key_folder(folder: Path, key_file: str, info_file: str, info: dict) -> None:
    """A new Ed25519 key pair in `folder`, made whole or not at all: the private key and the
    public part (with `info`) are written into a draft folder that one rename puts in
    place. When another process made the folder first, theirs is kept."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    make_dirs(folder.parent)
    draft = folder.parent / f"{folder.name}.new-{uuid.uuid4()}"
    draft.mkdir()
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    _write_new(draft / key_file, pem, 0o600)
    content = json.dumps({**info, "public_key": public}, indent=2).encode() + b"\n"
    _write_new(draft / info_file, content, 0o644)
    fsync_dir(draft)
    try:
        os.rename(draft, folder)
    except OSError:
        shutil.rmtree(draft, ignore_errors=True)
        return
    fsync_dir(folder.parent)


def _write_new(path: Path, content: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(fd, mode)
        os.write(fd, content)
        os.fsync(fd)
    finally:
        os.close(fd)
