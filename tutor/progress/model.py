"""The learner model: a fold over events, never updated in place and always rebuildable.

Events are folded in one total order, `(at, device, seq, hash)`, so the state does not
depend on the order logs were read or synced in; an event already folded (same device and
seq) is skipped, so replaying a log changes nothing. The model keeps raw records (runs of
each lesson, each answer, drill results, help requests) and answers questions about them
elsewhere (mastery.py, review.py, summary.py), so a rule can change without a migration.

Three events reach beyond their own moment, and are kept as sets so that they commute:
- `learner_merged` moves one record into another: both keep every event, the merged id
  points at the kept one from then on, and later events for either land in the kept one.
- `learner_erased` is sticky: once any record of a person is erased, no view shows their
  name, village or recording again, whatever arrives later.
- `answer_undone` names the answer it takes back; the answer stays, marked undone.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tutor.progress import events as ev
from tutor.progress.events import Event

SortKey = tuple[str, str, int, str]
PERSONAL_FIELDS = frozenset(name for names in ev.PERSONAL.values() for name in names)
Stamped = list[Any]  # [at, value]: the value written last (by at, then value) wins


def sort_key(event: Event) -> SortKey:
    return (event["at"], event["device"], event["seq"], event.get("hash") or "")


@dataclass
class Run:
    """One go at a lesson, from its start to its completion (if it got there)."""

    start: str
    mode: str = "learn"
    completed: str | None = None
    # [event id, at, step, correct, attempts]
    answers: list[list[Any]] = field(default_factory=list)


@dataclass
class LessonRecord:
    runs: list[Run] = field(default_factory=list)
    resume: Stamped = field(default_factory=lambda: ["", 0])

    def current(self, at: str) -> Run:
        """The run an answer at `at` belongs to: the open one, or a new one."""
        if not self.runs or self.runs[-1].completed is not None:
            self.runs.append(Run(start=at))
        return self.runs[-1]


@dataclass
class DrillRun:
    at: str
    score: float
    max: float | None
    path: list[str]
    state: dict[str, Any]


@dataclass
class LearnerState:
    id: str
    profile: dict[str, Stamped] = field(default_factory=dict)
    enrolled_at: str | None = None
    erased: bool = False
    merged: list[str] = field(default_factory=list)
    settings: dict[str, Stamped] = field(default_factory=dict)
    lessons: dict[str, LessonRecord] = field(default_factory=dict)
    undone: set[str] = field(default_factory=set)
    drills: dict[str, list[DrillRun]] = field(default_factory=dict)
    help_requests: set[str] = field(default_factory=set)
    help_answers: set[str] = field(default_factory=set)
    last_at: str = ""

    def personal(self, name: str) -> Any:
        """A personal field (name, village, spoken name), or None once erased."""
        stamped = None if self.erased else self.profile.get(name)
        return stamped[1] if stamped else None

    @property
    def language(self) -> str | None:
        stamped = self.settings.get("language") or self.profile.get("language")
        return stamped[1] if stamped else None

    def setting(self, name: str) -> Any:
        stamped = self.settings.get(name)
        return stamped[1] if stamped else None

    def answers(self, lesson: str) -> list[list[Any]]:
        """Every answer given in `lesson` and not taken back, oldest first."""
        record = self.lessons.get(lesson)
        if record is None:
            return []
        found = [a for run in record.runs for a in run.answers if a[0] not in self.undone]
        return sorted(found, key=lambda a: (a[1], a[0]))

    def absorb(self, other: "LearnerState") -> None:
        """Take in the record of the same person kept under another id."""
        _newest(self.profile, other.profile)
        _newest(self.settings, other.settings)
        starts = [at for at in (self.enrolled_at, other.enrolled_at) if at]
        self.enrolled_at = min(starts) if starts else None
        self.erased = self.erased or other.erased
        self.merged = sorted({*self.merged, *other.merged, other.id})
        for key, theirs in other.lessons.items():
            ours = self.lessons.setdefault(key, LessonRecord())
            ours.runs = sorted(
                [*ours.runs, *theirs.runs], key=lambda r: (r.start, r.completed or "")
            )
            ours.resume = max(ours.resume, theirs.resume, key=_stamp_order)
        for key, runs in other.drills.items():
            mine = self.drills.setdefault(key, [])
            mine.extend(runs)
            mine.sort(key=lambda r: (r.at, r.score))
        self.undone |= other.undone
        self.help_requests |= other.help_requests
        self.help_answers |= other.help_answers
        self.last_at = max(self.last_at, other.last_at)
        if self.erased:
            self.forget_personal()

    def forget_personal(self) -> None:
        """Drop what says who the person is, so no view or cache keeps it."""
        for name in PERSONAL_FIELDS:
            self.profile.pop(name, None)


@dataclass
class Progress:
    """Every learner's state on this device, and how far each device's log was folded."""

    learners: dict[str, LearnerState] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    heads: dict[str, int] = field(default_factory=dict)
    last_key: SortKey | None = None

    def resolve(self, learner: str) -> str:
        """The id a learner's record is kept under now that merges are followed."""
        if learner not in self.aliases:
            return learner
        seen = {learner}
        while learner in self.aliases:
            learner = self.aliases[learner]
            if learner in seen:
                break
            seen.add(learner)
        return learner

    def learner(self, learner: str) -> LearnerState | None:
        return self.learners.get(self.resolve(learner))

    def apply(self, events: Iterable[Event]) -> bool:
        """Fold events that come after everything folded so far; False (and nothing
        changed) when one would have to go earlier, so the caller folds from scratch."""
        fresh = sorted(
            (e for e in events if e["seq"] > self.heads.get(e["device"], 0)), key=sort_key
        )
        if fresh and self.last_key is not None and sort_key(fresh[0]) <= self.last_key:
            return False
        self.fold_in_order(fresh)
        return True

    def fold_in_order(self, ordered: Iterable[Event], skip_seen: bool = True) -> None:
        """Fold events that the caller gives in sort order (a stream is fine).

        With `skip_seen`, an event whose device already reached its seq is a replay and is
        skipped; that relies on each device's events coming in seq order, as every log the
        store writes does. `fold` removes repeats itself and folds with it off.
        """
        heads = self.heads
        last = None
        for event in ordered:
            device, seq = event["device"], event["seq"]
            head = heads.get(device, 0)
            if seq <= head:
                if skip_seen:
                    continue
            else:
                heads[device] = seq
            handler = _HANDLERS.get(event["type"])
            if handler is not None:
                handler(self, event)
            last = event
        if last is not None:
            key = sort_key(last)
            self.last_key = key if self.last_key is None else max(self.last_key, key)

    def state_for(self, event: Event) -> LearnerState:
        """The record an event belongs to (made on first sight); it was last active then."""
        learner = self.resolve(event["learner"])
        state = self.learners.get(learner)
        if state is None:
            state = self.learners[learner] = LearnerState(learner)
        state.last_at = event["at"]
        return state

    def lesson_for(self, event: Event) -> LessonRecord:
        state = self.state_for(event)
        data = event["data"]
        key = f"{data.get('pack')}/{data.get('lesson')}"
        record = state.lessons.get(key)
        if record is None:
            record = state.lessons[key] = LessonRecord()
        return record


