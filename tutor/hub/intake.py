"""Taking a pushed batch: check it as a USB bundle is checked, then store it in one go.

Everything that needs no database (signature by the pinned key, the exact bytes, the chain
from the batch's `prev` to its `head`) is checked first, outside any transaction. Then, with
the device's row locked, the batch is compared with what the hub holds:

- events the hub already holds with the same hash are counted as `already` (a re-push
  after a lost answer, a killed push run again);
- the first event that differs, or a batch whose `prev` is not the hub's last hash, is a
  fork: that event and the rest of the batch are kept in `forks` and reported, nothing of
  it is merged;
- a batch that starts past the hub's highest seq + 1 is refused as a gap (the device asks
  again where to start);
- the rest is inserted, keyed by (device, seq), with the signed manifest beside it.

One transaction per batch: a hub killed at any moment holds each batch wholly or not at all.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tutor.hub.storage import devices
from tutor.hub.storage import events as rows
from tutor.hub.storage.db import Database
from tutor.hub.storage.devices import DeviceRow
from tutor.progress.bundle import BundleError, check_events, check_manifest
from tutor.progress.events import canonical, timestamp

# Bundle reasons that are about who sent the batch rather than what is in it.
_FORBIDDEN = ("unknown_key", "revoked")


class Refused(Exception):
    """A batch the hub will not take: HTTP status, a reason for the catalog, a detail."""

    def __init__(self, status: int, reason: str, detail: str = "", seq: int | None = None):
        super().__init__(f"{reason} {detail}".strip())
        self.status, self.reason, self.detail, self.seq = status, reason, detail, seq


@dataclass(frozen=True)
class Outcome:
    stored: int
    already: int
    seq: int  # the highest seq the hub holds of the device now
    fork: tuple[int, int] | None = None  # (first seq that differs, lines kept aside)


def accept(db: Database, device: DeviceRow, manifest: dict[str, Any], lines: list[str]) -> Outcome:
    """Check and store one batch from `device`; raises Refused."""
    parsed = _checked(device, manifest, lines)
    first, last = manifest["first"], manifest["last"]
    now = timestamp(datetime.now(UTC))
    with db.transaction(write=True) as tx:
        current = devices.lock(tx, device.id)
        if current is None or current.revoked:
            raise Refused(403, "revoked", device.id)
        top, top_hash = rows.head(tx, device.id)
        if first > top + 1:
            raise Refused(409, "gap", device.id, seq=top)
        fork = _first_difference(tx, device.id, parsed, top, top_hash, manifest)
        devices.seen(tx, device.id, now)
        if fork is not None:
            kept = [(seq, h, line) for seq, h, _, line in parsed if seq >= fork]
            rows.keep_fork(tx, device.id, kept, now)
            return Outcome(0, fork - first, top, (fork, len(kept)))
        new = [row for row in parsed if row[0] > top]
        rows.add(tx, device.id, new)
        if new:
            rows.add_batch(tx, device.id, first, last, canonical(manifest).decode(), now)
        return Outcome(len(new), len(parsed) - len(new), max(top, last))


def _checked(
    device: DeviceRow, manifest: dict[str, Any], lines: list[str]
) -> list[tuple[int, str, str, str]]:
    """(seq, hash, at, line) of a batch that is whole and signed by `device`'s key."""
    if manifest["device"] != device.id:
        raise Refused(403, "not_yours", str(manifest["device"]))
    where = Path(device.id) / str(manifest["events"])
    try:
        check_manifest(manifest, where, device.public_key, device.revoked_after_seq)
        if manifest["events"] != f"{manifest['first']:010d}-{manifest['last']:010d}.jsonl":
            raise BundleError(where, "manifest_fields")
        raws = [line.encode("utf-8", "surrogatepass") + b"\n" for line in lines]
        check_events(manifest, raws, where)
    except BundleError as err:
        status = 403 if err.reason in _FORBIDDEN else 400
        raise Refused(status, err.reason, err.detail) from None
    parsed = []
    for line in lines:
        event = json.loads(line)
        parsed.append((int(event["seq"]), str(event["hash"]), str(event["at"]), line))
    return parsed


def _first_difference(
    tx: Any,
    device: str,
    parsed: list[tuple[int, str, str, str]],
    top: int,
    top_hash: str | None,
    manifest: dict[str, Any],
) -> int | None:
    """The first seq of the batch that disagrees with what the hub holds, if any."""
    first = manifest["first"]
    if first <= top:
        held = dict(rows.hashes(tx, device, first, min(top, manifest["last"])))
        for seq, line_hash, _, _ in parsed:
            if seq > top:
                break
            if held.get(seq) != line_hash:
                return seq
        # The batch agrees up to `top`; its chain then continues from the hub's last event.
        return None
    # first == top + 1: the batch must continue from the hub's last event.
    if manifest["prev"] != top_hash:
        return first
    return None
