"""The folded state kept on disk as a cache, so starting the tutor does not replay every event.

The cache is named by what it was folded from: for each log, its size and the hash on its
last line. When the logs are exactly as recorded, the cache is the answer; when they only
grew, the new events are read from where the cache stopped and folded on top (if they all
come after what was folded); anything else (a log that changed, a cache that is missing,
damaged or from another format) means a fold from scratch. Deleting the cache never loses
anything.
"""

import contextlib
import heapq
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tutor.progress.chain import good_event, parse_lines
from tutor.progress.events import Event
from tutor.progress.home import log_paths, make_dirs, progress_home
from tutor.progress.model import (
    DrillRun,
    LearnerState,
    LessonRecord,
    Progress,
    Run,
    fold,
    sort_key,
)
from tutor.progress.store import last_line_hash, read_events

FORMAT = 1


def load_progress(home: Path | None = None) -> Progress:
    """Every learner's state from every log under `TUTOR_HOME`, from the cache when it holds."""
    logs = log_paths(home)
    marks = {path.name: _mark(path) for path in logs}
    cached = _read_cache(home)
    if cached is not None:
        try:
            if cached["logs"] == marks:
                return from_plain(cached["progress"])
            progress = _grown(cached, logs)
        except (KeyError, TypeError, ValueError, AttributeError):
            progress = None
        if progress is not None:
            _write_cache(home, marks, progress)
            return progress
    progress = fold_logs(logs)
    _write_cache(home, marks, progress)
    return progress


def fold_logs(logs: list[Path]) -> Progress:
    """Fold every log without holding all their events at once.

    Each device writes its events with `at` never going back, so every log is already in
    fold order and the logs only need merging, a few events at a time. A log that is not in
    order (edited by hand, or from a device with another writer) is folded the slow way:
    every event read, then sorted.
    """
    progress = Progress()
    try:
        progress.fold_in_order(heapq.merge(*(_in_order(p) for p in logs), key=sort_key))
    except _OutOfOrder:
        progress = fold(event for path in logs for event in read_events(path))
    return progress


class _OutOfOrder(Exception):
    pass


def _in_order(path: Path) -> Iterator[Event]:
    last: tuple = ()
    for event in read_events(path):
        key = sort_key(event)
        if key < last:
            raise _OutOfOrder(path)
        last = key
        yield event


def to_plain(progress: Progress) -> dict[str, Any]:
    """The state as JSON-ready data; equal states give equal data."""
    return {
        "learners": {key: _learner_plain(s) for key, s in sorted(progress.learners.items())},
        "aliases": dict(sorted(progress.aliases.items())),
        "heads": dict(sorted(progress.heads.items())),
        "last_key": list(progress.last_key) if progress.last_key else None,
    }


def from_plain(data: dict[str, Any]) -> Progress:
    return Progress(
        learners={key: _learner_from(value) for key, value in data["learners"].items()},
        aliases=dict(data["aliases"]),
        heads=dict(data["heads"]),
        last_key=tuple(data["last_key"]) if data["last_key"] else None,  # type: ignore[arg-type]
    )


def _mark(path: Path) -> dict[str, Any]:
    return {"size": path.stat().st_size, "last": last_line_hash(path)}


def _grown(cached: dict[str, Any], logs: list[Path]) -> Progress | None:
    """The cached state with the logs' new events folded on, or None if that cannot be."""
    if not set(cached["logs"]) <= {path.name for path in logs}:
        return None
    new_events = []
    for path in logs:
        seen = cached["logs"].get(path.name)
        offset = 0
        if seen is not None:
            offset = seen["size"]
            if not _ends_with(path, offset, seen["last"]):
                return None
        with path.open("rb") as f:
            f.seek(offset)
            new_events.extend(parse_lines(f))
    progress = from_plain(cached["progress"])
    return progress if progress.apply(new_events) else None


def _ends_with(path: Path, offset: int, last_hash: str | None) -> bool:
    """Whether the first `offset` bytes of `path` still end with the line the cache saw."""
    if offset == 0:
        return last_hash is None
    with path.open("rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size < offset:
            return False
        start = max(0, offset - (1 << 16))
        f.seek(start)
        block = f.read(offset - start)
    if not block.endswith(b"\n"):
        return False
    line = block[block.rfind(b"\n", 0, len(block) - 1) + 1 : -1]
    event = good_event(line, path.name.split(".")[0])
    return event is not None and event["hash"] == last_hash


def _cache_path(home: Path | None) -> Path:
    return progress_home(home) / "cache" / "progress.json"


def _read_cache(home: Path | None) -> dict[str, Any] | None:
    try:
        data = json.loads(_cache_path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    return data


def _write_cache(home: Path | None, marks: dict[str, Any], progress: Progress) -> None:
    """Best effort: a cache that cannot be written only means folding again next time."""
    path = _cache_path(home)
    draft = path.with_name(f"{path.name}.{os.getpid()}.new")
    payload = {"format": FORMAT, "logs": marks, "progress": to_plain(progress)}
    try:
        make_dirs(path.parent)
        draft.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(draft, path)
    except OSError:
        with contextlib.suppress(OSError):
            draft.unlink()


def _learner_plain(state: LearnerState) -> dict[str, Any]:
    return {
        "id": state.id,
        "profile": state.profile,
        "enrolled_at": state.enrolled_at,
        "erased": state.erased,
        "merged": state.merged,
        "settings": state.settings,
        "lessons": {
            key: {
                "runs": [
                    {
                        "start": r.start,
                        "mode": r.mode,
                        "completed": r.completed,
                        "answers": r.answers,
                    }
                    for r in record.runs
                ],
                "resume": record.resume,
            }
            for key, record in sorted(state.lessons.items())
        },
        "undone": sorted(state.undone),
        "drills": {
            key: [
                {"at": r.at, "score": r.score, "max": r.max, "path": r.path, "state": r.state}
                for r in runs
            ]
            for key, runs in sorted(state.drills.items())
        },
        "help_requests": sorted(state.help_requests),
        "help_answers": sorted(state.help_answers),
        "last_at": state.last_at,
    }


def _learner_from(data: dict[str, Any]) -> LearnerState:
    return LearnerState(
        id=data["id"],
        profile=data["profile"],
        enrolled_at=data["enrolled_at"],
        erased=data["erased"],
        merged=data["merged"],
        settings=data["settings"],
        lessons={
            key: LessonRecord(runs=[Run(**run) for run in value["runs"]], resume=value["resume"])
            for key, value in data["lessons"].items()
        },
        undone=set(data["undone"]),
        drills={key: [DrillRun(**run) for run in runs] for key, runs in data["drills"].items()},
        help_requests=set(data["help_requests"]),
        help_answers=set(data["help_answers"]),
        last_at=data["last_at"],
    )