def fold(events: Iterable[Event]) -> Progress:
    """The state of every learner after `events`, in any order and with any repeats."""
    unique: dict[tuple[str, int], Event] = {}
    for event in events:
        slot = (event["device"], event["seq"])
        other = unique.get(slot)
        # Two different events with one device and seq are a fork that sync reports; the
        # fold keeps the same one of the two whichever it meets first.
        if other is None or sort_key(event) < sort_key(other):
            unique[slot] = event
    progress = Progress()
    progress.fold_in_order(sorted(unique.values(), key=sort_key), skip_seen=False)
    return progress


def _stamp_order(stamped: Stamped) -> tuple[str, str]:
    return (stamped[0], repr(stamped[1]))


def _newest(ours: dict[str, Stamped], theirs: dict[str, Stamped]) -> None:
    for name, stamped in theirs.items():
        mine = ours.get(name)
        if mine is None or _stamp_order(stamped) > _stamp_order(mine):
            ours[name] = stamped


def _set_stamped(target: dict[str, Stamped], name: str, at: str, value: Any) -> None:
    _newest(target, {name: [at, value]})


def _enrolled(progress: Progress, event: Event) -> None:
    state = progress.state_for(event)
    at = event["at"]
    state.enrolled_at = min(filter(None, (state.enrolled_at, at)))
    _profile(state, event)


