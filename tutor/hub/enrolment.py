"""Enrolling a device: a one-time code read aloud by the coordinator, a credential back.

The code is six digits (easy to read out and type on an old keyboard), valid for 15 minutes
and for one device; it carries the village and role the device will have. The device sends
its id and public key with it; the hub pins that key (a later push signed by another key is
refused) and answers with a random credential, of which it keeps only the sha256: a stolen
database does not let anyone push as a device. A device that enrols again with the same key
(a reinstalled tutor, a lost credential file) gets a new credential and the old one stops
working; a revoked device is refused.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tutor.hub.storage import devices
from tutor.hub.storage.db import Database
from tutor.progress.events import timestamp

CODE_DIGITS = 6
CODE_MINUTES = 15
ROLES = ("mentor", "coordinator")
# Used and expired codes are remembered this long, so a reused one is named as such.
_CODE_MEMORY = timedelta(days=1)


class Refused(Exception):
    """An enrolment the hub will not make; `reason` names it for the catalog."""

    def __init__(self, status: int, reason: str, detail: str = ""):
        super().__init__(f"{reason} {detail}".strip())
        self.status, self.reason, self.detail = status, reason, detail


@dataclass(frozen=True)
class Enrolled:
    device: str
    credential: str
    village: str | None
    role: str


def credential_hash(credential: str) -> str:
    return hashlib.sha256(credential.encode("utf-8", "surrogatepass")).hexdigest()


def new_code(
    db: Database, village: str | None, role: str, now: datetime | None = None
) -> tuple[str, str]:
    """A fresh one-time code for a device of `village` in `role`, and when it expires."""
    if role not in ROLES:
        raise Refused(400, "bad_role", role)
    if role == "mentor" and not village:
        raise Refused(400, "village_needed")
    moment = now or datetime.now(UTC)
    expires = timestamp(moment + timedelta(minutes=CODE_MINUTES))
    while True:
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        with db.transaction(write=True) as tx:
            devices.forget_codes_before(tx, timestamp(moment - _CODE_MEMORY))
            if devices.add_code(tx, code, village or None, role, timestamp(moment), expires):
                return code, expires


def enrol(
    db: Database, code: str, device: str, public_key: str, now: datetime | None = None
) -> Enrolled:
    """Use `code` for `device`; raises Refused when the code or the device will not do."""
    at = timestamp(now or datetime.now(UTC))
    credential = secrets.token_urlsafe(32)
    with db.transaction(write=True) as tx:
        found = devices.find_code(tx, code)
        if found is None:
            raise Refused(403, "code_unknown")
        if found.used_at is not None:
            raise Refused(403, "code_used")
        if found.expires_at < at:
            raise Refused(403, "code_expired")
        known = devices.lock(tx, device)
        if known is not None and known.revoked:
            raise Refused(403, "revoked", device)
        if known is not None and known.public_key != public_key:
            raise Refused(409, "unknown_key", device)
        if not devices.use_code(tx, code, device, at):
            raise Refused(403, "code_used")
        devices.enrol(
            tx, device, public_key, found.village, found.role, credential_hash(credential), at
        )
    return Enrolled(device, credential, found.village, found.role)
