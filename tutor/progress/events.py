"""What a learner event is: its fields, its types, its canonical bytes and its hash.

One event is one JSON object `{id, device, seq, learner, at, type, data, prev, hash}`. The
hash covers the canonical form of everything else, `prev` included, so each device's log is
a chain: changing, removing or reordering any stored event breaks every hash after it. The
canonical form (sorted keys, no spaces, UTF-8 kept as is) is also the stored line, so a
verifier can demand that a line is byte for byte what its event would be written as.
"""

import hashlib
import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

Event = dict[str, Any]

FIELDS = ("id", "device", "seq", "learner", "at", "type", "data", "prev", "hash")

LEARNER_ENROLLED = "learner_enrolled"
LEARNER_RENAMED = "learner_renamed"
LEARNER_MERGED = "learner_merged"
LEARNER_ERASED = "learner_erased"
LESSON_STARTED = "lesson_started"
STEP_ANSWERED = "step_answered"
ANSWER_UNDONE = "answer_undone"
LESSON_COMPLETED = "lesson_completed"
LESSON_LEFT = "lesson_left"
DRILL_FINISHED = "drill_finished"
HELP_REQUESTED = "help_requested"
HELP_ANSWERED = "help_answered"
SETTINGS_CHANGED = "settings_changed"
GROUP_ANSWERED = "group_answered"

_TEXT = (str,)
_INT = (int,)
_NUMBER = (int, float)
_FLAG = (bool,)
_MAYBE_TEXT = (str, type(None))
_MAYBE_FLAG = (bool, type(None))

# For each type: field -> (allowed JSON types, required). This is the event schema; the
# README and the closing note of issue 5 print it as a table.
SCHEMA: dict[str, dict[str, tuple[tuple[type, ...], bool]]] = {
    LEARNER_ENROLLED: {
        "name": (_TEXT, True),
        "village": (_TEXT, True),
        "language": (_TEXT, True),
        "spoken_name_consent": (_FLAG, False),
        "spoken_name": (_TEXT, False),
        # Whether the learner agreed that coordinators see their name in reports; without
        # it (older events too) reports show a pseudonym.
        "name_consent": (_FLAG, False),
    },
    LEARNER_RENAMED: {"name": (_TEXT, False), "village": (_TEXT, False)},
    LEARNER_MERGED: {"into": (_TEXT, True)},
    LEARNER_ERASED: {},
    LESSON_STARTED: {
        "pack": (_TEXT, True),
        "lesson": (_TEXT, True),
        "step": (_INT, False),
        "mode": (_TEXT, False),
    },
    STEP_ANSWERED: {
        "pack": (_TEXT, True),
        "lesson": (_TEXT, True),
        "step": (_INT, True),
        "step_id": (_MAYBE_TEXT, False),
        "choice": (_MAYBE_TEXT, True),
        "decision": (_TEXT, True),
        "correct": (_MAYBE_FLAG, True),
        "attempts": (_INT, True),
        "seconds": (_NUMBER, True),
        "via": (_TEXT, True),
    },
    ANSWER_UNDONE: {
        "answer": (_TEXT, True),
        "pack": (_TEXT, True),
        "lesson": (_TEXT, True),
        "step": (_INT, True),
    },
    LESSON_LEFT: {
        "pack": (_TEXT, True),
        "lesson": (_TEXT, True),
        "step": (_INT, True),
    },
    LESSON_COMPLETED: {
        "pack": (_TEXT, True),
        "lesson": (_TEXT, True),
        "seconds": (_NUMBER, False),
    },
    DRILL_FINISHED: {
        "pack": (_TEXT, True),
        "drill": (_TEXT, True),
        "path": ((list,), True),
        "score": (_NUMBER, True),
        "max": (_NUMBER, False),
        "state": ((dict,), True),
        "seed": (_INT, False),
        "scores": ((dict,), False),
        "timed": (_FLAG, False),
    },
    HELP_REQUESTED: {
        "pack": (_TEXT, False),
        "lesson": (_TEXT, False),
        "step": (_INT, False),
        "note": (_TEXT, False),
        # What the learner was shown and what they said when they asked: the mentor reads
        # both, live on the LAN or after the next sync.
        "prompt": (_TEXT, False),
        "heard": (_TEXT, False),
    },
    # `note` is the mentor's hint as it was spoken; `coming` says the mentor walks over.
    HELP_ANSWERED: {"request": (_TEXT, True), "note": (_TEXT, False), "coming": (_FLAG, False)},
    SETTINGS_CHANGED: {
        "voice": (_TEXT, False),
        "rate": (_INT, False),
        "text_size": (_TEXT, False),
        "theme": (_TEXT, False),
        "language": (_TEXT, False),
    },
    # The room's answer to one question of a lesson played for a whole room (`tutor group`),
    # by a show of hands: written under the room's own id, never as any learner's answer.
    GROUP_ANSWERED: {
        "session": (_TEXT, True),
        "pack": (_TEXT, True),
        "lesson": (_TEXT, True),
        "step": (_INT, True),
        "step_id": (_MAYBE_TEXT, False),
        "choice": (_TEXT, True),
        "right": (_MAYBE_TEXT, False),
        "correct": (_MAYBE_FLAG, True),
        "attempts": (_INT, True),
        "hands": ((dict,), False),
    },
}

