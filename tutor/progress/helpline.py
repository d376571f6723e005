"""Help across the room, the learner's side: "help" reaches the mentor's console at once.

When this device is enrolled with a hub (hublink.py), raising help writes the
help_requested event to the log as always and then, in a background thread, sends it to the
hub in one small request with a short timeout; the learner never waits on the network. While
a request is open the thread asks the hub for the answer every second; when the mentor has
typed a hint or pressed "coming over", the thread writes help_answered to the log and hands
the answer to the host (`on_reply`), which speaks it. With no LAN (or no hub at all) the
request simply stays in the log and reaches the mentor with the next sync; the thread keeps
trying quietly, every few seconds, for as long as the learner is on.

The thread also tells the hub now and then which step the learner is on (the mentor's
session view), and takes from the answer a lesson the mentor started for this device, which
the host starts the next time it is at its home screen (`take_start`).

Only the standard library and the log: no screen, no speech engine.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.progress import events as ev
from tutor.progress.events import Event
from tutor.progress.hublink import HubError, Link, call, load_link
from tutor.progress.store import EventLog, open_log

# The hub's API for help and the session view (tutor/hub/api.py serves exactly these).
HELP = "/v1/help"
CALLS = "/v1/calls"
HERE = "/v1/here"
SESSION = "/v1/session"
START = "/v1/start"

# Short enough that a device out of reach never holds anything up for long.
TIMEOUT_S = 2.0
POLL_S = 1.0
# How often the device says where it is when nothing changed (the session view's pulse).
PULSE_S = 5.0
# After a failure the next try waits this long (the hub is off, or out of reach).
RETRY_S = 5.0
# A request nobody answers is given up (by the thread; it stays open in the log) after this.
GIVE_UP_S = 2 * 3600.0
# Within what the hub takes (hub/help_models.py).
MOST_TEXT = 1000
MOST_NAME = 200


@dataclass(frozen=True)
class Reply:
    """The mentor's answer to one request: a hint to speak, and/or "coming over"."""

    request: str
    learner: str
    hint: str | None
    coming: bool


@dataclass(frozen=True)
class Start:
    """A lesson the mentor started for a learner on this device."""

    learner: str
    lesson: str  # pack/lesson


@dataclass
class _Open:
    event: Event
    body: dict[str, Any]
    sent: bool = False
    since: float = field(default_factory=time.monotonic)


def request(
    hub: str, method: str, path: str, credential: str, body: Any = None,
    timeout: float = TIMEOUT_S,
) -> dict[str, Any]:
    """One short request to the hub; its JSON answer, or HubError (unreachable, refused)."""
    return call(hub, method, path, body, credential, timeout)


