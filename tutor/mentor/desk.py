"""The console's two links: the hub (live help and who is on which step) and this machine's
log (the village's records, and the mentor's changes to them).

The console is a device enrolled with the hub for its village (`tutor sync enrol`, or done by
`tutor mentor --db` itself), so it reads and writes with the same credential as any device:
help requests and the session view come straight from the hub; learners' records come from
pulling the village's logs into this machine, and a mentor's change (enrol, rename, merge,
erase) is an event appended to this machine's own log and pushed to the hub, from where
every device of the village pulls it. Nothing is changed in place, and nothing is lost when
the hub is out of reach: the change waits in the log for the next push.
"""

import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tutor.content.strings import Catalog
from tutor.progress import events as ev
from tutor.progress.course import course_from_packs, usable_packs
from tutor.progress.helpline import CALLS, HELP, SESSION, START, request
from tutor.progress.hublink import HubError, Link, hub_url
from tutor.progress.identity import device_identity
from tutor.progress.pull import pull
from tutor.progress.push import push
from tutor.progress.records import all_events
from tutor.progress.snapshot import load_progress
from tutor.progress.store import open_log

# A list request may take a little longer than a device's help request.
LIST_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class HelpCall:
    id: str
    device: str
    learner: str
    name: str | None
    at: str
    lesson: str | None  # pack/lesson
    step: int | None
    prompt: str
    heard: str
    live: bool


@dataclass(frozen=True)
class Active:
    device: str
    learner: str
    name: str | None
    lesson: str | None  # pack/lesson, None at the home screen
    step: int | None
    steps: int | None
    prompt: str
    seconds_ago: float


class Desk:
    def __init__(self, link: Link, home: Path | None = None, hub: str | None = None):
        self.link = link
        self.url = hub_url(hub) if hub else link.hub
        self.home = home
        self.village, self.role = link.village, link.role
        self._sync_lock = threading.Lock()

    # Live, from the hub ---------------------------------------------------------------

    def _call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        return request(self.url, method, path, self.link.credential, body, LIST_TIMEOUT_S)

    def calls(self) -> list[HelpCall]:
        """The village's open help requests, oldest first (HubError when out of reach)."""
        return [_call(item) for item in self._call("GET", CALLS).get("calls", [])]

    def answer(self, call: str, hint: str | None, coming: bool) -> None:
        body: dict[str, Any] = {"coming": coming}
        if hint:
            body["hint"] = hint
        self._call("POST", f"{HELP}/{call}/answer", body)

    def active(self) -> list[Active]:
        return [_active(item) for item in self._call("GET", SESSION).get("learners", [])]

    def start(self, device: str, learner: str, lesson: str) -> None:
        self._call("POST", START, {"device": device, "learner": learner, "lesson": lesson})

    # Records, through this machine's log ----------------------------------------------

    def sync(self) -> None:
        """Send this machine's changes to the hub and fetch the village's news."""
        with self._sync_lock:
            push(self.home, self.url)
            pull(self.home, self.url)

    def push_soon(self) -> None:
        """Send a change in the background; if the hub is out of reach it waits in the log
        for the next sync."""

        def send() -> None:
            try:
                with self._sync_lock:
                    push(self.home, self.url)
            except (HubError, OSError):
                pass

        threading.Thread(target=send, name="mentor-push", daemon=True).start()

    def records(self):
        """The folded progress and the raw events, for the roster."""
        return load_progress(self.home), all_events(self.home)

    def course(self):
        packs = usable_packs()
        return course_from_packs(packs), packs

    def _append(self, learner: str, kind: str, data: dict[str, Any]) -> None:
        with open_log(device_identity(self.home).id, self.home) as log:
            log.append(learner, kind, data)
        self.push_soon()

    def enrol(self, name: str, village: str, language: str, consent: bool) -> str:
        learner = str(uuid.uuid4())
        data: dict[str, Any] = {"name": name, "village": village, "language": language}
        if consent:
            data["name_consent"] = True
        self._append(learner, ev.LEARNER_ENROLLED, data)
        return learner

    def rename(self, learner: str, name: str | None, village: str | None = None) -> None:
        data = {key: value for key, value in (("name", name), ("village", village)) if value}
        if data:
            self._append(learner, ev.LEARNER_RENAMED, data)

    def merge(self, learner: str, into: str) -> None:
        if learner != into:
            self._append(learner, ev.LEARNER_MERGED, {"into": into})

    def erase(self, learner: str) -> None:
        self._append(learner, ev.LEARNER_ERASED, {})


def reason_text(reason: str, catalog: Catalog) -> str:
    """Why the hub did not answer, in the catalog's words (the sync commands' own)."""
    key = f"sync.hub.reason.{reason}"
    text = catalog.text(key)
    return catalog.text("sync.hub.reason.other") if text == key else text


def now() -> datetime:
    return datetime.now(UTC)


def _text(item: dict, key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""


def _int(item: dict, key: str) -> int | None:
    value = item.get(key)
    return value if type(value) is int else None


def _lesson(item: dict) -> str | None:
    pack, lesson = item.get("pack"), item.get("lesson")
    return f"{pack}/{lesson}" if isinstance(pack, str) and isinstance(lesson, str) else None


def _call(item: dict) -> HelpCall:
    return HelpCall(
        id=_text(item, "id"), device=_text(item, "device"), learner=_text(item, "learner"),
        name=item.get("name") if isinstance(item.get("name"), str) else None,
        at=_text(item, "at"), lesson=_lesson(item), step=_int(item, "step"),
        prompt=_text(item, "prompt"), heard=_text(item, "heard"), live=item.get("live") is True,
    )


def _active(item: dict) -> Active:
    ago = item.get("seconds_ago")
    return Active(
        device=_text(item, "device"), learner=_text(item, "learner"),
        name=item.get("name") if isinstance(item.get("name"), str) else None,
        lesson=_lesson(item), step=_int(item, "step"), steps=_int(item, "steps"),
        prompt=_text(item, "prompt"),
        seconds_ago=float(ago) if isinstance(ago, int | float) else 0.0,
    )
