"""`tutor sync push`: send the hub the events of this device it does not hold yet.

The device first asks the hub for the highest seq it holds of this device and that event's
hash (a counter per device, as Morango does), then sends what follows in batches, each
signed exactly like a USB bundle's manifest so the hub checks it with the key it pinned at
enrolment. The hub stores each batch in one transaction and keys events by (device, seq), so
nothing is lost or doubled whatever is interrupted: a killed push, a hub killed mid-batch or
a cable pulled out is simply run again, and it starts from what the hub really holds.

If the hub's hash at that seq is not this device's (the device was restored from an old
backup, or the hub from another device's records), the device sends its log from the start:
the hub then finds the first event that differs, keeps the rest aside as a fork and says so.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

from tutor.progress.bundle import make_manifest, sign
from tutor.progress.home import LOG_SUFFIX, logs_dir
from tutor.progress.hublink import BATCH, ME, PUSH, HubError, call, hub_url, load_link
from tutor.progress.identity import device_identity, signing_key

_RESTARTS = 3


@dataclass
class PushReport:
    stored: int = 0
    already: int = 0
    batches: int = 0
    hub_seq: int = 0
    fork: tuple[int, int] | None = None  # (first seq that differs, lines kept aside)
    behind: int | None = None  # the device holds fewer events than the hub has of it
    latencies: list[float] = field(default_factory=list)  # seconds per batch request


def push(home: Path | None = None, hub: str | None = None, batch: int = BATCH) -> PushReport:
    """Push until the hub holds this device's whole log (or reports a fork)."""
    link = load_link(home)
    url = hub_url(hub) if hub else link.hub
    me = device_identity(home)
    report = PushReport()
    for _ in range(_RESTARTS):
        try:
            _push_once(url, link.credential, me, home, batch, report)
            return report
        except HubError as err:
            # The hub holds less than it said (restored from a backup between our
            # question and our batch): ask again and go on from there.
            if err.reason != "gap":
                raise
    raise HubError("gap", url)


def _push_once(url: str, credential: str, me, home: Path | None, batch: int,
               report: PushReport) -> None:
    state = call(url, "GET", ME, credential=credential)
    held, held_hash = int(state["seq"]), state.get("head")
    log = logs_dir(home) / f"{me.id}{LOG_SUFFIX}"
    count, hash_at, lines = _read_after(log, held)
    report.hub_seq = held
    start = held
    if held and (count < held or hash_at != held_hash):
        # Not the same history: send it all and let the hub say where they part.
        if count < held:
            report.behind = count
        start = 0
        count, hash_at, lines = _read_after(log, 0)
    key = signing_key(me)
    prev = hash_at
    for offset in range(0, len(lines), batch):
        chunk = lines[offset : offset + batch]
        first = start + offset + 1
        head = _hash_of(chunk[-1])
        manifest = sign(make_manifest(me.id, me.public_key, chunk, first, prev, head), key)
        body = {
            "manifest": manifest,
            "lines": [raw[:-1].decode("utf-8") for raw in chunk],
        }
        began = time.perf_counter()
        answer = call(url, "POST", PUSH, body, credential=credential)
        report.latencies.append(time.perf_counter() - began)
        report.batches += 1
        report.stored += int(answer["stored"])
        report.already += int(answer["already"])
        report.hub_seq = int(answer["seq"])
        fork = answer.get("fork")
        if fork:
            report.fork = (int(fork["seq"]), int(fork["kept"]))
            return
        prev = head


def _read_after(log: Path, seq: int) -> tuple[int, str | None, list[bytes]]:
    """How many whole lines the log has, the hash at `seq` (None at 0 or past the end),
    and the whole lines after `seq`."""
    count, hash_at, lines = 0, None, []
    if not log.is_file():
        return 0, None, []
    with log.open("rb") as f:
        for raw in f:
            if not raw.endswith(b"\n"):
                break
            count += 1
            if count == seq:
                hash_at = _hash_of(raw)
            elif count > seq:
                lines.append(raw)
    return count, hash_at, lines


def _hash_of(raw: bytes) -> str:
    marker = raw.rfind(b'"hash":"')
    return raw[marker + 8 : marker + 72].decode("ascii", "replace")