def _profile(state: LearnerState, event: Event) -> None:
    for name, value in event["data"].items():
        if not (state.erased and name in PERSONAL_FIELDS):
            _set_stamped(state.profile, name, event["at"], value)


def _renamed(progress: Progress, event: Event) -> None:
    _profile(progress.state_for(event), event)


def _merged(progress: Progress, event: Event) -> None:
    into = event["data"].get("into")
    if not isinstance(into, str):
        return
    source, target = progress.resolve(event["learner"]), progress.resolve(into)
    if source == target:
        return
    progress.aliases[source] = target
    kept = progress.learners.get(target) or LearnerState(target)
    progress.learners[target] = kept
    gone = progress.learners.pop(source, None)
    kept.absorb(gone or LearnerState(source))
    kept.last_at = max(kept.last_at, event["at"])


def _erased(progress: Progress, event: Event) -> None:
    state = progress.state_for(event)
    state.erased = True
    state.forget_personal()


def _started(progress: Progress, event: Event) -> None:
    """A new run of the lesson, or, when it starts past step 0, the open run resumed."""
    data, at = event["data"], event["at"]
    record = progress.lesson_for(event)
    step = data.get("step", 0)
    step = step if type(step) is int and step >= 0 else 0
    last = record.runs[-1] if record.runs else None
    if last is None or last.completed is not None or step == 0:
        if last is not None and last.completed is None and not last.answers:
            record.runs.pop()
        record.runs.append(Run(start=at, mode=str(data.get("mode", "learn"))))
    record.resume = [at, step]


def _answered(progress: Progress, event: Event) -> None:
    data, at = event["data"], event["at"]
    step = data.get("step")
    if type(step) is not int:
        return
    record = progress.lesson_for(event)
    record.current(at).answers.append(
        [event["id"], at, step, data.get("correct"), data.get("attempts", 1)]
    )
    record.resume = [at, step + 1]


def _undone(progress: Progress, event: Event) -> None:
    data = event["data"]
    record = progress.lesson_for(event)
    progress.state_for(event).undone.add(str(data.get("answer")))
    step = data.get("step")
    if type(step) is int:
        record.resume = [event["at"], step]


def _left(progress: Progress, event: Event) -> None:
    """The learner stopped mid-lesson (home, pause, quit): resume exactly there."""
    step = event["data"].get("step")
    if type(step) is int and step >= 0:
        progress.lesson_for(event).resume = [event["at"], step]


def _completed(progress: Progress, event: Event) -> None:
    at = event["at"]
    record = progress.lesson_for(event)
    record.current(at).completed = at
    record.resume = [at, 0]


def _drill(progress: Progress, event: Event) -> None:
    data = event["data"]
    key = f"{data.get('pack')}/{data.get('drill')}"
    run = DrillRun(
        at=event["at"],
        score=data.get("score", 0),
        max=data.get("max"),
        path=list(data.get("path", [])),
        state=dict(data.get("state", {})),
    )
    progress.state_for(event).drills.setdefault(key, []).append(run)


def _help_requested(progress: Progress, event: Event) -> None:
    progress.state_for(event).help_requests.add(event["id"])


def _help_answered(progress: Progress, event: Event) -> None:
    progress.state_for(event).help_answers.add(str(event["data"].get("request")))


def _settings(progress: Progress, event: Event) -> None:
    state = progress.state_for(event)
    for name, value in event["data"].items():
        _set_stamped(state.settings, name, event["at"], value)


_HANDLERS = {
    ev.LEARNER_ENROLLED: _enrolled,
    ev.LEARNER_RENAMED: _renamed,
    ev.LEARNER_MERGED: _merged,
    ev.LEARNER_ERASED: _erased,
    ev.LESSON_STARTED: _started,
    ev.STEP_ANSWERED: _answered,
    ev.ANSWER_UNDONE: _undone,
    ev.LESSON_COMPLETED: _completed,
    ev.LESSON_LEFT: _left,
    ev.DRILL_FINISHED: _drill,
    ev.HELP_REQUESTED: _help_requested,
    ev.HELP_ANSWERED: _help_answered,
    ev.SETTINGS_CHANGED: _settings,
}
