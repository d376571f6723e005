"""SQL for devices and enrolment codes: who may push and pull, and as whom."""

from dataclasses import dataclass

from tutor.hub.storage.db import POSTGRES, Tx

_COLUMNS = "id, public_key, village, role, enrolled_at, last_seen, revoked_after_seq, revoked_at"


@dataclass(frozen=True)
class DeviceRow:
    id: str
    public_key: str
    village: str | None
    role: str
    enrolled_at: str
    last_seen: str | None
    revoked_after_seq: int | None
    revoked_at: str | None

    @property
    def revoked(self) -> bool:
        return self.revoked_after_seq is not None


@dataclass(frozen=True)
class CodeRow:
    code: str
    village: str | None
    role: str
    expires_at: str
    used_at: str | None


def by_credential(tx: Tx, credential_hash: str) -> DeviceRow | None:
    row = tx.one(f"SELECT {_COLUMNS} FROM devices WHERE credential_hash = ?", (credential_hash,))
    return DeviceRow(*row) if row else None


def by_id(tx: Tx, device: str) -> DeviceRow | None:
    row = tx.one(f"SELECT {_COLUMNS} FROM devices WHERE id = ?", (device,))
    return DeviceRow(*row) if row else None


def by_prefix(tx: Tx, prefix: str) -> list[DeviceRow]:
    rows = tx.all(
        f"SELECT {_COLUMNS} FROM devices WHERE substr(id, 1, ?) = ? ORDER BY id",
        (len(prefix), prefix),
    )
    return [DeviceRow(*row) for row in rows]


def lock(tx: Tx, device: str) -> DeviceRow | None:
    """The device's row, locked until the transaction ends, so two pushes of one device
    are taken one after the other (SQLite's single writer already does that)."""
    suffix = " FOR UPDATE" if tx.dialect == POSTGRES else ""
    row = tx.one(f"SELECT {_COLUMNS} FROM devices WHERE id = ?{suffix}", (device,))
    return DeviceRow(*row) if row else None


def visible_to(tx: Tx, viewer: DeviceRow) -> list[DeviceRow]:
    """The devices whose records `viewer` may read: the whole county for a coordinator,
    the devices of its own village for a mentor."""
    if viewer.role == "coordinator":
        rows = tx.all(f"SELECT {_COLUMNS} FROM devices ORDER BY id")
    else:
        rows = tx.all(
            f"SELECT {_COLUMNS} FROM devices WHERE village = ? ORDER BY id", (viewer.village,)
        )
    return [DeviceRow(*row) for row in rows]


def every(tx: Tx) -> list[DeviceRow]:
    return [DeviceRow(*row) for row in tx.all(f"SELECT {_COLUMNS} FROM devices ORDER BY id")]


def enrol(
    tx: Tx, device: str, public_key: str, village: str | None, role: str,
    credential_hash: str, now: str,
) -> None:
    """A new device, or a known one (same key) given a fresh credential and the code's
    village and role."""
    if tx.run(
        "UPDATE devices SET credential_hash = ?, village = ?, role = ? WHERE id = ?",
        (credential_hash, village, role, device),
    ):
        return
    tx.run(
        "INSERT INTO devices (id, public_key, village, role, credential_hash, enrolled_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (device, public_key, village, role, credential_hash, now),
    )


def seen(tx: Tx, device: str, now: str) -> None:
    tx.run("UPDATE devices SET last_seen = ? WHERE id = ?", (now, device))


def revoke(tx: Tx, device: str, after_seq: int, now: str) -> None:
    """Refuse the device from now on; what it sent up to `after_seq` stays, marked."""
    tx.run(
        "UPDATE devices SET revoked_after_seq = ?, revoked_at = ? WHERE id = ?"
        " AND revoked_after_seq IS NULL",
        (after_seq, now, device),
    )


# Enrolment codes -----------------------------------------------------------------------


def add_code(tx: Tx, code: str, village: str | None, role: str, now: str, expires: str) -> bool:
    """Store a new code; False when that code is still on record (the caller draws again)."""
    if tx.one("SELECT 1 FROM enrolment_codes WHERE code = ?", (code,)):
        return False
    tx.run(
        "INSERT INTO enrolment_codes (code, village, role, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (code, village, role, now, expires),
    )
    return True


def forget_codes_before(tx: Tx, moment: str) -> None:
    """Drop codes that expired long ago, so the six digits can be drawn again."""
    tx.run("DELETE FROM enrolment_codes WHERE expires_at < ?", (moment,))


def find_code(tx: Tx, code: str) -> CodeRow | None:
    suffix = " FOR UPDATE" if tx.dialect == POSTGRES else ""
    row = tx.one(
        f"SELECT code, village, role, expires_at, used_at FROM enrolment_codes WHERE code = ?"
        f"{suffix}",
        (code,),
    )
    return CodeRow(*row) if row else None


def use_code(tx: Tx, code: str, device: str, now: str) -> bool:
    """Mark the code used by `device`; False if another enrolment took it first."""
    return (
        tx.run(
            "UPDATE enrolment_codes SET used_at = ?, used_by = ? WHERE code = ?"
            " AND used_at IS NULL",
            (now, device, code),
        )
        == 1
    )
