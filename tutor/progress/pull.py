"""`tutor sync pull`: bring other devices' records from the hub, checked as a USB stick is.

The device tells the hub how many events it holds of each other device; the hub answers
with the batches that follow, each exactly as its writer signed it when pushing, for the
devices this one may see (its village for a mentor, the county for a coordinator). The
batches are laid out in a folder like a stick and go through the USB import: signature,
pinned key, bytes, chain, then an all-or-nothing merge keyed by device and seq, with forks
kept aside. So a hub, or anyone between it and the device, can withhold records but cannot
forge, change or reorder one.

The hub also says which devices it revoked; the device adds them to its own revocations, so
their later records are refused here too, whichever way they come.
"""

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from tutor.progress.bundle import place_bundle, revocations, save_revocations, sync_home
from tutor.progress.home import LOG_SUFFIX, log_paths
from tutor.progress.hublink import MOST_LINES, PULL, HubError, call, hub_url, load_link
from tutor.progress.identity import device_identity
from tutor.progress.sync import ImportReport, import_from

INCOMING = "incoming"


@dataclass
class PullReport:
    bundles: int = 0
    refused: int = 0  # bundles of devices this device revoked, past the revocation
    merged: ImportReport = field(default_factory=ImportReport)


def pull(home: Path | None = None, hub: str | None = None, limit: int = MOST_LINES) -> PullReport:
    """Pull until the hub has nothing more this device may see and lacks."""
    link = load_link(home)
    url = hub_url(hub) if hub else link.hub
    me = device_identity(home).id
    report = PullReport()
    staging = sync_home(home) / INCOMING
    try:
        while True:
            have = held_counts(home, me)
            answer = call(url, "POST", PULL, {"have": have, "limit": limit}, link.credential)
            revoked = _note_revocations(answer.get("revoked") or {}, home)
            shutil.rmtree(staging, ignore_errors=True)
            placed = 0
            for item in answer.get("bundles") or []:
                manifest, lines = item["manifest"], item["lines"]
                report.bundles += 1
                after = revoked.get(str(manifest.get("device")))
                if after is not None and int(manifest.get("last", 0)) > after:
                    report.refused += 1
                    continue
                blob = b"".join(line.encode("utf-8", "surrogatepass") + b"\n" for line in lines)
                place_bundle(staging, manifest, blob)
                placed += 1
            got = import_from(staging, home) if placed else ImportReport()
            _add(report.merged, got)
            # Stop when the hub has no more, or when this answer brought nothing new (a
            # fork or a gap would otherwise be asked for again and again).
            if not answer.get("more") or got.events == 0:
                return report
    except (KeyError, TypeError, AttributeError) as err:
        raise HubError("bad_answer", f"{url}: {err}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def held_counts(home: Path | None, me: str) -> dict[str, int]:
    """How many whole events this device holds of every other device."""
    counts = {}
    for path in log_paths(home):
        device = path.name.removesuffix(LOG_SUFFIX)
        if device == me:
            continue
        with path.open("rb") as f:
            counts[device] = sum(1 for raw in f if raw.endswith(b"\n"))
    return counts


def _note_revocations(revoked: dict, home: Path | None) -> dict[str, int]:
    """The hub's revocations joined to this device's own (the earlier seq wins)."""
    mine = revocations(home)
    changed = False
    for device, seq in revoked.items():
        if type(seq) is not int:
            continue
        if device not in mine or seq < mine[device]:
            mine[device] = seq
            changed = True
    if changed:
        save_revocations(mine, home)
    return mine


def _add(total: ImportReport, part: ImportReport) -> None:
    for device, count in part.new.items():
        total.new[device] = total.new.get(device, 0) + count
    total.already += part.already
    total.forks.extend(part.forks)
    total.waiting.update(part.waiting)
