"""Load on the LAN hub: 50 devices push 2,000 events each at once, on SQLite and PostgreSQL.

Each simulated device is a real TUTOR_HOME (identity, key, a log of real events written by
the store), enrolled with a one-time code, and pushes with the real client (`tutor sync
push`'s code) from its own thread, all started together against one `tutor hub serve` on
loopback. Afterwards every device's rows in the hub are compared with its log, line for
line: all 100,000 stored exactly once, each chain whole. Reported: wall time, throughput
(events stored per second) and the median and p95 latency of one batch request (500 events).
PostgreSQL is a throwaway cluster from Debian's package (benchmarks/hub_servers.py).

Run: `.venv/bin/python benchmarks/hub.py [--devices N --events M]`.
The tests run the same load (tests/test_hub_load.py).
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hub_servers import HubProcess, PostgresUnavailable, new_database, postgres_cluster

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LEARNER = "6f1c1a52-4a3e-4f5e-9d0e-3c6f2a1b7d11"
VILLAGE = "load-village"


def make_device(home: Path, events: int) -> str:
    """A device home with `events` real events in its log (one write, one fsync); its id."""
    from tutor.progress.identity import device_identity
    from tutor.progress.store import Draft, open_log

    me = device_identity(home)
    answer = {
        "pack": "starter", "lesson": "photos", "step": 1, "step_id": "light", "choice": "1",
        "decision": "accept", "correct": True, "attempts": 1, "seconds": 4.2, "via": "key",
    }
    kinds = [
        ("lesson_started", {"pack": "starter", "lesson": "photos", "step": 0, "mode": "learn"}),
        ("step_answered", answer),
        ("lesson_completed", {"pack": "starter", "lesson": "photos", "seconds": 310.0}),
    ]
    drafts = [Draft(LEARNER, "learner_enrolled", {"name": "n", "village": VILLAGE,
                                                  "language": "zh"})]
    drafts += [Draft(LEARNER, *kinds[n % 3]) for n in range(events - 1)]
    with open_log(me.id, home) as log:
        log.append_batch(drafts)
    return me.id


def enrol_devices(hub: HubProcess, homes: list[Path], village: str = VILLAGE,
                  role: str = "mentor") -> None:
    """A code per device straight from the hub's database (as `tutor hub code` makes them),
    then the device's own `tutor sync enrol` code."""
    from tutor.hub.enrolment import new_code
    from tutor.hub.serve import open_database
    from tutor.hub.storage.db import locate
    from tutor.progress.hublink import enrol

    db = open_database(locate(hub.db_url, hub.home))
    try:
        for home in homes:
            code, _ = new_code(db, village, role)
            enrol(hub.url, code, home)
    finally:
        db.close()


def push_all(homes: list[Path]) -> tuple[float, list[Any]]:
    """Every device pushes at once, each from its own thread; wall seconds and reports."""
    from tutor.progress.push import push

    gate = threading.Barrier(len(homes))

    def one(home: Path) -> Any:
        gate.wait()
        return push(home)

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(homes)) as pool:
        reports = list(pool.map(one, homes))
    return time.perf_counter() - began, reports


def stored_exactly(hub: HubProcess, homes: list[Path]) -> dict[str, int]:
    """Compare the hub's rows with every device's log; the counts, or AssertionError."""
    from tutor.hub.serve import open_database
    from tutor.hub.storage import events as rows
    from tutor.hub.storage.db import locate
    from tutor.progress.chain import check_chain
    from tutor.progress.home import LOG_SUFFIX, logs_dir
    from tutor.progress.identity import device_identity

    db = open_database(locate(hub.db_url, hub.home))
    try:
        with db.transaction() as tx:
            total = rows.count(tx)
            for home in homes:
                device = device_identity(home).id
                log = (logs_dir(home) / f"{device}{LOG_SUFFIX}").read_bytes().splitlines()
                held = rows.lines(tx, device, 1, 10**12)
                assert [line.encode() for line in held] == log, f"{device}: rows differ"
                last, bad = check_chain((line.encode() + b"\n" for line in held), device)
                assert bad is None and last == len(log), f"{device}: chain {bad}"
    finally:
        db.close()
    return {"rows": total}


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_load(backend: str, hub_home: Path, homes: list[Path], db_url: str | None) -> dict:
    """One backend: start the hub, enrol, push all at once, check; the measured row."""
    with HubProcess(hub_home, db_url) as hub:
        enrol_devices(hub, homes)
        seconds, reports = push_all(homes)
        counts = stored_exactly(hub, homes)
    latencies = [s for report in reports for s in report.latencies]
    stored = sum(report.stored for report in reports)
    return {
        "backend": backend,
        "devices": len(homes),
        "events": stored,
        "rows": counts["rows"],
        "requests": len(latencies),
        "seconds": round(seconds, 2),
        "events_per_s": round(stored / seconds),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
    }


def main() -> int:
    from common import publish

    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--events", type=int, default=2_000)
    args = parser.parse_args()
    rows: list[dict] = []
    notes: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        began = time.perf_counter()
        homes = [root / f"device{n:03d}" for n in range(args.devices)]
        for home in homes:
            make_device(home, args.events)
        made = time.perf_counter() - began
        rows.append(run_load("sqlite", root / "hub-sqlite", homes, None))
        try:
            with postgres_cluster() as admin:
                url = new_database(admin, "tutor_hub_load")
                rows.append(run_load("postgresql", root / "hub-pg", homes, url))
        except PostgresUnavailable as err:
            notes["postgresql"] = str(err)
    want = args.devices * args.events
    passed = all(row["events"] == want and row["rows"] == want for row in rows)
    columns = ["backend", "devices", "events", "rows", "requests", "seconds", "events_per_s",
               "p50_ms", "p95_ms", "max_ms"]
    extra = {"events_per_device": args.events, "batch": 500, "devices_made_s": round(made, 1),
             "exactly_once": passed, "skipped": notes}
    publish("hub", rows, columns, extra)
    for backend, why in notes.items():
        print(f"{backend}: not measured ({why})")
    print(f"all {want} events stored exactly once: {'PASS' if passed else 'FAIL'}")
    return 0 if passed and not notes else 1


if __name__ == "__main__":
    sys.exit(main())
