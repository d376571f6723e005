"""`tutor progress export`: a learner's (or everyone's) record as JSON, CSV or xAPI.

The events stay in the log as they were written (the chain needs them); what leaves the
device is a copy in which an erased learner's personal fields are removed (`redacted` says
so). Exports follow the fold's order, so the same records always export the same way.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from tutor.progress.course import Course
from tutor.progress.events import PERSONAL, Event, timestamp
from tutor.progress.model import Progress, sort_key
from tutor.progress.view import learner_view

CSV_COLUMNS = (
    "at",
    "person",
    "learner",
    "type",
    "pack",
    "item",
    "step",
    "choice",
    "correct",
    "attempts",
    "seconds",
    "via",
    "score",
    "name",
    "village",
    "device",
    "seq",
    "id",
)


def redacted(event: Event, progress: Progress) -> Event:
    """The event as it may leave the device: no personal fields of an erased learner."""
    state = progress.learner(event["learner"])
    personal = PERSONAL.get(event["type"], ())
    if state is None or not state.erased or not any(f in event["data"] for f in personal):
        return event
    data = {key: value for key, value in event["data"].items() if key not in personal}
    return {**event, "data": data, "redacted": True}


def selected(events: Iterable[Event], progress: Progress, learner: str | None) -> Iterator[Event]:
    """Redacted events of one person (all their merged records) or of everyone, in order."""
    unique = {(e["device"], e["seq"]): e for e in events}
    for event in sorted(unique.values(), key=sort_key):
        if learner is None or progress.resolve(event["learner"]) == learner:
            yield redacted(event, progress)


def export_json(
    events: Iterable[Event], progress: Progress, course: Course, learner: str | None, now: datetime
) -> str:
    people = [learner] if learner else sorted(progress.learners)
    document = {
        "format": "tutor-progress-export",
        "version": 1,
        "exported_at": timestamp(now),
        "learners": [learner_view(progress.learners[p], course, now) for p in people],
        "events": list(selected(events, progress, learner)),
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def export_csv(events: Iterable[Event], progress: Progress, learner: str | None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for event in selected(events, progress, learner):
        row = _csv_row(event, progress)
        writer.writerow(["" if row.get(c) is None else row[c] for c in CSV_COLUMNS])
    return out.getvalue()


def _csv_row(event: Event, progress: Progress) -> dict[str, Any]:
    data = event["data"]
    return {
        **{key: data.get(key) for key in ("step", "choice", "attempts", "seconds", "via")},
        **{key: data.get(key) for key in ("score", "name", "village", "pack")},
        "at": event["at"],
        "person": progress.resolve(event["learner"]),
        "learner": event["learner"],
        "type": event["type"],
        "item": data.get("lesson") or data.get("drill"),
        "correct": _flag(data.get("correct")),
        "device": event["device"],
        "seq": event["seq"],
        "id": event["id"],
    }


def _flag(value: Any) -> str | None:
    return "true" if value is True else "false" if value is False else None