# Closed vocabularies inside `data`.
CHOICES: dict[str, tuple[str, ...]] = {
    "language": ("zh", "ko", "ug"),
    "decision": ("accept", "confirm"),
    "via": ("voice", "key", "mentor"),
    "mode": ("learn", "review"),
    "text_size": ("normal", "large", "huge"),
    "theme": ("normal", "contrast"),
}

# Fields that say who a person is: an erasure removes them from every view and export.
PERSONAL: dict[str, tuple[str, ...]] = {
    LEARNER_ENROLLED: ("name", "village", "spoken_name"),
    LEARNER_RENAMED: ("name", "village"),
    HELP_REQUESTED: ("note", "heard"),
    HELP_ANSWERED: ("note",),
}

_AT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


class EventError(ValueError):
    """An event that must not be written: the message names the field."""


def canonical(value: Any) -> bytes:
    """The one byte form of a JSON value that hashes and lines are made of."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: Event) -> str:
    """sha256 over the canonical event without its own `hash` (but with `prev`)."""
    body = {key: value for key, value in event.items() if key != "hash"}
    return hashlib.sha256(canonical(body)).hexdigest()


def timestamp(moment: datetime | None = None) -> str:
    """UTC to the millisecond in one fixed width, so text order is time order."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_timestamp(at: str) -> datetime:
    """The moment of a `timestamp()` string, timezone-aware (UTC)."""
    return datetime.fromisoformat(at)


def seal(
    *, device: str, seq: int, prev: str | None, learner: str, at: str, kind: str, data: dict
) -> Event:
    """A complete event with a fresh id and its hash; raises EventError when it is invalid."""
    check(learner, at, kind, data)
    event: Event = {
        "id": str(uuid.uuid4()),
        "device": device,
        "seq": seq,
        "learner": learner,
        "at": at,
        "type": kind,
        "data": data,
        "prev": prev,
    }
    event["hash"] = event_hash(event)
    return event


def check(learner: str, at: str, kind: str, data: dict) -> None:
    """Refuse an event the schema does not allow, before it is in the log for good."""
    if not is_uuid(learner):
        raise EventError(f"learner: '{learner}' is not a UUID")
    if not isinstance(at, str) or not _AT.match(at):
        raise EventError(f"at: '{at}' is not a UTC time like 2025-03-01T08:00:00.000Z")
    fields = SCHEMA.get(kind)
    if fields is None:
        raise EventError(f"type: unknown event type '{kind}'")
    if not isinstance(data, dict):
        raise EventError("data: must be an object")
    for name in data:
        if name not in fields:
            raise EventError(f"data.{name}: not a field of {kind}")
    for name, (kinds, required) in fields.items():
        if name not in data:
            if required:
                raise EventError(f"data.{name}: missing")
            continue
        value = data[name]
        # bool is an int in Python, but a flag is never a count.
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise EventError(f"data.{name}: wrong type {type(value).__name__}")
        if name in CHOICES and value is not None and value not in CHOICES[name]:
            raise EventError(f"data.{name}: '{value}' is not one of {', '.join(CHOICES[name])}")
    if kind == LEARNER_MERGED and not is_uuid(data["into"]):
        raise EventError("data.into: not a UUID")
    if data.get("spoken_name") and not data.get("spoken_name_consent"):
        raise EventError("data.spoken_name: kept only with spoken_name_consent")


def is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False
