"""One device's event log on disk: append-only, fsync'd, and whole again after a power cut.

An append writes its lines in one `write` and returns only after `fsync`, so an event the
caller was told about survives a crash; at most the answer being written is lost. A power
cut can leave a last line cut short (or filled with zeros), and so can a process killed in a
write that crosses a page boundary: opening the log finds the last line that is a sound
event of this device, copies everything after it to a file beside the log
(`<log>.torn-<time>`, fsync'd, never deleted) and cuts the log back to that line, so the
chain goes on from there. Opening reads only the end of the file, so it takes the same time
after ten events or a million.

Two processes on one device (the learner app and a mentor console) may append to the same
log: each append holds an exclusive `flock` and first catches up with whatever the other one
wrote.
"""

import fcntl
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.progress.chain import good_event, parse_lines
from tutor.progress.events import Event, canonical, seal, timestamp
from tutor.progress.home import LOG_SUFFIX, fsync_dir, logs_dir, make_dirs

_BLOCK = 1 << 16


@dataclass(frozen=True)
class Draft:
    """An event still to be written: what happened, to whom, and (optionally) when."""

    learner: str
    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    at: str | None = None


class EventLog:
    """The log a device appends to. Use as a context manager, or call `close()`."""

    def __init__(self, path: Path, device: str):
        self.path = path
        self.device = device
        self.set_aside: list[Path] = []
        make_dirs(path.parent)
        existed = path.exists()
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)
        if not existed:
            fsync_dir(path.parent)
        self._end = -1
        self._seq = 0
        self._prev: str | None = None
        self._last_at = ""
        with self._locked():
            self._catch_up()

    @property
    def seq(self) -> int:
        """The seq of the last event in the log."""
        return self._seq

    def append(self, learner: str, kind: str, data: dict[str, Any], at: str | None = None) -> Event:
        """Write one event and return it once it is on disk."""
        return self.append_batch([Draft(learner, kind, data, at)])[0]

    def append_batch(self, drafts: Sequence[Draft]) -> list[Event]:
        """Write several events with one `fsync`: all of them are on disk when this returns.

        A device's clock may be set back; `at` never goes backwards within one log, so the
        order of a device's events by time is also their order by seq.
        """
        with self._locked():
            self._catch_up()
            seq, prev, last_at = self._seq, self._prev, self._last_at
            events = []
            for draft in drafts:
                seq += 1
                at = max(draft.at or timestamp(), last_at)
                event = seal(
                    device=self.device,
                    seq=seq,
                    prev=prev,
                    learner=draft.learner,
                    at=at,
                    kind=draft.kind,
                    data=draft.data,
                )
                events.append(event)
                prev, last_at = event["hash"], at
            blob = b"".join(canonical(event) + b"\n" for event in events)
            _write_all(self._fd, blob)
            os.fsync(self._fd)
            self._end += len(blob)
            self._seq, self._prev, self._last_at = seq, prev, last_at
        return events

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> "EventLog":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _catch_up(self) -> None:
        """Learn the last event again when the file changed since we last wrote it."""
        size = os.fstat(self._fd).st_size
        if size == self._end:
            return
        end, last = _last_good_line(self._fd, size, self.device)
        if end < size:
            self.set_aside.append(self._set_aside(end, size))
        self._end = end
        self._seq = last["seq"] if last else 0
        self._prev = last["hash"] if last else None
        self._last_at = last["at"] if last else ""

    def _set_aside(self, end: int, size: int) -> Path:
        """Copy the bytes after the last sound line next to the log, then cut them off."""
        tail = os.pread(self._fd, size - end, end)
        stamp = timestamp().replace(":", "").replace("-", "")
        aside = self.path.with_name(f"{self.path.name}.torn-{stamp}")
        number = 1
        while True:
            try:
                fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
                break
            except FileExistsError:
                number += 1
                aside = self.path.with_name(f"{self.path.name}.torn-{stamp}-{number}")
        try:
            _write_all(fd, tail)
            os.fsync(fd)
        finally:
            os.close(fd)
        fsync_dir(self.path.parent)
        os.ftruncate(self._fd, end)
        os.fsync(self._fd)
        return aside


def open_log(device: str, home: Path | None = None) -> EventLog:
    """This device's own log under `TUTOR_HOME`, ready to append to."""
    return EventLog(logs_dir(home) / f"{device}{LOG_SUFFIX}", device)


def read_events(path: Path) -> Iterator[Event]:
    """Every complete, parseable event in a log file, in file order."""
    with path.open("rb") as f:
        yield from parse_lines(f)


def last_line_hash(path: Path) -> str | None:
    """The hash on the last complete line of a log, read from its end only."""
    with path.open("rb") as f:
        fd = f.fileno()
        size = os.fstat(fd).st_size
        tail = os.pread(fd, min(size, _BLOCK), max(0, size - _BLOCK))
    end = tail.rfind(b"\n")
    if end < 0:
        return None
    line = tail[tail.rfind(b"\n", 0, end) + 1 : end]
    marker = line.rfind(b'"hash":"')
    return line[marker + 8 : marker + 72].decode("ascii", "replace") if marker >= 0 else None


def _last_good_line(fd: int, size: int, device: str) -> tuple[int, Event | None]:
    """Where the last sound line of `device` ends, and its event; (0, None) when none is.

    Walks back line by line from the end, reading blocks as needed, so only the damaged tail
    and one good line are ever read.
    """
    buf_start, buf = size, b""
    end = size
    while end > 0:
        cut = buf.rfind(b"\n", 0, max(0, end - 1 - buf_start))
        while cut < 0 and buf_start > 0:
            start = max(0, buf_start - _BLOCK)
            buf = os.pread(fd, buf_start - start, start) + buf
            buf_start = start
            cut = buf.rfind(b"\n", 0, max(0, end - 1 - buf_start))
        begin = buf_start + cut + 1 if cut >= 0 else 0
        line = buf[begin - buf_start : end - buf_start]
        if line.endswith(b"\n"):
            event = good_event(line[:-1], device)
            if event is not None:
                return end, event
        end = begin
    return 0, None


def _write_all(fd: int, blob: bytes) -> None:
    view = memoryview(blob)
    while view:
        written = os.write(fd, view)
        view = view[written:]
