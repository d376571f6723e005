"""Help across the room: how long from a learner's "help" to the mentor's screen, and from
the mentor's hint to the learner's speaker, on loopback with a real hub.

One `tutor hub serve` on loopback; learner devices are real TUTOR_HOMEs enrolled with
one-time codes, each raising help through the real device client (tutor/progress/helpline.py:
the request is fsync'd to the log, then sent by its background thread, which then polls for
the answer every second); the mentor is the console's own client (tutor/mentor/desk.py),
polling the hub every 0.5 s as the console does, answering each request with a hint as soon
as it shows. Measured per request:

- shown: help raised on the device -> on the mentor's list (target: under 2 s);
- spoken: hint sent by the mentor -> handed to the device's speaker;
- round trip: the two together (the mentor's own reading and typing time left out).

Two rooms: one learner at a time (repeated), and 20 learners asking at the same moment.
Run: `.venv/bin/python benchmarks/help_roundtrip.py [--repeats N --room N]`.
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import publish
from hub import enrol_devices
from hub_servers import HubProcess

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VILLAGE = "help-village"
SHOWN_TARGET_S = 2.0
MENTOR_POLL_S = 0.5


class Device:
    """One learner device: its helpline, and when each answer reached its speaker."""

    def __init__(self, home: Path):
        from tutor.progress.helpline import Helpline
        from tutor.progress.hublink import load_link
        from tutor.progress.store import open_log

        link = load_link(home)
        self.learner = str(uuid.uuid4())
        self.log = open_log(link.device, home)
        self.spoken: dict[str, float] = {}
        self.line = Helpline(link.device, link, self._spoken, home)

    def _spoken(self, reply) -> None:
        self.spoken[reply.request] = time.perf_counter()

    def ask(self) -> tuple[str, float]:
        began = time.perf_counter()
        event = self.line.ask(self.log, self.learner, {"pack": "starter", "lesson": "photos",
                                                       "step": 1}, "prompt", "heard")
        return event["id"], began

    def close(self) -> None:
        self.line.close()
        self.log.close()


def run_room(desk, devices: list[Device], timeout: float = 30.0) -> list[dict[str, float]]:
    """Every device asks at once; the mentor answers each as soon as it shows."""
    gate = threading.Barrier(len(devices))
    asked: dict[str, tuple[Device, float]] = {}
    lock = threading.Lock()

    def one(device: Device) -> None:
        gate.wait()
        request, began = device.ask()
        with lock:
            asked[request] = (device, began)

    threads = [threading.Thread(target=one, args=(d,)) for d in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    shown: dict[str, float] = {}
    answered: dict[str, float] = {}
    deadline = time.monotonic() + timeout
    while len(answered) < len(asked) and time.monotonic() < deadline:
        for call in desk.calls():
            if call.id in asked and call.id not in shown:
                shown[call.id] = time.perf_counter()
                desk.answer(call.id, "hint", False)
                answered[call.id] = time.perf_counter()
        time.sleep(MENTOR_POLL_S)
    while time.monotonic() < deadline and any(r not in asked[r][0].spoken for r in answered):
        time.sleep(0.01)
    samples = []
    for request, (device, began) in asked.items():
        heard = device.spoken.get(request)
        if request not in shown or heard is None:
            samples.append({"shown": float("inf"), "spoken": float("inf"), "total": float("inf")})
            continue
        samples.append({
            "shown": shown[request] - began,
            "spoken": heard - answered[request],
            "total": (shown[request] - began) + (heard - answered[request]),
        })
    return samples


def _stats(samples: list[dict[str, float]], key: str) -> tuple[float, float, float]:
    values = sorted(s[key] for s in samples)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return statistics.median(values), p95, values[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20, help="single-learner requests")
    parser.add_argument("--room", type=int, default=20, help="learners asking at once")
    args = parser.parse_args()
    from tutor.mentor.desk import Desk
    from tutor.progress.hublink import load_link

    rows = []
    with tempfile.TemporaryDirectory(prefix="tutor-help-") as scratch:
        base = Path(scratch)
        with HubProcess(base / "hub") as hub:
            homes = [base / f"device-{n}" for n in range(args.room)]
            enrol_devices(hub, [base / "mentor", *homes], VILLAGE)
            desk = Desk(load_link(base / "mentor"), base / "mentor")
            devices = [Device(home) for home in homes]
            try:
                single: list[dict[str, float]] = []
                for _ in range(args.repeats):
                    single += run_room(desk, devices[:1])
                crowd = run_room(desk, devices)
            finally:
                for device in devices:
                    device.close()
    for label, samples in ((f"1 learner, {args.repeats} requests", single),
                           (f"{args.room} learners at once", crowd)):
        shown, spoken, total = (_stats(samples, k) for k in ("shown", "spoken", "total"))
        rows.append({
            "room": label,
            "shown median s": shown[0], "shown p95 s": shown[1], "shown max s": shown[2],
            "spoken median s": spoken[0], "spoken p95 s": spoken[1],
            "round trip median s": total[0], "round trip p95 s": total[1],
        })
    worst = max(row["shown max s"] for row in rows)
    passed = worst < SHOWN_TARGET_S
    publish("help_roundtrip", rows, list(rows[0]), {
        "target_shown_s": SHOWN_TARGET_S, "mentor_poll_s": MENTOR_POLL_S,
        "device_poll_s": 1.0, "passed": passed,
    })
    print(f"every request on the mentor's screen within {SHOWN_TARGET_S} s: "
          f"{'PASS' if passed else 'MISS'} (slowest {worst:.3f} s)")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
