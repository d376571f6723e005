"""`tutor hub forward`: the hub's learning records to a county LRS as xAPI statements.

Per device, the events after the cursor go out in seq order, a batch at a time, made into
statements by the same code as `tutor progress export --format xapi` (stable ids from the
event ids, the event's own time as `timestamp`, no name or village). The cursor for that LRS
and device moves only after the LRS took the batch, in the hub's database, so a failure
anywhere (network, LRS, the hub killed) means the next run resends at most one batch, which
the LRS keeps once by statement id. Statements need the folded learner state (merged
records, each learner's language), built from every event the hub holds, streamed in the
fold's order.
"""

import json
from dataclasses import dataclass
from typing import Any

from tutor.hub.lrs import Lrs, LrsError
from tutor.hub.storage import cursors, devices
from tutor.hub.storage import events as rows
from tutor.hub.storage.db import Database
from tutor.progress.course import Course
from tutor.progress.model import Progress
from tutor.progress.xapi import statements

BATCH = 500


@dataclass
class ForwardReport:
    events: int = 0  # events gone past (most are statements; enrolments and settings not)
    statements: int = 0
    new: int = 0
    already: int = 0
    checked: int = 0
    error: LrsError | None = None


def forward(
    db: Database, lrs: Lrs, course: Course, batch: int = BATCH, again: bool = False
) -> ForwardReport:
    """Send what the LRS lacks; on an LRS failure, stop with `error` set (the cursor keeps
    everything sent before it)."""
    key = lrs.endpoint
    if again:
        with db.transaction(write=True) as tx:
            cursors.forget(tx, key)
    with db.transaction() as tx:
        done = cursors.cursors(tx, key)
        todo = [(row.id, rows.head(tx, row.id)[0]) for row in devices.every(tx)]
    todo = [(device, top) for device, top in todo if top > done.get(device, 0)]
    report = ForwardReport()
    if not todo:
        return report
    progress = _folded(db)
    for device, top in todo:
        seq = done.get(device, 0)
        while seq < top:
            with db.transaction() as tx:
                chunk = rows.lines_after(tx, device, seq, batch)
            if not chunk:
                break
            found = statements([json.loads(line) for _, line in chunk], progress, course, None)
            if found:
                try:
                    stored = lrs.store(found)
                except LrsError as err:
                    report.error = err
                    return report
                report.statements += len(found)
                report.new += stored.new
                report.already += stored.already
                report.checked += stored.checked
            seq = chunk[-1][0]
            report.events += len(chunk)
            with db.transaction(write=True) as tx:
                cursors.move(tx, key, device, seq)
    return report


def _folded(db: Database) -> Progress:
    progress = Progress()
    with db.transaction() as tx:
        progress.fold_in_order(_events(rows.every_line(tx)))
    return progress


def _events(lines: Any) -> Any:
    for line in lines:
        yield json.loads(line)
