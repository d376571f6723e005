"""The hub's help desk: open help requests, the mentors' answers, and who is on which step.

Kept in the hub process's memory, because a request must reach the mentor's console within
two seconds and is over in minutes; nothing here is the record. The record is the learner
device's log: the help_requested event (whose id is the request's id) and the
help_answered event the device writes when it has spoken the answer. Those reach the hub
with the next push, and the desk takes them in from there too, so a request raised with no
LAN shows at the next sync, and a hub restarted mid-session finds the open requests of the
last days again in its database (`load`).

A mentor sees and answers only the requests of devices of their own village; a coordinator
sees every village, without names.
"""

import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from tutor.hub.storage.db import Database
from tutor.hub.storage.devices import DeviceRow
from tutor.progress import events as ev
from tutor.progress.events import timestamp

# Requests older than this are left to the reports ("who is stuck") rather than the desk.
OPEN_DAYS = 2
# An answer is kept this long after it was given, for a device that polls late.
KEEP_ANSWERED_S = 3600.0
# A learner counts as in the session when their device spoke up this recently.
ACTIVE_S = 300.0


@dataclass(frozen=True)
class Call:
    id: str
    device: str
    village: str | None
    learner: str
    at: str
    name: str | None = None
    pack: str | None = None
    lesson: str | None = None
    step: int | None = None
    prompt: str | None = None
    heard: str | None = None
    live: bool = True
    answered_at: str | None = None
    hint: str | None = None
    coming: bool = False
    answered_mono: float = 0.0


@dataclass(frozen=True)
class Seen:
    device: str
    village: str | None
    learner: str
    at: str
    mono: float
    name: str | None = None
    pack: str | None = None
    lesson: str | None = None
    step: int | None = None
    steps: int | None = None
    prompt: str | None = None


@dataclass(frozen=True)
class Order:
    device: str
    learner: str
    lesson: str


def may_see(viewer: DeviceRow, village: str | None) -> bool:
    """A coordinator sees every village; a mentor's device only its own."""
    if viewer.role == "coordinator":
        return True
    return viewer.village is not None and viewer.village == village


class HelpDesk:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, Call] = {}
        self._answered: set[str] = set()  # answered in the log, even before the request came
        self._seen: dict[tuple[str, str], Seen] = {}
        self._orders: dict[str, Order] = {}

    # Requests ----------------------------------------------------------------------------

    def raise_call(self, call: Call) -> Call:
        """Take a request; the same id again (a device retrying) changes nothing."""
        with self._lock:
            known = self._calls.get(call.id)
            if known is not None:
                if not known.live and call.live:
                    known = replace(known, live=True, name=known.name or call.name)
                    self._calls[call.id] = known
                return known
            if call.id in self._answered:
                call = replace(call, answered_at=call.at, answered_mono=time.monotonic())
            self._calls[call.id] = call
            return call

    def call(self, request: str) -> Call | None:
        with self._lock:
            return self._calls.get(request)

    def answer(self, request: str, hint: str | None, coming: bool) -> Call | None:
        """Record the mentor's answer; the device picks it up at its next poll."""
        with self._lock:
            known = self._calls.get(request)
            if known is None:
                return None
            answered = replace(
                known, answered_at=timestamp(), hint=hint, coming=coming,
                answered_mono=time.monotonic(),
            )
            self._calls[request] = answered
            return answered

    def open_calls(self, viewer: DeviceRow) -> list[Call]:
        """The viewer's village's requests nobody answered yet, oldest first."""
        self._prune()
        with self._lock:
            waiting = [
                c for c in self._calls.values()
                if c.answered_at is None and may_see(viewer, c.village)
            ]
        return sorted(waiting, key=lambda c: (c.at, c.id))

    def take_lines(self, device: DeviceRow, lines: Iterable[str]) -> None:
        """Requests and answers in a pushed batch (or read back from the database)."""
        for line in lines:
            if '"help_' not in line:
                continue
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("type") == ev.HELP_REQUESTED:
                self.raise_call(_from_event(event, device))
            elif event.get("type") == ev.HELP_ANSWERED:
                self._logged_answer(event)

    def _logged_answer(self, event: dict) -> None:
        request = str(event.get("data", {}).get("request"))
        with self._lock:
            self._answered.add(request)
            known = self._calls.get(request)
            if known is not None and known.answered_at is None:
                data = event.get("data", {})
                note = data.get("note")
                self._calls[request] = replace(
                    known, answered_at=str(event.get("at")),
                    hint=note if isinstance(note, str) else None,
                    coming=data.get("coming") is True, answered_mono=time.monotonic(),
                )

    def load(self, db: Database, now: datetime | None = None) -> None:
        """The requests and answers of the last OPEN_DAYS days already in the database."""
        from tutor.hub import help_store

        since = timestamp((now or datetime.now(UTC)) - timedelta(days=OPEN_DAYS))
        with db.transaction() as tx:
            found = help_store.help_lines(tx, since)
        for device, line in found:
            self.take_lines(device, [line])

    def _prune(self) -> None:
        now = time.monotonic()
        oldest = timestamp(datetime.now(UTC) - timedelta(days=OPEN_DAYS))
        with self._lock:
            for key, c in list(self._calls.items()):
                stale = c.answered_at is not None and now - c.answered_mono > KEEP_ANSWERED_S
                if stale or (c.answered_at is None and c.at < oldest):
                    del self._calls[key]

    # Where everyone is ----------------------------------------------------------------

    def here(self, seen: Seen) -> Order | None:
        """Note where a device's learner is; hand over an order waiting for that device."""
        with self._lock:
            self._seen[(seen.device, seen.learner)] = seen
            return self._orders.pop(seen.device, None)

    def session(self, viewer: DeviceRow) -> list[Seen]:
        """The viewer's village's learners whose devices spoke up in the last ACTIVE_S."""
        now = time.monotonic()
        with self._lock:
            for key, seen in list(self._seen.items()):
                if now - seen.mono > ACTIVE_S:
                    del self._seen[key]
            found = [s for s in self._seen.values() if may_see(viewer, s.village)]
        return sorted(found, key=lambda s: (s.name or "", s.learner))

    def order(self, order: Order) -> None:
        """A lesson to start on a device at its next home screen (the last order wins)."""
        with self._lock:
            self._orders[order.device] = order


def _from_event(event: dict, device: DeviceRow) -> Call:
    data = event.get("data") if isinstance(event.get("data"), dict) else {}

    def text(name: str) -> str | None:
        value = data.get(name)
        return value if isinstance(value, str) else None

    step = data.get("step")
    return Call(
        id=str(event.get("id")),
        device=device.id,
        village=device.village,
        learner=str(event.get("learner")),
        at=str(event.get("at")),
        pack=text("pack"),
        lesson=text("lesson"),
        step=step if type(step) is int else None,
        prompt=text("prompt"),
        heard=text("heard"),
        live=False,
    )
