"""Importing a USB stick of 1,000,000 events from 100 devices, on one core.

The stick is made here: 100 device logs of 10,000 events each (enrolments, lesson starts,
answers, completions; real event shapes, real hashes), one signed bundle per device. Then
`tutor sync import` (the same function the command runs, village bundles and all) runs in a
fresh child process pinned to one core, beside a baseline of plain `executemany` inserts of
the same lines into SQLite (no checking at all). Targets: under 60 s and under 300 MB. The
load average before the import is recorded: timings on a busy machine are pessimistic.

Run: `.venv/bin/python benchmarks/sync.py [--devices N --events M]`.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import pinned, publish

ROOT = Path(__file__).resolve().parent.parent
TARGET_S, TARGET_MB = 60.0, 300.0

IMPORT = """
import resource, sys, time
from pathlib import Path
from tutor.commands.sync import pack_errors
from tutor.progress.village_import import import_stick
start = time.perf_counter()
report = import_stick(Path(sys.argv[1]), pack_errors, Path(sys.argv[2]))
seconds = time.perf_counter() - start
print(report.merged.events, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

BASELINE = """
import resource, sqlite3, sys, time
from pathlib import Path
start = time.perf_counter()
db = sqlite3.connect(sys.argv[2])
db.execute("create table events (device text, seq integer, line blob, primary key (device, seq))")
count = 0
for path in sorted(Path(sys.argv[1]).rglob("*.jsonl")):
    device = path.parent.name
    with path.open("rb") as f:
        rows = [(device, n, line) for n, line in enumerate(f, 1)]
    db.executemany("insert into events values (?, ?, ?)", rows)
    count += len(rows)
db.commit()
seconds = time.perf_counter() - start
print(count, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def make_stick(stick: Path, devices: int, per_device: int) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from tutor.progress.bundle import write_bundle
    from tutor.progress.events import canonical, seal, timestamp

    learners = [str(uuid.uuid4()) for _ in range(20)]
    kinds = [
        ("lesson_started", {"pack": "starter", "lesson": "photos", "step": 0, "mode": "learn"}),
        (
            "step_answered",
            {
                "pack": "starter", "lesson": "photos", "step": 1, "step_id": "light",
                "choice": "1", "decision": "accept", "correct": True, "attempts": 1,
                "seconds": 4.2, "via": "voice",
            },
        ),
        ("lesson_completed", {"pack": "starter", "lesson": "photos", "seconds": 310.0}),
    ]
    at = timestamp()
    for _ in range(devices):
        key = Ed25519PrivateKey.generate()
        public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
        device, prev, lines = str(uuid.uuid4()), None, []
        for seq in range(1, per_device + 1):
            kind, data = kinds[seq % len(kinds)]
            event = seal(
                device=device, seq=seq, prev=prev, learner=learners[seq % 20], at=at,
                kind=kind, data=data,
            )
            lines.append(canonical(event) + b"\n")
            prev = event["hash"]
        write_bundle(stick, device, public, key, lines, 1, None, prev)


def child(code: str, *args: str) -> tuple[int, float, float]:
    out = subprocess.run(
        pinned([sys.executable, "-c", code, *args]),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TUTOR_HOME": args[-1] if len(args) > 1 else ""},
    ).stdout.split()
    return int(out[0]), float(out[1]), float(out[2])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--events", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        stick, home = Path(scratch) / "stick", Path(scratch) / "home"
        stick.mkdir()
        began = time.perf_counter()
        make_stick(stick, args.devices, args.events)
        made = time.perf_counter() - began
        load_before = os.getloadavg()
        count, seconds, mb = child(IMPORT, str(stick), str(home))
        base_count, base_s, base_mb = child(BASELINE, str(stick), str(Path(scratch) / "b.db"))
    rows = [
        {"method": "tutor sync import (verify + merge)", "events": count,
         "seconds": round(seconds, 2), "events_per_s": round(count / seconds),
         "peak_mb": round(mb, 1)},
        {"method": "baseline: sqlite executemany", "events": base_count,
         "seconds": round(base_s, 2), "events_per_s": round(base_count / base_s),
         "peak_mb": round(base_mb, 1)},
    ]
    passed = seconds < TARGET_S and mb < TARGET_MB and count == args.devices * args.events
    extra = {"devices": args.devices, "events_per_device": args.events,
             "stick_made_s": round(made, 1), "targets": {"seconds": TARGET_S, "mb": TARGET_MB},
             "passed": passed,
             # Other work on the machine slows the import: timings under load are pessimistic.
             "load_average": [round(x, 2) for x in load_before]}
    publish("sync", rows, ["method", "events", "seconds", "events_per_s", "peak_mb"], extra)
    print(f"targets: {'PASS' if passed else 'FAIL'} (< {TARGET_S} s, < {TARGET_MB} MB)")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
