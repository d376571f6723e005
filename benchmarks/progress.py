"""The learner log on one core: appending 100,000 events and folding them, beside a baseline.

The events are realistic: scripted learners living through the real starter pack
(`tutor progress simulate`). Each part runs in its own child process pinned to one core, so
its peak memory (ru_maxrss) is its own:

- baseline: the same JSON lines written with Python's buffered file, no hash, no fsync;
- append, fsync each: `EventLog.append`, one event per write and fsync, as a lone answer is
  written (stopped after a time limit on a slow disk; the rate is what counts);
- append, batched: `EventLog.append_batch` of 10 events, one fsync per batch, as the lesson
  runner writes a group of steps;
- fold from files: read, parse and fold all 100,000 events (`fold_logs`, streaming);
- fold in memory: the fold alone, events already parsed;
- one learner after 10,000 events: `load_progress` and that learner's whole view (mastery,
  FSRS review replay), with no cache (folded from the log) and with the cache.

Targets (issue 5): fold of 100,000 events under 2 s; one learner's state after 10,000
events loads in under 100 ms. Run: `.venv/bin/python benchmarks/progress.py`.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import pinned, publish

EVENTS = 100_000
ONE_LEARNER = 10_000
BATCH = 10
FOLD_TARGET_S = 2.0
LOAD_TARGET_MS = 100.0
FSYNC_LIMIT_S = 60.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _simulated(home: Path, learners: int, days: int, seed: int) -> Path:
    """A log written by `tutor progress simulate` (batched, as the runner will write)."""
    from tutor.content.strings import load_catalog
    from tutor.progress.course import usable_packs
    from tutor.progress.identity import device_identity
    from tutor.progress.simulate import simulate
    from tutor.progress.store import open_log
    from tutor.ui.scripted import runner_player

    catalog = load_catalog("zh")

    def names(language: str, number: int) -> tuple[str, str]:
        return catalog.text("progress.simulated_name", number=number), "-"

    with open_log(device_identity(home).id, home) as log:
        play = runner_player(lambda language: load_catalog(language).text)
        simulate(log, usable_packs(), names, learners, days, seed, datetime.now(UTC), play)
    return log.path


def _first_lines(source: Path, count: int, target: Path) -> int:
    """The first `count` events of a log, as a log of their own (the chain still holds)."""
    with source.open("rb") as f, target.open("wb") as out:
        written = 0
        for line in f:
            if written == count:
                break
            out.write(line)
            written += 1
    return written


def _drafts(path: Path) -> list:
    from tutor.progress.store import Draft, read_events

    return [Draft(e["learner"], e["type"], e["data"], e["at"]) for e in read_events(path)]


def part_baseline(data: Path) -> dict:
    from tutor.progress.store import read_events

    events = list(read_events(data / "events.jsonl"))
    start = time.perf_counter()
    with (data / "baseline.jsonl").open("w", encoding="utf-8") as out:
        for event in events:
            out.write(json.dumps(event, ensure_ascii=False) + "\n")
    return {"events": len(events), "seconds": time.perf_counter() - start}


def part_fsync_each(data: Path) -> dict:
    from tutor.progress.store import EventLog

    drafts = _drafts(data / "events.jsonl")
    written = 0
    start = time.perf_counter()
    with EventLog(data / "fsync-each" / "device.jsonl", "device") as log:
        for draft in drafts:
            log.append(draft.learner, draft.kind, draft.data, draft.at)
            written += 1
            if time.perf_counter() - start > FSYNC_LIMIT_S:
                break
    return {"events": written, "seconds": time.perf_counter() - start}


def part_batched(data: Path) -> dict:
    from tutor.progress.store import EventLog

    drafts = _drafts(data / "events.jsonl")
    start = time.perf_counter()
    with EventLog(data / "batched" / "device.jsonl", "device") as log:
        for i in range(0, len(drafts), BATCH):
            log.append_batch(drafts[i : i + BATCH])
    return {"events": len(drafts), "seconds": time.perf_counter() - start}


def part_fold_files(data: Path) -> dict:
    from tutor.progress.snapshot import fold_logs

    start = time.perf_counter()
    progress = fold_logs([data / "events.jsonl"])
    seconds = time.perf_counter() - start
    return {"events": sum(progress.heads.values()), "seconds": seconds}


def part_fold_memory(data: Path) -> dict:
    from tutor.progress.model import fold
    from tutor.progress.store import read_events

    events = list(read_events(data / "events.jsonl"))
    start = time.perf_counter()
    fold(events)
    return {"events": len(events), "seconds": time.perf_counter() - start}


def _load_one(home: Path) -> float:
    from tutor.progress.course import load_course
    from tutor.progress.snapshot import load_progress
    from tutor.progress.view import learner_view

    course = load_course()
    start = time.perf_counter()
    progress = load_progress(home)
    (state,) = progress.learners.values()
    learner_view(state, course, datetime.now(UTC))
    return time.perf_counter() - start


def part_load_cold(data: Path) -> dict:
    return {"events": ONE_LEARNER, "seconds": _load_one(data / "one-learner")}


def part_load_cached(data: Path) -> dict:
    home = data / "one-learner"
    _load_one(home)  # writes the cache
    return {"events": ONE_LEARNER, "seconds": _load_one(home)}


PARTS = {
    "baseline: json lines, no hash, no fsync": part_baseline,
    "append, fsync each": part_fsync_each,
    f"append, batched ({BATCH} per fsync)": part_batched,
    "fold from files (read+parse+fold)": part_fold_files,
    "fold in memory (parsed events)": part_fold_memory,
    "one learner after 10,000 events, no cache": part_load_cold,
    "one learner after 10,000 events, cached": part_load_cached,
}


def _prepare(data: Path) -> None:
    """100,000 simulated events for many learners, and 10,000 for one learner."""
    source = _simulated(data / "many", learners=360, days=120, seed=1)
    count = _first_lines(source, EVENTS, data / "events.jsonl")
    if count < EVENTS:
        raise SystemExit(f"simulation gave only {count} events")
    from tutor.progress.home import logs_dir

    lone = _simulated(data / "lone", learners=1, days=3650 * 2, seed=2)
    target = logs_dir(data / "one-learner") / lone.name
    target.parent.mkdir(parents=True)
    if _first_lines(lone, ONE_LEARNER, target) < ONE_LEARNER:
        raise SystemExit("simulation of one learner gave too few events")


def _run_part(name: str, data: Path) -> dict:
    key = list(PARTS).index(name)
    command = pinned([sys.executable, __file__, "--part", str(key), "--data", str(data)])
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--part", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part is not None:
        result = list(PARTS.values())[args.part](args.data)
        print(json.dumps({**result, "peak_mb": _peak_mb()}))
        return 0
    with tempfile.TemporaryDirectory(prefix="tutor-progress-bench-") as folder:
        data = Path(folder)
        _prepare(data)
        rows = []
        for name in PARTS:
            result = _run_part(name, data)
            rows.append(
                {
                    "part": name,
                    "events": result["events"],
                    "seconds": result["seconds"],
                    "events_per_s": result["events"] / result["seconds"],
                    "ms": result["seconds"] * 1000,
                    "peak_mb": result["peak_mb"],
                }
            )
    by_part = {row["part"]: row for row in rows}
    fold_s = by_part["fold from files (read+parse+fold)"]["seconds"]
    load_ms = by_part["one learner after 10,000 events, cached"]["ms"]
    passed = fold_s < FOLD_TARGET_S and load_ms < LOAD_TARGET_MS
    publish(
        "progress",
        rows,
        ["part", "events", "seconds", "events_per_s", "ms", "peak_mb"],
        {
            "targets": {"fold_100k_s": FOLD_TARGET_S, "one_learner_10k_ms": LOAD_TARGET_MS},
            "fold_100k_s": fold_s,
            "one_learner_10k_ms_cached": load_ms,
            "one_learner_10k_ms_no_cache": by_part["one learner after 10,000 events, no cache"][
                "ms"
            ],
            "passed": passed,
        },
    )
    print(
        f"fold of {EVENTS:,} events from files: {fold_s:.2f} s (target < {FOLD_TARGET_S});"
        f" one learner after {ONE_LEARNER:,} events, cached: {load_ms:.0f} ms"
        f" (target < {LOAD_TARGET_MS:.0f}): {'PASS' if passed else 'FAIL'}"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