class Helpline:
    """One per learner session: `ask` when the learner asks for help, `where` on every new
    prompt, `take_start` at the home screen, `close` at the end."""

    def __init__(
        self,
        device: str,
        link: Link | None,
        on_reply: Callable[[Reply], None],
        home: Path | None = None,
        poll_s: float = POLL_S,
    ):
        self.device, self.link, self.home = device, link, home
        self._on_reply = on_reply
        self._poll_s = poll_s
        self._open: dict[str, _Open] = {}
        self._here: dict[str, Any] | None = None
        self._here_sent = 0.0
        self._here_dirty = False
        self._start: Start | None = None
        self._retry_at = 0.0
        self._wake = threading.Condition()
        self._closing = False
        self._thread: threading.Thread | None = None
        if link is not None:
            self._thread = threading.Thread(target=self._run, name="helpline", daemon=True)
            self._thread.start()

    @classmethod
    def open(
        cls, device: str, on_reply: Callable[[Reply], None], home: Path | None = None
    ) -> "Helpline":
        """Linked to the hub this device enrolled with; log-only when it never enrolled."""
        try:
            link: Link | None = load_link(home)
        except HubError:
            link = None
        return cls(device, link, on_reply, home)

    @property
    def linked(self) -> bool:
        return self.link is not None

    def ask(
        self,
        log: EventLog,
        learner: str,
        data: dict[str, Any],
        prompt: str = "",
        heard: str = "",
        name: str | None = None,
    ) -> Event:
        """Write the request to the log (at once, fsync'd), then send it in the background."""
        full = dict(data)
        if prompt:
            full["prompt"] = prompt[:MOST_TEXT]
        if heard:
            full["heard"] = heard[:MOST_TEXT]
        event = log.append(learner, ev.HELP_REQUESTED, full)
        if self.link is None:
            return event
        body = {"id": event["id"], "learner": learner, "at": event["at"], **full}
        body.pop("note", None)
        if name:
            body["name"] = name[:MOST_NAME]
        with self._wake:
            self._open[event["id"]] = _Open(event, body)
            self._retry_at = 0.0
            self._wake.notify_all()
        return event

    def where(
        self,
        learner: str,
        name: str | None = None,
        pack: str | None = None,
        lesson: str | None = None,
        step: int | None = None,
        steps: int | None = None,
        prompt: str = "",
    ) -> None:
        """Note the learner's place, for the mentor's session view (sent in the background)."""
        if self.link is None:
            return
        here: dict[str, Any] = {"learner": learner}
        for key, value in (("name", name), ("pack", pack), ("lesson", lesson),
                           ("step", step), ("steps", steps), ("prompt", prompt[:MOST_TEXT])):
            if value is not None and value != "":
                here[key] = value
        with self._wake:
            self._here, self._here_dirty = here, True
            self._wake.notify_all()

    def has_start(self, learner: str) -> bool:
        """Whether the mentor started something for `learner` that is not taken yet."""
        with self._wake:
            return self._start is not None and self._start.learner == learner

    def take_start(self, learner: str) -> str | None:
        """The lesson or drill the mentor started for `learner`, once; None when none."""
        with self._wake:
            order = self._start
            if order is None or order.learner != learner:
                return None
            self._start = None
            return order.lesson

    def waiting(self) -> int:
        """Requests sent or to be sent and not answered yet."""
        with self._wake:
            return len(self._open)

    def close(self) -> None:
        with self._wake:
            self._closing = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(TIMEOUT_S + 1)

    # The thread ----------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(self._due, timeout=self._poll_s)
                if self._closing:
                    return
                if time.monotonic() < self._retry_at:
                    continue
                pending = list(self._open.values())
                here, dirty = self._here, self._here_dirty
            try:
                self._exchange(pending, here, dirty)
            except (HubError, OSError):  # out of reach, or the log's disk: try again later
                with self._wake:
                    self._retry_at = time.monotonic() + RETRY_S

    def _due(self) -> bool:
        if self._closing:
            return True
        fresh = any(not item.sent for item in self._open.values())
        return (fresh or self._here_dirty) and time.monotonic() >= self._retry_at

    def _exchange(self, pending: list[_Open], here: dict | None, dirty: bool) -> None:
        assert self.link is not None
        hub, credential = self.link.hub, self.link.credential
        for item in pending:
            if not item.sent:
                request(hub, "POST", HELP, credential, item.body)
                item.sent = True
        if here is not None and (dirty or time.monotonic() - self._here_sent >= PULSE_S):
            answer = request(hub, "POST", HERE, credential, here)
            with self._wake:
                self._here_sent = time.monotonic()
                if self._here is here:
                    self._here_dirty = False
                order = answer.get("start")
                if isinstance(order, dict) and order.get("device") == self.device:
                    self._start = Start(str(order.get("learner")), str(order.get("lesson")))
        for item in pending:
            if time.monotonic() - item.since > GIVE_UP_S:
                self._forget(item)
                continue
            try:
                state = request(hub, "GET", f"{HELP}/{item.event['id']}", credential)
            except HubError as err:
                if err.status == 404:  # the hub restarted before it had the request
                    item.sent = False
                    continue
                raise
            if state.get("answered_at"):
                self._answered(item, state)

    def _answered(self, item: _Open, state: dict[str, Any]) -> None:
        hint = state.get("hint") if isinstance(state.get("hint"), str) else None
        reply = Reply(item.event["id"], item.event["learner"], hint, state.get("coming") is True)
        data: dict[str, Any] = {"request": reply.request}
        if hint:
            data["note"] = hint
        if reply.coming:
            data["coming"] = True
        # Its own handle on the log: the host may be appending on its own at this moment,
        # and the log's lock keeps the two apart.
        with open_log(self.device, self.home) as log:
            log.append(reply.learner, ev.HELP_ANSWERED, data)
        self._forget(item)
        try:
            self._on_reply(reply)
        except Exception:  # the host's speaker failing must not end the thread
            # The answer is in the log; the learner only misses hearing it.
            return

    def _forget(self, item: _Open) -> None:
        with self._wake:
            self._open.pop(item.event["id"], None)
