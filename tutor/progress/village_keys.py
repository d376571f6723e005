"""The hub's key that signs village bundles, and the one hub key a device trusts.

The coordinator's machine has its own Ed25519 key pair (`TUTOR_HOME/hub/key/`), made on the
first village bundle and kept like a device's: the folder appears whole or not at all. A
device cannot learn that key over the wire (a stick-only village never meets the hub), so a
mentor confirms it once: the hub prints a short fingerprint with every village bundle it
writes, the coordinator reads it out or writes it down, and `tutor sync trust FINGERPRINT
--village V` on the device records it with the village the device serves. The first bundle
whose key matches the fingerprint pins the whole key; from then on only that key is accepted.
"""

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tutor.content.paths import data_home
from tutor.progress.bundle import sync_home
from tutor.progress.home import fsync_dir, make_dirs
from tutor.progress.identity import create_key_folder

KEY_FILE, PUBLIC_FILE, TRUST_FILE = "hub.key", "hub.json", "hub-trust.json"
FINGERPRINT_DIGITS = 20  # 80 bits: enough against a forged key, short enough to read out


def hub_key_folder(home: Path | None = None) -> Path:
    return (home or data_home()) / "hub" / "key"


def own_hub_key(home: Path | None = None) -> str | None:
    """This machine's hub public key, if it ever signed a village bundle."""
    try:
        info = json.loads((hub_key_folder(home) / PUBLIC_FILE).read_text(encoding="utf-8"))
        return str(info["public_key"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def hub_signing_key(home: Path | None = None) -> tuple[Any, str]:
    """The hub's private key and public key (hex), made on first use."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    folder = hub_key_folder(home)
    if not folder.exists():
        create_key_folder(folder, KEY_FILE, PUBLIC_FILE, {})
    key = load_pem_private_key((folder / KEY_FILE).read_bytes(), password=None)
    public = own_hub_key(home)
    if public is None:
        raise OSError(f"{folder / PUBLIC_FILE}: unreadable")
    return key, public


def fingerprint(public_key: str) -> str:
    """The key's short name a person can compare: 20 hex digits in groups of four."""
    digits = hashlib.sha256(bytes.fromhex(public_key)).hexdigest()[:FINGERPRINT_DIGITS]
    return "-".join(digits[i : i + 4] for i in range(0, FINGERPRINT_DIGITS, 4))


def read_fingerprint(text: str) -> str | None:
    """A fingerprint as typed (spaces, dashes, capitals), or None when it is not one."""
    digits = re.sub(r"[\s-]", "", text).lower()
    if not re.fullmatch(f"[0-9a-f]{{{FINGERPRINT_DIGITS}}}", digits):
        return None
    return "-".join(digits[i : i + 4] for i in range(0, FINGERPRINT_DIGITS, 4))


@dataclass(frozen=True)
class Trust:
    fingerprint: str
    village: str
    public_key: str | None = None  # pinned by the first bundle that matched

    def accepts(self, public_key: str) -> bool:
        if self.public_key is not None:
            return public_key == self.public_key
        try:
            return fingerprint(public_key) == self.fingerprint
        except ValueError:
            return False


def load_trust(home: Path | None = None) -> Trust | None:
    path = sync_home(home) / TRUST_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Trust(str(data["fingerprint"]), str(data["village"]), data.get("public_key"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise OSError(f"{path}: {err}") from err


def save_trust(trust: Trust, home: Path | None = None) -> None:
    folder = sync_home(home)
    make_dirs(folder)
    path = folder / TRUST_FILE
    partial = folder / f".{TRUST_FILE}.partial"
    with partial.open("wb") as f:
        f.write(json.dumps(asdict(trust), ensure_ascii=False, indent=1).encode() + b"\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, path)
    fsync_dir(folder)
