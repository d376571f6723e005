"""The runner's records, written to this device's log for one learner.

The runner numbers its records; an undo names the answer it takes back by that number, and
only here, once the answer has an event id, does the undo get it. Each turn's records are
written together with one fsync, before the next prompt is spoken, so a power cut loses at
most the answer being given.
"""

from collections.abc import Sequence

from tutor.progress.store import Draft, EventLog
from tutor.session.turns import Record


class Journal:
    def __init__(self, log: EventLog, learner: str):
        self.log = log
        self.learner = learner
        self._ids: dict[int, str] = {}

    def write(self, records: Sequence[Record]) -> None:
        if not records:
            return
        drafts = [Draft(self.learner, r.type, self._data(r)) for r in records]
        for record, event in zip(records, self.log.append_batch(drafts), strict=True):
            self._ids[record.ref] = event["id"]

    def _data(self, record: Record) -> dict:
        if record.undoes is None:
            return record.data
        return {**record.data, "answer": self._ids.get(record.undoes, "")}
